/* SPDX-License-Identifier: MIT */
/*
 * The proxy's socket where unix sockets have no abstract namespace (macOS, the BSDs): a socket
 * file NAME in a directory the caller has verified (qb_rundir_open), with portable socket calls
 * (no SOCK_NONBLOCK/SOCK_CLOEXEC flags, no accept4). sock_path.c puts it in the runtime
 * directory; the counterpart of sock_abstract.c.
 */
#ifndef QPRX_SOCK_FS_H
#define QPRX_SOCK_FS_H

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

/* dir/name as a unix address. 0, or -EINVAL (empty name, or one with a '/'), -ENAMETOOLONG. */
int qprx_fs_addr(const char *dir, const char *name, struct sockaddr_un *sa, socklen_t *len);
/* A listening, non-blocking, close-on-exec socket at dir/name, a file anyone who may enter dir
 * may connect to (mode 0666: the caller's access policy decides). A socket file nobody answers on
 * (a proxy that died) is replaced; -EADDRINUSE when a live proxy answers there, -EEXIST when
 * dir/name is something other than a socket (left alone). fd or -errno. */
int qprx_fs_listen(const char *dir, const char *name, int backlog);
/* Removes dir/name when the listener closes (the file outlives its socket otherwise). */
void qprx_fs_unlisten(const char *dir, const char *name);
/* A connected, close-on-exec, blocking socket to dir/name. fd or -errno. */
int qprx_fs_connect(const char *dir, const char *name);
/* A close-on-exec, blocking socket connected to sa, whatever the kind of name (sock_abstract.c
 * connects through it too). fd or -errno (-ECONNREFUSED: nobody listens). */
int qprx_sock_connect_addr(const struct sockaddr_un *sa, socklen_t len);
/* accept(2) with the result non-blocking and close-on-exec. fd or -errno (-EAGAIN: none). */
int qprx_fs_accept(int lfd);

#endif
