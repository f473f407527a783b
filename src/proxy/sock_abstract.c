/* SPDX-License-Identifier: MIT */
/* The proxy's socket in Linux's abstract namespace, where libqmi's qmi-proxy listens. */
#include "proxy/sock.h"
#include "proxy/sock_fs.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

const bool qprx_abstract = true;

/*
 * libqmi binds and connects with G_UNIX_SOCKET_ADDRESS_ABSTRACT (not _PADDED): the address is
 * sun_family + '\0' + name and addrlen counts only those bytes (12 for "qmi-proxy"). A padded
 * address would name a different socket, so the length is part of the protocol.
 * 0, or -ENAMETOOLONG / -EINVAL (empty name).
 */
static int abstract_addr(const char *name, struct sockaddr_un *sa, socklen_t *len)
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

	ret = abstract_addr(name, &sa, &len);
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
	int ret = abstract_addr(name, &sa, &len);

	return ret < 0 ? ret : qprx_sock_connect_addr(&sa, len);
}

void qprx_unlisten(const char *name)
{
	/* An abstract name goes with its last socket: nothing to remove. */
}
