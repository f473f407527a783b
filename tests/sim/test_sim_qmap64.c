/* SPDX-License-Identifier: MIT */
/*
 * 64 KB downlink aggregates through the in-process transport: with dl-agg=65536 the modem grants
 * (golden bytes) and fills aggregates past 32 KB. The transport hands the host nothing longer than
 * its receive size, as a USB host reads nothing past its transfer: at the 32 KB it starts with the
 * aggregate is lost and counted; once data_set_rx makes the receive transfers 64 KB it arrives
 * and unpacks into every packet, intact and in order. After the resize, traffic allocates nothing.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qmi/qmap.h"
#include "reliability/alloc_fail.h"
#include "qmi/transport.h"
#include "sim/harness.h"

enum {
	PAYLOAD = 1400,
	PER_UL = 16, /* packets per uplink aggregate: two of them fill one downlink aggregate */
	FRAME = 4 + 4 + 28 + PAYLOAD, /* MAP header, v5 checksum header, IPv4 + UDP, payload */
};

/* What the host side of the transport saw: every transfer unpacked as it arrived. */
struct host {
	unsigned transfers, frames, bad;
	size_t largest;
	uint16_t next_port;
};

static void host_ctrl(void *user, const uint8_t *buf, size_t len)
{
	(void)user;
	(void)buf;
	(void)len;
}

static void host_data(void *user, const uint8_t *buf, size_t len)
{
	struct host *o = user;
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;

	o->transfers++;
	if (len > o->largest)
		o->largest = len;
	qmi_qmap_iter_init_v5(&it, buf, len);
	while (qmi_qmap_next(&it, &f) > 0) {
		/* reflected: our source port came back as the destination, in order */
		if (f.kind != QMI_QMAP_DATA || !f.csum_valid || !h_ip_checksums_ok(f.pkt, f.len) ||
		    (f.pkt[22] << 8 | f.pkt[23]) != o->next_port)
			o->bad++;
		o->next_port++;
		o->frames++;
	}
}

static const struct qmi_transport_cbs host_cbs = { .ctrl_rx = host_ctrl, .data_rx = host_data };

struct want {
	uint16_t txn;
	struct qmi_frame f;
};

static bool got_grant(struct harness *hh, void *arg)
{
	struct want *w = arg;

	return h_find_resp(hh, QMI_SVC_WDA, w->txn, &w->f);
}

static struct harness h;
static struct qmi_transport tr;
static struct host host;

static void teardown(void)
{
	qmi_transport_destroy(&tr);
	h_fini(&h);
}

/* MAP v5 with 32 KB downlink aggregates asked; the grant's frame in *grant. Then a call, and
 * the transport in front of the modem with host as its core. */
static void setup(struct want *grant)
{
	/* Uplink limits unsaid: the modem grants its own (32 x 32 KB here). */
	struct qmi_wda_set_data_format_req q = {
		.has_link_layer_protocol = true,
		.link_layer_protocol = QMI_WDA_LINK_LAYER_RAW_IP,
		.has_dl_aggregation_protocol = true,
		.dl_aggregation_protocol = QMI_WDA_AGGREGATION_QMAPV5,
		.has_ul_aggregation_protocol = true,
		.ul_aggregation_protocol = QMI_WDA_AGGREGATION_QMAPV5,
		.has_dl_max_size = true,
		.dl_max_size = 32768
	};
	struct qmi_wds_start_network_req sn = { .has_apn = true, .apn = "internet" };

	memset(&host, 0, sizeof(host));
	host.next_port = 1000;
	h_init(&h, "data=reflect,dl-agg=65536,signal-static");
	qsim_set_data_max(h.sim, QSIM_QMAP_MAX_SIZE); /* as the transport below says */
	grant->txn = h_send(&h, &qmi_wda_set_data_format_req_def, &q, h_alloc(&h, QMI_SVC_WDA));
	cr_assert(h_run_until(&h, got_grant, grant));
	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, h_alloc(&h, QMI_SVC_WDS), NULL,
			    NULL),
		     0);
	cr_assert_eq(qsim_transport_new(h.sim, &tr), 0);
	cr_assert_eq(tr.ops->start(tr.impl, h.loop, &host_cbs, &host), 0);
}

/* Two uplink aggregates of PER_UL packets, sent together: the modem reflects them in one pass,
 * into one downlink aggregate of 2 * PER_UL frames. */
static void burst(uint16_t port)
{
	static uint8_t agg[32768];
	uint8_t pkt[1600];
	struct qmi_qmap_agg a;

	for (int n = 0; n < 2; n++) {
		qmi_qmap_agg_init(&a, agg, sizeof(agg), 32, 0, true);
		qmi_qmap_agg_set_v5(&a, true, true);
		for (int i = 0; i < PER_UL; i++) {
			size_t len = h_udp4(pkt, 0x0A400001, 0x0A400002, port++, 9, PAYLOAD);

			cr_assert_eq(qmi_qmap_agg_add(&a, pkt, len), 0);
		}
		cr_assert_eq(tr.ops->data_send(tr.impl, agg, a.len), 0);
	}
	h_run_for(&h, 30);
}

Test(sim_qmap64, granted_and_lost_in_32k_receive_transfers, .fini = teardown)
{
	static const uint8_t grant_tlvs[] = {
		0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, /* success */
		0x10, 0x01, 0x00, 0x00,                   /* no QoS header */
		0x11, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00, /* raw IP */
		0x12, 0x04, 0x00, 0x09, 0x00, 0x00, 0x00, /* uplink: QMAPv5 */
		0x13, 0x04, 0x00, 0x09, 0x00, 0x00, 0x00, /* downlink: QMAPv5 */
		0x14, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, /* NDP signature */
		0x15, 0x04, 0x00, 0x20, 0x00, 0x00, 0x00, /* 32 datagrams */
		0x16, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, /* 65536 bytes: twice what was asked */
		0x17, 0x04, 0x00, 0x20, 0x00, 0x00, 0x00, /* uplink: 32 datagrams */
		0x18, 0x04, 0x00, 0x00, 0x80, 0x00, 0x00, /* of 32768 bytes */
	};
	const struct qsim_transport_stats *st;
	struct qmi_data_port p;
	struct want grant = { 0 };

	setup(&grant);
	cr_assert_eq(grant.f.tlvs_len, sizeof(grant_tlvs));
	cr_assert_arr_eq(grant.f.tlvs, grant_tlvs, sizeof(grant_tlvs));
	cr_assert_eq(tr.ops->data_port(tr.impl, &p), 0);
	cr_assert_eq(p.rx_size, 32768);
	cr_assert_eq(p.rx_size_max, 65536);
	burst(1000);
	st = qsim_transport_stats(&tr);
	cr_assert_not_null(st);
	cr_assert_eq(host.transfers, 0, "a %zu-byte transfer got through", host.largest);
	cr_assert_eq(st->rx_too_long, 1);
}

Test(sim_qmap64, unpacked_from_64k_receive_transfers_without_allocating, .fini = teardown)
{
	struct want grant = { 0 };
	struct qmi_data_port p;

	setup(&grant);
	cr_assert_eq(tr.ops->data_set_rx(tr.impl, 65536, 16), 0);
	cr_assert_eq(tr.ops->data_set_rx(tr.impl, 65537, 16), -EINVAL);
	cr_assert_eq(tr.ops->data_port(tr.impl, &p), 0);
	cr_assert_eq(p.rx_size, 65536);
	cr_assert_eq(p.rx_count, 16);
	burst(1000);
	cr_assert_eq(host.transfers, 1);
	cr_assert_eq(host.largest, 2 * PER_UL * FRAME, "one aggregate past 32 KB");
	cr_assert_eq(host.frames, 2 * PER_UL);
	cr_assert_eq(host.bad, 0);
	cr_assert_eq(qsim_transport_stats(&tr)->rx_too_long, 0);

	af_arm(0);
	for (int i = 1; i <= 20; i++)
		burst((uint16_t)(1000 + i * 2 * PER_UL));
	af_disarm();
	cr_assert_eq(af_count(), 0, "%lu allocations in steady state", af_count());
	cr_assert_eq(host.transfers, 21);
	cr_assert_eq(host.frames, 21 * 2 * PER_UL);
	cr_assert_eq(host.bad, 0);
}
