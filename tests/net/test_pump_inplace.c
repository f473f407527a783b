/* SPDX-License-Identifier: MIT */
/*
 * Uplink transfers built in place (qnet_pump_opts.tx) on both loops, raw-IP and MAP v1 and v5,
 * with TUN offloads and without: every packet arrives byte-exact and in order, across a modem
 * that refuses transfers and one that has no buffer to lend; nothing is handed to send() (the
 * copy) and nothing is allocated per packet.
 */
#include "net/offload.h"
#include "pump_rig.h"
#include "qmi/qmap.h"

#define BUF 512

enum mode {
	RAW,
	V1,
	V5,
	MODES
};

static const char *const mode_name[MODES] = { "raw-IP", "MAP v1", "MAP v5" };

static size_t size_of(uint32_t seq)
{
	return 60 + (seq * 37) % 400;
}

/* The rig in place (or not), in the mode, with offloads (a virtio-net header on each packet). */
static void up(struct rig *r, enum qb_loop_kind kind, enum mode m, bool off, bool inplace)
{
	const struct qnet_pump_opts o = {
		.buf_size = BUF,
		.offloads = off ? QNET_OFF_VNET | QNET_OFF_CSUM | QNET_OFF_TSO4 | QNET_OFF_TSO6 : 0,
	};
	const struct qnet_pump_qmap q = {
		.ul = true, .dl = true, .ul_max_dgrams = 8, .ul_max_size = 2000, .v5 = m == V5
	};

	rig_up_tx(r, kind, &o, inplace);
	if (m != RAW)
		cr_assert_eq(qnet_pump_set_qmap(r->pump, &q), 0);
}

static void send_pkt(struct rig *r, uint32_t seq, bool off)
{
	uint8_t buf[QNET_VNET_HDR_LEN + BUF] = { 0 };
	size_t hdr = off ? QNET_VNET_HDR_LEN : 0, len = size_of(seq);

	mkpkt(buf + hdr, len, seq); /* no offload asked of a packet: a zero header */
	cr_assert_eq(write(r->sv[1], buf, hdr + len), (ssize_t)(hdr + len), "write: %s",
		     strerror(errno));
}

static void check_pkt(const uint8_t *pkt, size_t len, uint32_t seq)
{
	uint8_t want[BUF];

	mkpkt(want, size_of(seq), seq);
	cr_assert_eq(len, size_of(seq), "packet %u: %zu bytes", seq, len);
	cr_assert_eq(memcmp(pkt, want, len), 0, "packet %u differs", seq);
}

/* What the modem took, checked and emptied: the next sequence number expected. */
static uint32_t drain(struct rig *r, enum mode m, uint32_t next)
{
	for (unsigned i = 0; i < r->modem.count; i++) {
		struct qmi_qmap_iter it;
		struct qmi_qmap_frame f;

		if (m == RAW) {
			check_pkt(r->modem.pkt[i], r->modem.len[i], next++);
			continue;
		}
		if (m == V5)
			qmi_qmap_iter_init_v5(&it, r->modem.pkt[i], r->modem.len[i]);
		else
			qmi_qmap_iter_init(&it, r->modem.pkt[i], r->modem.len[i]);
		while (qmi_qmap_next(&it, &f) > 0) {
			cr_assert_eq(f.kind, QMI_QMAP_DATA);
			check_pkt(f.pkt, f.len, next++);
		}
	}
	r->modem.count = 0;
	return next;
}

static void check_no_copy(struct rig *r, enum mode m, uint32_t n)
{
	cr_assert_eq(r->copied, 0, "%s: %u transfers copied", mode_name[m], r->copied);
	cr_assert_eq(st(r)->up_copied_bytes, 0);
	cr_assert_eq(st(r)->up_pkts, n);
	cr_assert_eq(qnet_pump_drops(st(r)), 0);
}

/* Every mode, with offloads and without. */
static void all_modes(enum qb_loop_kind kind, void (*t)(enum qb_loop_kind, enum mode, bool))
{
	for (enum mode m = RAW; m < MODES; m++) {
		t(kind, m, false);
		t(kind, m, true);
	}
}

/* 200 packets, 20 at a time: byte-exact, in order, none copied. */
static void t_exact(enum qb_loop_kind kind, enum mode m, bool off)
{
	uint32_t sent = 0, next = 0;
	struct rig r = { 0 };

	up(&r, kind, m, off, true);
	while (sent < 200) {
		for (unsigned i = 0; i < 20; i++)
			send_pkt(&r, sent++, off);
		settle(&r);
		next = drain(&r, m, next);
	}
	cr_assert_eq(next, 200, "%s: %u packets", mode_name[m], next);
	check_no_copy(&r, m, 200);
	cr_assert(m == RAW || st(&r)->up_aggs < 200, "no aggregate held two packets");
	rig_down(&r);
}

Test(pump_inplace, exact_poll)
{
	all_modes(QB_LOOP_POLL, t_exact);
}

Test(pump_inplace, exact_uring)
{
	all_modes(QB_LOOP_URING, t_exact);
}

/* No buffer to lend at first, then the modem refuses every third transfer: reads wait for
 * data_tx_ready each time, the refused transfer keeps its bytes in the lent buffer, and all 60
 * packets arrive in order. */
static void t_backpressure(enum qb_loop_kind kind, enum mode m, bool off)
{
	uint32_t next = 0;
	unsigned guard = 0;
	struct rig r = { 0 };

	up(&r, kind, m, off, true);
	r.lend_refuse = 1;
	r.modem.cap = 3;
	for (uint32_t i = 0; i < 60; i++)
		send_pkt(&r, i, off);
	settle(&r);
	cr_assert_eq(r.modem.count, 0, "sent without a lent buffer");
	while (next < 60 && guard++ < 100) {
		qnet_pump_data_tx_ready(r.pump);
		settle(&r);
		next = drain(&r, m, next);
	}
	cr_assert_eq(next, 60, "%s: %u packets", mode_name[m], next);
	cr_assert_geq(st(&r)->up_paused, 2);
	check_no_copy(&r, m, 60);
	rig_down(&r);
}

Test(pump_inplace, backpressure_poll)
{
	all_modes(QB_LOOP_POLL, t_backpressure);
}

Test(pump_inplace, backpressure_uring)
{
	all_modes(QB_LOOP_URING, t_backpressure);
}

static void t_no_alloc(enum qb_loop_kind kind, enum mode m, bool off)
{
	unsigned long before = 0;
	uint32_t sent = 0, next = 0;
	struct rig r = { 0 };

	up(&r, kind, m, off, true);
	for (unsigned round = 0; round < 40; round++) {
		if (round == 10) /* warmed up: the loop's arrays have their size */
			before = allocs;
		for (unsigned i = 0; i < 20; i++)
			send_pkt(&r, sent++, off);
		settle(&r);
		next = drain(&r, m, next);
	}
	cr_assert_eq(allocs - before, 0, "%s: %lu allocations", mode_name[m], allocs - before);
	cr_assert_eq(next, sent);
	check_no_copy(&r, m, sent);
	rig_down(&r);
}

Test(pump_inplace, no_alloc_per_packet_poll)
{
	all_modes(QB_LOOP_POLL, t_no_alloc);
}

Test(pump_inplace, no_alloc_per_packet_uring)
{
	all_modes(QB_LOOP_URING, t_no_alloc);
}

/* The copy path counts what it copies: the counter above can tell the two apart. */
Test(pump_inplace, copy_path_counts)
{
	uint32_t sent = 0;
	struct rig r = { 0 };

	up(&r, QB_LOOP_POLL, V1, false, false);
	for (; sent < 20; sent++)
		send_pkt(&r, sent, false);
	settle(&r);
	cr_assert_eq(drain(&r, V1, 0), 20);
	cr_assert_gt(st(&r)->up_copied_bytes, 20 * 60);
	rig_down(&r);
}
