/* SPDX-License-Identifier: MIT */
#include "base/errors.h"
#include "cli/connect_state.h"
#include "base/rundir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Device names carry ':' and '/': keep the file name plain. "" when too long. */
static void base_name(const char *devname, char *buf, size_t len)
{
	size_t i;

	for (i = 0; devname[i] && i + 1 < len; i++)
		buf[i] = (devname[i] == '/' || devname[i] == ':' || devname[i] == ' ') ? '_'
										       : devname[i];
	buf[i] = '\0';
	if (devname[i])
		buf[0] = '\0';
}

static int file_name(const char *devname, const char *ext, char *buf, size_t len)
{
	char base[96];
	int n;

	base_name(devname, base, sizeof(base));
	if (!base[0])
		return -ENAMETOOLONG;
	n = snprintf(buf, len, "%s%s", base, ext);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* "<base>.lock" for "<base>.conn". */
static int lock_of(const char *conn, char *buf, size_t len)
{
	size_t n = strlen(conn);

	if (n < 6 || strcmp(conn + n - 5, ".conn") || n >= len)
		return -EINVAL;
	memcpy(buf, conn, n - 5);
	strcpy(buf + n - 5, ".lock");
	return 0;
}

/* 1 and *pid when a process holds the lock, 0 when it is free (or absent), -errno; *pid is 0
 * unless 1. */
static int lock_holder(int dirfd, const char *lock, pid_t *pid)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = openat(dirfd, lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int ret;

	*pid = 0;
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	ret = fcntl(fd, F_GETLK, &fl) < 0 ? -errno : fl.l_type != F_UNLCK;
	if (ret == 1)
		*pid = fl.l_pid;
	close(fd);
	return ret;
}

void qcli_statefile_init(struct qcli_statefile *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->dirfd = sf->lockfd = -1;
}

int qcli_statefile_open(struct qcli_statefile *sf, const char *devname, pid_t *holder, char *err,
			size_t errlen)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	const char *why = NULL;
	char dir[256] = "";
	int ret;

	qcli_statefile_init(sf);
	qb_rundir(dir, sizeof(dir));
	ret = file_name(devname, ".conn", sf->name, sizeof(sf->name));
	if (!ret)
		ret = file_name(devname, ".lock", sf->lock, sizeof(sf->lock));
	if (ret) {
		snprintf(err, errlen, "the device name '%s' is too long for a state file", devname);
		return ret;
	}
	sf->dirfd = qb_rundir_open(true, &why);
	if (sf->dirfd < 0) {
		ret = sf->dirfd;
		snprintf(err, errlen, "unusable runtime directory %s: %s", dir,
			 why ? why : qb_strerror(-ret));
		goto fail;
	}
	for (int tries = 0;; tries++) {
		struct stat held, named;

		/* Readable by all, as the state file is: `status` as another user tests the lock
		 * too. */
		sf->lockfd = openat(sf->dirfd, sf->lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
				    0644);
		if (sf->lockfd < 0) {
			ret = -errno;
			snprintf(err, errlen, "couldn't open %s/%s: %s", dir, sf->lock,
				 qb_strerror(-ret));
			goto fail;
		}
		if (fcntl(sf->lockfd, F_SETLK, &fl) < 0) {
			ret = errno == EACCES || errno == EAGAIN ? -EBUSY : -errno;
			if (ret == -EBUSY && lock_holder(sf->dirfd, sf->lock, holder) != 1)
				*holder = 0;
			snprintf(err, errlen, "couldn't lock %s/%s: %s", dir, sf->lock,
				 qb_strerror(-ret));
			close(sf->lockfd);
			sf->lockfd = -1; /* not ours: the holder removes it */
			goto fail;
		}
		/* A holder that was ending removed the name between our open and our lock: we
		 * hold a lock on a file nobody else will open, while a third connect may lock
		 * the new one. Only the lock on the file the name leads to counts. */
		if (fstat(sf->lockfd, &held) == 0 &&
		    fstatat(sf->dirfd, sf->lock, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
		    held.st_dev == named.st_dev && held.st_ino == named.st_ino)
			break;
		close(sf->lockfd);
		sf->lockfd = -1;
		if (tries == 8) {
			ret = -EBUSY;
			*holder = 0;
			snprintf(err, errlen, "couldn't lock %s/%s: it keeps being replaced", dir,
				 sf->lock);
			goto fail;
		}
	}
	return 0;
fail:
	if (sf->dirfd >= 0)
		close(sf->dirfd);
	sf->dirfd = -1;
	return ret;
}

int qcli_statefile_write(struct qcli_statefile *sf, const char *body)
{
	if (sf->lockfd < 0)
		return -EBADF;
	return qb_write_atomic(sf->dirfd, sf->name, body, strlen(body), 0644);
}

int qcli_statefile_alias(struct qcli_statefile *sf, const char *alias)
{
	int ret;

	if (sf->lockfd < 0)
		return -EBADF;
	ret = file_name(alias, ".conn", sf->alias, sizeof(sf->alias));
	if (!ret && !strcmp(sf->alias, sf->name))
		ret = -EEXIST;
	if (!ret && unlinkat(sf->dirfd, sf->alias, 0) < 0 && errno != ENOENT)
		ret = -errno;
	if (!ret && symlinkat(sf->name, sf->dirfd, sf->alias) < 0)
		ret = -errno;
	if (ret)
		sf->alias[0] = '\0';
	return ret;
}

void qcli_statefile_close(struct qcli_statefile *sf)
{
	if (sf->lockfd >= 0) {
		if (sf->alias[0])
			unlinkat(sf->dirfd, sf->alias, 0);
		/* The state file goes last but for the lock: `disconnect` waits for this. */
		unlinkat(sf->dirfd, sf->name, 0);
		unlinkat(sf->dirfd, sf->lock, 0);
		close(sf->lockfd);
	}
	if (sf->dirfd >= 0)
		close(sf->dirfd);
	qcli_statefile_init(sf);
}

static int parse(int dirfd, const char *name, struct qcli_state *st)
{
	char line[224];
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");

	if (!f) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	while (fgets(line, sizeof(line), f) && st->n < QCLI_STATE_MAX) {
		char *eq = strchr(line, '='), *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (!eq || eq == line || (size_t)(eq - line) >= sizeof(st->key[0]))
			continue;
		*eq = '\0';
		memcpy(st->key[st->n], line, (size_t)(eq - line) + 1);
		snprintf(st->val[st->n], sizeof(st->val[0]), "%s", eq + 1);
		st->n++;
	}
	fclose(f);
	return 0;
}

/* name: a state file in dirfd, or an alias of one. */
static int read_at(int dirfd, const char *name, struct qcli_state *st, pid_t *pid)
{
	char target[128], lock[128];
	const char *real = name;
	ssize_t n;
	int ret;

	memset(st, 0, sizeof(*st));
	n = readlinkat(dirfd, name, target, sizeof(target) - 1);
	if (n >= 0) {
		target[n] = '\0';
		if (strchr(target, '/')) /* aliases stay in the directory */
			return -ENOENT;
		real = target;
	} else if (errno == ENOENT) {
		return -ENOENT;
	}
	if (lock_of(real, lock, sizeof(lock)) < 0)
		return -ENOENT;
	ret = lock_holder(dirfd, lock, pid);
	if (ret < 0)
		return ret;
	if (ret == 0) { /* stale: its connect is gone */
		unlinkat(dirfd, real, 0);
		if (real != name)
			unlinkat(dirfd, name, 0);
		return -ENOENT;
	}
	return parse(dirfd, real, st);
}

int qcli_state_read(const char *devname, struct qcli_state *st, pid_t *pid)
{
	char name[112];
	int dirfd, ret;

	ret = file_name(devname, ".conn", name, sizeof(name));
	if (ret)
		return -ENOENT;
	dirfd = qb_rundir_open(false, NULL);
	if (dirfd < 0)
		return dirfd;
	ret = read_at(dirfd, name, st, pid);
	close(dirfd);
	return ret;
}

bool qcli_state_live(const char *name, pid_t pid)
{
	char lock[128], target[128];
	pid_t now = 0;
	int dirfd = qb_rundir_open(false, NULL), ret = 0;
	struct stat sb;
	ssize_t n;

	if (dirfd < 0)
		return false;
	n = readlinkat(dirfd, name, target, sizeof(target) - 1);
	if (n >= 0) {
		target[n] = '\0';
		name = strchr(target, '/') ? "" : target;
	}
	if (lock_of(name, lock, sizeof(lock)) == 0 && fstatat(dirfd, name, &sb, 0) == 0)
		ret = lock_holder(dirfd, lock, &now);
	close(dirfd);
	return ret == 1 && now == pid;
}

const char *qcli_state_get(const struct qcli_state *st, const char *key)
{
	for (unsigned i = 0; i < st->n; i++)
		if (!strcmp(st->key[i], key))
			return st->val[i];
	return NULL;
}

int qcli_state_find(const char *devname, char *name, size_t len, struct qcli_state *st, pid_t *pid)
{
	struct qcli_state cur;
	struct dirent *de;
	unsigned found = 0;
	int dirfd, fd, ret;
	pid_t p;
	DIR *d;

	if (devname) {
		ret = file_name(devname, ".conn", name, len);
		return ret ? -ENOENT : qcli_state_read(devname, st, pid);
	}
	dirfd = qb_rundir_open(false, NULL);
	if (dirfd < 0)
		return -ENOENT;
	fd = dup(dirfd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		close(dirfd);
		return -ENOENT;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		struct stat sb;

		if (n < 6 || strcmp(de->d_name + n - 5, ".conn"))
			continue;
		if (fstatat(dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(sb.st_mode)) /* an alias of another file */
			continue;
		if (read_at(dirfd, de->d_name, &cur, &p))
			continue;
		if (found++ == 0) {
			*st = cur;
			*pid = p;
			snprintf(name, len, "%s", de->d_name);
		}
	}
	closedir(d);
	close(dirfd);
	if (!found)
		return -ENOENT;
	return found > 1 ? -EEXIST : 0;
}
