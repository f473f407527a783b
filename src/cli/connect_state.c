/* SPDX-License-Identifier: MIT */
#include "cli/connect_state.h"
#include "base/rundir.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int qconn_state_path(const char *devname, char *buf, size_t len, int create)
{
	char dir[256], name[96];
	size_t i;
	int n;

	/* The same directory the proxy publishes in, so one setting moves both. */
	if (qb_rundir(dir, sizeof(dir)) < 0)
		return -ENAMETOOLONG;
	/* Device names carry ':' and '/': keep the file name plain. */
	for (i = 0; devname[i] && i + 1 < sizeof(name); i++)
		name[i] = (devname[i] == '/' || devname[i] == ':' || devname[i] == ' ') ? '_' :
										      devname[i];
	name[i] = '\0';
	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	n = snprintf(buf, len, "%s/%s.conn", dir, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int qconn_state_write(const char *path, const char *body)
{
	char tmp[512];
	FILE *f;
	int ret = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	if (fputs(body, f) < 0)
		ret = -EIO;
	if (fclose(f) != 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

int qconn_state_read(const char *path, struct qconn_state *st, pid_t *pid)
{
	char line[160];
	const char *p;
	FILE *f = fopen(path, "r");

	memset(st, 0, sizeof(*st));
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && st->n < QCONN_STATE_MAX) {
		char *eq = strchr(line, '='), *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (!eq || eq == line || (size_t)(eq - line) >= sizeof(st->key[0]))
			continue;
		*eq = '\0';
		memcpy(st->key[st->n], line, (size_t)(eq - line) + 1);
		strncpy(st->val[st->n], eq + 1, sizeof(st->val[0]) - 1);
		st->n++;
	}
	fclose(f);
	p = qconn_state_get(st, "pid");
	*pid = p ? (pid_t)atol(p) : 0;
	if (*pid <= 0 || (kill(*pid, 0) < 0 && errno == ESRCH))
		return -ENOENT;
	return 0;
}

int qconn_state_alias(const char *devname, const char *alias, char *buf, size_t len)
{
	char target[320];
	const char *base;
	int err;

	err = qconn_state_path(devname, target, sizeof(target), 1);
	if (!err)
		err = qconn_state_path(alias, buf, len, 1);
	if (err)
		return err;
	if (!strcmp(target, buf))
		return -EEXIST;
	base = strrchr(target, '/') + 1; /* both live in the same directory */
	if (unlink(buf) < 0 && errno != ENOENT)
		return -errno;
	return symlink(base, buf) < 0 ? -errno : 0;
}

const char *qconn_state_get(const struct qconn_state *st, const char *key)
{
	for (unsigned i = 0; i < st->n; i++)
		if (!strcmp(st->key[i], key))
			return st->val[i];
	return NULL;
}

int qconn_state_find(const char *devname, char *path, size_t len, struct qconn_state *st,
		     pid_t *pid)
{
	struct qconn_state cur;
	char dir[320], file[600];
	struct dirent *de;
	unsigned found = 0;
	pid_t p;
	DIR *d;
	char *slash;
	int err;

	if (devname) {
		err = qconn_state_path(devname, path, len, 0);
		return err ? err : qconn_state_read(path, st, pid);
	}
	err = qconn_state_path("x", dir, sizeof(dir), 0);
	if (err)
		return err;
	slash = strrchr(dir, '/');
	*slash = '\0';
	d = opendir(dir);
	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		struct stat sb;

		if (n < 6 || strcmp(de->d_name + n - 5, ".conn"))
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, de->d_name);
		if (lstat(file, &sb) < 0 || S_ISLNK(sb.st_mode)) /* an alias of another file */
			continue;
		if (qconn_state_read(file, &cur, &p))
			continue;
		if (found++ == 0) {
			*st = cur;
			*pid = p;
			snprintf(path, len, "%s", file);
		}
	}
	closedir(d);
	if (!found)
		return -ENOENT;
	return found > 1 ? -EEXIST : 0;
}
