/* SPDX-License-Identifier: MIT */
/*
 * What the offload path shares: the virtio-net header a Linux TUN opened with IFF_VNET_HDR puts
 * before every packet (the legacy layout, fields in the host's byte order, which is what TUN
 * uses unless told otherwise), and Internet checksums. Our own names and values, so the pure
 * modules built on it (gso.c, gro.c) compile and are tested on every system.
 */
#ifndef QNET_OFFLOAD_H
#define QNET_OFFLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QNET_VNET_HDR_LEN 10 /* struct virtio_net_hdr, without num_buffers */

#define QNET_VNET_F_NEEDS_CSUM 1 /* the checksum from csum_start is still to be done */
#define QNET_VNET_F_DATA_VALID 2 /* the checksum was verified already */

#define QNET_VNET_GSO_NONE 0
#define QNET_VNET_GSO_TCPV4 1
#define QNET_VNET_GSO_UDP 3 /* UFO: IP fragments; never enabled here */
#define QNET_VNET_GSO_TCPV6 4
#define QNET_VNET_GSO_UDP_L4 5
#define QNET_VNET_GSO_ECN 0x80

struct qnet_vnet {
	uint8_t flags, gso_type;
	uint16_t hdr_len, gso_size, csum_start, csum_offset;
};

/* Big-endian fields of packet headers. */
static inline uint16_t qnet_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void qnet_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint32_t qnet_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void qnet_put32(uint8_t *p, uint32_t v)
{
	qnet_put16(p, (uint16_t)(v >> 16));
	qnet_put16(p + 2, (uint16_t)v);
}

void qnet_vnet_get(const uint8_t b[QNET_VNET_HDR_LEN], struct qnet_vnet *v);
void qnet_vnet_put(uint8_t b[QNET_VNET_HDR_LEN], const struct qnet_vnet *v);

/* The offloads a TUN has (struct qnet_tun.offloads, struct qnet_pump_opts.offloads). */
#define QNET_OFF_VNET 0x01 /* packets carry the virtio-net header: GRO writes possible */
#define QNET_OFF_CSUM 0x02 /* reads may carry a partial checksum */
#define QNET_OFF_TSO4 0x04
#define QNET_OFF_TSO6 0x08
#define QNET_OFF_USO 0x10 /* UDP segmentation, both families */

/* "csum tso4 tso6 uso gro", or "none", into buf. */
const char *qnet_offload_name(unsigned offloads, char *buf, size_t len);

/*
 * Internet checksums. A partial sum is a 32-bit accumulator of big-endian 16-bit words; each
 * chunk added must start at an even offset from the start of the summed region (only the last
 * may have an odd length).
 */
uint32_t qnet_csum_add(uint32_t sum, const uint8_t *p, size_t n);
/* The folded sum, not inverted. */
uint16_t qnet_csum_fold(uint32_t sum);
/* The pseudo-header sum of an IPv4 or IPv6 packet (ip: its header) for l4len bytes of proto. */
uint32_t qnet_csum_pseudo(const uint8_t *ip, uint8_t proto, size_t l4len);

/* The transport of an IP packet, from its own headers. */
struct qnet_l4 {
	uint8_t ipv;   /* 4 or 6 */
	uint8_t proto; /* 6 TCP, 17 UDP */
	size_t l4off;  /* IP header length */
	size_t hlen;   /* l4off + the TCP header (with its options) or the UDP header */
	size_t len;    /* the packet's length by its IP header (<= the bytes given) */
};
/* 0, or -EPROTONOSUPPORT (not TCP or UDP right after the fixed IP header, or a fragment),
 * -EBADMSG (lengths that do not add up). gso: the length fields may be short of len (a TSO
 * super-packet above 64 KB would not say), the bytes given are the packet. */
int qnet_l4_parse(const uint8_t *pkt, size_t len, bool gso, struct qnet_l4 *l);

/* Computes and stores the complete TCP or UDP checksum of pkt (what a modem asked to do it
 * does). 0 or the qnet_l4_parse error. */
int qnet_csum_l4_fill(uint8_t *pkt, size_t len);
/* True when the TCP or UDP checksum of pkt is right (a UDP checksum of 0 is "none": right). */
bool qnet_csum_l4_ok(const uint8_t *pkt, const struct qnet_l4 *l);
/* Finishes a partial checksum as a virtio-net header describes it (NEEDS_CSUM): the sum from
 * csum_start to the end, stored at csum_start + csum_offset. 0 or -EINVAL (out of the packet). */
int qnet_csum_finish(uint8_t *pkt, size_t len, const struct qnet_vnet *v);

#endif
