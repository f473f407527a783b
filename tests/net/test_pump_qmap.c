/* SPDX-License-Identifier: MIT */
/*
 * The pump with QMAP on both loops: uplink packets packed into MAP aggregates within the granted
 * limits, in order, across backpressure; downlink aggregates split into TUN writes with bad,
 * command, foreign-mux and truncated frames counted and the good ones kept; no allocation per
 * packet on either loop. A SOCK_SEQPACKET socketpair stands in for the TUN.
 */
#include "agg_modem.h"
#include "alloc_wrap.h"
#include "fake_modem.h"
#include "loop_settle.h"
#include "base/loop.h"
#include "net/pump.h"
#include "qmi/qmap.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

struct rig {
	struct qb_loop *loop;
	struct qnet_pump *pump;
	struct agg_modem *modem;
	int sv[2];
};

static void rig_up(struct rig *r, enum qb_loop_kind kind, const struct qnet_pump_qmap *q,
		   const struct qnet_pump_opts *o)
{
	int ret;

	memset(r, 0, sizeof(*r));
	r->modem = calloc(1, sizeof(*r->modem));
	cr_assert_not_null(r->modem);
	ret = qb_loop_new(&r->loop, kind);
	if (ret == -ENOSYS && kind == QB_LOOP_URING)
		cr_skip_test("io_uring is not available here");
	cr_assert_eq(ret, 0);
	cr_assert_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, r->sv), 0);
	cr_assert_eq(fcntl(r->sv[1], F_SETFL, O_NONBLOCK), 0);
	ret = qnet_pump_new(&r->pump, r->loop, r->sv[0], agg_send, r->modem, o);
	cr_assert_eq(ret, 0, "qnet_pump_new: %s", strerror(-ret));
	ret = qnet_pump_set_qmap(r->pump, q);
	cr_assert_eq(ret, 0, "qnet_pump_set_qmap: %s", strerror(-ret));
}

static void rig_down(struct rig *r)
{
	qnet_pump_free(r->pump);
	qb_loop_free(r->loop);
	close(r->sv[0]);
	close(r->sv[1]);
	free(r->modem);
}

static void settle(struct rig *r)
{
	settle_loop(r->loop);
}

static void kernel_send(struct rig *r, uint32_t seq, size_t len)
{
	uint8_t buf[FAKE_PKT];

	mkpkt(buf, len, seq);
	cr_assert_eq(write(r->sv[1], buf, len), (ssize_t)len, "write: %s", strerror(errno));
}

/* Unpacks every transfer the modem got: checks order, sizes and the limits. */
static uint32_t check_transfers(struct rig *r, uint32_t next, const struct qnet_pump_qmap *q,
				size_t (*size_of)(uint32_t))
{
	for (unsigned t = 0; t < r->modem->count; t++) {
		struct qmi_qmap_iter it;
		struct qmi_qmap_frame f;
		unsigned frames = 0;
		int ret;

		cr_assert_leq(r->modem->len[t], q->ul_max_size);
		qmi_qmap_iter_init(&it, r->modem->buf[t], r->modem->len[t]);
		while ((ret = qmi_qmap_next(&it, &f)) > 0) {
			cr_assert_eq(f.kind, QMI_QMAP_DATA);
			cr_assert_eq(f.mux_id, q->mux_id);
			cr_assert_eq(pktseq(f.pkt), next, "got %u want %u", pktseq(f.pkt), next);
			cr_assert_eq(f.len, size_of(next));
			frames++;
			next++;
		}
		cr_assert_eq(ret, 0, "a malformed aggregate from the pump");
		cr_assert_geq(frames, 1);
		cr_assert_leq(frames, q->ul_max_dgrams);
	}
	r->modem->count = 0;
	return next;
}

static size_t mixed_size(uint32_t seq)
{
	return 60 + (seq * 37) % 1400;
}

static void t_up_aggregates(enum qb_loop_kind kind)
{
	const struct qnet_pump_qmap q = {
		.ul = true, .dl = true, .mux_id = 0, .ul_max_dgrams = 11, .ul_max_size = 8192
	};
	struct rig r;
	uint32_t seq = 0, next = 0;

	rig_up(&r, kind, &q, NULL);
	for (unsigned round = 0; round < 30; round++) {
		for (unsigned i = 0; i < 40; i++, seq++)
			kernel_send(&r, seq, mixed_size(seq));
		settle(&r);
		next = check_transfers(&r, next, &q, mixed_size);
	}
	cr_assert_eq(next, seq);
	cr_assert_eq(qnet_pump_stats(r.pump)->up_pkts, seq);
	/* 40 packets waiting per round cannot all go one per transfer when 11 fit in one. */
	cr_assert_lt(qnet_pump_stats(r.pump)->up_aggs, seq);
	cr_assert_eq(qnet_pump_drops(qnet_pump_stats(r.pump)), 0);
	rig_down(&r);
}

Test(pump_qmap, up_aggregates_poll)
{
	t_up_aggregates(QB_LOOP_POLL);
}
Test(pump_qmap, up_aggregates_uring)
{
	t_up_aggregates(QB_LOOP_URING);
}

static size_t fixed_size(uint32_t seq)
{
	(void)seq;
	return 1000;
}

static size_t fixed_size_500(uint32_t seq)
{
	(void)seq;
	return 500;
}

/* The modem takes one transfer at a time: the pump holds one aggregate (and at most `reads`
 * packets behind it), the rest waits in the "TUN"; nothing is lost or reordered. */
static void t_up_backpressure(enum qb_loop_kind kind)
{
	const struct qnet_pump_qmap q = {
		.ul = true, .mux_id = 3, .ul_max_dgrams = 4, .ul_max_size = 16384
	};
	const struct qnet_pump_opts o = { .reads = 8 };
	struct rig r;
	uint32_t next = 0;
	unsigned guard = 0;

	rig_up(&r, kind, &q, &o);
	r.modem->cap = 1;
	for (unsigned i = 0; i < 60; i++)
		kernel_send(&r, i, fixed_size(i));
	settle(&r);
	cr_assert_eq(r.modem->count, 1);
	cr_assert_geq(qnet_pump_stats(r.pump)->up_paused, 1);
	settle(&r);
	cr_assert_eq(r.modem->count, 1, "paused means paused");
	while (next < 60 && guard++ < 1000) {
		next = check_transfers(&r, next, &q, fixed_size);
		qnet_pump_data_tx_ready(r.pump);
		settle(&r);
	}
	cr_assert_eq(next, 60);
	cr_assert_eq(qnet_pump_stats(r.pump)->up_pkts, 60);
	cr_assert_leq(qnet_pump_stats(r.pump)->up_held_max, 4 + 8);
	cr_assert_eq(qnet_pump_drops(qnet_pump_stats(r.pump)), 0);
	rig_down(&r);
}

Test(pump_qmap, up_backpressure_poll)
{
	t_up_backpressure(QB_LOOP_POLL);
}
Test(pump_qmap, up_backpressure_uring)
{
	t_up_backpressure(QB_LOOP_URING);
}

static size_t put_frame(uint8_t *at, uint8_t b0, uint8_t mux, const uint8_t *pkt, size_t len,
			size_t pad)
{
	at[0] = (uint8_t)(b0 | pad);
	at[1] = mux;
	at[2] = (uint8_t)((len + pad) >> 8);
	at[3] = (uint8_t)(len + pad);
	memcpy(at + 4, pkt, len);
	memset(at + 4 + len, 0, pad);
	return 4 + len + pad;
}

/* One downlink transfer with everything a modem (or an attacker) can put in it. */
static void t_down_mixed(enum qb_loop_kind kind)
{
	const struct qnet_pump_qmap q = { .dl = true, .mux_id = 0 };
	uint8_t agg[AGG_XFER], pkt[1500], in[FAKE_PKT];
	size_t n = 0;
	struct rig r;
	uint32_t want[] = { 1, 2, 3, 4 };
	unsigned got = 0;
	ssize_t len;

	rig_up(&r, kind, &q, NULL);
	mkpkt(pkt, 100, 1);
	n += put_frame(agg + n, 0, 0, pkt, 100, 0);
	mkpkt(pkt, 61, 2);
	n += put_frame(agg + n, 0, 0, pkt, 61, 3);   /* padded */
	n += put_frame(agg + n, 0x80, 0, pkt, 8, 0); /* command: skipped */
	mkpkt(pkt, 200, 99);
	n += put_frame(agg + n, 0, 7, pkt, 200, 0); /* another mux id */
	n += put_frame(agg + n, 0, 0, pkt, 0, 0);   /* empty */
	pkt[0] = 0x00;
	n += put_frame(agg + n, 0, 0, pkt, 50, 0); /* not IP */
	mkpkt(pkt, 1400, 3);
	n += put_frame(agg + n, 0, 0, pkt, 1400, 0);
	qnet_pump_data_rx(r.pump, agg, n);
	/* A second transfer whose last header claims more than there is. */
	n = 0;
	mkpkt(pkt, 300, 4);
	n += put_frame(agg + n, 0, 0, pkt, 300, 0);
	n += put_frame(agg + n, 0, 0, pkt, 300, 0);
	agg[n - 300 - 2] = 0x7F; /* its length: 0x7Fxx */
	qnet_pump_data_rx(r.pump, agg, n);
	settle(&r);
	while ((len = read(r.sv[1], in, sizeof(in))) > 0) {
		cr_assert_lt(got, 4);
		cr_assert_eq(pktseq(in), want[got]);
		cr_assert_eq((size_t)len, got == 0   ? 100u
					  : got == 1 ? 61u
					  : got == 2 ? 1400u
						     : 300u);
		got++;
	}
	cr_assert_eq(got, 4);
	const struct qnet_pump_stats *s = qnet_pump_stats(r.pump);
	cr_assert_eq(s->down_pkts, 4);
	cr_assert_eq(s->down_aggs, 2);
	cr_assert_eq(s->down_qmap_commands, 1);
	cr_assert_eq(s->drop_down_qmap_bad, 2); /* foreign mux + empty */
	cr_assert_eq(s->drop_down_bad, 1);      /* not IP */
	cr_assert_eq(s->drop_down_qmap_trunc, 1);
	rig_down(&r);
}

Test(pump_qmap, down_mixed_poll)
{
	t_down_mixed(QB_LOOP_POLL);
}
Test(pump_qmap, down_mixed_uring)
{
	t_down_mixed(QB_LOOP_URING);
}

Test(pump_qmap, set_qmap_validates)
{
	struct rig r;
	struct qnet_pump_qmap q = { .ul = true, .ul_max_dgrams = 4, .ul_max_size = 1000 };

	rig_up(&r, QB_LOOP_POLL, NULL, NULL);
	cr_assert_eq(qnet_pump_set_qmap(r.pump, &q), -EINVAL); /* a full packet would not fit */
	q.ul_max_size = 70000;
	cr_assert_eq(qnet_pump_set_qmap(r.pump, &q), -EINVAL);
	q.ul_max_size = 4096;
	cr_assert_eq(qnet_pump_set_qmap(r.pump, &q), 0);
	cr_assert_eq(qnet_pump_set_qmap(r.pump, NULL), 0); /* back to raw IP */
	kernel_send(&r, 5, 100);
	settle(&r);
	cr_assert_eq(r.modem->count, 1);
	cr_assert_eq(r.modem->len[0], 100); /* no MAP header */
	rig_down(&r);
}

/* Steady state on every loop: aggregating uplink (on io_uring closed by the pump's own timer),
 * a held aggregate released by data_tx_ready, and deaggregating downlink allocate nothing. */
static void t_no_allocation_per_packet(enum qb_loop_kind kind, bool fixed)
{
	const struct qnet_pump_qmap q = {
		.ul = true, .dl = true, .ul_max_dgrams = 8, .ul_max_size = 16384
	};
	const struct qnet_pump_opts o = { .fixed_reads = fixed };
	uint8_t agg[AGG_XFER], in[FAKE_PKT];
	struct qmi_qmap_agg a;
	unsigned long before;
	uint32_t seq = 0, next = 0;
	struct rig r;

	rig_up(&r, kind, &q, &o);
	for (int warm = 0; warm < 2; warm++) { /* first rounds may grow stdio or the loop */
		for (unsigned i = 0; i < 20; i++, seq++)
			kernel_send(&r, seq, fixed_size(seq));
		settle(&r);
		next = check_transfers(&r, next, &q, fixed_size);
	}
	before = allocs;
	for (unsigned round = 0; round < 20; round++) {
		/* Every other round the modem takes one transfer, then reports room again. */
		r.modem->cap = round % 2 ? 1 : 0;
		for (unsigned i = 0; i < 20; i++, seq++)
			kernel_send(&r, seq, fixed_size(seq));
		settle(&r);
		for (unsigned guard = 0; r.modem->cap && guard < 100; guard++) {
			next = check_transfers(&r, next, &q, fixed_size);
			if (next == seq)
				break;
			qnet_pump_data_tx_ready(r.pump);
			settle(&r);
		}
		next = check_transfers(&r, next, &q, fixed_size);
		cr_assert_eq(next, seq, "round %u: %u of %u packets", round, next, seq);
		qmi_qmap_agg_init(&a, agg, sizeof(agg), 16, 0, true);
		for (unsigned i = 0; i < 10; i++) {
			uint8_t pkt[1000];

			mkpkt(pkt, sizeof(pkt), i);
			cr_assert_eq(qmi_qmap_agg_add(&a, pkt, sizeof(pkt)), 0);
		}
		qnet_pump_data_rx(r.pump, agg, a.len);
		settle(&r);
		for (unsigned i = 0; i < 10; i++)
			cr_assert_eq(read(r.sv[1], in, sizeof(in)), 1000);
	}
	cr_assert_eq(allocs, before, "%lu allocations in steady state", allocs - before);
	cr_assert_geq(qnet_pump_stats(r.pump)->up_paused, 1);
	cr_assert_eq(qnet_pump_drops(qnet_pump_stats(r.pump)), 0);
	rig_down(&r);
}

Test(pump_qmap, no_allocation_per_packet_poll)
{
	t_no_allocation_per_packet(QB_LOOP_POLL, false);
}
Test(pump_qmap, no_allocation_per_packet_uring)
{
	t_no_allocation_per_packet(QB_LOOP_URING, false);
}
Test(pump_qmap, no_allocation_per_packet_uring_fixed)
{
	t_no_allocation_per_packet(QB_LOOP_URING, true);
}

/* Paced (the transport reports every completion): after an aggregate leaves, the pump stops
 * watching the TUN; the next completion sends everything that arrived meanwhile as one
 * transfer; with nothing waiting it watches the TUN again. */
Test(pump_qmap, paced_packs_what_arrives_while_a_transfer_is_out)
{
	const struct qnet_pump_qmap q = {
		.ul = true, .ul_max_dgrams = 32, .ul_max_size = 16384, .paced = true
	};
	struct rig r;
	uint32_t next = 0;

	rig_up(&r, QB_LOOP_POLL, &q, NULL);
	kernel_send(&r, 0, 500);
	settle(&r);
	cr_assert_eq(r.modem->count, 1);
	for (uint32_t i = 1; i <= 6; i++)
		kernel_send(&r, i, 500);
	settle(&r);
	cr_assert_eq(r.modem->count, 1, "no transfer before the previous one completed");
	qnet_pump_data_tx_ready(r.pump); /* the first transfer completed */
	settle(&r);
	cr_assert_eq(r.modem->count, 2);
	cr_assert_eq(r.modem->len[1], 6 * (4 + 500), "all six in one aggregate");
	next = check_transfers(&r, next, &q, fixed_size_500);
	cr_assert_eq(next, 7);
	qnet_pump_data_tx_ready(r.pump); /* completed; nothing waits: the TUN is watched again */
	settle(&r);
	cr_assert_eq(r.modem->count, 0);
	kernel_send(&r, 7, 500);
	settle(&r);
	cr_assert_eq(r.modem->count, 1);
	next = check_transfers(&r, next, &q, fixed_size_500);
	cr_assert_eq(next, 8);
	cr_assert_eq(qnet_pump_drops(qnet_pump_stats(r.pump)), 0);
	rig_down(&r);
}
