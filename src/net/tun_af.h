/* SPDX-License-Identifier: MIT */
/*
 * The 4-byte header macOS utun (and BSD tun in TUNSIFHEAD mode) puts before every packet: the
 * packet's address family as a 32-bit big-endian number, in the system's own AF_* numbering.
 * The TUN seam adds and strips it (tun_io.h), so the pump only ever sees bare IP packets.
 * Pure functions over bytes; the family numbers are parameters, so they run (and are tested)
 * on any system.
 */
#ifndef QNET_TUN_AF_H
#define QNET_TUN_AF_H

#include <stddef.h>
#include <stdint.h>

#define QNET_TUN_AF_LEN 4

struct qnet_tun_af {
	uint32_t inet, inet6; /* the system's AF_INET and AF_INET6 */
};

/* The header for the IP packet pkt (its version nibble says which family). 0, or -EPROTO when
 * pkt is empty or neither IPv4 nor IPv6 (such a packet is not written). */
int qnet_tun_af_make(const struct qnet_tun_af *af, const uint8_t *pkt, size_t len,
		     uint8_t hdr[QNET_TUN_AF_LEN]);
/* Checks a header read before a packet of len bytes: 0, or -EPROTO when the family is neither
 * inet nor inet6 or disagrees with the packet's version nibble (the packet is dropped). */
int qnet_tun_af_check(const struct qnet_tun_af *af, const uint8_t hdr[QNET_TUN_AF_LEN],
		      const uint8_t *pkt, size_t len);

#endif
