/* SPDX-License-Identifier: MIT */
/* Peer credentials on Linux: SO_PEERCRED, taken when the peer connected. */
#include "proxy/sock.h"

#include <errno.h>
#include <sys/socket.h>

int qprx_peer_cred(int fd, pid_t *pid, uid_t *uid, gid_t *gid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	if (len != sizeof(cred))
		return -EPROTO;
	*pid = cred.pid;
	*uid = cred.uid;
	*gid = cred.gid;
	return 0;
}
