/* SPDX-License-Identifier: MIT */
/* Test helper: the modem end of the data channel, with a bounded queue like a transport's. */
#ifndef TESTS_NET_FAKE_MODEM_H
#define TESTS_NET_FAKE_MODEM_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define FAKE_SLOTS 64
#define FAKE_PKT 2048

struct fake_modem {
	unsigned cap;  /* slots before -ENOBUFS; 0 = FAKE_SLOTS */
	int fail_with; /* when set, every send fails with it */
	uint8_t pkt[FAKE_SLOTS][FAKE_PKT];
	size_t len[FAKE_SLOTS];
	unsigned count; /* queued, in order */
	unsigned refused;
};

static inline int fake_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct fake_modem *m = ctx;
	unsigned cap = m->cap ? m->cap : FAKE_SLOTS;

	if (m->fail_with)
		return m->fail_with;
	if (m->count >= cap) {
		m->refused++;
		return -ENOBUFS;
	}
	if (len > FAKE_PKT)
		return -EMSGSIZE;
	memcpy(m->pkt[m->count], pkt, len);
	m->len[m->count++] = len;
	return 0;
}

/* Test packets: IPv4 version nibble, then a big-endian sequence number at offset 4. */
static inline void mkpkt(uint8_t *buf, size_t len, uint32_t seq)
{
	memset(buf, 0xA5, len);
	buf[0] = 0x45;
	buf[4] = (uint8_t)(seq >> 24);
	buf[5] = (uint8_t)(seq >> 16);
	buf[6] = (uint8_t)(seq >> 8);
	buf[7] = (uint8_t)seq;
}

static inline uint32_t pktseq(const uint8_t *buf)
{
	return (uint32_t)buf[4] << 24 | (uint32_t)buf[5] << 16 | (uint32_t)buf[6] << 8 | buf[7];
}

#endif
