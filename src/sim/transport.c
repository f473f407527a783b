/* SPDX-License-Identifier: MIT */
/*
 * The in-process transport: the QMI core talks to the software modem through the same seam as
 * the USB backend. It models the CDC control channel (a RESPONSE_AVAILABLE notification, then a
 * fetch that returns one waiting frame or zero bytes) and a bulk data channel with a bounded
 * buffer pool (filled by a copy, or in place: data_tx_buf lends a buffer, data_tx_send queues it
 * as it is), and toward the host the receive size a USB host reads with. Every delivery to
 * the core happens from a loop timer, never from inside one of the core's calls into the
 * transport. The core may destroy the transport from any delivery:
 * destroy() stops everything at once and leaves the freeing to the loop's close queue.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/list.h"
#include "base/loop.h"
#include "qmi/messages.h"
#include "qmi/transport.h"

#define DATA_POOL 64
#define DATA_BUF QSIM_QMAP_MAX_SIZE /* one transfer: a packet, or a QMAP aggregate */
#define CTRL_QUEUE_MAX 512
/* Toward the host the modem's transfers are handed over as they are, but a USB host reads into
 * receive transfers of a size it chose: what is longer is lost there, and here. */
#define RX_MPS 512 /* a high-speed bulk endpoint */
#define RX_SIZE_MAX QSIM_DL_AGG_MAX
#define RX_COUNT_MAX 64 /* as the USB backend's receive slots */

struct ctrl_item {
	struct qb_list node;
	size_t len;
	uint8_t frame[];
};

/* A pool buffer: in the ring while queued; one more is the buffer lent for a transfer built in
 * place, and sending it swaps it with the ring's next free one (no copy). */
struct data_slot {
	size_t len;
	uint8_t *buf; /* DATA_BUF bytes in sim_tr.mem */
};

struct sim_tr {
	struct qsim *sim;
	struct qb_loop *loop;
	const struct qmi_transport_cbs *cbs;
	void *user;
	bool started;
	bool closing; /* destroyed: no more deliveries, freed from the loop's close queue */
	struct qb_close close;

	/* control: frames the modem made fetchable, and notifications not yet acted on */
	struct qb_list ctrlq; /* of ctrl_item */
	unsigned nframes, pending_fetch;
	struct qb_timer fetch_timer;

	/* data host -> modem: a ring of pool buffers */
	struct data_slot *slots;
	uint8_t *mem, *lend; /* (DATA_POOL + 1) * DATA_BUF bytes; the buffer data_tx_buf lends */
	bool lent;
	unsigned dq_head, dq_len;
	bool want_tx_ready;
	struct qb_timer data_timer;

	/* data modem -> host: the host's receive transfers (data_set_rx) */
	size_t rx_size;
	unsigned rx_count;
	struct qsim_transport_stats st;
	struct qb_timer unplug_timer; /* unplug=MS */
	bool unplugged;
};

static void arm_fetch(struct sim_tr *t)
{
	if (t->started && !t->closing && t->pending_fetch && !qb_timer_active(&t->fetch_timer))
		qb_timer_start(&t->fetch_timer, 0);
}

/* Deliveries may destroy the transport (closing); its memory stays until the close runs. */
static void fetch_fire(void *user)
{
	struct sim_tr *t = user;
	static const uint8_t none[1];

	/* One fetch per notification, as the host does GET_ENCAPSULATED_RESPONSE per interrupt. */
	while (t->pending_fetch && !t->closing) {
		struct qb_list *n = qb_list_pop(&t->ctrlq);
		struct ctrl_item *it;

		t->pending_fetch--;
		if (!n) {
			t->cbs->ctrl_rx(t->user, none, 0);
			continue;
		}
		it = qb_list_entry(n, struct ctrl_item, node);
		t->nframes--;
		t->cbs->ctrl_rx(t->user, it->frame, it->len);
		free(it);
	}
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
	it->len = len;
	if (len)
		memcpy(it->frame, frame, len);
	qb_list_add_tail(&t->ctrlq, &it->node);
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

	if (!t->started || t->closing)
		return;
	if (len > t->rx_size) {
		t->st.rx_too_long++;
		return;
	}
	t->st.rx_transfers++;
	t->cbs->data_rx(t->user, pkt, len);
}

static void data_fire(void *user)
{
	struct sim_tr *t = user;

	/* The replies to everything queued now leave together (one QMAP aggregate, if on). */
	qsim_data_batch_begin(t->sim);
	while (t->dq_len && !t->closing) {
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
	if (t->want_tx_ready && !t->closing) {
		t->want_tx_ready = false;
		if (t->cbs->data_tx_ready)
			t->cbs->data_tx_ready(t->user);
	}
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
	if (t->sim->faults.unplug_ms)
		qb_timer_start(&t->unplug_timer, t->sim->faults.unplug_ms);
	return 0;
}

/* unplug=MS: everything stops as on a USB device that left, and the core hears -ENODEV. */
static void unplug_fire(void *user)
{
	struct sim_tr *t = user;

	t->unplugged = true;
	t->started = false;
	qsim_set_output(t->sim, NULL, NULL);
	qb_timer_stop(&t->fetch_timer);
	qb_timer_stop(&t->data_timer);
	if (t->cbs->closed)
		t->cbs->closed(t->user, -ENODEV); /* may destroy t */
}

/* What a call gets while the transport is not started. */
static int down_err(const struct sim_tr *t)
{
	return t->unplugged ? -ENODEV : -ENOTCONN;
}

/* The longest transfer toward the modem: a packet, or an aggregate within what it granted. */
static size_t data_max(const struct sim_tr *t)
{
	size_t max = qsim_data_max_transfer(t->sim);

	return max < DATA_BUF ? max : DATA_BUF;
}

/* The ring's next free slot, or NULL (full: data_tx_ready follows). */
static struct data_slot *ring_tail(struct sim_tr *t)
{
	if (t->dq_len == DATA_POOL) {
		t->want_tx_ready = true;
		return NULL;
	}
	return &t->slots[(t->dq_head + t->dq_len) % DATA_POOL];
}

/* Queues the tail slot, filled with len bytes. */
static void ring_push(struct sim_tr *t, struct data_slot *s, size_t len)
{
	s->len = len;
	t->dq_len++;
	if (!qb_timer_active(&t->data_timer))
		qb_timer_start(&t->data_timer, 0);
}

static int tr_ctrl_send(void *impl, const uint8_t *frame, size_t len)
{
	struct sim_tr *t = impl;

	if (!t->started)
		return down_err(t);
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
		return down_err(t);
	if (len > data_max(t))
		return -EMSGSIZE;
	s = ring_tail(t);
	if (!s)
		return -ENOBUFS;
	memcpy(s->buf, pkt, len);
	ring_push(t, s, len);
	return 0;
}

static int tr_data_tx_buf(void *impl, uint8_t **buf, size_t *cap)
{
	struct sim_tr *t = impl;

	if (!t->started)
		return down_err(t);
	t->lent = true;
	*buf = t->lend;
	*cap = data_max(t);
	return 0;
}

static int tr_data_tx_send(void *impl, size_t len)
{
	struct sim_tr *t = impl;
	struct data_slot *s;
	uint8_t *sent = t->lend;

	if (!t->started)
		return down_err(t);
	if (!t->lent)
		return -EINVAL;
	if (!len || len > data_max(t))
		return -EMSGSIZE;
	s = ring_tail(t);
	if (!s)
		return -ENOBUFS;
	t->lend = s->buf;
	s->buf = sent;
	t->lent = false;
	ring_push(t, s, len);
	return 0;
}

static int tr_data_port(void *impl, struct qmi_data_port *out)
{
	struct sim_tr *t = impl;

	*out = (struct qmi_data_port){ .ep_type = QMI_DATA_ENDPOINT_HSUSB,
				       .iface = 0,
				       .rx_mps = RX_MPS,
				       .rx_size_max = RX_SIZE_MAX,
				       .rx_size = t->rx_size,
				       .rx_count = t->rx_count };
	return 0;
}

static int tr_data_set_rx(void *impl, size_t size, unsigned count)
{
	struct sim_tr *t = impl;

	if (!size || size > RX_SIZE_MAX || !count || count > RX_COUNT_MAX)
		return -EINVAL;
	t->rx_size = size;
	t->rx_count = count;
	t->st.rx_resizes++;
	return 0;
}

static const char *tr_describe(void *impl)
{
	return "sim";
}

static void tr_free(struct qb_close *c)
{
	struct sim_tr *t = qb_container_of(c, struct sim_tr, close);
	struct qb_list *n, *tmp;

	qb_list_for_each_safe (n, tmp, &t->ctrlq)
		free(qb_list_entry(n, struct ctrl_item, node));
	free(t->slots);
	free(t->mem);
	free(t);
}

/* May run inside one of this transport's own deliveries: the memory goes once they return. */
static void tr_destroy(void *impl)
{
	struct sim_tr *t = impl;

	if (!t || t->closing)
		return;
	qsim_set_output(t->sim, NULL, NULL);
	t->closing = true;
	qb_timer_stop(&t->fetch_timer);
	qb_timer_stop(&t->data_timer);
	qb_timer_stop(&t->unplug_timer);
	qb_loop_close(t->loop, &t->close, tr_free);
}

static const struct qmi_transport_ops sim_tr_ops = {
	.name = "sim",
	.start = tr_start,
	.ctrl_send = tr_ctrl_send,
	.data_send = tr_data_send,
	.describe = tr_describe,
	.destroy = tr_destroy,
	.data_port = tr_data_port,
	.data_set_rx = tr_data_set_rx,
	.data_tx_buf = tr_data_tx_buf,
	.data_tx_send = tr_data_tx_send,
};

const struct qsim_transport_stats *qsim_transport_stats(const struct qmi_transport *tr)
{
	return tr && tr->ops == &sim_tr_ops ? &((const struct sim_tr *)tr->impl)->st : NULL;
}

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
	t->mem = malloc((size_t)(DATA_POOL + 1) * DATA_BUF);
	if (!t->slots || !t->mem) {
		free(t->slots);
		free(t->mem);
		free(t);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < DATA_POOL; i++)
		t->slots[i].buf = t->mem + (size_t)i * DATA_BUF;
	t->lend = t->mem + (size_t)DATA_POOL * DATA_BUF;
	t->sim = sim;
	t->loop = sim->loop;
	t->rx_size = DATA_BUF; /* what the host has until it says otherwise */
	t->rx_count = 16;
	qb_list_init(&t->ctrlq);
	qb_timer_init(&t->fetch_timer, t->loop, fetch_fire, t);
	qb_timer_init(&t->data_timer, t->loop, data_fire, t);
	qb_timer_init(&t->unplug_timer, t->loop, unplug_fire, t);
	qsim_set_output(sim, &o, t);
	qsim_set_data_max(sim, DATA_BUF);
	out->ops = &sim_tr_ops;
	out->impl = t;
	return 0;
}
