/* SPDX-License-Identifier: MIT */
/* The in-process transport: CDC notify/fetch model, asynchronous delivery, the data pool; and
 * the QMI core (qmi_dev) over it with each fault knob. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "qmi/device.h"
#include "qmi/errors.h"
#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/transport.h"
#include "sim/sim.h"

/* ---- raw transport, a fake core ---- */

struct fake_core {
	bool in_send;
	bool reentered;
	unsigned frames, zero, data, tx_ready;
	uint8_t last[QMI_FRAME_MAX];
	size_t last_len;
	uint8_t last_pkt[2048];
	size_t last_pkt_len;
};

static void fc_ctrl_rx(void *user, const uint8_t *buf, size_t len)
{
	struct fake_core *fc = user;

	if (fc->in_send)
		fc->reentered = true;
	if (!len) {
		fc->zero++;
		return;
	}
	fc->frames++;
	memcpy(fc->last, buf, len);
	fc->last_len = len;
}

static void fc_data_rx(void *user, const uint8_t *pkt, size_t len)
{
	struct fake_core *fc = user;

	if (fc->in_send)
		fc->reentered = true;
	fc->data++;
	cr_assert_leq(len, sizeof(fc->last_pkt));
	memcpy(fc->last_pkt, pkt, len);
	fc->last_pkt_len = len;
}

static void fc_tx_ready(void *user)
{
	struct fake_core *fc = user;

	fc->tx_ready++;
}

static void fc_closed(void *user, int err)
{
}

static const struct qmi_transport_cbs fc_cbs = { fc_ctrl_rx, fc_data_rx, fc_tx_ready, fc_closed };

struct rig {
	struct qb_loop *loop;
	struct qsim *sim;
	struct qmi_transport tr;
	struct fake_core fc;
	uint16_t txn;
};

static void rig_init(struct rig *r, const char *spec)
{
	struct qsim_faults f;

	memset(r, 0, sizeof(*r));
	cr_assert_eq(qsim_faults_parse(&f, spec, NULL, 0), 0);
	f.signal_static = true;
	cr_assert_eq(qb_loop_new(&r->loop, QB_LOOP_AUTO), 0);
	cr_assert_eq(qsim_new(&r->sim, r->loop, &f), 0);
	cr_assert_eq(qsim_transport_new(r->sim, &r->tr), 0);
	cr_assert_str_eq(r->tr.ops->describe(r->tr.impl), "sim");
	cr_assert_eq(r->tr.ops->start(r->tr.impl, r->loop, &fc_cbs, &r->fc), 0);
}

static void rig_fini(struct rig *r)
{
	qmi_transport_destroy(&r->tr);
	qsim_free(r->sim);
	qb_loop_free(r->loop);
}

static void rig_spin(struct rig *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		qb_loop_run_once(r->loop, 10);
}

static void rig_send(struct rig *r, const struct qmi_msg_def *def, const void *msg, uint8_t cid)
{
	uint8_t buf[QMI_FRAME_MAX];
	size_t len;

	cr_assert_eq(qmi_msg_build(def, msg, cid, ++r->txn, buf, sizeof(buf), &len), 0);
	r->fc.in_send = true;
	cr_assert_eq(r->tr.ops->ctrl_send(r->tr.impl, buf, len), 0);
	r->fc.in_send = false;
}

Test(sim_transport, delivery_is_asynchronous)
{
	struct rig r;
	struct qmi_frame f;

	rig_init(&r, NULL);
	rig_send(&r, &qmi_ctl_get_version_info_req_def, NULL, 0);
	cr_assert_eq(r.fc.frames, 0, "delivered from inside ctrl_send");
	rig_spin(&r, 5);
	cr_assert_not(r.fc.reentered);
	cr_assert_eq(r.fc.frames, 1);
	cr_assert_eq(r.fc.zero, 0);
	cr_assert_eq(qmi_frame_parse(r.fc.last, r.fc.last_len, &f, NULL), 0);
	cr_assert_eq(f.msg_id, QMI_CTL_GET_VERSION_INFO);
	cr_assert_eq(f.kind, QMI_KIND_RESPONSE);
	rig_fini(&r);
}

Test(sim_transport, dup_notify_reaches_core_as_zero_length)
{
	struct rig r;

	rig_init(&r, "dup-notify");
	rig_send(&r, &qmi_ctl_get_version_info_req_def, NULL, 0);
	rig_spin(&r, 5);
	cr_assert_eq(r.fc.frames, 1);
	cr_assert_eq(r.fc.zero, 1);
	rig_fini(&r);
}

Test(sim_transport, zero_length_before_the_response)
{
	struct rig r;

	rig_init(&r, "zero-length");
	rig_send(&r, &qmi_ctl_get_version_info_req_def, NULL, 0);
	rig_spin(&r, 5);
	cr_assert_eq(r.fc.frames, 1);
	cr_assert_eq(r.fc.zero, 1);
	rig_fini(&r);
}

Test(sim_transport, data_pool_backpressure)
{
	struct rig r;
	uint8_t pkt[100] = { 0x45 };
	unsigned sent = 0;
	int ret = 0;

	rig_init(&r, NULL);
	while (sent < 10000 && (ret = r.tr.ops->data_send(r.tr.impl, pkt, sizeof(pkt))) == 0)
		sent++;
	cr_assert_eq(ret, -ENOBUFS);
	cr_assert_gt(sent, 0);
	cr_assert_lt(sent, 10000, "the pool is unbounded");
	cr_assert_eq(r.fc.tx_ready, 0);
	rig_spin(&r, 3);
	cr_assert_eq(r.fc.tx_ready, 1);
	cr_assert_eq(r.tr.ops->data_send(r.tr.impl, pkt, sizeof(pkt)), 0);
	cr_assert_eq(r.tr.ops->data_send(r.tr.impl, pkt, 4096), -EMSGSIZE);
	rig_fini(&r);
}

/* A core that destroys the transport from inside a delivery while more are due in the same
 * callback of the transport (three responses, each announced twice): none of them may reach the
 * core, and nothing may touch the transport's memory after the loop has freed it (ASan). */
struct killer {
	struct qmi_transport *tr;
	unsigned frames;
};

static void k_ctrl_rx(void *user, const uint8_t *buf, size_t len)
{
	struct killer *k = user;

	k->frames++;
	qmi_transport_destroy(k->tr);
}

static const struct qmi_transport_cbs k_cbs = { k_ctrl_rx, fc_data_rx, NULL, fc_closed };

Test(sim_transport, destroyed_from_inside_its_own_delivery)
{
	struct qb_loop *loop;
	struct qsim *sim;
	struct qsim_faults f;
	struct qmi_transport tr;
	struct killer k = { .tr = &tr };
	uint8_t buf[QMI_FRAME_MAX];
	size_t len;

	cr_assert_eq(qsim_faults_parse(&f, "dup-notify-every=1", NULL, 0), 0);
	f.signal_static = true;
	cr_assert_eq(qb_loop_new(&loop, QB_LOOP_AUTO), 0);
	cr_assert_eq(qsim_new(&sim, loop, &f), 0);
	cr_assert_eq(qsim_transport_new(sim, &tr), 0);
	cr_assert_eq(tr.ops->start(tr.impl, loop, &k_cbs, &k), 0);
	for (uint16_t i = 1; i <= 3; i++) {
		cr_assert_eq(qmi_msg_build(&qmi_ctl_get_version_info_req_def, NULL, 0, i, buf,
					   sizeof(buf), &len),
			     0);
		cr_assert_eq(tr.ops->ctrl_send(tr.impl, buf, len), 0);
	}
	for (unsigned i = 0; i < 20 && !k.frames; i++)
		qb_loop_run_once(loop, 5);
	cr_assert_eq(k.frames, 1);
	cr_assert_null(tr.ops, "destroy() did not run");
	/* The modem goes on answering; its output no longer leads anywhere. */
	cr_assert_eq(qmi_msg_build(&qmi_ctl_get_version_info_req_def, NULL, 0, 4, buf, sizeof(buf),
				   &len),
		     0);
	qsim_ctrl_in(sim, buf, len);
	for (unsigned i = 0; i < 5; i++)
		qb_loop_run_once(loop, 5);
	cr_assert_eq(k.frames, 1);
	qsim_free(sim);
	qb_loop_free(loop);
}

/* ---- the QMI core over the sim ---- */

struct devrig {
	struct qb_loop *loop;
	struct qsim *sim;
	struct qmi_dev *dev;
};

static void dev_init(struct devrig *d, const char *spec)
{
	struct qsim_faults f;
	struct qmi_transport tr;
	struct qmi_dev_opts o = { .trace = getenv("SIM_TRACE") ? stderr : NULL,
				  .timeout_ms = 2000 };

	memset(d, 0, sizeof(*d));
	cr_assert_eq(qsim_faults_parse(&f, spec, NULL, 0), 0);
	f.signal_static = true;
	cr_assert_eq(qb_loop_new(&d->loop, QB_LOOP_AUTO), 0);
	cr_assert_eq(qsim_new(&d->sim, d->loop, &f), 0);
	cr_assert_eq(qsim_transport_new(d->sim, &tr), 0);
	cr_assert_eq(qmi_dev_new(&d->dev, d->loop, tr, &o), 0);
}

static void dev_fini(struct devrig *d)
{
	qmi_dev_free(d->dev);
	qsim_free(d->sim);
	qb_loop_free(d->loop);
}

static int get_ids(struct devrig *d, uint8_t cid, struct qmi_dms_get_ids_resp *ids,
		   unsigned timeout_ms)
{
	struct qmi_result res;
	int r = qmi_dev_call(d->dev, cid, &qmi_dms_get_ids_req_def, NULL, &qmi_dms_get_ids_resp_def,
			     ids, &res, timeout_ms);

	if (r == 0 && res.status)
		return res.error;
	return r;
}

Test(sim_dev, open_alloc_and_exhaustion)
{
	struct devrig d;
	struct qmi_open_opts oo = { .version_info_tries = 3, .sync = true, .data_format = 2 };
	struct qmi_result res;
	struct qmi_dms_get_ids_resp ids;
	uint8_t cid, last = 0;
	int r;

	dev_init(&d, NULL);
	cr_assert_eq(qmi_dev_open(d.dev, &oo, &res), 0);
	cr_assert_eq(qmi_dev_alloc_cid(d.dev, QMI_SVC_DMS, &cid, &res), 0);
	cr_assert_eq(get_ids(&d, cid, &ids, 2000), 0);
	cr_assert_str_eq(ids.imei, QSIM_IMEI);
	for (int i = 0; i < 10; i++) {
		r = qmi_dev_alloc_cid(d.dev, QMI_SVC_NAS, &last, &res);
		cr_assert_eq(r, 0);
	}
	r = qmi_dev_alloc_cid(d.dev, QMI_SVC_NAS, &cid, &res);
	cr_assert_neq(r, 0);
	cr_assert_eq(res.status, 1);
	cr_assert_eq(res.error, QMI_ERR_CLIENT_IDS_EXHAUSTED);
	cr_assert_eq(qmi_dev_release_cid(d.dev, QMI_SVC_NAS, last, &res), 0);
	r = qmi_dev_release_cid(d.dev, QMI_SVC_NAS, last, &res);
	cr_assert_neq(r, 0);
	cr_assert_eq(res.error, QMI_ERR_INVALID_CLIENT_ID);
	dev_fini(&d);
}

Test(sim_dev, version_info_retried_past_dropped_replies)
{
	struct devrig d;
	struct qmi_open_opts oo = { .version_info_tries = 4, .data_format = -1 };
	struct qmi_result res;
	const struct qmi_svc_version *v;

	dev_init(&d, "drop=2");
	cr_assert_eq(qmi_dev_open(d.dev, &oo, &res), 0);
	cr_assert_geq(qmi_dev_versions(d.dev, &v), 6);
	dev_fini(&d);
}

Test(sim_dev, core_survives_dup_notify_and_zero_length)
{
	struct devrig d;
	uint8_t cid;
	struct qmi_result res;
	struct qmi_dms_get_ids_resp ids;

	dev_init(&d, "dup-notify,zero-length-every=2");
	cr_assert_eq(qmi_dev_alloc_cid(d.dev, QMI_SVC_DMS, &cid, &res), 0);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(get_ids(&d, cid, &ids, 2000), 0);
	dev_fini(&d);
}

Test(sim_dev, malformed_response_fails_its_request_then_recovers)
{
	struct devrig d;
	uint8_t cid;
	struct qmi_result res;
	struct qmi_dms_get_ids_resp ids;

	dev_init(&d, "malformed-every=2");
	cr_assert_eq(qmi_dev_alloc_cid(d.dev, QMI_SVC_DMS, &cid, &res), 0); /* response 1 */
	cr_assert_eq(get_ids(&d, cid, &ids, 300), -EBADMSG);                /* response 2 */
	cr_assert_eq(get_ids(&d, cid, &ids, 2000), 0);                      /* response 3 */
	dev_fini(&d);
}

Test(sim_dev, call_failure_reason_reaches_core)
{
	struct devrig d;
	uint8_t cid;
	struct qmi_result res;
	struct qmi_wds_start_network_req q = { .has_apn = true, .apn = "internet" };
	struct qmi_wds_start_network_resp r;
	uint8_t buf[QMI_FRAME_MAX], tlvs[64];
	struct qmi_frame f;
	struct qmi_writer w;
	size_t len;
	const struct qmi_msg_def *def = &qmi_wds_start_network_resp_def;

	dev_init(&d, "call-fail=27");
	cr_assert_eq(qmi_dev_alloc_cid(d.dev, QMI_SVC_WDS, &cid, &res), 0);
	cr_assert_eq(qmi_dev_call(d.dev, cid, &qmi_wds_start_network_req_def, &q, def, &r, &res,
				  2000),
		     0);
	cr_assert_eq(res.error, QMI_ERR_CALL_FAILED);
	/* The call end reason rides on the failed response: read it from the raw frame. */
	qmi_writer_init(&w, tlvs, sizeof(tlvs), QMI_SVC_WDS, cid, QMI_KIND_REQUEST, 1,
			QMI_WDS_START_NETWORK);
	cr_assert_eq(qmi_msg_encode(&qmi_wds_start_network_req_def, &q, &w), 0);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qmi_dev_call_raw(d.dev, QMI_SVC_WDS, cid, QMI_WDS_START_NETWORK,
				      tlvs + QMI_SVC_HDR_LEN, len - QMI_SVC_HDR_LEN, 2000, buf,
				      sizeof(buf), &f),
		     0);
	cr_assert_eq(qmi_msg_decode(def, f.tlvs, f.tlvs_len, &r), 0);
	cr_assert(r.has_call_end_reason);
	cr_assert_eq(r.call_end_reason, 27);
	dev_fini(&d);
}

struct inds {
	unsigned n;
	uint8_t cid;
};

static void on_ind(void *user, const struct qmi_frame *f)
{
	struct inds *in = user;

	in->n++;
	in->cid = f->client_id;
}

Test(sim_dev, indications_through_the_core)
{
	struct devrig d;
	uint8_t a, b;
	struct qmi_result res;
	struct qmi_nas_register_indications_req ri = { .has_signal_info = true, .signal_info = 1 };
	struct inds ia = { 0 }, ib = { 0 };
	struct qmi_sub *sa, *sb;

	dev_init(&d, NULL);
	cr_assert_eq(qmi_dev_alloc_cid(d.dev, QMI_SVC_NAS, &a, &res), 0);
	cr_assert_eq(qmi_dev_alloc_cid(d.dev, QMI_SVC_NAS, &b, &res), 0);
	cr_assert_eq(qmi_dev_subscribe(d.dev, QMI_SVC_NAS, a, on_ind, &ia, &sa), 0);
	cr_assert_eq(qmi_dev_subscribe(d.dev, QMI_SVC_NAS, b, on_ind, &ib, &sb), 0);
	cr_assert_eq(qmi_dev_call(d.dev, a, &qmi_nas_register_indications_req_def, &ri,
				  &qmi_nas_register_indications_resp_def, NULL, &res, 2000),
		     0);
	cr_assert_eq(res.status, 0);
	qsim_signal_step(d.sim);
	for (int i = 0; i < 10 && !ia.n; i++)
		qb_loop_run_once(d.loop, 20);
	cr_assert_eq(ia.n, 1);
	cr_assert_eq(ia.cid, a);
	cr_assert_eq(ib.n, 0);
	qmi_dev_unsubscribe(sa);
	qmi_dev_unsubscribe(sb);
	dev_fini(&d);
}

Test(sim_dev, ping_the_gateway_through_the_transport)
{
	struct devrig d;
	uint8_t cid;
	struct qmi_result res;
	struct qmi_wds_start_network_req q = { .has_apn = true, .apn = "internet" };
	struct qmi_wds_start_network_resp r;
	struct qmi_open_opts oo = { .data_format = 2 };
	struct qmi_transport *tr;
	struct fake_core fc = { 0 };
	struct qmi_dev_data_cbs dcb = { fc_data_rx, fc_tx_ready, NULL };
	/* 10.64.0.1 -> 10.64.0.2, ICMP echo id 1 seq 1, no payload; checksums precomputed. */
	uint8_t ping[28] = { 0x45, 0, 0,  28, 0, 1, 0, 0, 64,   1,    0x66, 0x5e, 10, 64,
			     0,    1, 10, 64, 0, 2, 8, 0, 0xf7, 0xfd, 0,    1,    0,  1 };

	dev_init(&d, NULL);
	cr_assert_eq(qmi_dev_open(d.dev, &oo, &res), 0);
	cr_assert_eq(qmi_dev_alloc_cid(d.dev, QMI_SVC_WDS, &cid, &res), 0);
	cr_assert_eq(qmi_dev_call(d.dev, cid, &qmi_wds_start_network_req_def, &q,
				  &qmi_wds_start_network_resp_def, &r, &res, 2000),
		     0);
	cr_assert_eq(res.status, 0);
	qmi_dev_set_data_cbs(d.dev, &dcb, &fc);
	tr = qmi_dev_transport(d.dev);
	cr_assert_eq(tr->ops->data_send(tr->impl, ping, sizeof(ping)), 0);
	for (int i = 0; i < 10 && !fc.data; i++)
		qb_loop_run_once(d.loop, 20);
	cr_assert_eq(fc.data, 1);
	cr_assert_eq(fc.last_pkt_len, 28);
	cr_assert_eq(fc.last_pkt[20], 0); /* echo reply */
	cr_assert_eq(fc.last_pkt[12], 10);
	cr_assert_eq(fc.last_pkt[15], 2); /* from the gateway */
	dev_fini(&d);
}

Test(sim_dev, two_sims_one_loop)
{
	struct qb_loop *loop;
	struct qsim *s1, *s2;
	struct qmi_dev *d1, *d2;
	struct qmi_transport t1, t2;
	struct qsim_faults f1, f2;
	struct qmi_result res;
	uint8_t c1, c2;
	struct qmi_dms_uim_get_iccid_resp ic;

	cr_assert_eq(qb_loop_new(&loop, QB_LOOP_AUTO), 0);
	qsim_faults_parse(&f1, "signal-static", NULL, 0);
	qsim_faults_parse(&f2, "signal-static,sim-absent", NULL, 0);
	cr_assert_eq(qsim_new(&s1, loop, &f1), 0);
	cr_assert_eq(qsim_new(&s2, loop, &f2), 0);
	cr_assert_eq(qsim_transport_new(s1, &t1), 0);
	cr_assert_eq(qsim_transport_new(s2, &t2), 0);
	cr_assert_eq(qmi_dev_new(&d1, loop, t1, NULL), 0);
	cr_assert_eq(qmi_dev_new(&d2, loop, t2, NULL), 0);
	cr_assert_eq(qmi_dev_alloc_cid(d1, QMI_SVC_DMS, &c1, &res), 0);
	cr_assert_eq(qmi_dev_alloc_cid(d2, QMI_SVC_DMS, &c2, &res), 0);
	cr_assert_eq(qmi_dev_call(d1, c1, &qmi_dms_uim_get_iccid_req_def, NULL,
				  &qmi_dms_uim_get_iccid_resp_def, &ic, &res, 2000),
		     0);
	cr_assert_eq(res.status, 0);
	cr_assert_str_eq(ic.iccid, QSIM_ICCID);
	cr_assert_eq(qmi_dev_call(d2, c2, &qmi_dms_uim_get_iccid_req_def, NULL,
				  &qmi_dms_uim_get_iccid_resp_def, &ic, &res, 2000),
		     0);
	cr_assert_eq(res.error, QMI_ERR_UIM_UNINITIALIZED);
	cr_assert_eq(qsim_cid_count(s1, QMI_SVC_DMS), 1);
	cr_assert_eq(qsim_cid_count(s2, QMI_SVC_DMS), 1);
	qmi_dev_free(d1);
	qmi_dev_free(d2);
	qsim_free(s1);
	qsim_free(s2);
	qb_loop_free(loop);
}

struct async_res {
	int order[2];
	int n;
	int err[2];
};

static void on_resp(struct async_res *a, int which, int err)
{
	a->err[which] = err;
	a->order[a->n++] = which;
}

static void resp0(void *user, int err, const struct qmi_frame *resp)
{
	on_resp(user, 0, err);
}

static void resp1(void *user, int err, const struct qmi_frame *resp)
{
	on_resp(user, 1, err);
}

Test(sim_dev, out_of_order_responses_still_match)
{
	struct devrig d;
	uint8_t cid;
	struct qmi_result res;
	struct async_res a = { { -1, -1 }, 0, { 1, 1 } };

	dev_init(&d, "out-of-order-every=2");
	cr_assert_eq(qmi_dev_alloc_cid(d.dev, QMI_SVC_DMS, &cid, &res), 0); /* response 1 */
	/* Response 2 (first request) is held until response 3 has gone out. */
	cr_assert_eq(qmi_dev_send(d.dev, QMI_SVC_DMS, cid, QMI_DMS_GET_IDS, NULL, 0, 2000, resp0,
				  &a),
		     0);
	cr_assert_eq(qmi_dev_send(d.dev, QMI_SVC_DMS, cid, QMI_DMS_GET_MODEL, NULL, 0, 2000, resp1,
				  &a),
		     0);
	for (int i = 0; i < 50 && a.n < 2; i++)
		qb_loop_run_once(d.loop, 20);
	cr_assert_eq(a.n, 2);
	cr_assert_eq(a.err[0], 0);
	cr_assert_eq(a.err[1], 0);
	cr_assert_eq(a.order[0], 1, "the held response came first");
	cr_assert_eq(a.order[1], 0);
	dev_fini(&d);
}

Test(sim_dev, delayed_responses)
{
	struct devrig d;
	uint8_t cid;
	struct qmi_result res;
	struct qmi_dms_get_ids_resp ids;
	uint64_t t0;

	dev_init(&d, "delay=60");
	cr_assert_eq(qmi_dev_alloc_cid(d.dev, QMI_SVC_DMS, &cid, &res), 0);
	t0 = qb_now_ms();
	cr_assert_eq(get_ids(&d, cid, &ids, 2000), 0);
	cr_assert_geq(qb_now_ms() - t0, 60); /* lower bound: timers never fire early */
	/* Shorter than the delay: the core times out. */
	cr_assert_eq(get_ids(&d, cid, &ids, 20), -ETIMEDOUT);
	dev_fini(&d);
}
