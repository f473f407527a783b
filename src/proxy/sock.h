/* SPDX-License-Identifier: MIT */
/*
 * Abstract unix stream sockets as libqmi uses them, and the SO_PEERCRED access policy.
 * libqmi binds/connects with G_UNIX_SOCKET_ADDRESS_ABSTRACT (not _PADDED): the address is
 * sun_family + '\0' + name and addrlen counts only those bytes (12 for "qmi-proxy").
 * A padded address would name a different socket, so the length is part of the protocol.
 */
#ifndef QPRX_SOCK_H
#define QPRX_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Fills *sa with the abstract address of name and *len with its exact length.
 * 0, or -ENAMETOOLONG / -EINVAL (empty name). */
int qprx_abstract_addr(const char *name, struct sockaddr_un *sa, socklen_t *len);
/* A listening, non-blocking, close-on-exec socket. Returns the fd or -errno
 * (-EADDRINUSE when another proxy already serves that name). */
int qprx_listen(const char *name, int backlog);
/* A connected, close-on-exec socket (blocking, so the caller decides). fd or -errno. */
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
/* SO_PEERCRED of a connected socket. 0 or -errno. */
int qprx_peer_cred(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

#endif
