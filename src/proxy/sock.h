/* SPDX-License-Identifier: MIT */
/*
 * The proxy's unix stream socket, named by NAME, and its access policy. On Linux the name is
 * abstract, as libqmi's qmi-proxy uses it (sock_abstract.c); where there is no abstract
 * namespace (and on Linux with QMIUSB_PORTABLE_PATHS) it is a socket file NAME in the runtime
 * directory (sock_path.c, base/rundir.h).
 */
#ifndef QPRX_SOCK_H
#define QPRX_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* True where names are abstract: anybody may then bind a free name, so a client checks who
 * listens (qprx_peer_cred). A socket file lives in a directory only its owner may write. */
extern const bool qprx_abstract;
/* A listening, non-blocking, close-on-exec socket. Returns the fd or -errno
 * (-EADDRINUSE when another proxy already serves that name; with a socket file, -EPERM when
 * the runtime directory fails its checks). */
int qprx_listen(const char *name, int backlog);
/* Undoes what qprx_listen left in the file system (the socket file), once its fd is closed. */
void qprx_unlisten(const char *name);
/* A connected, close-on-exec socket (blocking, so the caller decides). fd or -errno. With a
 * socket file, the caller's runtime directory is tried, then root's. */
int qprx_connect(const char *name);

/* Who may use the proxy: root, the proxy's own user, an optional extra user and an optional
 * group (primary or supplementary membership). */
struct qprx_access {
	uid_t self_uid;
	bool has_user;
	uid_t user;
	bool has_group;
	gid_t group;
};

/* Resolves a user or group given by name or number. 0 or -ENOENT. */
int qprx_parse_user(const char *s, uid_t *out);
int qprx_parse_group(const char *s, gid_t *out);
/* Decides for a peer's credentials; group membership is looked up through NSS. */
bool qprx_access_allows(const struct qprx_access *a, uid_t uid, gid_t gid);
/* The peer's credentials as the kernel recorded them at connect time: SO_PEERCRED on Linux
 * (sock_peer_linux.c); getpeereid elsewhere, where *pid is 0 unless the system tells it
 * (sock_peer_bsd.c). 0 or -errno. */
int qprx_peer_cred(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

#endif
