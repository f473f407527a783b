/* SPDX-License-Identifier: MIT */
/*
 * Peer credentials on macOS and the BSDs: getpeereid for the ids the access policy decides on;
 * the pid, only for the log line, from LOCAL_PEERPID where the system has it (macOS).
 */
#include "proxy/sock.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int qprx_peer_cred(int fd, pid_t *pid, uid_t *uid, gid_t *gid)
{
	if (getpeereid(fd, uid, gid) < 0)
		return -errno;
	*pid = 0;
#ifdef LOCAL_PEERPID
	{
		pid_t p = 0;
		socklen_t len = sizeof(p);
		if (getsockopt(fd, SOL_LOCAL, LOCAL_PEERPID, &p, &len) == 0)
			*pid = p;
	}
#endif
	return 0;
}
