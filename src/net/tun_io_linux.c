/* SPDX-License-Identifier: MIT */
/* Linux's TUN is opened with IFF_NO_PI: what is read and written is the IP packet itself. */
#include "net/tun_io.h"

#include <unistd.h>

ssize_t qnet_tun_read(int fd, void *buf, size_t len)
{
	return read(fd, buf, len);
}

ssize_t qnet_tun_write(int fd, const void *pkt, size_t len)
{
	return write(fd, pkt, len);
}
