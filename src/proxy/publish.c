/* SPDX-License-Identifier: MIT */
/*
 * The file a proxy publishes for its device. libqmi checks that the path given with -d exists
 * before it connects to the proxy, and the proxy then compares realpath()s, so a device that
 * has no node of its own (the sim, a libusb-claimed interface) needs a stable file that does.
 */
#include "proxy/proxy.h"
#include "base/rundir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int qprx_publish_path(const char *socket_name, char *buf, size_t cap)
{
	char dir[256];
	int n;

	if (!socket_name)
		socket_name = QPRX_DEFAULT_SOCKET;
	if (strchr(socket_name, '/'))
		return -EINVAL;
	if (qb_rundir(dir, sizeof(dir)) < 0)
		return -ENAMETOOLONG;
	n = snprintf(buf, cap, "%s/%s", dir, socket_name);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

/* The directory of path, opened: the runtime directory through its checks, any other one as
 * given (it must exist and not be a symlink). A descriptor or -errno. */
static int open_dir(const char *dir, const char **why)
{
	char run[256];
	int fd;

	if (qb_rundir(run, sizeof(run)) == 0 && !strcmp(dir, run))
		return qb_rundir_open(true, why);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int qprx_publish(const char *path, const char **why)
{
	char dir[4096], tmp[300];
	const char *name;
	struct stat st;
	char *slash;
	int dfd, ret = 0;

	if (why)
		*why = NULL;
	if (strlen(path) >= sizeof(dir))
		return -ENAMETOOLONG;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash) {
		strcpy(dir, ".");
		name = path;
	} else {
		*slash = 0;
		name = path + (slash - dir) + 1;
		if (slash == dir)
			strcpy(dir, "/");
	}
	if (!*name || strlen(name) > 200)
		return -EINVAL;
	dfd = open_dir(dir, why);
	if (dfd < 0)
		return dfd;
	/* Only ever replace an earlier proxy's FIFO, never a device node or a user's file. */
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISFIFO(st.st_mode)) {
		ret = -EEXIST;
		goto out;
	}
	/* A FIFO, because libqmi refuses a -d path that is not a special file ("Wrong file
	 * type"); in proxy mode it never opens it. Made aside and renamed into place, so a
	 * client never finds the path missing while a proxy restarts. mkfifoat() never follows
	 * a symlink planted under the temporary name: it fails instead. */
	snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
	unlinkat(dfd, tmp, 0);
	if (mkfifoat(dfd, tmp, 0644) < 0) {
		ret = -errno;
		goto out;
	}
	if (renameat(dfd, tmp, dfd, name) < 0) {
		ret = -errno;
		unlinkat(dfd, tmp, 0);
	}
out:
	close(dfd);
	return ret;
}
