/* SPDX-License-Identifier: MIT */
/*
 * Test helper: TCP and UDP packets over IPv4 or IPv6 with their checksums done the slow, obvious
 * way (a byte at a time), so the offload code's own checksums are checked against something
 * else.
 */
#ifndef QMIUSB_TCPPKT_H
#define QMIUSB_TCPPKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct tcppkt {
	int ipv;   /* 4 or 6 */
	int proto; /* 6 or 17 */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags; /* TCP */
	uint16_t win, ip_id;
	uint8_t ttl, tos;
	const uint8_t *opt; /* TCP options, a multiple of 4 bytes */
	size_t optlen;
	size_t ipopt;     /* IPv4 option bytes (NOPs), a multiple of 4 */
	uint16_t frag;    /* IPv4 flags and fragment offset word (DF 0x4000, MF 0x2000) */
	size_t pay;       /* payload bytes: byte i of the stream is (uint8_t)(i * 13 + 5) */
	uint32_t pay_off; /* where in the stream the payload starts */
};

static inline uint8_t tcppkt_byte(size_t i)
{
	return (uint8_t)(i * 13 + 5);
}

static inline uint32_t tcppkt_sum(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
	return sum;
}

static inline uint16_t tcppkt_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)sum;
}

static inline uint16_t tcppkt_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t tcppkt_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void tcppkt_put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline size_t tcppkt_l4off(const uint8_t *pkt)
{
	return pkt[0] >> 4 == 4 ? (size_t)(pkt[0] & 0xF) * 4 : 40;
}

/* The pseudo-header sum for l4len bytes of the packet's transport. */
static inline uint32_t tcppkt_pseudo(const uint8_t *pkt, size_t l4len)
{
	bool v4 = pkt[0] >> 4 == 4;
	uint32_t sum = v4 ? tcppkt_sum(0, pkt + 12, 8) : tcppkt_sum(0, pkt + 8, 32);

	return sum + (v4 ? pkt[9] : pkt[6]) + (uint32_t)l4len;
}

/* True when the transport checksum over len bytes (the whole packet) is right. */
static inline bool tcppkt_l4_ok(const uint8_t *pkt, size_t len)
{
	size_t off = tcppkt_l4off(pkt);

	return tcppkt_fold(tcppkt_sum(tcppkt_pseudo(pkt, len - off), pkt + off, len - off)) ==
	       0xFFFF;
}

static inline bool tcppkt_ip_ok(const uint8_t *pkt)
{
	return pkt[0] >> 4 == 6 ||
	       tcppkt_fold(tcppkt_sum(0, pkt, (size_t)(pkt[0] & 0xF) * 4)) == 0xFFFF;
}

/* Builds the packet into buf; its length. The checksums are complete (partial: the transport
 * checksum holds the pseudo-header sum instead, as a TUN hands over a NEEDS_CSUM packet). */
static inline size_t tcppkt_build(uint8_t *buf, const struct tcppkt *t, bool partial)
{
	static const uint8_t a4[8] = { 10, 0, 0, 2, 192, 0, 2, 9 };
	static const uint8_t a6[32] = { 0x20, 1, 0xd, 0xb8, 0,    1,    [15] = 2,
					0x20, 1, 0xd, 0xb8, 0xff, 0xff, [31] = 9 };
	size_t ipl = t->ipv == 4 ? 20 + t->ipopt : 40;
	size_t l4h = t->proto == 6 ? 20 + t->optlen : 8;
	size_t len = ipl + l4h + t->pay, l4len = l4h + t->pay;
	uint8_t *l4 = buf + ipl;
	uint16_t c;

	memset(buf, 0, ipl + l4h);
	if (t->ipv == 4) {
		buf[0] = (uint8_t)(0x40 | ipl / 4);
		buf[1] = t->tos;
		tcppkt_put16(buf + 2, (unsigned)len);
		tcppkt_put16(buf + 4, t->ip_id);
		tcppkt_put16(buf + 6, t->frag);
		buf[8] = t->ttl ? t->ttl : 64;
		buf[9] = (uint8_t)t->proto;
		memcpy(buf + 12, a4, 8);
		memset(buf + 20, 1, t->ipopt);
		tcppkt_put16(buf + 10, (uint16_t)~tcppkt_fold(tcppkt_sum(0, buf, ipl)));
	} else {
		buf[0] = (uint8_t)(0x60 | t->tos >> 4);
		buf[1] = (uint8_t)(t->tos << 4);
		tcppkt_put16(buf + 4, (unsigned)l4len);
		buf[6] = (uint8_t)t->proto;
		buf[7] = t->ttl ? t->ttl : 64;
		memcpy(buf + 8, a6, 32);
	}
	tcppkt_put16(l4, t->sport ? t->sport : 40000);
	tcppkt_put16(l4 + 2, t->dport ? t->dport : 5001);
	if (t->proto == 6) {
		tcppkt_put16(l4 + 4, t->seq >> 16);
		tcppkt_put16(l4 + 6, t->seq & 0xFFFF);
		tcppkt_put16(l4 + 8, t->ack >> 16);
		tcppkt_put16(l4 + 10, t->ack & 0xFFFF);
		l4[12] = (uint8_t)((l4h / 4) << 4);
		l4[13] = t->flags;
		tcppkt_put16(l4 + 14, t->win ? t->win : 512);
		if (t->optlen)
			memcpy(l4 + 20, t->opt, t->optlen);
	} else {
		tcppkt_put16(l4 + 4, (unsigned)l4len);
	}
	for (size_t i = 0; i < t->pay; i++)
		l4[l4h + i] = tcppkt_byte(t->pay_off + i);
	c = tcppkt_fold(tcppkt_pseudo(buf, l4len));
	if (!partial)
		c = (uint16_t)~tcppkt_fold(tcppkt_sum(tcppkt_pseudo(buf, l4len), l4, l4len));
	tcppkt_put16(l4 + (t->proto == 6 ? 16 : 6), c);
	return len;
}

#endif
