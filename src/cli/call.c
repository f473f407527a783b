/* SPDX-License-Identifier: MIT */
/*
 * Requests in batches: a command sends everything it needs at once and renders when all answers
 * are in. The modem may answer in any order (the engine matches by transaction id), and the
 * whole command costs one round trip instead of one per message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/loop.h"
#include "qmi/device.h"
#include "qmi/msgdb.h"

/* The answers land in heap state, not in the caller's array: if the loop fails, the batch is
 * abandoned and the callbacks still to come (at the latest when the device is freed, with
 * -ECANCELED) must not write into a stack frame that is gone. */
struct slot {
	struct batch *b;
	const struct qmi_msg_def *resp_def;
	void *resp; /* resp_def->size bytes */
	bool done;
	int err;
	struct qmi_result result;
	struct qmi_decode_info decoded;
};

struct batch {
	size_t n;
	size_t pending;
	bool abandoned;
	struct slot slots[];
};

static void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->slots[i].resp);
	free(b);
}

static void on_response(void *user, int err, const struct qmi_frame *resp)
{
	struct slot *s = user;
	struct batch *b = s->b;

	s->done = true;
	s->err = err;
	if (!err) {
		if (qmi_result_get(resp, &s->result) < 0) {
			s->err = -EBADMSG; /* a response without a Result TLV */
		} else if (s->result.status == 0 && s->resp_def && s->resp_def->size) {
			/* Output TLVs exist only on success (libqmi's "prerequisites"). */
			int r = qmi_msg_decode_ex(s->resp_def, resp->tlvs, resp->tlvs_len, s->resp,
						  &s->decoded);

			if (r < 0)
				s->err = r == -EMSGSIZE ? -EBADMSG : r;
		}
	}
	b->pending--;
	if (b->abandoned && !b->pending)
		batch_free(b);
}

static int encode_tlvs(const struct qcli_req *r, uint8_t *buf, size_t cap, size_t *off, size_t *len)
{
	struct qmi_writer w;
	size_t flen;
	int err;

	qmi_writer_init(&w, buf, cap, r->req_def->service, r->cid, QMI_KIND_REQUEST, 1,
			r->req_def->msg_id);
	err = qmi_msg_encode(r->req_def, r->req, &w);
	if (!err)
		err = qmi_writer_finish(&w, &flen);
	if (err)
		return err;
	*off = qmi_hdr_len(r->req_def->service);
	*len = flen - *off;
	return 0;
}

int qcli_batch(struct qcli *cli, struct qcli_req *reqs, size_t n)
{
	struct batch *b;
	uint8_t *buf = NULL;
	int err = 0;

	b = calloc(1, sizeof(*b) + n * sizeof(b->slots[0]));
	buf = malloc(QMI_FRAME_MAX);
	if (!b || !buf) {
		free(b);
		free(buf);
		return -ENOMEM;
	}
	b->n = n;
	for (size_t i = 0; i < n; i++) {
		struct slot *s = &b->slots[i];
		size_t off = 0, len = 0;

		s->b = b;
		reqs[i].done = false;
		reqs[i].err = 0;
		memset(&reqs[i].result, 0, sizeof(reqs[i].result));
		if (reqs[i].skip)
			continue;
		s->resp_def = reqs[i].resp_def;
		if (reqs[i].resp && s->resp_def && s->resp_def->size)
			memset(reqs[i].resp, 0, s->resp_def->size);
		if (s->resp_def && s->resp_def->size) {
			s->resp = calloc(1, s->resp_def->size);
			if (!s->resp) {
				err = -ENOMEM;
				break;
			}
		}
		err = encode_tlvs(&reqs[i], buf, QMI_FRAME_MAX, &off, &len);
		if (err)
			break;
		err = qmi_dev_send(cli->dev, reqs[i].req_def->service, reqs[i].cid,
				   reqs[i].req_def->msg_id, buf + off, len, cli->timeout_ms,
				   on_response, s);
		if (err)
			break;
		b->pending++;
	}
	free(buf);

	/* Even after a send failure, the requests already out are waited for: their callbacks
	 * point into b. */
	while (b->pending) {
		int r;

		/* A signal ends the wait; during the final release only a second one does. */
		if (cli->interrupted > (cli->releasing ? 1u : 0u)) {
			b->abandoned = true;
			return -EINTR;
		}
		r = qb_loop_run_once(cli->loop, -1);
		if (r < 0) {
			b->abandoned = true;
			return r;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct slot *s = &b->slots[i];

		if (reqs[i].skip)
			continue;
		reqs[i].done = s->done;
		reqs[i].err = s->done ? s->err : (err ? err : -ECANCELED);
		reqs[i].result = s->result;
		reqs[i].decoded = s->decoded;
		if (s->done && reqs[i].resp && s->resp)
			memcpy(reqs[i].resp, s->resp, s->resp_def->size);
	}
	batch_free(b);
	return err;
}

int qcli_req_check(struct qcli *cli, const struct qcli_req *r, const char *what)
{
	if (r->skip)
		return QCLI_EXIT_OK;
	if (r->err)
		return qcli_report(cli, what, r->err, NULL);
	if (r->result.status)
		return qcli_report(cli, what, 0, &r->result);
	return QCLI_EXIT_OK;
}
