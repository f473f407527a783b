/* SPDX-License-Identifier: MIT */
/*
 * QMAP sessions on one modem, on both loops: MAP v5 framing both ways (checksum header built
 * uplink, the modem's checksum verdict counted downlink), MAP commands answered, flow control
 * stopping one mux id's uplink while the other's goes on, downlink routed by mux id to each
 * session's own TUN with its own counters, and no allocation per packet on any of it.
 * SOCK_SEQPACKET socketpairs stand in for the TUNs.
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

#define SESSIONS 2

struct rig {
	struct qb_loop *loop;
	struct qnet_mux *mux; /* NULL: one pump on the modem alone */
	struct qnet_pump *pump[SESSIONS];
	int sv[SESSIONS][2];
	unsigned n;
	struct agg_modem *modem;
	uint32_t up_next[SESSIONS]; /* per session: the next sequence number the modem expects */
	unsigned acks, unsupported;
};

static const uint8_t mux_ids[SESSIONS] = { 1, 2 };

static void rig_up(struct rig *r, enum qb_loop_kind kind, unsigned sessions, bool csum_req)
{
	int ret;

	memset(r, 0, sizeof(*r));
	r->modem = calloc(1, sizeof(*r->modem));
	cr_assert_not_null(r->modem);
	ret = qb_loop_new(&r->loop, kind);
	if (ret == -ENOSYS && kind == QB_LOOP_URING)
		cr_skip_test("io_uring is not available here");
	cr_assert_eq(ret, 0);
	if (sessions > 1) {
		cr_assert_eq(qnet_mux_new(&r->mux, agg_send, r->modem), 0);
		qnet_mux_set_v5(r->mux, true);
	}
	r->n = sessions;
	for (unsigned i = 0; i < sessions; i++) {
		struct qnet_pump_qmap q = { .ul = true,
					    .dl = true,
					    .mux_id = mux_ids[i],
					    .ul_max_dgrams = 8,
					    .ul_max_size = 16384,
					    .v5 = true,
					    .ul_csum_req = csum_req };

		cr_assert_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, r->sv[i]), 0);
		cr_assert_eq(fcntl(r->sv[i][1], F_SETFL, O_NONBLOCK), 0);
		ret = r->mux ? qnet_pump_new(&r->pump[i], r->loop, r->sv[i][0], qnet_mux_send,
					     r->mux, NULL)
			     : qnet_pump_new(&r->pump[i], r->loop, r->sv[i][0], agg_send, r->modem,
					     NULL);
		cr_assert_eq(ret, 0, "qnet_pump_new: %s", strerror(-ret));
		cr_assert_eq(qnet_pump_set_qmap(r->pump[i], &q), 0);
		if (r->mux)
			cr_assert_eq(qnet_mux_attach(r->mux, mux_ids[i], r->pump[i]), 0);
	}
}

static void rig_down(struct rig *r)
{
	for (unsigned i = 0; i < r->n; i++) {
		if (r->mux)
			qnet_mux_detach(r->mux, mux_ids[i]);
		qnet_pump_free(r->pump[i]);
	}
	qnet_mux_free(r->mux);
	qb_loop_free(r->loop);
	for (unsigned i = 0; i < r->n; i++) {
		close(r->sv[i][0]);
		close(r->sv[i][1]);
	}
	free(r->modem);
}

static void settle(struct rig *r)
{
	settle_loop(r->loop);
}

static void rx(struct rig *r, const uint8_t *buf, size_t len)
{
	if (r->mux)
		qnet_mux_data_rx(r->mux, buf, len);
	else
		qnet_pump_data_rx(r->pump[0], buf, len);
}

static void tx_ready(struct rig *r)
{
	if (r->mux)
		qnet_mux_data_tx_ready(r->mux);
	else
		qnet_pump_data_tx_ready(r->pump[0]);
}

static void kernel_send(struct rig *r, unsigned session, uint32_t seq, size_t len)
{
	uint8_t buf[FAKE_PKT];

	mkpkt(buf, len, seq);
	cr_assert_eq(write(r->sv[session][1], buf, len), (ssize_t)len, "write: %s",
		     strerror(errno));
}

static unsigned session_of(uint8_t mux_id)
{
	for (unsigned i = 0; i < SESSIONS; i++)
		if (mux_ids[i] == mux_id)
			return i;
	cr_assert_fail("a frame for mux id %u", mux_id);
	return 0;
}

/* Unpacks every transfer the modem got: v5 data frames in order per session (each with the
 * checksum header asked for), and answers to commands counted. Returns the packets seen. */
static unsigned drain_modem(struct rig *r, bool csum_req)
{
	unsigned pkts = 0;

	for (unsigned t = 0; t < r->modem->count; t++) {
		struct qmi_qmap_iter it;
		struct qmi_qmap_frame f;
		int ret;

		qmi_qmap_iter_init_v5(&it, r->modem->buf[t], r->modem->len[t]);
		while ((ret = qmi_qmap_next(&it, &f)) > 0) {
			struct qmi_qmap_cmd c;
			unsigned s;

			if (f.kind == QMI_QMAP_COMMAND) {
				cr_assert_eq(qmi_qmap_cmd_parse(f.pkt, f.len, &c), 0);
				r->acks += c.type == QMI_QMAP_CMD_ACK;
				r->unsupported += c.type == QMI_QMAP_CMD_UNSUPPORTED;
				continue;
			}
			cr_assert_eq(f.kind, QMI_QMAP_DATA, "bad frame %d", f.why);
			cr_assert(f.csum_hdr);
			cr_assert_eq(f.csum_valid, csum_req); /* uplink: "compute it" */
			s = session_of(f.mux_id);
			cr_assert_eq(pktseq(f.pkt), r->up_next[s], "mux %u: got %u want %u",
				     f.mux_id, pktseq(f.pkt), r->up_next[s]);
			r->up_next[s]++;
			pkts++;
		}
		cr_assert_eq(ret, 0, "a malformed transfer from the host");
	}
	r->modem->count = 0;
	return pkts;
}

static size_t put_cmd(uint8_t *at, uint8_t mux_id, uint8_t name, uint32_t txn)
{
	struct qmi_qmap_cmd c = { .name = name, .type = QMI_QMAP_CMD_REQUEST, .txn = txn };

	return (size_t)qmi_qmap_cmd_build(at, 64, mux_id, &c);
}

/* Builds a v5 downlink aggregate: `per` packets for each mux id in ids (n of them), seq from
 * seq0; every other packet marked checksum-valid. */
static size_t dl_agg(uint8_t *buf, size_t cap, const uint8_t *ids, unsigned n, unsigned per,
		     uint32_t seq0, size_t len)
{
	struct qmi_qmap_agg a;
	size_t total = 0;

	for (unsigned k = 0; k < n; k++) {
		qmi_qmap_agg_init(&a, buf + total, cap - total, 64, ids[k], true);
		qmi_qmap_agg_set_v5(&a, true, false);
		for (unsigned i = 0; i < per; i++) {
			uint8_t pkt[FAKE_PKT];
			size_t at = a.len;

			mkpkt(pkt, len, seq0 + i);
			cr_assert_eq(qmi_qmap_agg_add(&a, pkt, len), 0);
			if (i % 2)
				a.buf[at + QMI_QMAP_HDR_LEN + 1] = QMI_QMAP_V5_CSUM_FLAG;
		}
		total += a.len;
	}
	return total;
}

/* One session on the modem alone: v5 both ways; a command for its mux id answered, one for
 * another mux id and one the host does not know answered too (ack, "unsupported"). */
static void t_v5_single(enum qb_loop_kind kind)
{
	static uint8_t agg[AGG_XFER];
	uint8_t in[FAKE_PKT];
	const uint8_t ids[1] = { 1 };
	struct rig r;
	size_t n;
	const struct qnet_pump_stats *s;

	rig_up(&r, kind, 1, true);
	for (uint32_t i = 0; i < 5; i++)
		kernel_send(&r, 0, i, 300);
	settle(&r);
	cr_assert_eq(drain_modem(&r, true), 5);
	n = dl_agg(agg, sizeof(agg), ids, 1, 4, 100, 700);
	n += put_cmd(agg + n, 1, QMI_QMAP_CMD_FLOW_DISABLE, 7);
	n += put_cmd(agg + n, 9, QMI_QMAP_CMD_FLOW_DISABLE, 8);
	n += put_cmd(agg + n, 1, 0x33, 9);
	rx(&r, agg, n);
	settle(&r);
	for (uint32_t i = 0; i < 4; i++) {
		cr_assert_eq(read(r.sv[0][1], in, sizeof(in)), 700);
		cr_assert_eq(pktseq(in), 100 + i);
	}
	s = qnet_pump_stats(r.pump[0]);
	cr_assert_eq(s->down_pkts, 4);
	cr_assert_eq(s->down_csum_valid, 2);
	cr_assert_eq(s->down_csum_unchecked, 2);
	cr_assert_eq(s->down_qmap_commands, 3);
	cr_assert_eq(s->qmap_cmd_answers, 3);
	cr_assert_eq(s->qmap_flow_off, 1);
	cr_assert_not(qnet_pump_flow(r.pump[0]));
	drain_modem(&r, true);
	cr_assert_eq(r.acks, 2);
	cr_assert_eq(r.unsupported, 1);
	/* Flow off: packets wait; enabled again, they leave in order. */
	for (uint32_t i = 5; i < 9; i++)
		kernel_send(&r, 0, i, 300);
	settle(&r);
	cr_assert_eq(drain_modem(&r, true), 0);
	n = put_cmd(agg, 1, QMI_QMAP_CMD_FLOW_ENABLE, 10);
	rx(&r, agg, n);
	settle(&r);
	cr_assert_eq(drain_modem(&r, true), 4);
	cr_assert_eq(r.up_next[0], 9);
	cr_assert_eq(r.acks, 3);
	cr_assert_eq(qnet_pump_drops(s), 0);
	rig_down(&r);
}

Test(pump_mux, v5_single_poll)
{
	t_v5_single(QB_LOOP_POLL);
}
Test(pump_mux, v5_single_uring)
{
	t_v5_single(QB_LOOP_URING);
}

/* A 32 KB downlink transfer of v5 frames (what a 5G modem's grant allows): every packet reaches
 * the TUN whole and in order, each checksum verdict counted. */
static void t_down_32k(enum qb_loop_kind kind)
{
	static uint8_t agg[32768];
	const uint8_t ids[1] = { 1 };
	uint8_t in[FAKE_PKT];
	struct rig r;
	size_t n;
	unsigned k = 0;

	rig_up(&r, kind, 1, false);
	n = dl_agg(agg, sizeof(agg), ids, 1, 22, 500, 1400);
	cr_assert_gt(n, 30000);
	rx(&r, agg, n);
	settle(&r);
	while (read(r.sv[0][1], in, sizeof(in)) == 1400) {
		cr_assert_eq(pktseq(in), 500 + k);
		k++;
	}
	cr_assert_eq(k, 22);
	cr_assert_eq(qnet_pump_stats(r.pump[0])->down_csum_valid, 11);
	cr_assert_eq(qnet_pump_stats(r.pump[0])->down_csum_unchecked, 11);
	cr_assert_eq(qnet_pump_drops(qnet_pump_stats(r.pump[0])), 0);
	rig_down(&r);
}

Test(pump_mux, down_32k_v5_poll)
{
	t_down_32k(QB_LOOP_POLL);
}
Test(pump_mux, down_32k_v5_uring)
{
	t_down_32k(QB_LOOP_URING);
}

/* Two sessions: downlink split by mux id into each one's TUN and counters; flow control off
 * for mux id 1 holds its uplink only, while mux id 2's keeps flowing. */
static void t_two_sessions(enum qb_loop_kind kind)
{
	static uint8_t agg[AGG_XFER];
	uint8_t in[FAKE_PKT];
	const uint8_t ids[3] = { 1, 2, 3 };
	struct rig r;
	size_t n;

	rig_up(&r, kind, 2, false);
	n = dl_agg(agg, sizeof(agg), ids, 3, 3, 0, 500); /* 3 each for 1, 2 and nobody's 3 */
	rx(&r, agg, n);
	settle(&r);
	for (unsigned s = 0; s < 2; s++) {
		const struct qnet_pump_stats *st = qnet_pump_stats(r.pump[s]);

		for (uint32_t i = 0; i < 3; i++) {
			cr_assert_eq(read(r.sv[s][1], in, sizeof(in)), 500);
			cr_assert_eq(pktseq(in), i);
		}
		cr_assert_eq(read(r.sv[s][1], in, sizeof(in)), -1, "session %u got more", s);
		cr_assert_eq(st->down_pkts, 3);
		cr_assert_eq(st->down_bytes, 1500);
		cr_assert_eq(st->down_csum_valid, 1);
	}
	cr_assert_eq(qnet_mux_stats(r.mux)->drop_down_unknown, 3);
	cr_assert_eq(qnet_mux_stats(r.mux)->down_aggs, 1);

	n = put_cmd(agg, 1, QMI_QMAP_CMD_FLOW_DISABLE, 1);
	rx(&r, agg, n);
	settle(&r);
	drain_modem(&r, false);
	cr_assert_eq(r.acks, 1);
	cr_assert_not(qnet_pump_flow(r.pump[0]));
	cr_assert(qnet_pump_flow(r.pump[1]));
	for (uint32_t i = 0; i < 6; i++) {
		kernel_send(&r, 0, i, 400);
		kernel_send(&r, 1, i, 400);
	}
	settle(&r);
	tx_ready(&r); /* room on the pipe does not lift flow control */
	settle(&r);
	cr_assert_eq(drain_modem(&r, false), 6);
	cr_assert_eq(r.up_next[0], 0, "mux id 1 sent while its flow was off");
	cr_assert_eq(r.up_next[1], 6);
	cr_assert_eq(qnet_pump_stats(r.pump[1])->up_pkts, 6);
	cr_assert_eq(qnet_pump_stats(r.pump[0])->up_pkts, 0);
	n = put_cmd(agg, 1, QMI_QMAP_CMD_FLOW_ENABLE, 2);
	rx(&r, agg, n);
	settle(&r);
	cr_assert_eq(drain_modem(&r, false), 6);
	cr_assert_eq(r.up_next[0], 6);
	cr_assert_eq(r.acks, 2);
	cr_assert_eq(qnet_pump_stats(r.pump[0])->up_pkts, 6);
	cr_assert_eq(qnet_pump_stats(r.pump[0])->qmap_flow_off, 1);
	cr_assert_eq(qnet_mux_stats(r.mux)->qmap_cmd_answers, 2);
	rig_down(&r);
}

Test(pump_mux, two_sessions_poll)
{
	t_two_sessions(QB_LOOP_POLL);
}
Test(pump_mux, two_sessions_uring)
{
	t_two_sessions(QB_LOOP_URING);
}

/* A command answer the transport refused waits, goes first at data_tx_ready, and holds data
 * back until it has left. */
Test(pump_mux, answer_waits_for_room)
{
	uint8_t agg[64];
	struct rig r;
	size_t n;

	rig_up(&r, QB_LOOP_POLL, 2, false);
	r.modem->cap = 1;
	agg_send(r.modem, agg, 1); /* the pipe is full */
	n = put_cmd(agg, 2, QMI_QMAP_CMD_FLOW_DISABLE, 5);
	qnet_mux_data_rx(r.mux, agg, n);
	kernel_send(&r, 0, 0, 100);
	settle(&r);
	cr_assert_eq(r.modem->count, 1);
	r.modem->count = 0;
	r.modem->cap = 0;
	tx_ready(&r);
	settle(&r);
	cr_assert_eq(drain_modem(&r, false), 1);
	cr_assert_eq(r.acks, 1);
	cr_assert_eq(qnet_mux_stats(r.mux)->qmap_cmd_answers, 1);
	rig_down(&r);
}

/* Steady state, two sessions, v5, flow control toggled every round and the pipe full every
 * other round: nothing allocates. */
static void t_no_allocation(enum qb_loop_kind kind)
{
	static uint8_t agg[AGG_XFER];
	const uint8_t ids[2] = { 1, 2 };
	uint8_t in[FAKE_PKT];
	unsigned long before = 0;
	uint32_t seq = 0;
	struct rig r;

	rig_up(&r, kind, 2, true);
	for (unsigned round = 0; round < 24; round++) {
		size_t n;

		if (round == 4)
			before = allocs; /* first rounds may grow stdio or the loop */
		r.modem->cap = round % 2 ? 2 : 0;
		n = put_cmd(agg, 1, QMI_QMAP_CMD_FLOW_DISABLE, round);
		rx(&r, agg, n);
		for (unsigned i = 0; i < 10; i++, seq++) {
			kernel_send(&r, 0, seq, 600);
			kernel_send(&r, 1, seq, 600);
		}
		settle(&r);
		n = put_cmd(agg, 1, QMI_QMAP_CMD_FLOW_ENABLE, round);
		rx(&r, agg, n);
		settle(&r);
		for (unsigned guard = 0; guard < 100; guard++) {
			drain_modem(&r, true);
			if (r.up_next[0] == seq && r.up_next[1] == seq)
				break;
			tx_ready(&r);
			settle(&r);
		}
		cr_assert_eq(r.up_next[0], seq, "round %u", round);
		cr_assert_eq(r.up_next[1], seq, "round %u", round);
		n = dl_agg(agg, sizeof(agg), ids, 2, 5, 0, 1000);
		rx(&r, agg, n);
		settle(&r);
		for (unsigned s = 0; s < 2; s++)
			for (unsigned i = 0; i < 5; i++)
				cr_assert_eq(read(r.sv[s][1], in, sizeof(in)), 1000);
	}
	cr_assert_eq(allocs, before, "%lu allocations in steady state", allocs - before);
	for (unsigned s = 0; s < 2; s++)
		cr_assert_eq(qnet_pump_drops(qnet_pump_stats(r.pump[s])), 0);
	cr_assert_eq(qnet_mux_stats(r.mux)->qmap_cmd_answers_lost, 0);
	rig_down(&r);
}

Test(pump_mux, no_allocation_per_packet_poll)
{
	t_no_allocation(QB_LOOP_POLL);
}
Test(pump_mux, no_allocation_per_packet_uring)
{
	t_no_allocation(QB_LOOP_URING);
}
