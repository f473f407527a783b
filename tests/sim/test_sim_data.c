/* SPDX-License-Identifier: MIT */
/* The data side: echo at the gateway, reflect mode, counters, 802.3 framing; and two modems. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "qmi/errors.h"
#include "sim/harness.h"

static struct harness h;

static void teardown(void)
{
	h_fini(&h);
}

static uint8_t connect_family(struct harness *hh, uint8_t family)
{
	struct qmi_wds_set_ip_family_req fam = { .has_preference = true, .preference = family };
	struct qmi_wds_start_network_req sn = { .has_apn = true, .apn = "internet" };
	struct qmi_ctl_set_data_format_req df = { .has_format = true,
						  .has_protocol = true,
						  .protocol = 2 };
	uint8_t wds;

	cr_assert_eq(h_call(hh, &qmi_ctl_set_data_format_req_def, &df, 0, NULL, NULL), 0);
	wds = h_alloc(hh, QMI_SVC_WDS);
	cr_assert_eq(h_call(hh, &qmi_wds_set_ip_family_req_def, &fam, wds, NULL, NULL), 0);
	cr_assert_eq(h_call(hh, &qmi_wds_start_network_req_def, &sn, wds, NULL, NULL), 0);
	return wds;
}

static const struct h_event *last_data(struct harness *hh)
{
	for (size_t i = hh->n_ev; i-- > 0;)
		if (hh->ev[i].kind == H_DATA)
			return &hh->ev[i];
	return NULL;
}

Test(sim_data, icmp4_echo_at_gateway, .fini = teardown)
{
	uint8_t pkt[256];
	size_t len;
	const struct h_event *e;
	struct qmi_wds_get_packet_statistics_req sq = { .has_mask = true, .mask = 0x3C3 };
	struct qmi_wds_get_packet_statistics_resp sr;
	uint8_t wds;

	h_init(&h, NULL);
	wds = connect_family(&h, 4);
	h_clear(&h);
	len = h_icmp4_echo(pkt, 0x0A400001, 0x0A400002, 0x4242, 7, 56);
	cr_assert(h_ip_checksums_ok(pkt, len), "test packet itself is bad");
	cr_assert_eq(qsim_data_in(h.sim, pkt, len), 0);
	e = last_data(&h);
	cr_assert_not_null(e, "no echo reply");
	cr_assert_eq(e->len, len);
	cr_assert(h_ip_checksums_ok(e->buf, e->len), "bad checksum in the reply");
	cr_assert_eq(e->buf[20], 0, "not an echo reply");
	cr_assert_arr_eq(e->buf + 12, pkt + 16, 4); /* src = old dst */
	cr_assert_arr_eq(e->buf + 16, pkt + 12, 4);
	cr_assert_arr_eq(e->buf + 24, pkt + 24, 4 + 56); /* id, seq and payload kept */
	/* DNS addresses answer too; a random address does not. */
	len = h_icmp4_echo(pkt, 0x0A400001, QSIM_DNS4_PRIMARY, 1, 1, 8);
	h_clear(&h);
	cr_assert_eq(qsim_data_in(h.sim, pkt, len), 0);
	cr_assert_not_null(last_data(&h));
	len = h_icmp4_echo(pkt, 0x0A400001, 0x08080808, 1, 2, 8);
	h_clear(&h);
	cr_assert_eq(qsim_data_in(h.sim, pkt, len), 0);
	cr_assert_null(last_data(&h));
	/* A source address no call owns is not routed. */
	len = h_icmp4_echo(pkt, 0x0A400009, 0x0A400002, 1, 3, 8);
	cr_assert_eq(qsim_data_in(h.sim, pkt, len), -ENETDOWN);
	/* Packet statistics come from the data side. */
	cr_assert_eq(h_call(&h, &qmi_wds_get_packet_statistics_req_def, &sq, wds,
			    &qmi_wds_get_packet_statistics_resp_def, &sr),
		     0);
	cr_assert(sr.has_tx_packets_ok && sr.has_rx_packets_ok);
	/* The packet to 8.8.8.8 was dropped by the network: dropped, not OK as well. */
	cr_assert_eq(sr.tx_packets_ok, 2);
	cr_assert_eq(sr.rx_packets_ok, 2);
	cr_assert(sr.has_tx_packets_dropped);
	cr_assert_eq(sr.tx_packets_dropped, 1);
	cr_assert(sr.has_tx_bytes_ok);
	cr_assert_eq(sr.tx_bytes_ok, 84 + 36);
}

static unsigned count_data(const struct harness *hh)
{
	unsigned n = 0;

	for (size_t i = 0; i < hh->n_ev; i++)
		n += hh->ev[i].kind == H_DATA;
	return n;
}

/* data-reorder-every=3: the 3rd and 6th replies are held back and delivered right after the one
 * that follows them, so the host sees seq 1 2 4 3 5 7 6; nothing is lost. */
Test(sim_data, reorder_swaps_with_the_next_packet, .fini = teardown)
{
	static const uint16_t want[] = { 1, 2, 4, 3, 5, 7, 6 };
	uint8_t pkt[256];
	size_t len, n = 0;

	h_init(&h, "data-reorder-every=3");
	connect_family(&h, 4);
	h_clear(&h);
	for (uint16_t seq = 1; seq <= 7; seq++) {
		len = h_icmp4_echo(pkt, 0x0A400001, 0x0A400002, 0x4242, seq, 56);
		cr_assert_eq(qsim_data_in(h.sim, pkt, len), 0);
	}
	for (size_t i = 0; i < h.n_ev; i++) {
		const struct h_event *e = &h.ev[i];

		if (e->kind != H_DATA)
			continue;
		cr_assert_lt(n, sizeof(want) / sizeof(want[0]), "more replies than requests");
		cr_assert_eq(e->buf[26] << 8 | e->buf[27], want[n], "reply %zu", n);
		n++;
	}
	cr_assert_eq(n, 7, "got %zu replies", n);
}

/* A gateway-mode flood: every packet the host sends from its address is counted once, as OK
 * when it was answered (and so reached the host) or as dropped when the network lost it. */
Test(sim_data, counters_under_load_add_up, .fini = teardown)
{
	struct qmi_wds_get_packet_statistics_req sq = { .has_mask = true, .mask = 0x303 };
	struct qmi_wds_get_packet_statistics_resp sr;
	const unsigned total = 40000;
	unsigned delivered = 0, refused = 0;
	uint8_t pkt[256], wds;

	h_init(&h, NULL);
	wds = connect_family(&h, 4);
	h_clear(&h);
	for (unsigned i = 0; i < total; i++) {
		size_t len;

		switch (i % 4) {
		case 0: /* the gateway answers */
			len = h_icmp4_echo(pkt, 0x0A400001, 0x0A400002, 1, (uint16_t)i, 56);
			break;
		case 1: /* the DNS address answers */
			len = h_icmp4_echo(pkt, 0x0A400001, QSIM_DNS4_PRIMARY, 1, (uint16_t)i, 8);
			break;
		case 2: /* nobody answers in gateway mode */
			len = h_icmp4_echo(pkt, 0x0A400001, 0x08080808, 1, (uint16_t)i, 8);
			break;
		default:
			len = h_udp4(pkt, 0x0A400001, 0x08080808, 4000, 53, 32);
			break;
		}
		refused += qsim_data_in(h.sim, pkt, len) != 0;
		if (h.n_ev > H_MAX_EVENTS / 2) {
			delivered += count_data(&h);
			h_clear(&h);
		}
	}
	delivered += count_data(&h);
	h_clear(&h);
	cr_assert_eq(refused, 0);
	cr_assert_eq(delivered, total / 2, "%u replies reached the host", delivered);
	cr_assert_eq(h_call(&h, &qmi_wds_get_packet_statistics_req_def, &sq, wds,
			    &qmi_wds_get_packet_statistics_resp_def, &sr),
		     0);
	cr_assert(sr.has_tx_packets_ok && sr.has_tx_packets_dropped);
	cr_assert(sr.has_rx_packets_ok && sr.has_rx_packets_dropped);
	cr_assert_eq(sr.tx_packets_ok, delivered, "TX OK %u, delivered %u", sr.tx_packets_ok,
		     delivered);
	cr_assert_eq(sr.tx_packets_dropped, total - delivered, "TX dropped %u",
		     sr.tx_packets_dropped);
	cr_assert_eq(sr.tx_packets_ok + sr.tx_packets_dropped, total);
	cr_assert_eq(sr.rx_packets_ok, delivered);
	cr_assert_eq(sr.rx_packets_dropped, 0);
}

Test(sim_data, icmp6_echo_at_gateway, .fini = teardown)
{
	uint8_t pkt[256], host[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	uint8_t gw[16];
	size_t len;
	const struct h_event *e;

	memcpy(gw, host, 16);
	gw[15] = 2;
	h_init(&h, NULL);
	connect_family(&h, 6);
	h_clear(&h);
	len = h_icmp6_echo(pkt, host, gw, 9, 1, 32);
	cr_assert(h_ip_checksums_ok(pkt, len));
	cr_assert_eq(qsim_data_in(h.sim, pkt, len), 0);
	e = last_data(&h);
	cr_assert_not_null(e);
	cr_assert(h_ip_checksums_ok(e->buf, e->len), "bad ICMPv6 checksum");
	cr_assert_eq(e->buf[40], 129);
	cr_assert_arr_eq(e->buf + 8, gw, 16);
	cr_assert_arr_eq(e->buf + 24, host, 16);
}

Test(sim_data, no_call_no_traffic, .fini = teardown)
{
	uint8_t pkt[128];
	size_t len = h_icmp4_echo(pkt, 0x0A400001, 0x0A400002, 1, 1, 8);

	struct qmi_ctl_set_data_format_req df = { .has_format = true,
						  .has_protocol = true,
						  .protocol = 2 };

	h_init(&h, NULL);
	cr_assert_eq(h_call(&h, &qmi_ctl_set_data_format_req_def, &df, 0, NULL, NULL), 0);
	cr_assert_eq(qsim_data_in(h.sim, pkt, len), -ENETDOWN);
	cr_assert_eq(qsim_data_in(h.sim, pkt, 10), -EBADMSG);
	cr_assert_null(last_data(&h));
}

Test(sim_data, reflect_swaps_udp, .fini = teardown)
{
	uint8_t pkt[1600];
	size_t len;
	const struct h_event *e;

	h_init(&h, "data=reflect");
	connect_family(&h, 4);
	h_clear(&h);
	len = h_udp4(pkt, 0x0A400001, 0xC0000201, 40000, 9, 1472);
	cr_assert(h_ip_checksums_ok(pkt, len));
	cr_assert_eq(qsim_data_in(h.sim, pkt, len), 0);
	e = last_data(&h);
	cr_assert_not_null(e);
	cr_assert_eq(e->len, 1500);
	cr_assert(h_ip_checksums_ok(e->buf, e->len));
	cr_assert_arr_eq(e->buf + 12, pkt + 16, 4);
	cr_assert_arr_eq(e->buf + 16, pkt + 12, 4);
	cr_assert_eq(e->buf[20] << 8 | e->buf[21], 9);
	cr_assert_eq(e->buf[22] << 8 | e->buf[23], 40000);
	cr_assert_arr_eq(e->buf + 28, pkt + 28, 1472);
}

static void fwd(void *user, const uint8_t *pkt, size_t len)
{
	size_t *n = user;

	(*n)++;
}

Test(sim_data, forward_mode, .fini = teardown)
{
	uint8_t pkt[256];
	size_t len, forwarded = 0;

	h_init(&h, NULL);
	connect_family(&h, 4);
	qsim_set_data_mode(h.sim, QSIM_DATA_FORWARD);
	qsim_set_forward(h.sim, fwd, &forwarded);
	h_clear(&h);
	len = h_udp4(pkt, 0x0A400001, 0xC0000201, 1, 2, 10);
	cr_assert_eq(qsim_data_in(h.sim, pkt, len), 0);
	cr_assert_eq(forwarded, 1);
	cr_assert_null(last_data(&h));
	/* The gateway still answers pings itself. */
	len = h_icmp4_echo(pkt, 0x0A400001, 0x0A400002, 1, 1, 8);
	cr_assert_eq(qsim_data_in(h.sim, pkt, len), 0);
	cr_assert_eq(forwarded, 1);
	cr_assert_not_null(last_data(&h));
	/* From the operator network to the host. */
	h_clear(&h);
	len = h_udp4(pkt, 0xC0000201, 0x0A400001, 2, 1, 10);
	cr_assert_eq(qsim_net_in(h.sim, pkt, len), 0);
	cr_assert_not_null(last_data(&h));
	len = h_udp4(pkt, 0xC0000201, 0x0A400005, 2, 1, 10);
	cr_assert_eq(qsim_net_in(h.sim, pkt, len), -ENETDOWN);
}

Test(sim_data, ethernet_framing_in_802_3, .fini = teardown)
{
	uint8_t frame[300];
	size_t len;
	const struct h_event *e;
	struct qmi_ctl_set_data_format_req q = { .has_format = true,
						 .has_protocol = true,
						 .protocol = 1 };

	h_init(&h, NULL);
	connect_family(&h, 4);
	cr_assert_eq(h_call(&h, &qmi_ctl_set_data_format_req_def, &q, 0, NULL, NULL), 0);
	h_clear(&h);
	memset(frame, 0, 14);
	frame[12] = 0x08;
	len = 14 + h_icmp4_echo(frame + 14, 0x0A400001, 0x0A400002, 1, 1, 16);
	cr_assert_eq(qsim_data_in(h.sim, frame, len), 0);
	e = last_data(&h);
	cr_assert_not_null(e);
	cr_assert_eq(e->len, len);
	cr_assert_eq(e->buf[12], 0x08);
	cr_assert_eq(e->buf[13], 0x00);
	cr_assert(h_ip_checksums_ok(e->buf + 14, e->len - 14));
}

Test(sim_multi, two_modems_are_independent)
{
	struct harness a, b;
	struct qmi_ctl_allocate_cid_req q = { .has_service = true, .service = QMI_SVC_NAS };
	uint8_t da, db;

	h_init(&a, "cid-limit=1");
	h_init(&b, "sim-absent");
	h_alloc(&a, QMI_SVC_NAS);
	cr_assert_eq(h_call(&a, &qmi_ctl_allocate_cid_req_def, &q, 0, NULL, NULL),
		     QMI_ERR_CLIENT_IDS_EXHAUSTED);
	for (int i = 0; i < 5; i++)
		h_alloc(&b, QMI_SVC_NAS);
	cr_assert_eq(qsim_cid_count(a.sim, QMI_SVC_NAS), 1);
	cr_assert_eq(qsim_cid_count(b.sim, QMI_SVC_NAS), 5);
	da = h_alloc(&a, QMI_SVC_DMS);
	db = h_alloc(&b, QMI_SVC_DMS);
	cr_assert_eq(h_call(&a, &qmi_dms_uim_get_iccid_req_def, NULL, da, NULL, NULL), 0);
	cr_assert_eq(h_call(&b, &qmi_dms_uim_get_iccid_req_def, NULL, db, NULL, NULL),
		     QMI_ERR_UIM_UNINITIALIZED);
	/* b's outputs never show up at a. */
	for (size_t i = 0; i < a.n_ev; i++) {
		struct qmi_frame f;

		if (a.ev[i].kind == H_CTRL && a.ev[i].len &&
		    qmi_frame_parse(a.ev[i].buf, a.ev[i].len, &f, NULL) == 0 &&
		    f.service == QMI_SVC_DMS) {
			struct qmi_result r;

			cr_assert_eq(qmi_result_get(&f, &r), 0);
			cr_assert_eq(r.error, 0);
		}
	}
	h_fini(&a);
	h_fini(&b);
}
