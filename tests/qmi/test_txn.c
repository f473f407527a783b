/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "qmi/tlv.h"
#include "qmi/txn.h"

struct done {
	int calls;
	int err;
	uint16_t txn;
};

static void on_done(void *user, int err, const struct qmi_frame *resp)
{
	struct done *d = user;

	d->calls++;
	d->err = err;
	d->txn = resp ? resp->txn : 0;
	cr_assert_eq(err == 0, resp != NULL, "resp is given exactly on success");
}

/* Builds a frame into buf and parses it into f. */
static void mk(uint8_t *buf, size_t cap, struct qmi_frame *f, uint8_t svc, uint8_t cid,
	       enum qmi_msg_kind kind, uint16_t txn, uint16_t msg_id)
{
	struct qmi_writer w;
	size_t len;

	qmi_writer_init(&w, buf, cap, svc, cid, kind, txn, msg_id);
	if (kind == QMI_KIND_RESPONSE)
		qmi_writer_result(&w, 0, 0);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qmi_frame_parse(buf, len, f, NULL), 0);
}

static struct qmi_txns *t;

static void setup(void)
{
	cr_assert_eq(qmi_txns_new(&t), 0);
}

static void teardown(void)
{
	qmi_txns_free(t);
}

TestSuite(txn, .init = setup, .fini = teardown);

Test(txn, ids_start_at_one_and_are_per_client)
{
	uint16_t id;

	cr_assert_eq(qmi_txns_next_id(t, QMI_SVC_DMS, 1, &id), 0);
	cr_assert_eq(id, 1);
	cr_assert_eq(qmi_txns_next_id(t, QMI_SVC_DMS, 1, &id), 0);
	cr_assert_eq(id, 2);
	cr_assert_eq(qmi_txns_next_id(t, QMI_SVC_DMS, 2, &id), 0);
	cr_assert_eq(id, 1, "another client has its own counter");
	cr_assert_eq(qmi_txns_next_id(t, QMI_SVC_NAS, 1, &id), 0);
	cr_assert_eq(id, 1, "another service has its own counter");
	cr_assert_eq(qmi_txns_next_id(t, QMI_SVC_CTL, 0, &id), 0);
	cr_assert_eq(id, 1);
}

Test(txn, ctl_wraps_ff_to_1)
{
	uint16_t id = 0, prev = 0;

	for (int i = 0; i < 0xFF; i++) {
		cr_assert_eq(qmi_txns_next_id(t, QMI_SVC_CTL, 0, &id), 0);
		cr_assert_neq(id, 0);
		prev = id;
	}
	cr_assert_eq(prev, 0xFF);
	cr_assert_eq(qmi_txns_next_id(t, QMI_SVC_CTL, 0, &id), 0);
	cr_assert_eq(id, 1);
}

Test(txn, service_wraps_ffff_to_1)
{
	uint16_t id = 0;

	for (int i = 0; i < 0xFFFF; i++) {
		cr_assert_eq(qmi_txns_next_id(t, QMI_SVC_WDS, 3, &id), 0);
		cr_assert_neq(id, 0);
	}
	cr_assert_eq(id, 0xFFFF);
	cr_assert_eq(qmi_txns_next_id(t, QMI_SVC_WDS, 3, &id), 0);
	cr_assert_eq(id, 1);
}

Test(txn, pending_ids_are_skipped)
{
	struct done d = { 0 };
	uint16_t id;

	cr_assert_eq(qmi_txns_add(t, QMI_SVC_DMS, 1, 1, 0x25, 100, on_done, &d, NULL), 0);
	cr_assert_eq(qmi_txns_add(t, QMI_SVC_DMS, 1, 1, 0x25, 100, on_done, &d, NULL), -EEXIST);
	cr_assert_eq(qmi_txns_next_id(t, QMI_SVC_DMS, 1, &id), 0);
	cr_assert_eq(id, 2, "txn 1 is still in flight");
	cr_assert_eq(qmi_txns_add(t, QMI_SVC_CTL, 0, 0x100, 0x21, 100, on_done, &d, NULL), -EINVAL);
	cr_assert_eq(qmi_txns_add(t, QMI_SVC_DMS, 1, 0, 0x25, 100, on_done, &d, NULL), -EINVAL);
}

Test(txn, out_of_order_responses)
{
	struct done d[3] = { 0 };
	uint16_t id[3];
	uint8_t buf[64];
	struct qmi_frame f;

	for (int i = 0; i < 3; i++)
		cr_assert_eq(qmi_txns_begin(t, QMI_SVC_NAS, 4, 0x20, 1000, on_done, &d[i], &id[i],
					    NULL),
			     0);
	cr_assert_eq(qmi_txns_pending(t), 3);
	/* Answer 3, then 1, then 2. */
	mk(buf, sizeof(buf), &f, QMI_SVC_NAS, 4, QMI_KIND_RESPONSE, id[2], 0x20);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 1);
	cr_assert_eq(d[2].calls, 1);
	cr_assert_eq(d[0].calls + d[1].calls, 0);
	mk(buf, sizeof(buf), &f, QMI_SVC_NAS, 4, QMI_KIND_RESPONSE, id[0], 0x20);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 1);
	mk(buf, sizeof(buf), &f, QMI_SVC_NAS, 4, QMI_KIND_RESPONSE, id[1], 0x20);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 1);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(d[i].calls, 1);
		cr_assert_eq(d[i].err, 0);
		cr_assert_eq(d[i].txn, id[i]);
	}
	/* A duplicate is unmatched now. */
	cr_assert_eq(qmi_txns_dispatch(t, &f), 0);
	cr_assert_eq(qmi_txns_pending(t), 0);
}

Test(txn, match_needs_service_and_client)
{
	struct done d = { 0 };
	uint16_t id;
	uint8_t buf[64];
	struct qmi_frame f;

	cr_assert_eq(qmi_txns_begin(t, QMI_SVC_NAS, 4, 0x20, 1000, on_done, &d, &id, NULL), 0);
	mk(buf, sizeof(buf), &f, QMI_SVC_NAS, 5, QMI_KIND_RESPONSE, id, 0x20);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 0);
	mk(buf, sizeof(buf), &f, QMI_SVC_DMS, 4, QMI_KIND_RESPONSE, id, 0x20);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 0);
	/* A request with the same ids (e.g. echoed) never completes anything. */
	mk(buf, sizeof(buf), &f, QMI_SVC_NAS, 4, QMI_KIND_REQUEST, id, 0x20);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 0);
	cr_assert_eq(d.calls, 0);
}

Test(txn, wrong_message_id_is_eproto)
{
	struct done d = { 0 };
	uint16_t id;
	uint8_t buf[64];
	struct qmi_frame f;

	cr_assert_eq(qmi_txns_begin(t, QMI_SVC_DMS, 1, 0x25, 1000, on_done, &d, &id, NULL), 0);
	mk(buf, sizeof(buf), &f, QMI_SVC_DMS, 1, QMI_KIND_RESPONSE, id, 0x24);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 1);
	cr_assert_eq(d.calls, 1);
	cr_assert_eq(d.err, -EPROTO);
	cr_assert_eq(qmi_txns_pending(t), 0);
}

Test(txn, timeouts_and_deadlines)
{
	struct done a = { 0 }, b = { 0 };
	uint64_t dl;

	cr_assert_eq(qmi_txns_next_deadline(t, &dl), -ENOENT);
	cr_assert_eq(qmi_txns_begin(t, QMI_SVC_DMS, 1, 0x25, 2000, on_done, &a, NULL, NULL), 0);
	cr_assert_eq(qmi_txns_begin(t, QMI_SVC_DMS, 1, 0x25, 1500, on_done, &b, NULL, NULL), 0);
	cr_assert_eq(qmi_txns_next_deadline(t, &dl), 0);
	cr_assert_eq(dl, 1500);
	cr_assert_eq(qmi_txns_expire(t, 1499), 0);
	cr_assert_eq(b.calls, 0);
	cr_assert_eq(qmi_txns_expire(t, 1500), 1);
	cr_assert_eq(b.calls, 1);
	cr_assert_eq(b.err, -ETIMEDOUT);
	cr_assert_eq(a.calls, 0);
	cr_assert_eq(qmi_txns_next_deadline(t, &dl), 0);
	cr_assert_eq(dl, 2000);
	cr_assert_eq(qmi_txns_expire(t, 5000), 1);
	cr_assert_eq(a.err, -ETIMEDOUT);
	cr_assert_eq(qmi_txns_next_deadline(t, &dl), -ENOENT);
}

Test(txn, late_response_after_timeout_is_ignored)
{
	struct done d = { 0 };
	uint16_t id;
	uint8_t buf[64];
	struct qmi_frame f;

	cr_assert_eq(qmi_txns_begin(t, QMI_SVC_DMS, 1, 0x25, 10, on_done, &d, &id, NULL), 0);
	qmi_txns_expire(t, 10);
	mk(buf, sizeof(buf), &f, QMI_SVC_DMS, 1, QMI_KIND_RESPONSE, id, 0x25);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 0);
	cr_assert_eq(d.calls, 1);
	cr_assert_eq(d.err, -ETIMEDOUT);
}

Test(txn, fail_all_complete_forget)
{
	struct done a = { 0 }, b = { 0 }, c = { 0 };
	struct qmi_txn *hc, *hb;

	cr_assert_eq(qmi_txns_begin(t, QMI_SVC_DMS, 1, 0x25, 10, on_done, &a, NULL, NULL), 0);
	cr_assert_eq(qmi_txns_begin(t, QMI_SVC_DMS, 1, 0x25, 10, on_done, &b, NULL, &hb), 0);
	cr_assert_eq(qmi_txns_begin(t, QMI_SVC_CTL, 0, 0x22, 10, on_done, &c, NULL, &hc), 0);
	qmi_txn_forget(hc);
	qmi_txn_complete(hb, -ECANCELED);
	cr_assert_eq(b.err, -ECANCELED);
	qmi_txns_fail_all(t, -ENODEV);
	cr_assert_eq(a.calls, 1);
	cr_assert_eq(a.err, -ENODEV);
	cr_assert_eq(b.calls, 1);
	cr_assert_eq(c.calls, 0, "a forgotten request never calls back");
	cr_assert_eq(qmi_txns_pending(t), 0);
}

struct ind_log {
	int calls;
	uint8_t last_cid;
	struct qmi_txn_sub *self; /* unsubscribe from inside the callback when set */
};

static void on_ind(void *user, const struct qmi_frame *f)
{
	struct ind_log *l = user;

	l->calls++;
	l->last_cid = f->client_id;
	if (l->self) {
		qmi_txns_unsubscribe(l->self);
		l->self = NULL;
	}
}

Test(txn, indication_routing_unicast_and_broadcast)
{
	struct ind_log nas4 = { 0 }, nas5 = { 0 }, nas_all = { 0 }, dms4 = { 0 };
	uint8_t buf[64];
	struct qmi_frame f;

	cr_assert_eq(qmi_txns_subscribe(t, QMI_SVC_NAS, 4, on_ind, &nas4, NULL), 0);
	cr_assert_eq(qmi_txns_subscribe(t, QMI_SVC_NAS, 5, on_ind, &nas5, NULL), 0);
	cr_assert_eq(qmi_txns_subscribe(t, QMI_SVC_NAS, QMI_CID_BROADCAST, on_ind, &nas_all, NULL),
		     0);
	cr_assert_eq(qmi_txns_subscribe(t, QMI_SVC_DMS, 4, on_ind, &dms4, NULL), 0);

	/* Unicast to NAS cid 4: that client and the all-of-NAS handler. */
	mk(buf, sizeof(buf), &f, QMI_SVC_NAS, 4, QMI_KIND_INDICATION, 0, 0x51);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 2);
	cr_assert_eq(nas4.calls, 1);
	cr_assert_eq(nas5.calls, 0);
	cr_assert_eq(nas_all.calls, 1);
	cr_assert_eq(dms4.calls, 0);

	/* Broadcast to NAS: every NAS handler, no DMS one. */
	mk(buf, sizeof(buf), &f, QMI_SVC_NAS, QMI_CID_BROADCAST, QMI_KIND_INDICATION, 0, 0x51);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 3);
	cr_assert_eq(nas4.calls, 2);
	cr_assert_eq(nas5.calls, 1);
	cr_assert_eq(nas_all.calls, 2);
	cr_assert_eq(dms4.calls, 0);

	/* An indication for a cid nobody holds reaches only the all-of-NAS handler. */
	mk(buf, sizeof(buf), &f, QMI_SVC_NAS, 9, QMI_KIND_INDICATION, 0, 0x51);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 1);
	/* And an indication of another service with the same cid goes to that service only. */
	mk(buf, sizeof(buf), &f, QMI_SVC_DMS, 4, QMI_KIND_INDICATION, 0, 0x01);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 1);
	cr_assert_eq(dms4.calls, 1);
	cr_assert_eq(nas4.calls, 2);
}

Test(txn, unsubscribe_inside_callback)
{
	struct ind_log a = { 0 }, b = { 0 };
	struct qmi_txn_sub *sa, *sb;
	uint8_t buf[64];
	struct qmi_frame f;

	cr_assert_eq(qmi_txns_subscribe(t, QMI_SVC_WDS, 2, on_ind, &a, &sa), 0);
	cr_assert_eq(qmi_txns_subscribe(t, QMI_SVC_WDS, 2, on_ind, &b, &sb), 0);
	a.self = sa;
	mk(buf, sizeof(buf), &f, QMI_SVC_WDS, 2, QMI_KIND_INDICATION, 0, 0x22);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 2);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 1);
	cr_assert_eq(a.calls, 1);
	cr_assert_eq(b.calls, 2);
	qmi_txns_unsubscribe(sb);
	cr_assert_eq(qmi_txns_dispatch(t, &f), 0);
}

/* A callback that starts the next request, as a retry loop does. */
struct chain {
	struct qmi_txns *t;
	int calls;
};

static void chain_cb(void *user, int err, const struct qmi_frame *resp)
{
	struct chain *c = user;

	if (++c->calls < 3)
		cr_assert_eq(qmi_txns_begin(c->t, QMI_SVC_CTL, 0, 0x21, 100 * (uint64_t)c->calls,
					    chain_cb, c, NULL, NULL),
			     0);
}

Test(txn, callbacks_may_start_requests)
{
	struct chain c = { t, 0 };

	cr_assert_eq(qmi_txns_begin(t, QMI_SVC_CTL, 0, 0x21, 0, chain_cb, &c, NULL, NULL), 0);
	cr_assert_eq(qmi_txns_expire(t, 1000), 3);
	cr_assert_eq(c.calls, 3);
	cr_assert_eq(qmi_txns_pending(t), 0);
}

Test(txn, ids_run_out_only_when_all_are_in_flight)
{
	struct done d = { 0 };
	uint16_t id;

	for (int i = 0; i < 0xFF; i++)
		cr_assert_eq(qmi_txns_begin(t, QMI_SVC_CTL, 0, 0x21, 100, on_done, &d, &id, NULL),
			     0);
	cr_assert_eq(qmi_txns_next_id(t, QMI_SVC_CTL, 0, &id), -EBUSY);
	/* Free txn 77: it is the only one left, and the counter finds it. */
	{
		uint8_t buf[64];
		struct qmi_frame f;

		mk(buf, sizeof(buf), &f, QMI_SVC_CTL, 0, QMI_KIND_RESPONSE, 77, 0x21);
		cr_assert_eq(qmi_txns_dispatch(t, &f), 1);
	}
	cr_assert_eq(qmi_txns_next_id(t, QMI_SVC_CTL, 0, &id), 0);
	cr_assert_eq(id, 77);
}
