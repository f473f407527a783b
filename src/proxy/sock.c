/* SPDX-License-Identifier: MIT */
/* The proxy's access policy; the socket itself is in sock_abstract.c or sock_path.c. */
#include "proxy/sock.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

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
 * SO_PEERCRED and getpeereid carry only the primary gid. The group's member list is read
 * through getgrgid_r, which every system has in one form (getgrouplist's differs). */
static bool user_in_group(uid_t uid, gid_t gid)
{
	struct passwd pw, *pres = NULL;
	struct group gr, *gres = NULL;
	char pbuf[4096];
	char *gbuf = NULL;
	size_t cap = 16384;
	bool found = false;
	int ret = ERANGE;

	if (getpwuid_r(uid, &pw, pbuf, sizeof(pbuf), &pres) != 0 || !pres)
		return false;
	if (pres->pw_gid == gid)
		return true;
	/* A group with many members needs a larger buffer: grow it a few times, then give up. */
	for (int tries = 0; tries < 4 && ret == ERANGE; tries++, cap *= 4) {
		char *b = realloc(gbuf, cap);

		if (!b)
			break;
		gbuf = b;
		ret = getgrgid_r(gid, &gr, gbuf, cap, &gres);
	}
	if (ret == 0 && gres)
		for (char **m = gres->gr_mem; *m && !found; m++)
			found = strcmp(*m, pres->pw_name) == 0;
	free(gbuf);
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
