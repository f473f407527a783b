/* SPDX-License-Identifier: MIT */
/* Test and benchmark helper: IPv4/UDP packets with correct header checksums. */
#ifndef QMIUSB_IPPKT_H
#define QMIUSB_IPPKT_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint16_t ippkt_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Writes a total_len-byte IPv4/UDP packet (total_len >= 28) into buf; the payload is filled
 * with a pattern derived from seq, whose first 4 bytes are seq (big endian). UDP checksum 0. */
static inline void ippkt_udp4(uint8_t *buf, size_t total_len, struct in_addr src, uint16_t sport,
			      struct in_addr dst, uint16_t dport, uint32_t seq)
{
	size_t i, udp_len = total_len - 20;
	uint16_t c;

	memset(buf, 0, 28);
	buf[0] = 0x45;
	buf[2] = (uint8_t)(total_len >> 8);
	buf[3] = (uint8_t)total_len;
	buf[6] = 0x40; /* DF */
	buf[8] = 64;
	buf[9] = IPPROTO_UDP;
	memcpy(buf + 12, &src, 4);
	memcpy(buf + 16, &dst, 4);
	c = ippkt_csum(buf, 20);
	buf[10] = (uint8_t)(c >> 8);
	buf[11] = (uint8_t)c;
	buf[20] = (uint8_t)(sport >> 8);
	buf[21] = (uint8_t)sport;
	buf[22] = (uint8_t)(dport >> 8);
	buf[23] = (uint8_t)dport;
	buf[24] = (uint8_t)(udp_len >> 8);
	buf[25] = (uint8_t)udp_len;
	for (i = 28; i < total_len; i++)
		buf[i] = (uint8_t)(seq * 7 + i);
	if (total_len >= 32) {
		buf[28] = (uint8_t)(seq >> 24);
		buf[29] = (uint8_t)(seq >> 16);
		buf[30] = (uint8_t)(seq >> 8);
		buf[31] = (uint8_t)seq;
	}
}

#endif
