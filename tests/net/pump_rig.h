/* SPDX-License-Identifier: MIT */
/*
 * The pump tests' rig: a SOCK_SEQPACKET socketpair standing in for the TUN (it keeps packet
 * boundaries as a TUN does), an in-memory modem with a bounded queue, and allocation counting
 * (the test binary links with --wrap=malloc/calloc/realloc, so every allocation made by the
 * pump or the loop in steady state is seen). One test binary includes it once.
 * Through rig_up_tx(..., true) the modem also lends its transfer buffer (qnet_pump_tx), as
 * the USB and in-process transports do; off, the pump has send() only (the copy path).
 */
#ifndef TESTS_NET_PUMP_RIG_H
#define TESTS_NET_PUMP_RIG_H

#include "alloc_wrap.h"
#include "fake_modem.h"
#include "loop_settle.h"
#include "base/loop.h"
#include "net/pump.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

struct rig {
	struct qb_loop *loop;
	struct qnet_pump *pump;
	struct fake_modem modem;
	int sv[2];           /* sv[0]: the pump's "TUN"; sv[1]: the kernel's side of it */
	unsigned free_after; /* > 0: the pump is freed from inside its send() of that packet */
	unsigned sends;
	/* in place */
	bool inplace;
	bool lent;
	unsigned lend_refuse;   /* buf() answers -ENOBUFS this many more times */
	unsigned copied;        /* transfers handed to send() instead (copied) */
	uint8_t lend[FAKE_PKT]; /* the buffer lent */
};

static inline int rig_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct rig *r = ctx;
	int ret = fake_send(&r->modem, pkt, len);

	cr_assert_not_null(r->pump, "send() after the pump was freed");
	r->copied += r->inplace && ret == 0;
	if (++r->sends == r->free_after) {
		qnet_pump_free(r->pump);
		r->pump = NULL;
	}
	return ret;
}

static inline int rig_tx_buf(void *ctx, uint8_t **buf, size_t *cap)
{
	struct rig *r = ctx;

	if (r->lend_refuse) {
		r->lend_refuse--;
		return -ENOBUFS;
	}
	r->lent = true;
	*buf = r->lend;
	*cap = sizeof(r->lend);
	return 0;
}

/* The modem takes the lent bytes (recorded as fake_send does); a refused transfer keeps them,
 * a sent one leaves the buffer scribbled over, as a reused transfer would be. */
static inline int rig_tx_send(void *ctx, size_t len)
{
	struct rig *r = ctx;
	int ret;

	cr_assert(r->lent, "send of a buffer not lent");
	ret = fake_send(&r->modem, r->lend, len);
	if (ret == -ENOBUFS)
		return ret;
	r->lent = false;
	memset(r->lend, 0xEE, sizeof(r->lend));
	if (++r->sends == r->free_after) {
		qnet_pump_free(r->pump);
		r->pump = NULL;
	}
	return ret;
}

/* The io_uring pump has two uplink modes; FIXED selects fixed reads where multishot exists. */
#define FIXED ((enum qb_loop_kind)100)

static inline void rig_up_tx(struct rig *r, enum qb_loop_kind kind, const struct qnet_pump_opts *o,
			     bool inplace)
{
	struct qnet_pump_opts oo = o ? *o : (struct qnet_pump_opts){ 0 };
	char want[128];
	const char *lbl;
	const struct qnet_pump_tx tx = { rig_tx_buf, rig_tx_send, r };
	int ret;

	if (kind == FIXED) {
		kind = QB_LOOP_URING;
		oo.fixed_reads = true;
	}
	if (inplace)
		oo.tx = &tx;
	o = &oo;
	memset(r, 0, sizeof(*r));
	r->inplace = inplace;
	ret = qb_loop_new(&r->loop, kind);
	if (ret == -ENOSYS && kind == QB_LOOP_URING)
		cr_skip_test("io_uring is not available here");
	cr_assert_eq(ret, 0);
	cr_assert_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, r->sv), 0);
	cr_assert_eq(fcntl(r->sv[1], F_SETFL, O_NONBLOCK), 0);
	ret = qnet_pump_new(&r->pump, r->loop, r->sv[0], rig_send, r, o);
	cr_assert_eq(ret, 0, "qnet_pump_new: %s", strerror(-ret));
	/* The offload and in-place paths read in passes on either loop, and say which loop. */
	lbl = kind == QB_LOOP_POLL ? "poll" : "io_uring loop, readiness-driven TUN I/O";
	snprintf(want, sizeof(want), "%s, %s%s", lbl,
		 oo.offloads ? "offloads csum tso4 tso6 gro" : "",
		 !inplace      ? ""
		 : oo.offloads ? ", in place"
			       : "in place");
	if (oo.offloads || inplace)
		cr_assert_str_eq(qnet_pump_backend(r->pump), want);
	else if (kind == QB_LOOP_POLL)
		cr_assert_str_eq(qnet_pump_backend(r->pump), "poll");
	else if (oo.fixed_reads)
		cr_assert_str_eq(qnet_pump_backend(r->pump), "io_uring fixed");
	else
		cr_assert_eq(strncmp(qnet_pump_backend(r->pump), "io_uring", 8), 0);
}

static inline void rig_up(struct rig *r, enum qb_loop_kind kind, const struct qnet_pump_opts *o)
{
	rig_up_tx(r, kind, o, false);
}

static inline void rig_down(struct rig *r)
{
	qnet_pump_free(r->pump);
	qb_loop_free(r->loop);
	close(r->sv[0]);
	close(r->sv[1]);
}

static inline void settle(struct rig *r)
{
	settle_loop(r->loop);
}

static inline void kernel_send(struct rig *r, uint32_t seq, size_t len)
{
	uint8_t buf[FAKE_PKT + 64];

	mkpkt(buf, len, seq);
	cr_assert_eq(write(r->sv[1], buf, len), (ssize_t)len, "write: %s", strerror(errno));
}

static inline const struct qnet_pump_stats *st(struct rig *r)
{
	return qnet_pump_stats(r->pump);
}

#endif
