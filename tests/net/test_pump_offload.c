/* SPDX-License-Identifier: MIT */
/*
 * The pump's offload path (a TUN with a virtio-net header on every packet) on the pump rig:
 * TSO super-packets cut into MAP v5 frames or raw-IP transfers, downlink TCP segments merged,
 * backpressure in the middle of a cut, and no allocation per packet.
 */
#include "net/offload.h"
#include "pump_rig.h"
#include "qmi/qmap.h"
#include "tcppkt.h"

/* The offload path (a virtio-net header on every TUN packet; it reads in passes, so the poll
 * backend on either loop): a TSO super-packet is cut into MAP v5 frames that ask the modem for
 * the checksum, and the TCP segments of one downlink aggregate go to the TUN as one write. */
#define OFF_ALL (QNET_OFF_VNET | QNET_OFF_CSUM | QNET_OFF_TSO4 | QNET_OFF_TSO6)
static const struct qnet_pump_opts off_opts = { .buf_size = 1600, .offloads = OFF_ALL };
static const struct qnet_pump_qmap off_qmap = { .ul = 1, .dl = 1, .v5 = 1, .ul_max_size = 2000 };
static uint8_t off_super[QNET_VNET_HDR_LEN + 9000], off_agg[8192], off_in[70000];

/* An 8000-byte TCP super-packet (MSS 1000) after its header; its length with the header. */
static size_t off_super_make(void)
{
	const struct qnet_vnet v = {
		QNET_VNET_F_NEEDS_CSUM, QNET_VNET_GSO_TCPV4, 40, 1000, 20, 16
	};
	const struct tcppkt t = { .ipv = 4, .proto = 6, .flags = 0x18, .seq = 1, .pay = 8000 };

	qnet_vnet_put(off_super, &v);
	return QNET_VNET_HDR_LEN + tcppkt_build(off_super + QNET_VNET_HDR_LEN, &t, true);
}

/* Four in-order segments in one v5 aggregate, the modem vouching for each checksum. */
static size_t off_agg_make(void)
{
	uint8_t seg[1100];
	struct qmi_qmap_agg a;
	qmi_qmap_agg_init(&a, off_agg, sizeof(off_agg), 8, 0, true);
	qmi_qmap_agg_set_v5(&a, true, true);
	for (unsigned i = 0; i < 4; i++) {
		const struct tcppkt s = { .ipv = 4,
					  .proto = 6,
					  .flags = 0x10,
					  .ip_id = (uint16_t)i,
					  .seq = i * 1000,
					  .pay = 1000,
					  .pay_off = i * 1000 };

		cr_assert_eq(qmi_qmap_agg_add(&a, seg, tcppkt_build(seg, &s, false)), 0);
	}
	return a.len;
}

/* Segment i as the modem got it: its own transfer; in MAP v5 asking for the checksum, in
 * raw-IP with it complete. */
static void off_check_segment(struct rig *r, unsigned slot, unsigned i, bool qmap)
{
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f = { .pkt = r->modem.pkt[slot], .len = r->modem.len[slot] };
	qmi_qmap_iter_init_v5(&it, r->modem.pkt[slot], r->modem.len[slot]);
	cr_assert(!qmap || qmi_qmap_next(&it, &f) == 1);
	cr_assert(!qmap || (f.csum_hdr && f.csum_valid), "segment %u asks for no checksum", i);
	cr_assert_eq(f.len, 1040);
	cr_assert_eq(tcppkt_get32(f.pkt + 24), 1 + i * 1000);
	cr_assert_eq(f.pkt[33], i == 7 ? 0x18 : 0x10); /* PSH on the last only */
	if (qmap)
		cr_assert_eq(tcppkt_get16(f.pkt + 36), tcppkt_fold(tcppkt_pseudo(f.pkt, 1020)));
	else
		cr_assert(tcppkt_l4_ok(f.pkt, f.len), "segment %u checksum", i);
}

static void t_no_alloc_offloads(enum qb_loop_kind kind, bool inplace)
{
	size_t slen = off_super_make(), alen = off_agg_make();
	unsigned long before = 0;
	struct rig r;
	rig_up_tx(&r, kind, &off_opts, inplace);
	cr_assert_eq(qnet_pump_set_qmap(r.pump, &off_qmap), 0);
	for (unsigned round = 0; round < 40; round++) {
		if (round == 10)
			before = allocs;
		cr_assert_eq(write(r.sv[1], off_super, slen), (ssize_t)slen);
		qnet_pump_data_rx(r.pump, off_agg, alen);
		settle(&r);
		if (round == 0)
			for (unsigned i = 0; i < 8; i++)
				off_check_segment(&r, i, i, true);
		cr_assert_eq(read(r.sv[1], off_in, sizeof(off_in)), QNET_VNET_HDR_LEN + 40 + 4000);
		cr_assert_eq(off_in[1], QNET_VNET_GSO_TCPV4);
		r.modem.count = 0;
	}
	cr_assert_eq(allocs - before, 0, "%lu allocations", allocs - before);
	cr_assert(st(&r)->up_gso_pkts == 40 && st(&r)->up_gso_segs == 320 &&
		  st(&r)->up_pkts == 320);
	cr_assert(st(&r)->down_gro_pkts == 40 && st(&r)->down_gro_segs == 160);
	cr_assert_eq(qnet_pump_drops(st(&r)), 0);
	/* In place: every segment cut straight into the modem's buffer. */
	cr_assert(!inplace || (r.copied == 0 && st(&r)->up_copied_bytes == 0));
	rig_down(&r);
}

Test(pump_poll, no_alloc_per_packet_offloads)
{
	t_no_alloc_offloads(QB_LOOP_POLL, false);
	t_no_alloc_offloads(QB_LOOP_POLL, true);
}

Test(pump_uring, no_alloc_per_packet_offloads)
{
	t_no_alloc_offloads(QB_LOOP_URING, false);
	t_no_alloc_offloads(QB_LOOP_URING, true);
}

/* The modem refuses in the middle of a super-packet: the cut waits in the pump (nothing more
 * is in the TUN to wake it) and goes on at data_tx_ready, in order, nothing lost. */
static void t_cut_resumes(bool qmap, bool inplace)
{
	size_t slen = off_super_make();
	unsigned got = 0, guard = 0;
	struct rig r;
	rig_up_tx(&r, QB_LOOP_POLL, &off_opts, inplace);
	cr_assert(!qmap || qnet_pump_set_qmap(r.pump, &off_qmap) == 0);
	r.modem.cap = 3;
	cr_assert_eq(write(r.sv[1], off_super, slen), (ssize_t)slen);
	settle(&r);
	while (got < 8 && guard++ < 10) {
		cr_assert_gt(r.modem.count, 0);
		for (unsigned i = 0; i < r.modem.count; i++, got++)
			off_check_segment(&r, i, got, qmap);
		r.modem.count = 0;
		qnet_pump_data_tx_ready(r.pump);
		settle(&r);
	}
	cr_assert_eq(got, 8);
	cr_assert_geq(st(&r)->up_paused, 2); /* after 3 and after 6 */
	cr_assert_eq(qnet_pump_drops(st(&r)), 0);
	cr_assert(!inplace || (r.copied == 0 && st(&r)->up_copied_bytes == 0));
	rig_down(&r);
}

Test(pump_poll, offload_cut_resumes_after_backpressure)
{
	t_cut_resumes(true, false);
	t_cut_resumes(false, false);
}

/* The same cut straight into the modem's lent buffer: a refused transfer keeps its segment. */
Test(pump_poll, offload_cut_in_place_resumes_after_backpressure)
{
	t_cut_resumes(true, true);
	t_cut_resumes(false, true);
}
