/* SPDX-License-Identifier: MIT */
/*
 * Segmentation of the super-packets a TUN with TSO/USO offloads hands over (a virtio-net header
 * with gso_type TCPV4, TCPV6 or UDP_L4 and gso_size): each segment is the packet's headers and
 * the next gso_size bytes of payload, written wherever the caller says (straight into a MAP
 * aggregate or a transfer). Per segment: IPv4 total length, id (+1 each) and header checksum,
 * IPv6 payload length; TCP sequence advanced, FIN and PSH only on the last segment, CWR only on
 * the first; UDP length. The transport checksum is completed, or, where the modem will compute
 * it, left as the pseudo-header sum the way a partial checksum is. Pure: no allocation, the
 * caller owns every byte.
 */
#ifndef QNET_GSO_H
#define QNET_GSO_H

#include "net/offload.h"

struct qnet_gso {
	const uint8_t *pkt; /* the super-packet (caller's, outlives the walk) */
	size_t len;
	struct qnet_l4 l;
	size_t mss;
	size_t off; /* payload bytes already segmented */
	unsigned seg;
	bool csum; /* complete the transport checksum */
};

/* Starts a walk over pkt (IP header first) as v describes it. csum false: the modem will
 * compute the transport checksums. 0, -EPROTONOSUPPORT (a gso_type or header this does not
 * segment) or -EBADMSG (sizes that do not add up). */
int qnet_gso_init(struct qnet_gso *g, const uint8_t *pkt, size_t len, const struct qnet_vnet *v,
		  bool csum);
/* The length of the next segment, 0 when none is left. */
size_t qnet_gso_next_len(const struct qnet_gso *g);
/* Writes the next segment to dst (qnet_gso_next_len bytes of room) and returns its length;
 * 0 when none is left. */
size_t qnet_gso_next(struct qnet_gso *g, uint8_t *dst);
/* Segments left, this one included. */
unsigned qnet_gso_left(const struct qnet_gso *g);

#endif
