/* SPDX-License-Identifier: MIT */
/*
 * Coalescing of in-order TCP segments from one receive transfer into one super-packet, written
 * to the TUN with a virtio-net header (gso_type TCPV4/TCPV6, gso_size the MSS) instead of one
 * write per segment. Merged only: TCP over IPv4 without options or fragments, or over IPv6
 * without extension headers; the same addresses, ports, TOS/traffic class and flow label, TTL,
 * ack number, window and TCP options (timestamps included: they must be equal, as in Linux's
 * GRO); flags ACK, or ACK|PSH on the last one; consecutive sequence numbers and IPv4 ids (or DF
 * with any id); every segment the size of the first but the last. A segment whose checksum the
 * modem did not vouch for is checked here first; a wrong one is passed on alone, for the stack
 * to drop. A merged packet carries NEEDS_CSUM with the pseudo-header sum (its checksum is then
 * trusted, as the stack trusts its own GRO); a lone segment is written as it came, marked
 * DATA_VALID when the modem vouched for it. One flow is gathered at a time: a packet of
 * another flow, or one that does not fit, sends what was gathered first, so nothing is
 * reordered. Pure: the caller owns the buffer and does the writes.
 */
#ifndef QNET_GRO_H
#define QNET_GRO_H

#include "net/offload.h"

/* Receives every packet to write: its header, and the packet (valid during the call). */
typedef void (*qnet_gro_emit_fn)(void *ctx, const struct qnet_vnet *v, const uint8_t *pkt,
				 size_t len);

struct qnet_gro {
	uint8_t *buf; /* caller's, cap bytes: where merged packets are built */
	size_t cap;
	const uint8_t *pkt; /* the packet being gathered: the caller's until a second joins */
	size_t len;
	bool own; /* pkt is buf */
	bool valid;
	unsigned segs;
	struct qnet_l4 l;
	size_t mss;
	uint32_t next_seq;
	uint16_t last_id;
	bool closed;     /* a short or PSH segment ended it */
	uint64_t merged; /* segments that joined another (counter) */
};

/* buf: at least 64 KB for full-size merges (a smaller one merges less). */
void qnet_gro_init(struct qnet_gro *g, uint8_t *buf, size_t cap);
/* One packet of the transfer (the caller's bytes stay valid until the next qnet_gro_push or
 * qnet_gro_flush); csum_valid: the modem said its checksum is right. */
void qnet_gro_push(struct qnet_gro *g, const uint8_t *pkt, size_t len, bool csum_valid,
		   qnet_gro_emit_fn emit, void *ctx);
/* The end of the transfer: what was gathered goes out. */
void qnet_gro_flush(struct qnet_gro *g, qnet_gro_emit_fn emit, void *ctx);

#endif
