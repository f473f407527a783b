/* SPDX-License-Identifier: MIT */
#include "base/rundir.h"
#include "base/rundir_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int qb_rundir(char *buf, size_t cap)
{
	const char *dir = getenv("QMIUSB_RUNDIR");
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (dir && *dir)
		n = snprintf(buf, cap, "%s", dir);
	else if (geteuid() == 0)
		n = snprintf(buf, cap, "%s", qb_rundir_root);
	else if (xdg && *xdg)
		n = snprintf(buf, cap, "%s/qmiusb", xdg);
	else
		n = snprintf(buf, cap, "/tmp/qmiusb-%u", (unsigned)geteuid());
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int qb_rundir_open(bool create, const char **why)
{
	char dir[4096];
	struct stat st;
	const char *reason = NULL;
	int fd, ret;

	ret = qb_rundir(dir, sizeof(dir));
	if (ret < 0)
		return ret;
	if (create && mkdir(dir, geteuid() == 0 ? 0755 : 0700) < 0 && errno != EEXIST)
		return -errno;
	/* O_NOFOLLOW refuses a symlink planted in place of the directory; fstat then checks the
	 * very directory we hold, so nothing can be swapped between the check and the use. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ELOOP && errno != ENOTDIR)
			return -errno;
		if (why)
			*why = "not a directory (a symlink or a file)";
		return -EPERM;
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	if (st.st_uid != geteuid())
		reason = "owned by another user";
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		reason = "writable by other users";
	if (reason) {
		close(fd);
		if (why)
			*why = reason;
		return -EPERM;
	}
	return fd;
}

int qb_write_atomic(int dirfd, const char *name, const void *data, size_t len, mode_t mode)
{
	char tmp[4200];
	const char *p = data;
	int fd, ret = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", name, (long)getpid()) >= sizeof(tmp))
		return -ENAMETOOLONG;
	unlinkat(dirfd, tmp, 0); /* our own leftover from a crash; never someone else's pid */
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && renameat(dirfd, tmp, dirfd, name) < 0)
		ret = -errno;
	if (ret)
		unlinkat(dirfd, tmp, 0);
	return ret;
}
