/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/loop.h"
#include "base/wipe.h"
#include "qmi/device_internal.h"
#include "qmi/msgdb.h"

static void trace_frame(struct qmi_dev *dev, const char *dir, const struct qmi_frame *f)
{
	if (!dev->trace)
		return;
	qmi_msg_print_ex(dev->trace, f, dir,
			 QMI_PRINT_HIDE_SECRET | QMI_PRINT_TIME | QMI_PRINT_HEX |
				 (dev->trace_full ? 0 : QMI_PRINT_HIDE_PERSONAL));
	fflush(dev->trace);
}

static void timer_fired(void *user);

/* Keeps exactly one loop timer armed for the earliest request deadline. */
static void rearm(struct qmi_dev *dev)
{
	uint64_t at, now;

	if (qmi_txns_next_deadline(dev->txns, &at) < 0) {
		qb_timer_stop(&dev->timer);
		return;
	}
	/* A timer due no later than the earliest deadline stays: firing early only re-arms.
	 * Requests come with later deadlines one after another; this keeps the timer list
	 * untouched for each of them. */
	if (qb_timer_active(&dev->timer) && dev->timer_at <= at)
		return;
	now = qb_now_ms();
	qb_timer_start(&dev->timer, at > now ? at - now : 0);
	dev->timer_at = at;
}

static void timer_fired(void *user)
{
	struct qmi_dev *dev = user;

	qmi_txns_expire(dev->txns, qb_now_ms());
	rearm(dev);
}

static void on_frame(void *user, const struct qmi_frame *f)
{
	struct qmi_dev *dev = user;

	trace_frame(dev, "<<<", f);
	if (dev->monitor)
		dev->monitor(dev->monitor_user, f);
	qmi_txns_dispatch(dev->txns, f);
}

static void on_frame_error(void *user, enum qmi_frame_err why)
{
	struct qmi_dev *dev = user;

	if (dev->trace)
		fprintf(dev->trace, "<<< dropped: %s\n", qmi_frame_err_str(why));
}

/* A response too broken to decode still names its request. The request keeps waiting, since a
 * modem that sent garbage may still send the real answer, but if it times out it says the modem
 * answered malformed rather than look like silence. */
static void on_frame_rejected(void *user, const struct qmi_frame *hdr)
{
	struct qmi_dev *dev = user;

	if (hdr->kind == QMI_KIND_RESPONSE)
		qmi_txn_mark_malformed(
			qmi_txns_find(dev->txns, hdr->service, hdr->client_id, hdr->txn));
}

static void tr_ctrl_rx(void *user, const uint8_t *buf, size_t len)
{
	static const struct qmi_split_cbs split_cbs = { on_frame, on_frame_error,
							on_frame_rejected };
	struct qmi_dev *dev = user;

	/* Zero-length reads are the device's "nothing for you" answer, not an event. */
	if (len == 0 || !buf || dev->closed_err)
		return;
	qmi_splitter_feed(&dev->split, buf, len, &split_cbs, dev);
	rearm(dev);
}

static void tr_data_rx(void *user, const uint8_t *pkt, size_t len)
{
	struct qmi_dev *dev = user;

	if (dev->data.data_rx)
		dev->data.data_rx(dev->data_user, pkt, len);
}

static void tr_data_tx_ready(void *user)
{
	struct qmi_dev *dev = user;

	if (dev->data.data_tx_ready)
		dev->data.data_tx_ready(dev->data_user);
}

static void tr_closed(void *user, int err)
{
	struct qmi_dev *dev = user;

	if (dev->closed_err)
		return;
	dev->closed_err = err < 0 ? err : -EPIPE;
	if (dev->trace)
		fprintf(dev->trace, "--- transport closed: %s\n", qb_strerror(-dev->closed_err));
	qb_timer_stop(&dev->timer);
	qmi_txns_fail_all(dev->txns, dev->closed_err);
	if (dev->data.closed)
		dev->data.closed(dev->data_user, dev->closed_err);
}

int qmi_dev_new(struct qmi_dev **out, struct qb_loop *loop, struct qmi_transport tr,
		const struct qmi_dev_opts *opts)
{
	struct qmi_dev *dev = NULL;
	int r = -EINVAL;

	if (!out || !loop || !tr.ops || !tr.ops->start || !tr.ops->ctrl_send)
		goto fail;
	r = -ENOMEM;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		goto fail;
	dev->loop = loop;
	dev->tr = tr;
	dev->trace = opts ? opts->trace : NULL;
	dev->trace_full = opts && opts->trace_full;
	dev->timeout_ms = opts && opts->timeout_ms ? opts->timeout_ms : QMI_DEV_DEFAULT_TIMEOUT_MS;
	qb_timer_init(&dev->timer, loop, timer_fired, dev);
	dev->cbs.ctrl_rx = tr_ctrl_rx;
	dev->cbs.data_rx = tr_data_rx;
	dev->cbs.data_tx_ready = tr_data_tx_ready;
	dev->cbs.closed = tr_closed;
	/* Resync rather than hang up: USB hands us whole frames, so garbage is one bad read. */
	qmi_splitter_init(&dev->split, QMI_SPLIT_RESYNC);
	r = qmi_txns_new(&dev->txns);
	if (r < 0)
		goto fail;
	r = tr.ops->start(tr.impl, loop, &dev->cbs, dev);
	if (r < 0)
		goto fail;
	*out = dev;
	return 0;
fail:
	/* Ownership of tr was taken: it is destroyed on failure too. */
	qmi_transport_destroy(&tr);
	if (dev) {
		qmi_txns_free(dev->txns);
		free(dev);
	}
	return r;
}

void qmi_dev_free(struct qmi_dev *dev)
{
	if (!dev)
		return;
	qb_timer_stop(&dev->timer);
	if (!dev->closed_err)
		dev->closed_err = -ECANCELED; /* anything the callbacks try now fails fast */
	qmi_txns_fail_all(dev->txns, -ECANCELED);
	qmi_transport_destroy(&dev->tr);
	qmi_txns_free(dev->txns);
	free(dev->versions);
	free(dev);
}

/* Copies caller TLVs one by one: this both appends them and rejects a malformed TLV area
 * before it reaches the modem. */
static int put_tlvs(struct qmi_writer *w, const uint8_t *tlvs, size_t len)
{
	struct qmi_tlv_iter it;
	struct qmi_tlv t;
	int r;

	qmi_tlv_iter_init(&it, tlvs, len);
	while ((r = qmi_tlv_next(&it, &t)) > 0)
		qmi_writer_tlv(w, t.type, t.val, t.len);
	return r < 0 ? -EINVAL : w->err;
}

/* Registers the request, then sends it. *id gets its txn. Requests are identified by id rather
 * than by handle afterwards: a transport may fail (and close, completing every request) from
 * inside ctrl_send, after which a handle would dangle. */
static int send_request(struct qmi_dev *dev, uint8_t svc, uint8_t cid, uint16_t msg_id,
			const uint8_t *tlvs, size_t tlvs_len, unsigned timeout_ms, qmi_resp_cb cb,
			void *user, uint16_t *id_out)
{
	uint8_t frame[QMI_FRAME_MAX];
	struct qmi_writer w;
	struct qmi_frame f;
	uint16_t id = 0;
	size_t len;
	int r;

	if (dev->closed_err)
		return dev->closed_err;
	if (svc != QMI_SVC_CTL && (cid == QMI_CID_NONE || cid == QMI_CID_BROADCAST))
		return -EINVAL; /* libqmi refuses these too: the modem would not answer */
	if (!timeout_ms)
		timeout_ms = dev->timeout_ms;
	r = qmi_txns_begin(dev->txns, svc, cid, msg_id, qb_now_ms() + timeout_ms, cb, user, &id,
			   NULL);
	if (r < 0)
		return r;
	qmi_writer_init(&w, frame, sizeof(frame), svc, cid, QMI_KIND_REQUEST, id, msg_id);
	r = put_tlvs(&w, tlvs, tlvs_len);
	if (r == 0)
		r = qmi_writer_finish(&w, &len);
	if (r)
		goto fail;
	if (dev->trace && qmi_frame_parse(frame, len, &f, NULL) == 0)
		trace_frame(dev, ">>>", &f);
	r = dev->tr.ops->ctrl_send(dev->tr.impl, frame, len);
	if (r < 0)
		goto fail;
	rearm(dev);
	if (id_out)
		*id_out = id;
	return 0;
fail:
	/* Still ours unless a close completed it meanwhile: then its callback already ran. */
	qmi_txn_forget(qmi_txns_find(dev->txns, svc, cid, id));
	rearm(dev);
	return r;
}

int qmi_dev_send(struct qmi_dev *dev, uint8_t svc, uint8_t cid, uint16_t msg_id,
		 const uint8_t *tlvs, size_t tlvs_len, unsigned timeout_ms, qmi_resp_cb cb,
		 void *user)
{
	return send_request(dev, svc, cid, msg_id, tlvs, tlvs_len, timeout_ms, cb, user, NULL);
}

/* msg encoded as def's TLV area into buf (a scratch frame: the header is rewritten on sending).
 * Sets *tlvs and *len to the area inside buf. 0 or -errno. */
static int encode_tlvs(const struct qmi_msg_def *def, const void *msg, uint8_t cid, uint8_t *buf,
		       size_t cap, const uint8_t **tlvs, size_t *len)
{
	struct qmi_writer w;
	size_t hdr = qmi_hdr_len(def->service), n;
	int r;

	qmi_writer_init(&w, buf, cap, def->service, cid, QMI_KIND_REQUEST, 1, def->msg_id);
	r = qmi_msg_encode(def, msg, &w);
	if (r == 0)
		r = qmi_writer_finish(&w, &n);
	if (r)
		return r;
	*tlvs = buf + hdr;
	*len = n - hdr;
	return 0;
}

int qmi_dev_send_msg(struct qmi_dev *dev, uint8_t cid, const struct qmi_msg_def *def,
		     const void *msg, unsigned timeout_ms, qmi_resp_cb cb, void *user)
{
	uint8_t buf[QMI_FRAME_MAX];
	const uint8_t *tlvs = NULL;
	size_t len = 0;
	int r = encode_tlvs(def, msg, cid, buf, sizeof(buf), &tlvs, &len);

	if (r == 0)
		r = qmi_dev_send(dev, def->service, cid, def->msg_id, tlvs, len, timeout_ms, cb,
				 user);
	qb_wipe(buf, tlvs ? (size_t)(tlvs - buf) + len : sizeof(buf)); /* it may hold a PIN */
	return r;
}

int qmi_dev_send_frame(struct qmi_dev *dev, const uint8_t *frame, size_t len, unsigned timeout_ms,
		       qmi_resp_cb cb, void *user)
{
	struct qmi_frame f;
	int r;

	if (dev->closed_err)
		return dev->closed_err;
	if (qmi_frame_parse(frame, len, &f, NULL) < 0 || f.kind != QMI_KIND_REQUEST)
		return -EBADMSG;
	if (cb) {
		if (!timeout_ms)
			timeout_ms = dev->timeout_ms;
		r = qmi_txns_add(dev->txns, f.service, f.client_id, f.txn, f.msg_id,
				 qb_now_ms() + timeout_ms, cb, user, NULL);
		if (r < 0)
			return r;
	}
	trace_frame(dev, ">>>", &f);
	r = dev->tr.ops->ctrl_send(dev->tr.impl, frame, len);
	if (r < 0 && cb)
		qmi_txn_forget(qmi_txns_find(dev->txns, f.service, f.client_id, f.txn));
	rearm(dev);
	return r < 0 ? r : 0;
}

/* A synchronous call's state lives on the caller's stack; the txn handle lets us forget the
 * request if we must leave before its callback ran. */
struct sync_call {
	bool done;
	int err;
	uint8_t *buf;
	size_t cap;
	struct qmi_frame *resp;
};

static void sync_done(void *user, int err, const struct qmi_frame *resp)
{
	struct sync_call *s = user;

	s->done = true;
	s->err = err;
	if (err)
		return;
	if (resp->raw_len > s->cap) {
		s->err = -EMSGSIZE;
		return;
	}
	memcpy(s->buf, resp->raw, resp->raw_len);
	/* Re-point the view at the copy; it was valid already, so this cannot fail. */
	if (qmi_frame_parse(s->buf, resp->raw_len, s->resp, NULL) < 0)
		s->err = -EBADMSG;
}

int qmi_dev_call_raw(struct qmi_dev *dev, uint8_t svc, uint8_t cid, uint16_t msg_id,
		     const uint8_t *tlvs, size_t tlvs_len, unsigned timeout_ms, uint8_t *resp_buf,
		     size_t resp_cap, struct qmi_frame *resp)
{
	struct sync_call s = { .buf = resp_buf, .cap = resp_cap, .resp = resp };
	uint16_t id;
	int r;

	if (!resp_buf || !resp)
		return -EINVAL;
	r = send_request(dev, svc, cid, msg_id, tlvs, tlvs_len, timeout_ms, sync_done, &s, &id);
	if (r)
		return r;
	while (!s.done) {
		r = qb_loop_run_once(dev->loop, -1);
		if (r < 0 && !s.done) {
			/* s dies with this stack frame: the engine must not call back into it. */
			qmi_txn_forget(qmi_txns_find(dev->txns, svc, cid, id));
			rearm(dev);
			return r;
		}
	}
	return s.err;
}

int qmi_dev_call(struct qmi_dev *dev, uint8_t cid, const struct qmi_msg_def *req_def,
		 const void *req, const struct qmi_msg_def *resp_def, void *resp,
		 struct qmi_result *result, unsigned timeout_ms)
{
	uint8_t *req_buf = NULL, *resp_buf = NULL;
	const uint8_t *tlvs;
	struct qmi_frame f;
	size_t len;
	int r = -EINVAL;

	if (!dev || !req_def || req_def->kind != QMI_KIND_REQUEST || !result)
		goto out;
	if ((req_def->size && !req) || (resp_def && resp_def->size && !resp))
		goto out;
	if (resp_def &&
	    (resp_def->kind != QMI_KIND_RESPONSE || resp_def->service != req_def->service ||
	     resp_def->msg_id != req_def->msg_id))
		goto out;
	r = -ENOMEM;
	req_buf = malloc(QMI_FRAME_MAX);
	resp_buf = malloc(QMI_FRAME_MAX);
	if (!req_buf || !resp_buf)
		goto out;
	r = encode_tlvs(req_def, req, cid, req_buf, QMI_FRAME_MAX, &tlvs, &len);
	if (r)
		goto out;
	r = qmi_dev_call_raw(dev, req_def->service, cid, req_def->msg_id, tlvs, len, timeout_ms,
			     resp_buf, QMI_FRAME_MAX, &f);
	if (r)
		goto out;
	r = qmi_result_get(&f, result);
	if (r < 0) {
		r = -EBADMSG; /* a response without a Result TLV is not a QMI response */
		goto out;
	}
	if (resp_def && resp_def->size)
		memset(resp, 0, resp_def->size);
	/* Output TLVs are only defined on success (libqmi's "prerequisites"). */
	if (resp_def && result->status == 0)
		r = qmi_msg_decode(resp_def, f.tlvs, f.tlvs_len, resp);
out:
	free(req_buf);
	free(resp_buf);
	return r;
}

int qmi_dev_subscribe(struct qmi_dev *dev, uint8_t svc, uint8_t cid, qmi_ind_cb cb, void *user,
		      struct qmi_sub **out)
{
	struct qmi_txn_sub *s;
	int r = qmi_txns_subscribe(dev->txns, svc, cid, cb, user, &s);

	/* struct qmi_sub is only a name for the engine's subscription: never dereferenced. */
	if (r == 0 && out)
		*out = (struct qmi_sub *)s;
	return r;
}

void qmi_dev_unsubscribe(struct qmi_sub *sub)
{
	qmi_txns_unsubscribe((struct qmi_txn_sub *)sub);
}

void qmi_dev_set_monitor(struct qmi_dev *dev, qmi_ind_cb cb, void *user)
{
	dev->monitor = cb;
	dev->monitor_user = user;
}

void qmi_dev_set_data_cbs(struct qmi_dev *dev, const struct qmi_dev_data_cbs *cbs, void *user)
{
	if (cbs)
		dev->data = *cbs;
	else
		memset(&dev->data, 0, sizeof(dev->data));
	dev->data_user = user;
}

struct qmi_transport *qmi_dev_transport(struct qmi_dev *dev)
{
	return &dev->tr;
}

struct qb_loop *qmi_dev_loop(struct qmi_dev *dev)
{
	return dev->loop;
}

int qmi_dev_closed(const struct qmi_dev *dev)
{
	return dev->closed_err;
}
