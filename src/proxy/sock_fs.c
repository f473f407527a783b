/* SPDX-License-Identifier: MIT */
#include "proxy/sock_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int qprx_fs_addr(const char *dir, const char *name, struct sockaddr_un *sa, socklen_t *len)
{
	int n;

	if (!name || !*name || strchr(name, '/') || !dir || !*dir)
		return -EINVAL;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	n = snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	*len = (socklen_t)sizeof(*sa);
	return 0;
}

static int set_flags(int fd, bool nonblock)
{
	int fl;

	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	if (!nonblock)
		return 0;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

/* fd as socket(2) or accept(2) just returned it, with its flags set. fd or -errno (closed). */
static int flagged(int fd, bool nonblock)
{
	int ret;

	if (fd < 0)
		return -errno;
	ret = set_flags(fd, nonblock);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	return fd;
}

static int new_socket(bool nonblock)
{
	return flagged(socket(AF_UNIX, SOCK_STREAM, 0), nonblock);
}

int qprx_sock_connect_addr(const struct sockaddr_un *sa, socklen_t len)
{
	int fd = new_socket(false), ret;

	if (fd < 0)
		return fd;
	if (connect(fd, (const struct sockaddr *)sa, len) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

/* Whether a proxy answers at sa: 1 yes, 0 a dead socket file, -errno something else is there. */
static int live(const struct sockaddr_un *sa, socklen_t len)
{
	struct stat st;
	int fd;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = qprx_sock_connect_addr(sa, len);
	if (fd < 0)
		return fd == -ECONNREFUSED ? 0 : fd;
	close(fd);
	return 1;
}

int qprx_fs_listen(const char *dir, const char *name, int backlog)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd, ret;

	ret = qprx_fs_addr(dir, name, &sa, &len);
	if (ret < 0)
		return ret;
	fd = new_socket(true);
	if (fd < 0)
		return fd;
	if (bind(fd, (struct sockaddr *)&sa, len) < 0) {
		if (errno != EADDRINUSE) {
			ret = -errno;
			goto fail;
		}
		ret = live(&sa, len);
		if (ret == 1)
			ret = -EADDRINUSE;
		else if (ret == 0 && unlink(sa.sun_path) < 0 && errno != ENOENT)
			ret = -errno;
		if (ret < 0)
			goto fail;
		if (bind(fd, (struct sockaddr *)&sa, len) < 0) {
			ret = -errno;
			goto fail;
		}
	}
	/* Connecting needs write permission on the file: like an abstract name, anyone who can
	 * reach the directory may connect, and the proxy's access policy decides by the peer's
	 * credentials. */
	if (chmod(sa.sun_path, 0666) < 0 || listen(fd, backlog) < 0) {
		ret = -errno;
		unlink(sa.sun_path);
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return ret;
}

void qprx_fs_unlisten(const char *dir, const char *name)
{
	struct sockaddr_un sa;
	socklen_t len;

	if (qprx_fs_addr(dir, name, &sa, &len) == 0)
		unlink(sa.sun_path);
}

int qprx_fs_connect(const char *dir, const char *name)
{
	struct sockaddr_un sa;
	socklen_t len;
	int ret = qprx_fs_addr(dir, name, &sa, &len);

	return ret < 0 ? ret : qprx_sock_connect_addr(&sa, len);
}

int qprx_fs_accept(int lfd)
{
	return flagged(accept(lfd, NULL, NULL), true);
}
