/* SPDX-License-Identifier: MIT */
/*
 * The in-process transport: the QMI core talks to the software modem through the same seam as
 * the USB backend. It models the CDC control channel (a RESPONSE_AVAILABLE notification, then a
 * fetch that returns one waiting frame or zero bytes) and a bulk data channel with a bounded
 * buffer pool. Every delivery to the core happens from a loop timer, never from inside one of
 * the core's calls into the transport.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "qmi/transport.h"

#define DATA_POOL 64
#define DATA_BUF QSIM_QMAP_MAX_SIZE /* one transfer: a packet, or a QMAP aggregate */
#define CTRL_QUEUE_MAX 512

struct ctrl_item {
	struct ctrl_item *next;
	size_t len;
	uint8_t frame[];
};

struct data_slot {
	size_t len;
	uint8_t buf[DATA_BUF];
};

struct sim_tr {
	struct qsim *sim;
	struct qb_loop *loop;
	const struct qmi_transport_cbs *cbs;
	void *user;
	bool started, dead;
	unsigned in_cb; /* >0 while a callback into the core runs: destroy is deferred */

	/* control: frames the modem made fetchable, and notifications not yet acted on */
	struct ctrl_item *head, *tail;
	unsigned nframes, pending_fetch;
	struct qb_timer_old *fetch_timer;

	/* data host -> modem: a ring of pool buffers */
	struct data_slot *slots;
	unsigned dq_head, dq_len;
	bool want_tx_ready;
	struct qb_timer_old *data_timer;
};

static void tr_really_free(struct sim_tr *t)
{
	while (t->head) {
		struct ctrl_item *it = t->head;

		t->head = it->next;
		free(it);
	}
	qb_timer_old_cancel(t->fetch_timer);
	qb_timer_old_cancel(t->data_timer);
	free(t->slots);
	free(t);
}

static void fetch_fire(void *user);

static void arm_fetch(struct sim_tr *t)
{
	if (t->started && !t->fetch_timer && t->pending_fetch)
		qb_loop_timer_old(t->loop, 0, fetch_fire, t, &t->fetch_timer);
}

static void fetch_fire(void *user)
{
	struct sim_tr *t = user;
	static const uint8_t none[1];

	t->fetch_timer = NULL;
	t->in_cb++;
	/* One fetch per notification, as the host does GET_ENCAPSULATED_RESPONSE per interrupt. */
	while (t->pending_fetch && !t->dead) {
		struct ctrl_item *it = t->head;

		t->pending_fetch--;
		if (!it) {
			t->cbs->ctrl_rx(t->user, none, 0);
			continue;
		}
		t->head = it->next;
		if (!t->head)
			t->tail = NULL;
		t->nframes--;
		t->cbs->ctrl_rx(t->user, it->frame, it->len);
		free(it);
	}
	t->in_cb--;
	if (t->dead && !t->in_cb)
		tr_really_free(t);
}

static void out_ctrl(void *user, const uint8_t *frame, size_t len)
{
	struct sim_tr *t = user;
	struct ctrl_item *it;

	if (t->nframes >= CTRL_QUEUE_MAX)
		return; /* the host stopped fetching; a real modem drops too */
	it = malloc(sizeof(*it) + len);
	if (!it)
		return;
	it->next = NULL;
	it->len = len;
	if (len)
		memcpy(it->frame, frame, len);
	if (t->tail)
		t->tail->next = it;
	else
		t->head = it;
	t->tail = it;
	t->nframes++;
}

static void out_notify(void *user)
{
	struct sim_tr *t = user;

	t->pending_fetch++;
	arm_fetch(t);
}

static void out_data(void *user, const uint8_t *pkt, size_t len)
{
	struct sim_tr *t = user;

	if (!t->started || t->dead)
		return;
	t->in_cb++;
	t->cbs->data_rx(t->user, pkt, len);
	t->in_cb--;
	if (t->dead && !t->in_cb)
		tr_really_free(t);
}

static void data_fire(void *user)
{
	struct sim_tr *t = user;

	t->data_timer = NULL;
	t->in_cb++;
	/* The replies to everything queued now leave together (one QMAP aggregate, if on). */
	qsim_data_batch_begin(t->sim);
	while (t->dq_len && !t->dead) {
		struct data_slot *s = &t->slots[t->dq_head];
		uint8_t buf[DATA_BUF];
		size_t len = s->len;

		/* Free the slot before the modem answers: its reply may make the core send again. */
		memcpy(buf, s->buf, len);
		t->dq_head = (t->dq_head + 1) % DATA_POOL;
		t->dq_len--;
		qsim_data_in(t->sim, buf, len);
	}
	qsim_data_batch_end(t->sim); /* the modem outlives this transport */
	if (t->want_tx_ready && !t->dead) {
		t->want_tx_ready = false;
		if (t->cbs->data_tx_ready)
			t->cbs->data_tx_ready(t->user);
	}
	t->in_cb--;
	if (t->dead && !t->in_cb)
		tr_really_free(t);
}

static int tr_start(void *impl, struct qb_loop *loop, const struct qmi_transport_cbs *cbs,
		    void *user)
{
	struct sim_tr *t = impl;

	if (!cbs || !cbs->ctrl_rx || !cbs->data_rx || loop != t->loop)
		return -EINVAL;
	t->cbs = cbs;
	t->user = user;
	t->started = true;
	arm_fetch(t);
	return 0;
}

static int tr_ctrl_send(void *impl, const uint8_t *frame, size_t len)
{
	struct sim_tr *t = impl;

	if (!t->started)
		return -ENOTCONN;
	if (!len || len > QMI_FRAME_MAX)
		return -EINVAL;
	/* The modem answers through its output queue (a timer), so this cannot re-enter the core. */
	qsim_ctrl_in(t->sim, frame, len);
	return 0;
}

static int tr_data_send(void *impl, const uint8_t *pkt, size_t len)
{
	struct sim_tr *t = impl;
	struct data_slot *s;

	if (!t->started)
		return -ENOTCONN;
	if (len > DATA_BUF || len > qsim_data_max_transfer(t->sim))
		return -EMSGSIZE; /* a packet, or an aggregate within what the modem granted */
	if (t->dq_len == DATA_POOL) {
		t->want_tx_ready = true;
		return -ENOBUFS;
	}
	s = &t->slots[(t->dq_head + t->dq_len) % DATA_POOL];
	memcpy(s->buf, pkt, len);
	s->len = len;
	t->dq_len++;
	if (!t->data_timer)
		qb_loop_timer_old(t->loop, 0, data_fire, t, &t->data_timer);
	return 0;
}

static const char *tr_describe(void *impl)
{
	return "sim";
}

static void tr_destroy(void *impl)
{
	struct sim_tr *t = impl;

	if (!t)
		return;
	qsim_set_output(t->sim, NULL, NULL);
	t->dead = true;
	if (!t->in_cb)
		tr_really_free(t);
}

static const struct qmi_transport_ops sim_tr_ops = {
	.name = "sim",
	.start = tr_start,
	.ctrl_send = tr_ctrl_send,
	.data_send = tr_data_send,
	.describe = tr_describe,
	.destroy = tr_destroy,
};

int qsim_transport_new(struct qsim *sim, struct qmi_transport *out)
{
	struct sim_tr *t;
	struct qsim_output o = { .ctrl = out_ctrl, .notify = out_notify, .data = out_data };

	if (!sim || !out)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->slots = calloc(DATA_POOL, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return -ENOMEM;
	}
	t->sim = sim;
	t->loop = sim->loop;
	qsim_set_output(sim, &o, t);
	out->ops = &sim_tr_ops;
	out->impl = t;
	return 0;
}
