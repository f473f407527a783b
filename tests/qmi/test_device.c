/* SPDX-License-Identifier: MIT */
/*
 * struct qmi_dev over a tiny fake transport written here: it records every request and answers
 * from a loop timer (never from inside ctrl_send, like a real device), with knobs for dropped
 * replies, silence, garbage and delivery in pieces.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/loop.h"
#include "qmi/device.h"
#include "qmi/errors.h"
#include "qmi/messages.h"
#include "qmi/tlv.h"

#define MAX_SENT 64

struct fake {
	struct qb_loop *loop;
	const struct qmi_transport_cbs *cbs;
	void *user;
	uint8_t sent[MAX_SENT][256];
	size_t sent_len[MAX_SENT];
	size_t n_sent;
	size_t done;            /* requests answered (or dropped) so far */
	int drop_version_info;  /* drop this many Get Version Info requests */
	bool silent;            /* never answer */
	bool split;             /* deliver each reply in 1-byte pieces, with a zero-length read */
	bool garbage;           /* junk before each reply */
	bool wrong_msg_id;      /* answer DMS with a different message id */
	bool malformed;         /* non-CTL replies: the QMI TLV length is off by one */
	uint16_t alloc_error;   /* Allocate CID fails with this QMI error */
	uint16_t version_error; /* Get Version Info fails with this QMI error */
	bool die_in_send;       /* ctrl_send reports the unplug, then fails */
	bool *destroyed;
	struct qb_timer answer; /* answers from the loop, never from inside ctrl_send */
};

static void reply(struct fake *fk, const uint8_t *req, size_t req_len)
{
	uint8_t out[512];
	struct qmi_writer w;
	struct qmi_frame f;
	size_t len;

	cr_assert_eq(qmi_frame_parse(req, req_len, &f, NULL), 0, "the device sent a bad frame");
	cr_assert_eq(f.kind, QMI_KIND_REQUEST);
	if (f.service == QMI_SVC_CTL && f.msg_id == QMI_CTL_GET_VERSION_INFO &&
	    fk->drop_version_info > 0) {
		fk->drop_version_info--;
		return;
	}
	qmi_writer_init(&w, out, sizeof(out), f.service, f.client_id, QMI_KIND_RESPONSE, f.txn,
			fk->wrong_msg_id && f.service != QMI_SVC_CTL ? f.msg_id + 1 : f.msg_id);
	qmi_writer_set_qmux_flags(&w, QMI_QMUX_FLAG_SERVICE);
	if (f.service == QMI_SVC_CTL && f.msg_id == QMI_CTL_ALLOCATE_CID && fk->alloc_error) {
		qmi_writer_result(&w, 1, fk->alloc_error);
	} else if (f.service == QMI_SVC_CTL && f.msg_id == QMI_CTL_GET_VERSION_INFO &&
		   fk->version_error) {
		qmi_writer_result(&w, 1, fk->version_error);
		cr_assert_eq(qmi_writer_finish(&w, &len), 0);
		fk->cbs->ctrl_rx(fk->user, out, len);
		return;
	} else {
		qmi_writer_result(&w, 0, 0);
	}
	if (f.service == QMI_SVC_CTL && f.msg_id == QMI_CTL_GET_VERSION_INFO) {
		qmi_writer_tlv_begin(&w, 0x01);
		qmi_writer_put_u8(&w, 2);
		qmi_writer_put_u8(&w, QMI_SVC_DMS);
		qmi_writer_put_u16(&w, 1);
		qmi_writer_put_u16(&w, 14);
		qmi_writer_put_u8(&w, QMI_SVC_WDS);
		qmi_writer_put_u16(&w, 1);
		qmi_writer_put_u16(&w, 67);
		qmi_writer_tlv_end(&w);
	} else if (f.service == QMI_SVC_CTL && f.msg_id == QMI_CTL_ALLOCATE_CID &&
		   !fk->alloc_error) {
		struct qmi_tlv t;

		cr_assert_eq(qmi_tlv_find(f.tlvs, f.tlvs_len, 0x01, &t), 0);
		cr_assert_eq(t.len, 1);
		qmi_writer_tlv_begin(&w, 0x01);
		qmi_writer_put_u8(&w, t.val[0]);
		qmi_writer_put_u8(&w, 7);
		qmi_writer_tlv_end(&w);
	} else if (f.service == QMI_SVC_CTL && f.msg_id == QMI_CTL_RELEASE_CID) {
		struct qmi_tlv t;

		cr_assert_eq(qmi_tlv_find(f.tlvs, f.tlvs_len, 0x01, &t), 0);
		qmi_writer_tlv(&w, 0x01, t.val, t.len);
	} else if (f.service == QMI_SVC_DMS && f.msg_id == QMI_DMS_GET_IDS) {
		qmi_writer_tlv(&w, 0x10, "0", 1);
		qmi_writer_tlv(&w, 0x11, "359072061234567", 15);
	}
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	if (fk->malformed && f.service != QMI_SVC_CTL)
		out[qmi_hdr_len(f.service) - 2]++;
	if (fk->garbage) {
		static const uint8_t junk[] = { 0x00, 0x55, 0x01, 0xff };

		fk->cbs->ctrl_rx(fk->user, junk, sizeof(junk));
	}
	if (fk->split) {
		for (size_t i = 0; i < len; i++) {
			fk->cbs->ctrl_rx(fk->user, out + i, 1);
			fk->cbs->ctrl_rx(fk->user, out, 0); /* "no data" reads in between */
		}
	} else {
		fk->cbs->ctrl_rx(fk->user, out, len);
	}
}

static void answer_pending(void *user)
{
	struct fake *fk = user;

	while (fk->done < fk->n_sent) {
		size_t i = fk->done++;

		if (!fk->silent)
			reply(fk, fk->sent[i], fk->sent_len[i]);
	}
}

static int fk_start(void *impl, struct qb_loop *loop, const struct qmi_transport_cbs *cbs,
		    void *user)
{
	struct fake *fk = impl;

	fk->loop = loop;
	qb_timer_init(&fk->answer, loop, answer_pending, fk);
	fk->cbs = cbs;
	fk->user = user;
	return 0;
}

static int fk_ctrl_send(void *impl, const uint8_t *frame, size_t len)
{
	struct fake *fk = impl;

	if (fk->die_in_send) {
		fk->cbs->closed(fk->user, -ENODEV);
		return -ENODEV;
	}
	cr_assert_lt(fk->n_sent, MAX_SENT);
	cr_assert_leq(len, sizeof(fk->sent[0]));
	memcpy(fk->sent[fk->n_sent], frame, len);
	fk->sent_len[fk->n_sent++] = len;
	qb_timer_start(&fk->answer, 0);
	return 0;
}

static const char *fk_describe(void *impl)
{
	return "fake";
}

static void fk_destroy(void *impl)
{
	struct fake *fk = impl;

	if (fk)
		qb_timer_stop(&fk->answer);
	if (fk && fk->destroyed)
		*fk->destroyed = true;
}

static const struct qmi_transport_ops fk_ops = {
	.name = "fake",
	.start = fk_start,
	.ctrl_send = fk_ctrl_send,
	.describe = fk_describe,
	.destroy = fk_destroy,
};

static struct qb_loop *loop;
static struct fake fk;
static struct qmi_dev *dev;
static char *trace_buf;
static size_t trace_len;
static FILE *trace;

static void setup(void)
{
	struct qmi_dev_opts opts = { 0 };

	memset(&fk, 0, sizeof(fk));
	cr_assert_eq(qb_loop_new(&loop, QB_LOOP_AUTO), 0);
	trace = open_memstream(&trace_buf, &trace_len);
	cr_assert_not_null(trace);
	opts.trace = trace;
	cr_assert_eq(qmi_dev_new(&dev, loop, (struct qmi_transport){ &fk_ops, &fk }, &opts), 0);
}

static void teardown(void)
{
	qmi_dev_free(dev);
	qb_loop_free(loop);
	fclose(trace);
	free(trace_buf);
}

TestSuite(device, .init = setup, .fini = teardown);

static struct qmi_frame sent_frame(size_t i)
{
	struct qmi_frame f;

	cr_assert_lt(i, fk.n_sent);
	cr_assert_eq(qmi_frame_parse(fk.sent[i], fk.sent_len[i], &f, NULL), 0);
	return f;
}

Test(device, open_set_data_format_golden_bytes)
{
	static const uint8_t golden[] = { 0x01, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00,
					  0x01, 0x26, 0x00, 0x09, 0x00, 0x10, 0x02,
					  0x00, 0x02, 0x00, 0x01, 0x01, 0x00, 0x00 };
	struct qmi_open_opts o = { .version_info_tries = 0, .data_format = 2, .qos = false };
	struct qmi_result res;

	cr_assert_eq(qmi_dev_open(dev, &o, &res), 0);
	cr_assert_eq(fk.n_sent, 1);
	cr_assert_eq(fk.sent_len[0], sizeof(golden));
	cr_assert_arr_eq(fk.sent[0], golden, sizeof(golden));
}

Test(device, open_retries_version_info_until_answered, .timeout = 30)
{
	struct qmi_open_opts o = { .version_info_tries = 5, .sync = true, .data_format = -1 };
	const struct qmi_svc_version *v;
	struct qmi_result res;

	fk.drop_version_info = 2;
	cr_assert_eq(qmi_dev_open(dev, &o, &res), 0);
	cr_assert_eq(res.status, 0);
	/* Three version-info tries, each with a new transaction id, then Sync. */
	cr_assert_eq(fk.n_sent, 4);
	for (size_t i = 0; i < 3; i++) {
		struct qmi_frame f = sent_frame(i);

		cr_assert_eq(f.msg_id, QMI_CTL_GET_VERSION_INFO);
		cr_assert_eq(f.txn, i + 1);
	}
	cr_assert_eq(sent_frame(3).msg_id, QMI_CTL_SYNC);
	cr_assert_eq(qmi_dev_versions(dev, &v), 2);
	cr_assert_eq(v[1].service, QMI_SVC_WDS);
	cr_assert_eq(v[1].minor, 67);
}

/* Some proxies and firmware refuse CTL Get Version Info: that is an answer, so the modem is up
 * and the open goes on at once (no retry), without versions, the refusal kept. */
Test(device, open_survives_a_refused_version_info, .timeout = 30)
{
	struct qmi_open_opts o = { .version_info_tries = 5, .sync = true, .data_format = -1 };
	const struct qmi_svc_version *v = NULL;
	struct qmi_result res, why;

	fk.version_error = QMI_ERR_NOT_SUPPORTED;
	cr_assert_eq(qmi_dev_open(dev, &o, &res), 0);
	cr_assert_eq(res.status, 0, "the open's own result is a success");
	cr_assert_eq(fk.n_sent, 2, "one Get Version Info, then Sync");
	cr_assert_eq(sent_frame(0).msg_id, QMI_CTL_GET_VERSION_INFO);
	cr_assert_eq(sent_frame(1).msg_id, QMI_CTL_SYNC);
	cr_assert_eq(qmi_dev_versions(dev, &v), 0);
	cr_assert(qmi_dev_version_refused(dev, &why));
	cr_assert_eq(why.status, 1);
	cr_assert_eq(why.error, QMI_ERR_NOT_SUPPORTED);
}

Test(device, open_gives_up_after_the_last_try, .timeout = 30)
{
	struct qmi_open_opts o = { .version_info_tries = 2, .data_format = 2 };

	fk.drop_version_info = 100;
	cr_assert_eq(qmi_dev_open(dev, &o, NULL), -ETIMEDOUT);
	cr_assert_eq(fk.n_sent, 2, "no Set Data Format after a failed readiness check");
}

Test(device, open_rejects_bad_options)
{
	struct qmi_open_opts o = { .data_format = 3 };

	cr_assert_eq(qmi_dev_open(dev, &o, NULL), -EINVAL);
	cr_assert_eq(fk.n_sent, 0);
}

Test(device, alloc_and_release_cid)
{
	struct qmi_result res;
	uint8_t cid = 0;
	struct qmi_frame f;
	struct qmi_tlv t;

	cr_assert_eq(qmi_dev_alloc_cid(dev, QMI_SVC_DMS, &cid, &res), 0);
	cr_assert_eq(cid, 7);
	cr_assert_eq(qmi_dev_release_cid(dev, QMI_SVC_DMS, cid, &res), 0);
	f = sent_frame(1);
	cr_assert_eq(f.msg_id, QMI_CTL_RELEASE_CID);
	cr_assert_eq(qmi_tlv_find(f.tlvs, f.tlvs_len, 0x01, &t), 0);
	cr_assert_eq(t.len, 2);
	cr_assert_eq(t.val[0], QMI_SVC_DMS);
	cr_assert_eq(t.val[1], 7);
}

Test(device, alloc_cid_modem_error_kept_intact)
{
	struct qmi_result res = { 0 };
	uint8_t cid = 0;

	fk.alloc_error = QMI_ERR_CLIENT_IDS_EXHAUSTED;
	cr_assert_eq(qmi_dev_alloc_cid(dev, QMI_SVC_NAS, &cid, &res), -QB_EMODEM);
	cr_assert_eq(res.status, 1);
	cr_assert_eq(res.error, QMI_ERR_CLIENT_IDS_EXHAUSTED);
	cr_assert_eq(cid, 0);
}

Test(device, call_decodes_through_msgdb_with_pieces_and_garbage)
{
	struct qmi_dms_get_ids_resp ids;
	struct qmi_result res;

	fk.split = true;
	fk.garbage = true;
	cr_assert_eq(qmi_dev_call(dev, 3, &qmi_dms_get_ids_req_def, NULL, &qmi_dms_get_ids_resp_def,
				  &ids, &res, 0),
		     0);
	cr_assert_eq(res.status, 0);
	cr_assert(ids.has_imei);
	cr_assert_str_eq(ids.imei, "359072061234567");
	cr_assert(ids.has_esn);
	cr_assert_not(ids.has_meid);
	cr_assert_eq(sent_frame(0).client_id, 3);
	cr_assert_eq(sent_frame(0).txn, 1);
}

Test(device, call_raw_and_trace)
{
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;

	cr_assert_eq(qmi_dev_call_raw(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 0, buf,
				      sizeof(buf), &f),
		     0);
	cr_assert_eq(f.raw, buf);
	cr_assert_eq(f.msg_id, QMI_DMS_GET_IDS);
	cr_assert_eq(f.kind, QMI_KIND_RESPONSE);
	fflush(trace);
	cr_assert_not_null(strstr(trace_buf, ">>> "), "trace: %s", trace_buf);
	cr_assert_not_null(strstr(trace_buf, "<<< "), "trace: %s", trace_buf);
	/* Too small a response buffer is reported, not overrun. */
	cr_assert_eq(qmi_dev_call_raw(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 0, buf, 20,
				      &f),
		     -EMSGSIZE);
	/* Malformed caller TLVs never reach the modem. */
	cr_assert_eq(qmi_dev_call_raw(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS,
				      (const uint8_t *)"\x01\x05\x00", 3, 0, buf, sizeof(buf), &f),
		     -EINVAL);
	cr_assert_eq(fk.n_sent, 2);
	/* Services other than CTL need a real client id. */
	cr_assert_eq(qmi_dev_call_raw(dev, QMI_SVC_DMS, 0, QMI_DMS_GET_IDS, NULL, 0, 0, buf,
				      sizeof(buf), &f),
		     -EINVAL);
}

Test(device, wrong_message_id_is_eproto)
{
	uint8_t buf[256];
	struct qmi_frame f;

	fk.wrong_msg_id = true;
	cr_assert_eq(qmi_dev_call_raw(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 0, buf,
				      sizeof(buf), &f),
		     -EPROTO);
}

Test(device, timeout_when_nobody_answers)
{
	uint8_t buf[256];
	struct qmi_frame f;

	fk.silent = true;
	cr_assert_eq(qmi_dev_call_raw(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 50, buf,
				      sizeof(buf), &f),
		     -ETIMEDOUT);
}

struct async {
	int calls;
	int err;
};

static void async_done(void *user, int err, const struct qmi_frame *resp)
{
	struct async *a = user;

	a->calls++;
	a->err = err;
}

static void unplug(void *user)
{
	fk.cbs->closed(fk.user, -ENODEV);
}

Test(device, malformed_response_without_a_valid_one_times_out_as_malformed)
{
	uint8_t buf[256];
	struct qmi_frame f;
	struct async a = { 0 };

	fk.malformed = true;
	/* Only broken answers come: the timeout says so instead of reporting silence. */
	cr_assert_eq(qmi_dev_call_raw(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 200, buf,
				      sizeof(buf), &f),
		     -EBADMSG);
	cr_assert_eq(qmi_dev_send(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 200, async_done,
				  &a),
		     0);
	while (!a.calls)
		cr_assert_geq(qb_loop_run_once(loop, 1000), 0);
	cr_assert_eq(a.err, -EBADMSG);
	fk.malformed = false;
	cr_assert_eq(qmi_dev_call_raw(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 60000, buf,
				      sizeof(buf), &f),
		     0, "the stream is still in step");
	fflush(trace);
	cr_assert_not_null(strstr(trace_buf, "<<< dropped"), "the trace says why: %s", trace_buf);
}

Test(device, transport_close_fails_pending_requests)
{
	struct async a = { 0 }, b = { 0 };
	uint8_t buf[256];
	struct qmi_frame f;
	static struct qb_timer unplug_soon;

	fk.silent = true;
	cr_assert_eq(qmi_dev_send(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 0, async_done, &a),
		     0);
	cr_assert_eq(qmi_dev_send(dev, QMI_SVC_NAS, 2, 0x20, NULL, 0, 0, async_done, &b), 0);
	cr_assert_eq(a.calls + b.calls, 0, "never called back from inside send");
	cr_assert_eq(qmi_dev_closed(dev), 0);
	qb_timer_init(&unplug_soon, loop, unplug, NULL);
	qb_timer_start(&unplug_soon, 1);
	/* The synchronous call is pending too when the unplug happens. */
	cr_assert_eq(qmi_dev_call_raw(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 0, buf,
				      sizeof(buf), &f),
		     -ENODEV);
	cr_assert_eq(a.calls, 1);
	cr_assert_eq(a.err, -ENODEV);
	cr_assert_eq(b.calls, 1);
	cr_assert_eq(b.err, -ENODEV);
	cr_assert_eq(qmi_dev_closed(dev), -ENODEV);
	cr_assert_eq(qmi_dev_send(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 0, async_done, &a),
		     -ENODEV);
}

Test(device, transport_dying_inside_send)
{
	struct async a = { 0 };
	uint8_t buf[256];
	struct qmi_frame f;

	fk.die_in_send = true;
	cr_assert_eq(qmi_dev_send(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 0, async_done, &a),
		     -ENODEV);
	cr_assert_eq(a.calls, 1, "completed once by the close, never again");
	cr_assert_eq(a.err, -ENODEV);
	cr_assert_eq(qmi_dev_closed(dev), -ENODEV);
	cr_assert_eq(qmi_dev_call_raw(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 0, buf,
				      sizeof(buf), &f),
		     -ENODEV);
	cr_assert_eq(a.calls, 1);
}

struct ind_log {
	int calls;
	uint8_t cid;
};

static void on_ind(void *user, const struct qmi_frame *f)
{
	struct ind_log *l = user;

	l->calls++;
	l->cid = f->client_id;
}

static void send_indication(void *user)
{
	uint8_t out[64];
	struct qmi_writer w;
	size_t len;

	qmi_writer_init(&w, out, sizeof(out), QMI_SVC_NAS, (uint8_t)(uintptr_t)user,
			QMI_KIND_INDICATION, 0, 0x51);
	qmi_writer_tlv(&w, 0x12, "\xb0", 1);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	fk.cbs->ctrl_rx(fk.user, out, len);
}

Test(device, indications_reach_subscribers)
{
	struct ind_log mine = { 0 }, other = { 0 };
	struct qmi_sub *s1, *s2;
	static struct qb_timer to_mine, to_all;

	cr_assert_eq(qmi_dev_subscribe(dev, QMI_SVC_NAS, 4, on_ind, &mine, &s1), 0);
	cr_assert_eq(qmi_dev_subscribe(dev, QMI_SVC_NAS, 5, on_ind, &other, &s2), 0);
	qb_timer_init(&to_mine, loop, send_indication, (void *)(uintptr_t)4);
	qb_timer_init(&to_all, loop, send_indication, (void *)(uintptr_t)0xFF);
	qb_timer_start(&to_mine, 0);
	qb_timer_start(&to_all, 0);
	while (mine.calls < 2)
		cr_assert_geq(qb_loop_run_once(loop, 1000), 0);
	cr_assert_eq(other.calls, 1, "only the broadcast reaches cid 5");
	cr_assert_eq(other.cid, 0xFF);
	qmi_dev_unsubscribe(s1);
	qmi_dev_unsubscribe(s2);
}

Test(device, free_destroys_transport_and_cancels)
{
	struct async a = { 0 };
	bool destroyed = false;

	fk.silent = true;
	fk.destroyed = &destroyed;
	cr_assert_eq(qmi_dev_send(dev, QMI_SVC_DMS, 1, QMI_DMS_GET_IDS, NULL, 0, 0, async_done, &a),
		     0);
	qmi_dev_free(dev);
	dev = NULL;
	cr_assert(destroyed);
	cr_assert_eq(a.calls, 1);
	cr_assert_eq(a.err, -ECANCELED);
}
