/* SPDX-License-Identifier: MIT */
/* Test helper: the modem end of a QMAP data channel, which takes whole transfers (aggregates
 * of many packets) into a bounded queue, as a transport does. */
#ifndef TESTS_NET_AGG_MODEM_H
#define TESTS_NET_AGG_MODEM_H

#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#define AGG_XFER 16384
#define AGG_XFERS 64

struct agg_modem {
	unsigned cap; /* transfers before -ENOBUFS; 0 = AGG_XFERS */
	uint8_t buf[AGG_XFERS][AGG_XFER];
	size_t len[AGG_XFERS];
	unsigned count;
};

static inline int agg_send(void *ctx, const uint8_t *buf, size_t len)
{
	struct agg_modem *m = ctx;

	if (m->count >= (m->cap ? m->cap : AGG_XFERS))
		return -ENOBUFS;
	cr_assert_leq(len, AGG_XFER);
	memcpy(m->buf[m->count], buf, len);
	m->len[m->count++] = len;
	return 0;
}

#endif
