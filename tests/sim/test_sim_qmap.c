/* SPDX-License-Identifier: MIT */
/*
 * The software modem with QMAP: WDA Set Data Format grants aggregation with its own limits and
 * reports them; uplink aggregates are split (bad frames, commands and foreign mux ids counted,
 * the good frames around them kept); downlink replies are packed into one aggregate per batch,
 * within the granted limits, and held while the transport is busy. MAP v5 (protocol 9) and 32 KB
 * aggregates where the transport carries them; the flow-control=MS knob's commands.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/qmap.h"
#include "sim/harness.h"
#include "wda_qmap5.h"

static struct harness h;

/* Our own data output, installed after the control setup through the harness. */
struct cap {
	struct qsim_output out;
	bool busy;
	unsigned n;
	size_t len[16];
	uint8_t buf[16][QSIM_QMAP_MAX_SIZE];
};

static struct cap *cap;

static void teardown(void)
{
	h_fini(&h);
	free(cap);
}

static void cap_ctrl(void *user, const uint8_t *f, size_t len)
{
	(void)user;
	(void)f;
	(void)len;
}
static void cap_notify(void *user)
{
	(void)user;
}

static void cap_data(void *user, const uint8_t *pkt, size_t len)
{
	struct cap *c = user;

	cr_assert_lt(c->n, 16);
	memcpy(c->buf[c->n], pkt, len);
	c->len[c->n++] = len;
}

static bool cap_busy(void *user)
{
	return ((struct cap *)user)->busy;
}

static void set_format(const struct qmi_wda_set_data_format_req *q,
		       struct qmi_wda_set_data_format_resp *r, int want_err)
{
	uint8_t wda = h_alloc(&h, QMI_SVC_WDA);

	cr_assert_eq(h_call(&h, &qmi_wda_set_data_format_req_def, q, wda,
			    &qmi_wda_set_data_format_resp_def, r),
		     want_err);
}

static void start_call(void)
{
	struct qmi_wds_start_network_req sn = { .has_apn = true, .apn = "internet" };
	uint8_t wds = h_alloc(&h, QMI_SVC_WDS);

	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, wds, NULL, NULL), 0);
}

/* With call: a call on the default data port, and our data output installed (no more control
 * calls then); without: neither. */
static struct qmi_wda_set_data_format_resp setup_qmap_with(uint32_t dl_dgrams, uint32_t dl_size,
							   uint32_t proto, const char *faults,
							   bool call)
{
	struct qmi_wda_set_data_format_req q = {
		.has_link_layer_protocol = true,
		.link_layer_protocol = 2,
		.has_ul_aggregation_protocol = true,
		.ul_aggregation_protocol = proto,
		.has_dl_aggregation_protocol = true,
		.dl_aggregation_protocol = proto,
		.has_dl_max_datagrams = true,
		.dl_max_datagrams = dl_dgrams,
		.has_dl_max_size = true,
		.dl_max_size = dl_size,
		.has_ul_max_datagrams = true,
		.ul_max_datagrams = 32,
		.has_ul_max_size = true,
		.ul_max_size = dl_size,
	};
	struct qmi_wda_set_data_format_resp r;

	h_init(&h, faults);
	qsim_set_data_max(h.sim, QSIM_QMAP_MAX_SIZE); /* as the in-process transport does */
	qsim_set_data_iface(h.sim, 4);                /* an EC25's QMI function */
	set_format(&q, &r, 0);
	if (call)
		start_call();
	cap = calloc(1, sizeof(*cap));
	cr_assert_not_null(cap);
	cap->out = (struct qsim_output){ cap_ctrl, cap_notify, cap_data, cap_busy };
	if (call)
		qsim_set_output(h.sim, &cap->out, cap);
	return r;
}

static void setup_qmap(uint32_t dl_dgrams, uint32_t dl_size)
{
	setup_qmap_with(dl_dgrams, dl_size, 5, "data=reflect", true);
}

Test(sim_qmap, grants_within_its_limits, .fini = teardown)
{
	struct qmi_wda_set_data_format_req q = {
		.has_link_layer_protocol = true,
		.link_layer_protocol = 2,
		.has_ul_aggregation_protocol = true,
		.ul_aggregation_protocol = 5,
		.has_dl_aggregation_protocol = true,
		.dl_aggregation_protocol = 5,
		.has_dl_max_datagrams = true,
		.dl_max_datagrams = 1000,
		.has_dl_max_size = true,
		.dl_max_size = 65536,
		.has_ul_max_datagrams = true,
		.ul_max_datagrams = 11,
		.has_ul_max_size = true,
		.ul_max_size = 8192,
	};
	struct qmi_wda_set_data_format_resp r;
	struct qmi_wda_get_data_format_resp g;
	uint8_t wda;

	h_init(&h, NULL);
	set_format(&q, &r, 0);
	cr_assert_eq(r.ul_aggregation_protocol, 5);
	cr_assert_eq(r.dl_aggregation_protocol, 5);
	cr_assert_eq(r.dl_max_datagrams, QSIM_QMAP_MAX_DGRAMS); /* capped */
	cr_assert_eq(r.dl_max_size, QSIM_DATA_MAX_DEFAULT);     /* what this output carries */
	cr_assert(r.has_ul_max_datagrams && r.has_ul_max_size);
	cr_assert_eq(r.ul_max_datagrams, 11); /* the host's wish, within the modem's */
	cr_assert_eq(r.ul_max_size, 8192);
	wda = h_alloc(&h, QMI_SVC_WDA);
	cr_assert_eq(h_call(&h, &qmi_wda_get_data_format_req_def, NULL, wda,
			    &qmi_wda_get_data_format_resp_def, &g),
		     0);
	cr_assert_eq(g.dl_aggregation_protocol, 5);
	/* QMAP over 802.3, and aggregation protocols it does not speak, are refused. */
	q.link_layer_protocol = 1;
	set_format(&q, &r, QMI_ERR_INVALID_ARGUMENT);
	q.link_layer_protocol = 2;
	q.dl_aggregation_protocol = 9; /* QMAPv5 one way, v1 the other */
	set_format(&q, &r, QMI_ERR_INVALID_ARGUMENT);
	q.dl_aggregation_protocol = 8; /* QMAPv4: not spoken */
	set_format(&q, &r, QMI_ERR_INVALID_ARGUMENT);
	/* Back to plain raw-IP. */
	q.ul_aggregation_protocol = q.dl_aggregation_protocol = 0;
	set_format(&q, &r, 0);
	cr_assert_eq(r.dl_aggregation_protocol, 0);
	cr_assert_not(r.has_ul_max_datagrams);
}

/* qmap-v1 and qmap-max=N: two hosts that ask differently (qmiusb: v5, 32 KB; qmicli for the
 * kernel's qmimux: v1, 16 KB) end with the same grant, as the VM benchmark needs. */
Test(sim_qmap, grant_knobs, .fini = teardown)
{
	struct qmi_wda_set_data_format_req q = {
		.has_link_layer_protocol = true,
		.link_layer_protocol = 2,
		.has_ul_aggregation_protocol = true,
		.ul_aggregation_protocol = 9,
		.has_dl_aggregation_protocol = true,
		.dl_aggregation_protocol = 9,
		.has_dl_max_size = true,
		.dl_max_size = 32768,
		.has_ul_max_size = true,
		.ul_max_size = 32768,
	};
	struct qmi_wda_set_data_format_resp r;

	h_init(&h, "qmap-v1,qmap-max=16384");
	qsim_set_data_max(h.sim, QSIM_QMAP_MAX_SIZE);
	set_format(&q, &r, QMI_ERR_INVALID_ARGUMENT); /* v5 refused */
	q.ul_aggregation_protocol = q.dl_aggregation_protocol = 5;
	set_format(&q, &r, 0);
	cr_assert_eq(r.dl_aggregation_protocol, 5);
	cr_assert_eq(r.dl_max_size, 16384);
	cr_assert_eq(r.ul_max_size, 16384);
	q.dl_max_size = 4096; /* below the cap: the host's wish */
	set_format(&q, &r, 0);
	cr_assert_eq(r.dl_max_size, 4096);
}

static size_t udp(uint8_t *buf, uint16_t port, size_t payload)
{
	return h_udp4(buf, 0x0A400001, 0x0A400002, port, 9, payload);
}

Test(sim_qmap, uplink_split_and_downlink_packed, .fini = teardown)
{
	static uint8_t agg[QSIM_QMAP_MAX_SIZE];
	uint8_t pkt[1600];
	struct qmi_qmap_agg a;
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;
	struct qsim_stats st;
	unsigned frames = 0;
	size_t len;
	int r;

	setup_qmap(32, 16384);
	qmi_qmap_agg_init(&a, agg, sizeof(agg), 64, 0, true);
	for (uint16_t i = 0; i < 5; i++) {
		len = udp(pkt, (uint16_t)(1000 + i), 100 + i * 300);
		cr_assert_eq(qmi_qmap_agg_add(&a, pkt, len), 0);
	}
	/* A command frame, a frame for mux id 9 and an empty one sit between good frames. */
	cr_assert_eq(qmi_qmap_put_hdr(agg + a.len, true, 0, 0, 4), 0);
	memset(agg + a.len + 4, 0, 4);
	a.len += 8;
	len = udp(pkt, 2000, 40);
	cr_assert_eq(qmi_qmap_put_hdr(agg + a.len, false, 9, 0, len), 0);
	memcpy(agg + a.len + 4, pkt, len);
	a.len += 4 + len;
	memset(agg + a.len, 0, 4);
	a.len += 4;
	len = udp(pkt, 1005, 64);
	a.frames = 0;
	cr_assert_eq(qmi_qmap_agg_add(&a, pkt, len), 0);

	cr_assert_eq(qsim_data_in(h.sim, agg, a.len), -EBADMSG);
	/* Outside a transport batch the whole transfer's replies still leave as one aggregate. */
	cr_assert_eq(cap->n, 1);
	qmi_qmap_iter_init(&it, cap->buf[0], cap->len[0]);
	while ((r = qmi_qmap_next(&it, &f)) > 0) {
		cr_assert_eq(f.kind, QMI_QMAP_DATA);
		cr_assert_eq(f.mux_id, 0);
		cr_assert(h_ip_checksums_ok(f.pkt, f.len));
		/* reflected: ports swapped, our source port came back as the destination */
		cr_assert_eq(f.pkt[22] << 8 | f.pkt[23], frames < 5 ? 1000 + frames : 1005);
		frames++;
	}
	cr_assert_eq(r, 0);
	cr_assert_eq(frames, 6);
	qsim_get_stats(h.sim, &st);
	cr_assert_eq(st.qmap_in_aggs, 1);
	cr_assert_eq(st.qmap_in_commands, 1);
	cr_assert_eq(st.qmap_in_bad, 2); /* mux 9, empty */
	cr_assert_eq(st.qmap_out_aggs, 1);

	/* A truncated tail costs only itself. */
	qmi_qmap_agg_reset(&a);
	len = udp(pkt, 3000, 10);
	cr_assert_eq(qmi_qmap_agg_add(&a, pkt, len), 0);
	cr_assert_eq(qsim_data_in(h.sim, agg, a.len + 3), -EBADMSG);
	cr_assert_eq(cap->n, 2);
}

Test(sim_qmap, downlink_respects_limits_and_waits_for_a_free_transfer, .fini = teardown)
{
	uint8_t pkt[1600];
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;
	struct qsim_stats st;
	unsigned total = 0;
	size_t len;

	setup_qmap(4, 4096);
	/* The transport asks to wait: replies are packed, and only full aggregates leave. */
	cap->busy = true;
	qsim_data_batch_begin(h.sim);
	for (uint16_t i = 0; i < 10; i++) {
		uint8_t one[1700];
		struct qmi_qmap_agg a;

		qmi_qmap_agg_init(&a, one, sizeof(one), 1, 0, false);
		len = udp(pkt, (uint16_t)(100 + i), 1000);
		cr_assert_eq(qmi_qmap_agg_add(&a, pkt, len), 0);
		cr_assert_eq(qsim_data_in(h.sim, one, a.len), 0);
	}
	qsim_data_batch_end(h.sim);
	/* 4096 bytes hold three 1032-byte frames: three full aggregates, one packet waiting. */
	cr_assert_eq(cap->n, 3);
	cap->busy = false;
	qsim_data_flush(h.sim);
	cr_assert_eq(cap->n, 4);
	for (unsigned t = 0; t < cap->n; t++) {
		unsigned frames = 0;

		cr_assert_leq(cap->len[t], 4096);
		qmi_qmap_iter_init(&it, cap->buf[t], cap->len[t]);
		while (qmi_qmap_next(&it, &f) > 0) {
			cr_assert_eq(f.pkt[22] << 8 | f.pkt[23], 100 + total);
			frames++;
			total++;
		}
		cr_assert_leq(frames, 4);
		cr_assert_geq(frames, 1);
	}
	qsim_get_stats(h.sim, &st);
	cr_assert_eq(total, 10);
	cr_assert_eq(st.qmap_out_dropped, 0);
	cr_assert_eq(st.qmap_out_aggs, 4);
}

/* Asked for MAP v5 and 32 KB: granted (the transport carries it); uplink v5 frames are split,
 * the replies come back as one 32 KB-bounded v5 aggregate, every frame marked checksum-valid. */
Test(sim_qmap, v5_and_32k_aggregates, .fini = teardown)
{
	static uint8_t agg[QSIM_QMAP_MAX_SIZE];
	struct qmi_wda_set_data_format_resp r;
	uint8_t pkt[1600];
	struct qmi_qmap_agg a;
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;
	struct qsim_stats st;
	unsigned frames = 0;
	int ret;

	r = setup_qmap_with(32, 32768, 9, "data=reflect", true);
	cr_assert_eq(r.ul_aggregation_protocol, 9);
	cr_assert_eq(r.dl_aggregation_protocol, 9);
	cr_assert_eq(r.dl_max_size, 32768);
	cr_assert_eq(r.ul_max_size, 32768);
	qmi_qmap_agg_init(&a, agg, sizeof(agg), 32, 0, true);
	qmi_qmap_agg_set_v5(&a, true, true);
	for (uint16_t i = 0; i < 20; i++) {
		size_t len = udp(pkt, (uint16_t)(1000 + i), 1400);

		cr_assert_eq(qmi_qmap_agg_add(&a, pkt, len), 0);
	}
	cr_assert_gt(a.len, 16384);
	cr_assert_eq(qsim_data_in(h.sim, agg, a.len), 0);
	cr_assert_eq(cap->n, 1, "one aggregate of %zu bytes", cap->len[0]);
	cr_assert_gt(cap->len[0], 16384);
	qmi_qmap_iter_init_v5(&it, cap->buf[0], cap->len[0]);
	while ((ret = qmi_qmap_next(&it, &f)) > 0) {
		cr_assert_eq(f.kind, QMI_QMAP_DATA);
		cr_assert(f.csum_hdr && f.csum_valid);
		cr_assert(h_ip_checksums_ok(f.pkt, f.len));
		cr_assert_eq(f.pkt[22] << 8 | f.pkt[23], 1000 + frames);
		frames++;
	}
	cr_assert_eq(ret, 0);
	cr_assert_eq(frames, 20);
	qsim_get_stats(h.sim, &st);
	cr_assert_eq(st.qmap_in_csum_req, 20);
	cr_assert_eq(st.qmap_in_bad, 0);
	/* A v1 frame (no checksum header) is not v5 data. */
	qmi_qmap_agg_init(&a, agg, sizeof(agg), 32, 0, true);
	cr_assert_eq(qmi_qmap_agg_add(&a, pkt, udp(pkt, 7, 10)), 0);
	cr_assert_eq(qsim_data_in(h.sim, agg, a.len), -EBADMSG);
}

static bool two_commands(struct harness *hh, void *arg)
{
	(void)hh;
	(void)arg;
	return cap->n >= 2;
}

/* flow-control=MS: disable, then enable, each a command frame of its own for mux id 0; the
 * host's acks and the data it sent while disabled are counted. */
Test(sim_qmap, flow_control_knob, .fini = teardown)
{
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;
	struct qmi_qmap_cmd c;
	struct qsim_stats st;
	uint8_t ack[64], pkt[1600], one[1700];
	struct qmi_qmap_agg a;
	int n;

	setup_qmap_with(32, 16384, 5, "data=reflect,flow-control=20", true);
	cr_assert(h_run_until(&h, two_commands, NULL));
	for (unsigned i = 0; i < 2; i++) {
		qmi_qmap_iter_init(&it, cap->buf[i], cap->len[i]);
		cr_assert_eq(qmi_qmap_next(&it, &f), 1);
		cr_assert_eq(f.kind, QMI_QMAP_COMMAND);
		cr_assert_eq(f.mux_id, 0);
		cr_assert_eq(qmi_qmap_cmd_parse(f.pkt, f.len, &c), 0);
		cr_assert_eq(c.type, QMI_QMAP_CMD_REQUEST);
		cr_assert_eq(c.name, i ? QMI_QMAP_CMD_FLOW_ENABLE : QMI_QMAP_CMD_FLOW_DISABLE);
		n = qmi_qmap_cmd_answer(ack, sizeof(ack), 0, f.pkt, f.len, QMI_QMAP_CMD_ACK);
		cr_assert_gt(n, 0);
		cr_assert_eq(qmi_qmap_next(&it, &f), 0); /* a transfer of its own */
		cr_assert_eq(qsim_data_in(h.sim, ack, (size_t)n), 0);
	}
	qsim_get_stats(h.sim, &st);
	cr_assert_geq(st.qmap_out_commands, 2);
	cr_assert_eq(st.qmap_in_acks, 2);
	/* Stop the knob at an odd command (disabled): data now counts as sent while off. */
	while (st.qmap_out_commands % 2 == 0) {
		h_run_for(&h, 5);
		qsim_get_stats(h.sim, &st);
	}
	qmi_qmap_agg_init(&a, one, sizeof(one), 1, 0, true);
	cr_assert_eq(qmi_qmap_agg_add(&a, pkt, udp(pkt, 5, 100)), 0);
	cr_assert_eq(qsim_data_in(h.sim, one, a.len), 0);
	qsim_get_stats(h.sim, &st);
	cr_assert_eq(st.qmap_in_flow_off, 1);
}

static uint16_t bind_mux(uint8_t wds, uint8_t mux_id)
{
	struct qmi_wds_bind_mux_data_port_req b = {
		.has_endpoint = true,
		.endpoint = { .type = QMI_DATA_ENDPOINT_HSUSB, .interface_number = 4 },
		.has_mux_id = true,
		.mux_id = mux_id,
	};

	return (uint16_t)h_call(&h, &qmi_wds_bind_mux_data_port_req_def, &b, wds, NULL, NULL);
}

static size_t v5_frame(uint8_t *at, uint8_t mux_id, uint32_t src, uint16_t port)
{
	uint8_t pkt[200];
	struct qmi_qmap_agg a;
	size_t len = h_udp4(pkt, src, 0x0A400002, port, 9, 40);

	qmi_qmap_agg_init(&a, at, 300, 1, mux_id, true);
	qmi_qmap_agg_set_v5(&a, true, false);
	cr_assert_eq(qmi_qmap_agg_add(&a, pkt, len), 0);
	return a.len;
}

/* Bind Mux Data Port gives each WDS client's call its own mux id: uplink on a mux id is
 * accepted only from the call bound to it (and never on a mux id nobody bound); the replies
 * come back on the session's mux id. */
Test(sim_qmap, bind_mux_data_port_sessions, .fini = teardown)
{
	struct qmi_wds_start_network_req sn = { .has_apn = true, .apn = "internet" };
	static uint8_t agg[2048];
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;
	struct qsim_stats st;
	uint8_t a, b, c;
	size_t n = 0;
	unsigned got = 0;

	setup_qmap_with(32, 16384, 9, "data=reflect", false);
	a = h_alloc(&h, QMI_SVC_WDS);
	b = h_alloc(&h, QMI_SVC_WDS);
	c = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(bind_mux(a, 0), QMI_ERR_INVALID_ARGUMENT); /* the default port: no binding */
	cr_assert_eq(bind_mux(a, 1), 0);
	cr_assert_eq(bind_mux(b, 1), 0); /* one PDN's clients (IPv4, IPv6) share a mux id */
	cr_assert_eq(bind_mux(b, 2), 0);
	cr_assert_eq(h_call(&h, &qmi_wds_bind_mux_data_port_req_def,
			    &(struct qmi_wds_bind_mux_data_port_req){ 0 }, c, NULL, NULL),
		     QMI_ERR_MISSING_ARGUMENT);
	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, a, NULL, NULL),
		     0); /* slot 0 */
	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, b, NULL, NULL),
		     0);                                         /* slot 1 */
	cr_assert_eq(bind_mux(a, 3), QMI_ERR_INVALID_OPERATION); /* not while connected */
	qsim_set_output(h.sim, &cap->out, cap);

	n += v5_frame(agg + n, 1, 0x0A400001, 101); /* a's address on a's mux id */
	n += v5_frame(agg + n, 2, 0x0A400005, 102); /* b's on b's */
	n += v5_frame(agg + n, 1, 0x0A400005, 103); /* b's address on a's mux id: not routed */
	n += v5_frame(agg + n, 3, 0x0A400001, 104); /* nobody's mux id */
	n += v5_frame(agg + n, 0, 0x0A400001, 105); /* the default port: a is not on it */
	cr_assert_lt(qsim_data_in(h.sim, agg, n), 0);
	cr_assert_eq(cap->n, 1);
	qmi_qmap_iter_init_v5(&it, cap->buf[0], cap->len[0]);
	while (qmi_qmap_next(&it, &f) > 0) {
		cr_assert_eq(f.kind, QMI_QMAP_DATA);
		cr_assert_eq(f.mux_id, got ? 2 : 1);
		cr_assert_eq(f.pkt[22] << 8 | f.pkt[23], got ? 102 : 101);
		got++;
	}
	cr_assert_eq(got, 2);
	qsim_get_stats(h.sim, &st);
	cr_assert_eq(st.qmap_in_bad, 1);     /* mux id 3 */
	cr_assert_eq(st.data_in_dropped, 2); /* 103 and 105 */
}

struct want_resp {
	uint8_t svc;
	uint16_t txn;
	struct qmi_frame f;
};

static bool got_resp(struct harness *hh, void *arg)
{
	struct want_resp *w = arg;

	return h_find_resp(hh, w->svc, w->txn, &w->f);
}

/* The negotiation on the wire: WDA Set Data Format asking for MAP v5 with 32 KB downlink
 * aggregates and the endpoint info, the grant, and Bind Mux Data Port. */
Test(sim_qmap, negotiation_bytes, .fini = teardown)
{
	static const uint8_t req_tlvs[] = {
		0x11, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00, /* raw IP */
		0x12, 0x04, 0x00, 0x09, 0x00, 0x00, 0x00, /* uplink: QMAPv5 */
		0x13, 0x04, 0x00, 0x09, 0x00, 0x00, 0x00, /* downlink: QMAPv5 */
		0x15, 0x04, 0x00, 0x20, 0x00, 0x00, 0x00, /* 32 datagrams */
		0x16, 0x04, 0x00, 0x00, 0x80, 0x00, 0x00, /* 32768 bytes */
		0x17, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, /* HSUSB, if 4 */
		0x1B, 0x04, 0x00, 0x10, 0x00, 0x00, 0x00, /* uplink: 16 datagrams */
		0x1C, 0x04, 0x00, 0x00, 0x40, 0x00, 0x00, /* 16384 bytes */
	};
	static const uint8_t
		grant_tlvs[] = {
			0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, /* success */
			0x10, 0x01, 0x00, 0x00, 0x11, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00,
			0x12, 0x04, 0x00, 0x09, 0x00, 0x00, 0x00, 0x13, 0x04, 0x00, 0x09,
			0x00, 0x00, 0x00, 0x14, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x15,
			0x04, 0x00, 0x20, 0x00, 0x00, 0x00, 0x16, 0x04, 0x00, 0x00, 0x80,
			0x00, 0x00, 0x17, 0x04, 0x00, 0x10, 0x00, 0x00, 0x00, /* response ids: UL datagrams */
			0x18, 0x04, 0x00, 0x00, 0x40, 0x00, 0x00,             /* UL size */
		};
	static const uint8_t bind_tlvs[] = {
		0x10, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x04,
		0x00, 0x00, 0x00, 0x11, 0x01, 0x00, 0x01,
	};
	const struct qmi_data_endpoint ep = { .type = QMI_DATA_ENDPOINT_HSUSB,
					      .interface_number = 4 };
	struct qmi_wda_set_data_format_req q = wda_qmap5_req(ep);
	struct qmi_wds_bind_mux_data_port_req b = {
		.has_endpoint = true, .endpoint = ep, .has_mux_id = true, .mux_id = 1
	};
	uint8_t frame[256];
	struct qmi_frame f;
	struct want_resp w = { .svc = QMI_SVC_WDA };
	size_t len;
	uint8_t wda, wds;

	h_init(&h, NULL);
	qsim_set_data_max(h.sim, QSIM_QMAP_MAX_SIZE);
	qsim_set_data_iface(h.sim, 4);
	wda = h_alloc(&h, QMI_SVC_WDA);
	cr_assert_eq(qmi_msg_build(&qmi_wda_set_data_format_req_def, &q, wda, 0x0102, frame,
				   sizeof(frame), &len),
		     0);
	cr_assert_eq(qmi_frame_parse(frame, len, &f, NULL), 0);
	cr_assert_eq(f.msg_id, 0x0020);
	cr_assert_eq(f.tlvs_len, sizeof(req_tlvs));
	cr_assert_arr_eq(f.tlvs, req_tlvs, sizeof(req_tlvs));
	w.txn = h_send(&h, &qmi_wda_set_data_format_req_def, &q, wda);
	cr_assert(h_run_until(&h, got_resp, &w));
	cr_assert_eq(w.f.tlvs_len, sizeof(grant_tlvs));
	cr_assert_arr_eq(w.f.tlvs, grant_tlvs, sizeof(grant_tlvs));
	wds = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(qmi_msg_build(&qmi_wds_bind_mux_data_port_req_def, &b, wds, 1, frame,
				   sizeof(frame), &len),
		     0);
	cr_assert_eq(qmi_frame_parse(frame, len, &f, NULL), 0);
	cr_assert_eq(f.msg_id, 0x00A2);
	cr_assert_eq(f.tlvs_len, sizeof(bind_tlvs));
	cr_assert_arr_eq(f.tlvs, bind_tlvs, sizeof(bind_tlvs));
	cr_assert_eq(bind_mux(wds, 1), 0);
}
