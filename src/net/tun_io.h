/* SPDX-License-Identifier: MIT */
/*
 * Packet I/O on a TUN fd, the one place that knows the system's framing: Linux's TUN (IFF_NO_PI)
 * carries bare IP packets (tun_io_linux.c); macOS utun and BSD tun prefix a 4-byte address
 * family (tun_io_af.c), added and stripped here. Callers read and write bare IP packets.
 */
#ifndef QNET_TUN_IO_H
#define QNET_TUN_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One packet into buf: its length, or -1 with errno set like read(2) (EAGAIN when none is
 * waiting). A packet the framing rejects is consumed and reported as EPROTO; one longer than
 * len is cut, as read(2) cuts a TUN packet. */
ssize_t qnet_tun_read(int fd, void *buf, size_t len);
/* One packet: len on success, or -1 with errno set like write(2); EPROTO for a packet that is
 * neither IPv4 nor IPv6 where the framing must name its family. */
ssize_t qnet_tun_write(int fd, const void *pkt, size_t len);
/* Like qnet_tun_read, but -1 with EAGAIN instead of waiting even on a blocking fd, where the
 * system can (Linux: preadv2 with RWF_NOWAIT); -1 with EOPNOTSUPP where it cannot. */
ssize_t qnet_tun_read_nowait(int fd, void *buf, size_t len);

/* With a virtio-net header first (a Linux TUN with IFF_VNET_HDR): the header into hdr, the
 * packet into buf and, past len bytes, on into more (a TSO super-packet). The packet's length,
 * or -1 with errno set; -1 with EOPNOTSUPP where TUNs have no such header. */
ssize_t qnet_tun_read_vnet(int fd, uint8_t *hdr, void *buf, size_t len, void *more,
			   size_t more_len);
/* One packet after its header: len on success, or -1 with errno set (EOPNOTSUPP as above). */
ssize_t qnet_tun_write_vnet(int fd, const uint8_t *hdr, const void *pkt, size_t len);

#endif
