/* SPDX-License-Identifier: MIT */
#include "proxy/sock.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int qprx_abstract_addr(const char *name, struct sockaddr_un *sa, socklen_t *len)
{
	size_t n = name ? strlen(name) : 0;

	if (!n)
		return -EINVAL;
	if (n + 1 > sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path + 1, name, n);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
	return 0;
}

int qprx_listen(const char *name, int backlog)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd, ret;

	ret = qprx_abstract_addr(name, &sa, &len);
	if (ret < 0)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, len) < 0 || listen(fd, backlog) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

int qprx_connect(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd, ret;

	ret = qprx_abstract_addr(name, &sa, &len);
	if (ret < 0)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, len) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

static int parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out >= (unsigned long)UINT_MAX)
		return -EINVAL;
	return 0;
}

int qprx_parse_user(const char *s, uid_t *out)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	unsigned long id;

	if (!s || !*s)
		return -ENOENT;
	if (getpwnam_r(s, &pw, buf, sizeof(buf), &res) == 0 && res) {
		*out = res->pw_uid;
		return 0;
	}
	if (parse_id(s, &id) == 0) {
		*out = (uid_t)id;
		return 0;
	}
	return -ENOENT;
}

int qprx_parse_group(const char *s, gid_t *out)
{
	struct group gr, *res = NULL;
	char buf[16384];
	unsigned long id;

	if (!s || !*s)
		return -ENOENT;
	if (getgrnam_r(s, &gr, buf, sizeof(buf), &res) == 0 && res) {
		*out = res->gr_gid;
		return 0;
	}
	if (parse_id(s, &id) == 0) {
		*out = (gid_t)id;
		return 0;
	}
	return -ENOENT;
}

/* Supplementary membership comes from the group database, not from the peer process:
 * SO_PEERCRED only carries the primary gid. */
static bool user_in_group(uid_t uid, gid_t gid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	gid_t *groups = NULL;
	int n = 64;
	bool found = false;

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) != 0 || !res)
		return false;
	if (res->pw_gid == gid)
		return true;
	for (int tries = 0; tries < 4 && !found; tries++) {
		gid_t *g = realloc(groups, (size_t)n * sizeof(*g));
		int want = n;

		if (!g)
			break;
		groups = g;
		if (getgrouplist(res->pw_name, res->pw_gid, groups, &want) >= 0) {
			for (int i = 0; i < want; i++)
				found = found || groups[i] == gid;
			break;
		}
		if (want <= n) /* no progress: give up rather than loop */
			break;
		n = want; /* too small: want is the size needed */
	}
	free(groups);
	return found;
}

bool qprx_access_allows(const struct qprx_access *a, uid_t uid, gid_t gid)
{
	if (uid == 0 || uid == a->self_uid)
		return true;
	if (a->has_user && uid == a->user)
		return true;
	if (a->has_group && (gid == a->group || user_in_group(uid, a->group)))
		return true;
	return false;
}

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
