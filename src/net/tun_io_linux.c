/* SPDX-License-Identifier: MIT */
/* Linux's TUN is opened with IFF_NO_PI: what is read and written is the IP packet itself, after
 * the virtio-net header when the TUN has offloads (IFF_VNET_HDR). */
#include "net/tun_io.h"
#include "net/offload.h"

#include <errno.h>
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

/* The header and the packet in separate iovecs: no copy, and the packet lands where the caller
 * wants it (in a MAP aggregate). */
ssize_t qnet_tun_read_vnet(int fd, uint8_t *hdr, void *buf, size_t len, void *more, size_t more_len)
{
	struct iovec iov[3] = { { hdr, QNET_VNET_HDR_LEN }, { buf, len }, { more, more_len } };
	ssize_t n = readv(fd, iov, more ? 3 : 2);

	if (n < 0)
		return n;
	if (n < QNET_VNET_HDR_LEN) {
		errno = EPROTO;
		return -1;
	}
	return n - QNET_VNET_HDR_LEN;
}

ssize_t qnet_tun_write_vnet(int fd, const uint8_t *hdr, const void *pkt, size_t len)
{
	struct iovec iov[2] = { { (void *)hdr, QNET_VNET_HDR_LEN }, { (void *)pkt, len } };
	ssize_t n = writev(fd, iov, 2);

	if (n < 0)
		return n;
	return n >= QNET_VNET_HDR_LEN ? n - QNET_VNET_HDR_LEN : 0;
}
