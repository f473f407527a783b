/* SPDX-License-Identifier: MIT */
/*
 * TUN I/O where each packet carries a 4-byte address family in front (macOS utun, BSD tun in
 * TUNSIFHEAD mode). The header travels in its own iovec, so no packet is copied.
 */
#include "net/tun_io.h"
#include "net/tun_af.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>

static const struct qnet_tun_af host_af = { AF_INET, AF_INET6 };

ssize_t qnet_tun_read(int fd, void *buf, size_t len)
{
	uint8_t hdr[QNET_TUN_AF_LEN];
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { buf, len } };
	ssize_t n = readv(fd, iov, 2);

	if (n < 0)
		return n;
	if (n < (ssize_t)sizeof(hdr) ||
	    qnet_tun_af_check(&host_af, hdr, buf, (size_t)n - sizeof(hdr)) < 0) {
		errno = EPROTO;
		return -1;
	}
	return n - (ssize_t)sizeof(hdr);
}

ssize_t qnet_tun_write(int fd, const void *pkt, size_t len)
{
	uint8_t hdr[QNET_TUN_AF_LEN];
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { (void *)pkt, len } };
	ssize_t n;

	if (qnet_tun_af_make(&host_af, pkt, len, hdr) < 0) {
		errno = EPROTO;
		return -1;
	}
	n = writev(fd, iov, 2);
	if (n < 0)
		return n;
	/* The kernel takes a TUN packet whole or not at all. */
	return n >= (ssize_t)sizeof(hdr) ? n - (ssize_t)sizeof(hdr) : 0;
}

/* utun and BSD tun have no per-call non-blocking read. */
ssize_t qnet_tun_read_nowait(int fd, void *buf, size_t len)
{
	errno = EOPNOTSUPP;
	return -1;
}

/* No virtio-net header on these TUNs: the offload path is never taken. */
ssize_t qnet_tun_read_vnet(int fd, uint8_t *hdr, void *buf, size_t len, void *more, size_t more_len)
{
	errno = EOPNOTSUPP;
	return -1;
}

ssize_t qnet_tun_write_vnet(int fd, const uint8_t *hdr, const void *pkt, size_t len)
{
	errno = EOPNOTSUPP;
	return -1;
}
