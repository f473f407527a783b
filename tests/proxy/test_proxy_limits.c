/* SPDX-License-Identifier: MIT */
/* The proxy's bounds: requests in flight and queued, their timeouts, txn translation, and the
 * releases at shutdown. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "proxy/harness.h"
#include "qmi/errors.h"
#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/tlv.h"

#define BURST 1000

/* One write holding n DMS Get IDs requests of cid, txns first, first + 1, ... */
static void send_burst(struct fx *fx, struct rc *c, uint8_t cid, uint16_t first, unsigned n)
{
	size_t cap = (size_t)n * 16, len = 0;
	uint8_t *buf = malloc(cap);

	cr_assert(buf);
	for (unsigned i = 0; i < n; i++)
		len += mk_req(buf + len, cap - len, QMI_SVC_DMS, cid, (uint16_t)(first + i),
			      QMI_DMS_GET_IDS);
	rc_send(fx, c, buf, len);
	free(buf);
}

/* Reads n answers of the burst; each txn once. Returns how many were successes; *errs gets
 * the error code of the first failure (0 when none). */
static unsigned read_burst(struct fx *fx, struct rc *c, uint16_t first, unsigned n, uint16_t *errs)
{
	uint8_t buf[QMI_FRAME_MAX];
	bool *seen = calloc(n, sizeof(*seen));
	unsigned ok = 0;

	cr_assert(seen);
	*errs = 0;
	for (unsigned i = 0; i < n; i++) {
		struct qmi_frame f;
		struct qmi_result r;
		unsigned k;

		cr_assert(rc_recv(fx, c, buf, sizeof(buf), &f), "closed after %u answers", i);
		cr_assert_eq(f.kind, QMI_KIND_RESPONSE);
		cr_assert_eq(f.msg_id, QMI_DMS_GET_IDS);
		k = (uint16_t)(f.txn - first);
		cr_assert_lt(k, n, "txn %u was never asked", f.txn);
		cr_assert_not(seen[k], "txn %u answered twice", f.txn);
		seen[k] = true;
		cr_assert_eq(qmi_result_get(&f, &r), 0);
		if (!r.status)
			ok++;
		else if (!*errs)
			*errs = r.error;
	}
	free(seen);
	return ok;
}

static void get_ids_ok(struct fx *fx, struct rc *c, uint8_t cid, uint16_t txn)
{
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;
	struct qmi_result r;

	rc_send(fx, c, buf, mk_req(buf, sizeof(buf), QMI_SVC_DMS, cid, txn, QMI_DMS_GET_IDS));
	cr_assert(rc_recv(fx, c, buf, sizeof(buf), &f));
	cr_assert_eq(f.txn, txn);
	cr_assert_eq(qmi_result_get(&f, &r), 0);
	cr_assert_eq(r.status, 0, "txn %u: QMI error %u", txn, r.error);
}

static bool drained(struct fx *fx, void *user)
{
	struct qprx_stats st = fx_stats(fx);

	return !st.pending && !st.inflight && !st.waiting;
}

Test(proxy_limits, thousand_requests_in_one_write_are_all_answered)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc a, b;
	uint8_t cid_a, cid_b;
	uint16_t err;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &a);
	rc_connect(&fx, &b);
	cr_assert_eq(rc_open(&fx, &a, fx.pub), 0);
	cr_assert_eq(rc_open(&fx, &b, fx.pub), 0);
	cid_a = rc_alloc(&fx, &a, QMI_SVC_DMS, 1, NULL);
	cid_b = rc_alloc(&fx, &b, QMI_SVC_DMS, 1, NULL);
	cr_assert(cid_a && cid_b);
	/* More than the modem's own queue holds (the sim's 512, like a real modem's): without
	 * bounds the proxy pushed them all and the modem dropped answers, other clients' too. */
	send_burst(&fx, &a, cid_a, 1, BURST);
	for (uint16_t t = 1; t <= 5; t++)
		get_ids_ok(&fx, &b, cid_b, t);
	cr_assert_eq(read_burst(&fx, &a, 1, BURST, &err), BURST, "first error: %u", err);
	fx_until(&fx, drained, NULL, "every request record to be freed");
	rc_close(&a);
	rc_close(&b);
	fx_teardown(&fx);
}

Test(proxy_limits, a_full_queue_is_answered_with_an_error_not_dropped)
{
	struct qprx_server_opts o = { .max_waiting = 4, .max_inflight_client = 1 };
	struct fx fx;
	struct rc a;
	uint8_t cid;
	uint16_t err;
	unsigned ok;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &a);
	cr_assert_eq(rc_open(&fx, &a, fx.pub), 0);
	cid = rc_alloc(&fx, &a, QMI_SVC_DMS, 1, NULL);
	cr_assert(cid);
	send_burst(&fx, &a, cid, 100, 200);
	ok = read_burst(&fx, &a, 100, 200, &err);
	cr_assert_lt(ok, 200);
	cr_assert_geq(ok, 5);
	cr_assert_eq(err, QMI_ERR_INSUFFICIENT_RESOURCES);
	cr_assert_eq(fx_stats(&fx).overflows, 200 - ok);
	fx_until(&fx, drained, NULL, "every request record to be freed");
	/* The connection goes on working. */
	get_ids_ok(&fx, &a, cid, 7);
	rc_close(&a);
	fx_teardown(&fx);
}

Test(proxy_limits, unanswered_request_times_out_with_an_error)
{
	/* Responses 2, 4, ... never come: 1 is the Allocate CID, 2 the first Get IDs. */
	struct qprx_server_opts o = { .request_timeout_ms = 200 };
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;
	struct qmi_result r;
	struct fx fx;
	struct rc a;
	uint8_t cid;

	fx_setup(&fx, &o, "drop-every=2");
	rc_connect(&fx, &a);
	cr_assert_eq(rc_open(&fx, &a, fx.pub), 0);
	cid = rc_alloc(&fx, &a, QMI_SVC_DMS, 1, NULL);
	cr_assert(cid);
	rc_send(&fx, &a, buf, mk_req(buf, sizeof(buf), QMI_SVC_DMS, cid, 9, QMI_DMS_GET_IDS));
	cr_assert(rc_recv(&fx, &a, buf, sizeof(buf), &f));
	cr_assert_eq(f.txn, 9);
	cr_assert_eq(qmi_result_get(&f, &r), 0);
	cr_assert_eq(r.status, 1);
	cr_assert_eq(r.error, QMI_ERR_INTERNAL);
	cr_assert_eq(fx_stats(&fx).failed, 1);
	fx_until(&fx, drained, NULL, "the timed-out request's record to be freed");
	get_ids_ok(&fx, &a, cid, 10);
	rc_close(&a);
	fx_teardown(&fx);
}

Test(proxy_limits, txns_that_wrap_or_collide_are_carried)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc a, b;
	uint8_t cid;
	uint16_t err;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &a);
	rc_connect(&fx, &b);
	cr_assert_eq(rc_open(&fx, &a, fx.pub), 0);
	cr_assert_eq(rc_open(&fx, &b, fx.pub), 0);
	cid = rc_alloc(&fx, &a, QMI_SVC_DMS, 1, NULL);
	cr_assert(cid);
	/* 0xFFFE, 0xFFFF, 0, 1: a 16-bit counter wrapping, 0 included. */
	send_burst(&fx, &a, cid, 0xFFFE, 4);
	cr_assert_eq(read_burst(&fx, &a, 0xFFFE, 4, &err), 4, "error %u", err);
	/* Two clients sharing one client id, with the same txns in flight at once. */
	send_burst(&fx, &a, cid, 50, 20);
	send_burst(&fx, &b, cid, 50, 20);
	cr_assert_eq(read_burst(&fx, &a, 50, 20, &err), 20, "error %u", err);
	cr_assert_eq(read_burst(&fx, &b, 50, 20, &err), 20, "error %u", err);
	rc_close(&a);
	rc_close(&b);
	fx_teardown(&fx);
}

Test(proxy_limits, shutdown_after_a_signal_releases_orphans_and_frees_cleanly)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc c;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, fx.pub), 0);
	cr_assert_neq(rc_alloc(&fx, &c, QMI_SVC_DMS, 1, NULL), 0);
	cr_assert_neq(rc_alloc(&fx, &c, QMI_SVC_WDS, 2, NULL), 0);
	/* `--client-no-release-cid`: the client leaves, its ids wait out their grace period. */
	rc_close(&c);
	fx_spin(&fx, 50);
	cr_assert_eq(fx_stats(&fx).orphans, 2);
	/* What SIGTERM does to `qmiusb proxy`: the loop stops, then the server shuts down. */
	qb_loop_stop(fx.loop);
	qprx_server_shutdown(fx.srv, true, 2000);
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_DMS), 0);
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_WDS), 0);
	cr_assert(qb_loop_stopped(fx.loop), "the loop was stopped and must stay so");
	cr_assert_eq(fx_stats(&fx).pending, 0);
	fx_teardown(&fx);
}

Test(proxy_limits, shutdown_with_the_modem_silent_is_bounded_and_frees_cleanly)
{
	/* Every response after the Allocate CIDs is lost: the releases are never answered. */
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc c;
	uint64_t t0;

	fx_setup(&fx, &o, "drop-every=3");
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, fx.pub), 0);
	cr_assert_neq(rc_alloc(&fx, &c, QMI_SVC_DMS, 1, NULL), 0);
	cr_assert_neq(rc_alloc(&fx, &c, QMI_SVC_WDS, 2, NULL), 0);
	rc_close(&c);
	fx_spin(&fx, 50);
	qb_loop_stop(fx.loop);
	t0 = qb_now_ms();
	qprx_server_shutdown(fx.srv, true, 300);
	/* A hang guard, not a timing assertion: the shutdown must end by itself. */
	cr_assert_lt(qb_now_ms() - t0, HANG_GUARD_MS);
	/* The unanswered release is cancelled by the device after the server is gone. */
	fx_teardown(&fx);
}
