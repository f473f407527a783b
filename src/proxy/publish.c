/* SPDX-License-Identifier: MIT */
/*
 * The file a proxy publishes for its device. libqmi checks that the path given with -d exists
 * before it connects to the proxy, and the proxy then compares realpath()s, so a device that
 * has no node of its own (the sim, a libusb-claimed interface) needs a stable file that does.
 */
#include "proxy/proxy.h"
#include "base/rundir.h"

#include <errno.h>
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

int qprx_publish(const char *path)
{
	char dir[4096], tmp[4200];
	struct stat st;
	char *slash;
	int ret = 0;

	if (strlen(path) >= sizeof(dir))
		return -ENAMETOOLONG;
	/* Only ever replace an earlier proxy's FIFO, never a device node or a user's file. */
	if (lstat(path, &st) == 0 && !S_ISFIFO(st.st_mode))
		return -EEXIST;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = 0;
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
	}
	/* A FIFO, because libqmi refuses a -d path that is not a special file ("Wrong file
	 * type"); in proxy mode it never opens it. Made aside and renamed into place, so a
	 * client never finds the path missing while a proxy restarts. */
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	unlink(tmp);
	if (mkfifo(tmp, 0644) < 0)
		return -errno;
	if (rename(tmp, path) < 0) {
		ret = -errno;
		unlink(tmp);
	}
	return ret;
}
