/* SPDX-License-Identifier: MIT */
/* Linux's TUN is opened with IFF_NO_PI: what is read and written is the IP packet itself. */
#include "net/tun_io.h"

#include <sys/uio.h>
#include <unistd.h>

ssize_t qnet_tun_read(int fd, void *buf, size_t len)
{
	return read(fd, buf, len);
}

ssize_t qnet_tun_write(int fd, const void *pkt, size_t len)
{
	return write(fd, pkt, len);
}

ssize_t qnet_tun_read_nowait(int fd, void *buf, size_t len)
{
	struct iovec iov = { buf, len };

	return preadv2(fd, &iov, 1, -1, RWF_NOWAIT);
}
