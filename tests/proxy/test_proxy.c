/* SPDX-License-Identifier: MIT */
/* The proxy server against the in-process sim, with raw clients speaking the wire protocol. */
#include <criterion/criterion.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/loop.h"
#include "proxy/harness.h"
#include "proxy/srv.h"
#include "qmi/device.h"
#include "qmi/errors.h"
#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/tlv.h"

/* A proxy open as libqmi sends it: client txn 7, path /dev/pts/0. */
static const uint8_t golden_open[] = {
	0x01, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0xff, 0x0d, 0x00, 0x01,
	0x0a, 0x00, '/',  'd',  'e',  'v',  '/',  'p',  't',  's',  '/',  '0',
};
static const uint8_t golden_open_resp[] = {
	0x01, 0x12, 0x00, 0x80, 0x00, 0x00, 0x01, 0x07, 0x00, 0xff,
	0x07, 0x00, 0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
};

Test(proxy, open_golden_bytes)
{
	struct qprx_server_opts o = { .device_names = { "/dev/pts/0" } };
	struct fx fx;
	struct rc c;
	uint8_t buf[256];
	struct qmi_frame f;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &c);
	rc_send(&fx, &c, golden_open, sizeof(golden_open));
	cr_assert(rc_recv(&fx, &c, buf, sizeof(buf), &f));
	cr_assert_eq(f.raw_len, sizeof(golden_open_resp));
	cr_assert_arr_eq(buf, golden_open_resp, sizeof(golden_open_resp));
	rc_close(&c);
	fx_teardown(&fx);
}

Test(proxy, open_compares_realpath_and_refuses_other_devices)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc c;
	char link[160];

	fx_setup(&fx, &o, NULL);
	snprintf(link, sizeof(link), "%s.link", fx.pub);
	unlink(link);
	cr_assert_eq(symlink(fx.pub, link), 0);
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, link), 0, "a symlink to the published file is our device");
	rc_close(&c);
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, "/dev/null"), 1, "another device must be refused");
	rc_close(&c);
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, "sim"), 0, "the device name is accepted too");
	rc_close(&c);
	unlink(link);
	fx_teardown(&fx);
}

Test(proxy, request_before_open_closes_only_that_connection)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc good, bad;
	uint8_t buf[256];

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &good);
	cr_assert_eq(rc_open(&fx, &good, fx.pub), 0);
	rc_connect(&fx, &bad);
	rc_send(&fx, &bad, buf, mk_alloc(buf, sizeof(buf), QMI_SVC_DMS, 1));
	rc_wait_closed(&fx, &bad);
	cr_assert_eq(fx_stats(&fx).bad_frames, 1);
	cr_assert_neq(rc_alloc(&fx, &good, QMI_SVC_DMS, 2, NULL), 0);
	rc_close(&good);
	rc_close(&bad);
	fx_teardown(&fx);
}

Test(proxy, ctl_txn_translated_per_client)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc a, b;
	uint8_t ca, cb;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &a);
	rc_connect(&fx, &b);
	cr_assert_eq(rc_open(&fx, &a, fx.pub), 0);
	cr_assert_eq(rc_open(&fx, &b, fx.pub), 0);
	/* Both use txn 5: each must get its own answer with txn 5 (rc_alloc checks the txn). */
	ca = rc_alloc(&fx, &a, QMI_SVC_DMS, 5, NULL);
	cb = rc_alloc(&fx, &b, QMI_SVC_DMS, 5, NULL);
	cr_assert(ca && cb && ca != cb);
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_DMS), 2);
	cr_assert_eq(fx_stats(&fx).held, 2);
	cr_assert_eq(rc_release(&fx, &a, QMI_SVC_DMS, ca, 9), 0);
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_DMS), 1);
	cr_assert_eq(fx_stats(&fx).held, 1);
	rc_close(&a);
	rc_close(&b);
	fx_teardown(&fx);
}

Test(proxy, other_services_keep_client_txn_and_cid)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc c;
	uint8_t buf[QMI_FRAME_MAX], cid;
	struct qmi_frame f;
	struct qmi_result r;
	struct qmi_dms_get_ids_resp ids;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, fx.pub), 0);
	cid = rc_alloc(&fx, &c, QMI_SVC_DMS, 1, NULL);
	rc_send(&fx, &c, buf, mk_req(buf, sizeof(buf), QMI_SVC_DMS, cid, 0x1234, QMI_DMS_GET_IDS));
	cr_assert(rc_recv(&fx, &c, buf, sizeof(buf), &f));
	cr_assert_eq(f.service, QMI_SVC_DMS);
	cr_assert_eq(f.client_id, cid);
	cr_assert_eq(f.txn, 0x1234);
	cr_assert_eq(f.kind, QMI_KIND_RESPONSE);
	cr_assert_eq(qmi_result_get(&f, &r), 0);
	cr_assert_eq(r.status, 0);
	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_ids_resp_def, f.tlvs, f.tlvs_len, &ids), 0);
	cr_assert(ids.has_imei);
	cr_assert_str_eq(ids.imei, QSIM_IMEI);
	rc_close(&c);
	fx_teardown(&fx);
}

Test(proxy, sync_is_answered_by_the_proxy)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc c;
	uint8_t buf[256];
	struct qmi_frame f;
	struct qmi_result r;
	struct qsim_stats before, after;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, fx.pub), 0);
	cr_assert_neq(rc_alloc(&fx, &c, QMI_SVC_WDS, 1, NULL), 0);
	qsim_get_stats(fx.sim, &before);
	rc_send(&fx, &c, buf, mk_req(buf, sizeof(buf), QMI_SVC_CTL, 0, 2, QMI_CTL_SYNC));
	cr_assert(rc_recv(&fx, &c, buf, sizeof(buf), &f));
	cr_assert_eq(f.msg_id, QMI_CTL_SYNC);
	cr_assert_eq(f.txn, 2);
	cr_assert_eq(qmi_result_get(&f, &r), 0);
	cr_assert_eq(r.status, 0);
	qsim_get_stats(fx.sim, &after);
	cr_assert_eq(after.requests, before.requests, "Sync reached the modem");
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_WDS), 1, "Sync dropped the client ids");
	rc_close(&c);
	fx_teardown(&fx);
}

Test(proxy, partial_frames_and_several_frames_per_write)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc c;
	uint8_t buf[QMI_FRAME_MAX], two[512];
	size_t n, i, len;
	struct qmi_frame f;
	uint8_t cid;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &c);
	n = mk_open(buf, sizeof(buf), 3, fx.pub);
	for (i = 0; i < n; i++) { /* one byte at a time, the loop running between them */
		rc_send(&fx, &c, buf + i, 1);
		qb_loop_run_once(fx.loop, 1);
	}
	cr_assert(rc_recv(&fx, &c, buf, sizeof(buf), &f));
	cr_assert_eq(f.msg_id, QMI_CTL_INTERNAL_PROXY_OPEN);
	cid = rc_alloc(&fx, &c, QMI_SVC_DMS, 4, NULL);
	len = mk_req(two, sizeof(two), QMI_SVC_DMS, cid, 10, QMI_DMS_GET_IDS);
	len += mk_req(two + len, sizeof(two) - len, QMI_SVC_DMS, cid, 11, QMI_DMS_GET_IDS);
	len += mk_release(two + len, sizeof(two) - len, QMI_SVC_DMS, cid, 12);
	rc_send(&fx, &c, two, len);
	for (uint16_t want = 10; want <= 12; want++) {
		cr_assert(rc_recv(&fx, &c, buf, sizeof(buf), &f));
		cr_assert_eq(f.txn, want);
	}
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_DMS), 0);
	rc_close(&c);
	fx_teardown(&fx);
}

Test(proxy, invalid_frame_closes_that_client_only)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc good, bad;
	static const uint8_t garbage[] = { 0x02, 0x05, 0x00, 0x00, 0x02, 0x01 };
	uint8_t buf[QMI_FRAME_MAX], cid;
	struct qmi_frame f;
	size_t n;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &good);
	cr_assert_eq(rc_open(&fx, &good, fx.pub), 0);
	cid = rc_alloc(&fx, &good, QMI_SVC_DMS, 1, NULL);
	rc_connect(&fx, &bad);
	cr_assert_eq(rc_open(&fx, &bad, fx.pub), 0);
	rc_send(&fx, &bad, garbage, sizeof(garbage));
	rc_wait_closed(&fx, &bad);
	/* A frame whose TLV overruns its length: complete, but invalid. */
	rc_connect(&fx, &bad);
	cr_assert_eq(rc_open(&fx, &bad, fx.pub), 0);
	n = mk_req(buf, sizeof(buf), QMI_SVC_DMS, cid, 1, QMI_DMS_GET_IDS);
	buf[n - 2] = 0x05; /* tlv_length claims 5 bytes the frame does not have */
	rc_send(&fx, &bad, buf, n);
	rc_wait_closed(&fx, &bad);
	cr_assert_eq(fx_stats(&fx).bad_frames, 2);
	rc_send(&fx, &good, buf, mk_req(buf, sizeof(buf), QMI_SVC_DMS, cid, 2, QMI_DMS_GET_IDS));
	cr_assert(rc_recv(&fx, &good, buf, sizeof(buf), &f));
	cr_assert_eq(f.txn, 2);
	rc_close(&good);
	rc_close(&bad);
	fx_teardown(&fx);
}

static bool slow_reader_gone(struct fx *fx, void *user)
{
	return fx_stats(fx).slow_readers > 0;
}

Test(proxy, client_that_stops_reading_is_disconnected)
{
	struct qprx_server_opts o = { .queue_max = QMI_FRAME_MAX };
	struct fx fx;
	struct rc slow, good;
	uint8_t batch[13 * 256], buf[QMI_FRAME_MAX], cid;
	struct qmi_frame f;
	size_t len = 0;
	int rounds = 0;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &good);
	cr_assert_eq(rc_open(&fx, &good, fx.pub), 0);
	rc_connect(&fx, &slow);
	cr_assert_eq(rc_open(&fx, &slow, fx.pub), 0);
	cid = rc_alloc(&fx, &slow, QMI_SVC_DMS, 1, NULL);
	for (int i = 0; i < 256; i++)
		len += mk_req(batch + len, sizeof(batch) - len, QMI_SVC_DMS, cid, (uint16_t)(i + 1),
			      QMI_DMS_GET_IDS);
	/* Requests keep coming, answers are never read: the socket fills, then the queue. */
	while (!slow_reader_gone(&fx, NULL)) {
		cr_assert(rounds++ < 4000,
			  "the proxy never gave up on a client that does not read");
		if (send(slow.fd, batch, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			cr_assert(errno == EAGAIN || errno == EPIPE || errno == ECONNRESET);
		qb_loop_run_once(fx.loop, 1);
	}
	cr_assert_eq(fx_stats(&fx).slow_readers, 1);
	cr_assert_eq(fx_stats(&fx).clients, 1);
	cid = rc_alloc(&fx, &good, QMI_SVC_DMS, 2, NULL);
	rc_send(&fx, &good, buf, mk_req(buf, sizeof(buf), QMI_SVC_DMS, cid, 3, QMI_DMS_GET_IDS));
	cr_assert(rc_recv(&fx, &good, buf, sizeof(buf), &f));
	cr_assert_eq(f.txn, 3);
	rc_close(&slow);
	rc_close(&good);
	fx_teardown(&fx);
}

static uint8_t nas_register_signal(struct fx *fx, struct rc *c, uint8_t cid)
{
	struct qmi_nas_register_indications_req q = { .has_signal_info = true, .signal_info = 1 };
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;
	struct qmi_result r;
	size_t len;

	cr_assert_eq(qmi_msg_build(&qmi_nas_register_indications_req_def, &q, cid, 40, buf,
				   sizeof(buf), &len),
		     0);
	rc_send(fx, c, buf, len);
	cr_assert(rc_recv(fx, c, buf, sizeof(buf), &f));
	cr_assert_eq(f.txn, 40);
	cr_assert_eq(qmi_result_get(&f, &r), 0);
	return (uint8_t)r.status;
}

Test(proxy, indications_reach_only_their_holder_broadcast_every_holder)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc a, b;
	uint8_t buf[QMI_FRAME_MAX], ind[64], ca, cb;
	struct qmi_frame f, bf;
	struct qmi_writer w;
	size_t len;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &a);
	rc_connect(&fx, &b);
	cr_assert_eq(rc_open(&fx, &a, fx.pub), 0);
	cr_assert_eq(rc_open(&fx, &b, fx.pub), 0);
	ca = rc_alloc(&fx, &a, QMI_SVC_NAS, 1, NULL);
	cb = rc_alloc(&fx, &b, QMI_SVC_NAS, 1, NULL);
	cr_assert(ca && cb);
	cr_assert_eq(nas_register_signal(&fx, &a, ca), 0);
	qsim_signal_step(fx.sim);
	cr_assert(rc_recv(&fx, &a, buf, sizeof(buf), &f));
	cr_assert_eq(f.kind, QMI_KIND_INDICATION);
	cr_assert_eq(f.msg_id, QMI_NAS_SIGNAL_INFO_IND);
	cr_assert_eq(f.client_id, ca);
	/* b's next frame is the answer to its next request: the indication never came. */
	rc_send(&fx, &b, buf,
		mk_req(buf, sizeof(buf), QMI_SVC_NAS, cb, 77, QMI_NAS_GET_SIGNAL_STRENGTH));
	cr_assert(rc_recv(&fx, &b, buf, sizeof(buf), &f));
	cr_assert_eq(f.kind, QMI_KIND_RESPONSE, "an indication for a's id reached b");
	cr_assert_eq(f.txn, 77);

	/* A broadcast (cid 0xFF) NAS indication: once to each holder of NAS. */
	qmi_writer_init(&w, ind, sizeof(ind), QMI_SVC_NAS, QMI_CID_BROADCAST, QMI_KIND_INDICATION,
			0, QMI_NAS_SIGNAL_INFO_IND);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qmi_frame_parse(ind, len, &bf, NULL), 0);
	qprx_server_modem_frame(fx.srv, &bf);
	cr_assert(rc_recv(&fx, &a, buf, sizeof(buf), &f));
	cr_assert_eq(f.client_id, QMI_CID_BROADCAST);
	cr_assert(rc_recv(&fx, &b, buf, sizeof(buf), &f));
	cr_assert_eq(f.client_id, QMI_CID_BROADCAST);
	/* ... and nobody gets a broadcast of a service they hold no id of. */
	qmi_writer_init(&w, ind, sizeof(ind), QMI_SVC_DMS, QMI_CID_BROADCAST, QMI_KIND_INDICATION,
			0, 0x0001);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qmi_frame_parse(ind, len, &bf, NULL), 0);
	qprx_server_modem_frame(fx.srv, &bf);
	rc_send(&fx, &a, buf,
		mk_req(buf, sizeof(buf), QMI_SVC_NAS, ca, 78, QMI_NAS_GET_SIGNAL_STRENGTH));
	cr_assert(rc_recv(&fx, &a, buf, sizeof(buf), &f));
	cr_assert_eq(f.txn, 78, "a DMS broadcast reached a NAS-only client");
	rc_close(&a);
	rc_close(&b);
	fx_teardown(&fx);
}

Test(proxy, hundred_concurrent_clients)
{
	enum {
		N = 100
	};
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	static struct rc c[N];
	uint8_t buf[QMI_FRAME_MAX], cid[N];
	struct qmi_frame f;
	struct qmi_ctl_allocate_cid_resp a;

	fx_setup(&fx, &o, "cid-limit=254");
	/* Everything is sent before anything is read, so the proxy juggles all of them at once. */
	for (int i = 0; i < N; i++) {
		rc_connect(&fx, &c[i]);
		rc_send(&fx, &c[i], buf, mk_open(buf, sizeof(buf), 1, fx.pub));
	}
	for (int i = 0; i < N; i++)
		rc_send(&fx, &c[i], buf, mk_alloc(buf, sizeof(buf), QMI_SVC_DMS, 2));
	for (int i = 0; i < N; i++) {
		cr_assert(rc_recv(&fx, &c[i], buf, sizeof(buf), &f));
		cr_assert_eq(f.msg_id, QMI_CTL_INTERNAL_PROXY_OPEN);
		cr_assert(rc_recv(&fx, &c[i], buf, sizeof(buf), &f));
		cr_assert_eq(f.msg_id, QMI_CTL_ALLOCATE_CID);
		cr_assert_eq(f.txn, 2);
		cr_assert_eq(qmi_msg_decode(&qmi_ctl_allocate_cid_resp_def, f.tlvs, f.tlvs_len, &a),
			     0);
		cid[i] = a.allocation.cid;
	}
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_DMS), N);
	cr_assert_eq(fx_stats(&fx).clients, N);
	for (int i = 0; i < N; i++)
		rc_send(&fx, &c[i], buf,
			mk_req(buf, sizeof(buf), QMI_SVC_DMS, cid[i], 300, QMI_DMS_GET_IDS));
	for (int i = 0; i < N; i++) {
		cr_assert(rc_recv(&fx, &c[i], buf, sizeof(buf), &f));
		cr_assert_eq(f.client_id, cid[i], "client %d got another client's answer", i);
		cr_assert_eq(f.txn, 300);
	}
	for (int i = 0; i < N; i++)
		cr_assert_eq(rc_release(&fx, &c[i], QMI_SVC_DMS, cid[i], 4), 0);
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_DMS), 0);
	for (int i = 0; i < N; i++)
		rc_close(&c[i]);
	fx_teardown(&fx);
}

static int client_transport_session(struct fx *fx, void *arg)
{
	struct qb_loop *loop = NULL;
	struct qmi_dev *dev = NULL;
	struct qmi_transport tr;
	struct qmi_result res;
	struct qmi_dms_get_ids_resp ids;
	uint8_t cid = 0;
	int rc = 1;

	if (qprx_serving(fx->sock, "/dev/null"))
		return 2;
	if (!qprx_serving(fx->sock, fx->pub))
		return 3;
	if (qb_loop_new(&loop, QB_LOOP_AUTO) < 0 ||
	    qprx_client_transport_open(&tr, fx->sock, fx->pub, NULL, NULL) < 0)
		return 4;
	if (qmi_dev_new(&dev, loop, tr, NULL) < 0)
		return 5;
	if (qmi_dev_alloc_cid(dev, QMI_SVC_DMS, &cid, &res) < 0)
		rc = 6;
	else if (qmi_dev_call(dev, cid, &qmi_dms_get_ids_req_def, NULL, &qmi_dms_get_ids_resp_def,
			      &ids, &res, 5000) < 0 ||
		 res.status || strcmp(ids.imei, QSIM_IMEI))
		rc = 7;
	else if (qmi_dev_release_cid(dev, QMI_SVC_DMS, cid, &res) < 0)
		rc = 8;
	else
		rc = 0;
	qmi_dev_free(dev);
	qb_loop_free(loop);
	return rc;
}

Test(proxy, client_transport_and_serving_check)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;

	fx_setup(&fx, &o, NULL);
	cr_assert_eq(run_child(&fx, client_transport_session, NULL), 0);
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_DMS), 0);
	fx_teardown(&fx);
}

Test(proxy, empty_timeout_fires_only_without_clients)
{
	struct qprx_server_opts o = { .empty_timeout_ms = 1000 };
	struct fx fx;
	struct rc c;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, fx.pub), 0);
	fx_spin(&fx, 1300);
	cr_assert_not(qb_loop_stopped(fx.loop), "stopped with a client connected");
	rc_close(&c);
	cr_assert_eq(qb_loop_run(fx.loop), 0); /* returns once the empty timeout stops it */
	cr_assert_eq(fx_stats(&fx).clients, 0);
	fx_teardown(&fx);
}
