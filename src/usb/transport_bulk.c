/* SPDX-License-Identifier: MIT */
/*
 * The data endpoints of the USB transport: every bulk IN transfer stays pending, and bulk OUT
 * transfers come from a free list (data_send() returns -ENOBUFS when it is empty), filled by a
 * copy (data_send) or in place (data_tx_buf, data_tx_send). Buffers are allocated once for the
 * session; the receive ones again when data_set_rx resizes them (to the granted downlink
 * aggregate), never per packet or per submission.
 */
#include "usb/transport_internal.h"

#include <errno.h>
#include <libusb.h>
#include <stdlib.h>
#include <string.h>

#include "qmi/messages.h"
#include "qmi/transport.h"

static bool take_packet(struct qusb_tr *tr, struct libusb_transfer *t)
{
	if (t->actual_length > 0 && tr->cbs->data_rx)
		tr->cbs->data_rx(tr->user, t->buffer, (size_t)t->actual_length);
	return qusb_tr_live(tr);
}

static void rx_cb(struct libusb_transfer *t);

static void rx_fill(struct qusb_tr *tr, struct qusb_slot *s)
{
	size_t i = s->index - QUSB_SLOT_RX0;

	s->cb = rx_cb;
	libusb_fill_bulk_transfer(s->t, tr->h, tr->func.ep_in, tr->rx.mem + i * tr->rx_size,
				  (int)tr->rx_size, rx_cb, s, 0);
}

/* Mapped from usbfs where the platform has it: the kernel then neither allocates nor copies a
 * buffer for each bulk transfer (usbfs's zero-copy path). Else the heap. */
static int mem_alloc(struct qusb_tr *tr, struct qusb_mem *m, size_t len)
{
	m->len = len;
	m->mem = libusb_dev_mem_alloc(tr->h, len);
	m->dev = m->mem != NULL;
	if (!m->mem)
		m->mem = malloc(len);
	return m->mem ? 0 : -ENOMEM;
}

static void mem_free(struct qusb_tr *tr, struct qusb_mem *m)
{
	if (m->dev)
		libusb_dev_mem_free(tr->h, m->mem, m->len);
	else
		free(m->mem);
	*m = (struct qusb_mem){ 0 };
}

/* The callback of a transfer out at the size before data_set_rx: what it brought is delivered,
 * then it goes out again at the new size (rx_fill gives it rx_cb back), or rests when fewer
 * transfers are wanted now. */
static void rx_stale_cb(struct libusb_transfer *t)
{
	struct qusb_slot *s = t->user_data;
	struct qusb_tr *tr = s->tr;
	bool live = qusb_tr_completed(s);

	if (live && t->status == LIBUSB_TRANSFER_COMPLETED)
		live = take_packet(tr, t);
	if (!--tr->rx_stale)
		mem_free(tr, &tr->rx_old);
	if (live && s->index - QUSB_SLOT_RX0 < tr->n_rx) {
		rx_fill(tr, s);
		qusb_tr_resubmit(s, QUSB_AGAIN_NOW);
	}
}

static void rx_cb(struct libusb_transfer *t)
{
	qusb_tr_in_done(t, "bulk IN", take_packet);
}

static void tx_cb(struct libusb_transfer *t)
{
	struct qusb_slot *s = t->user_data;
	struct qusb_tr *tr = s->tr;
	tr->tx_free[tr->n_tx_free++] = s->index;
	if (!qusb_tr_completed(s))
		return;
	/* An OUT error loses that packet, as on any link; persistent ones end the session. */
	if (t->status == LIBUSB_TRANSFER_COMPLETED)
		tr->errors_in_row = 0;
	else if (qusb_tr_judge(tr, t, "bulk OUT") == QUSB_STOP)
		return;
	/* Paced (data_set_inflight): every completion is reported, the sender's cue to send
	 * what it packed meanwhile. */
	if ((tr->want_tx_ready || tr->tx_limit < tr->n_tx) && tr->cbs->data_tx_ready) {
		tr->want_tx_ready = false;
		tr->cbs->data_tx_ready(tr->user);
	}
}

/* Not now: data_tx_ready follows when a transfer completes. */
static int tx_later(struct qusb_tr *tr)
{
	tr->want_tx_ready = true;
	return -ENOBUFS;
}

/* 0 when a transfer of len bytes may go now; tx_later() when the in-flight limit holds it back.
 * A lent buffer is not in flight. */
static int tx_pace(struct qusb_tr *tr, size_t len)
{
	unsigned in_flight = (unsigned)tr->n_tx - tr->n_tx_free - (tr->tx_lent ? 1 : 0);
	/* The in-flight limit paces small transfers only: one of at least half the transfer size
	 * (a full aggregate, at saturation) may use any free transfer to keep the pipe busy. */
	if (in_flight >= tr->tx_limit && len < tr->tx_size / 2)
		return tx_later(tr);
	return 0;
}

static int tx_check(struct qusb_tr *tr, size_t len)
{
	if (!qusb_tr_live(tr))
		return tr->close_err ? tr->close_err : -ENOTCONN;
	if (len == 0 || len > tr->tx_size)
		return -EMSGSIZE;
	return 0;
}

/* Submits tx slot i, off the free stack, with len bytes; back on the stack if that fails. */
static int tx_submit(struct qusb_tr *tr, unsigned i, size_t len)
{
	struct qusb_slot *s = &tr->slots[i];
	s->t->length = (int)len;
	int r = qusb_tr_submit(s);
	if (r < 0)
		tr->tx_free[tr->n_tx_free++] = i;
	return r;
}

int qusb_bulk_send(void *impl, const uint8_t *pkt, size_t len)
{
	struct qusb_tr *tr = impl;
	int r = tx_check(tr, len);
	if (r == 0 && !tr->n_tx_free)
		r = tx_later(tr);
	if (r == 0)
		r = tx_pace(tr, len);
	if (r < 0)
		return r;
	unsigned i = tr->tx_free[--tr->n_tx_free];
	memcpy(tr->slots[i].t->buffer, pkt, len);
	return tx_submit(tr, i, len);
}

/* In place: the lent buffer is a free slot taken off the stack, so data_send() cannot hand it
 * out meanwhile; sending it is a submission without the copy. */
int qusb_bulk_tx_buf(void *impl, uint8_t **buf, size_t *cap)
{
	struct qusb_tr *tr = impl;
	if (!qusb_tr_live(tr))
		return tr->close_err ? tr->close_err : -ENOTCONN;
	if (!tr->tx_lent) {
		if (!tr->n_tx_free)
			return tx_later(tr);
		tr->tx_lent = tr->tx_free[--tr->n_tx_free] + 1;
	}
	*buf = tr->slots[tr->tx_lent - 1].t->buffer;
	*cap = tr->tx_size;
	return 0;
}

int qusb_bulk_tx_send(void *impl, size_t len)
{
	struct qusb_tr *tr = impl;
	int r = tx_check(tr, len);
	if (r == 0 && !tr->tx_lent)
		r = -EINVAL;
	if (r == 0)
		r = tx_pace(tr, len);
	if (r < 0)
		return r;
	unsigned i = tr->tx_lent - 1;
	tr->tx_lent = 0;
	return tx_submit(tr, i, len);
}

int qusb_bulk_set_inflight(void *impl, unsigned max)
{
	struct qusb_tr *tr = impl;
	tr->tx_limit = max && max < tr->n_tx ? max : (unsigned)tr->n_tx;
	return 0;
}

int qusb_bulk_setup(struct qusb_tr *tr)
{
	uint8_t *mem;

	if (mem_alloc(tr, &tr->tx, tr->n_tx * tr->tx_size) < 0 ||
	    mem_alloc(tr, &tr->rx, tr->n_rx * tr->rx_size) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < tr->n_rx; i++)
		rx_fill(tr, &tr->slots[QUSB_SLOT_RX0 + i]);
	mem = tr->tx.mem;
	for (size_t i = 0; i < tr->n_tx; i++) {
		size_t idx = QUSB_SLOT_RX0 + tr->rx_cap + i;
		struct qusb_slot *s = &tr->slots[idx];
		s->cb = tx_cb;
		libusb_fill_bulk_transfer(s->t, tr->h, tr->func.ep_out, mem, 0, tx_cb, s, 0);
		/* qmi_wwan sets FLAG_SEND_ZLP: a packet of a multiple of wMaxPacketSize ends with a ZLP */
		s->t->flags = LIBUSB_TRANSFER_ADD_ZERO_PACKET;
		mem += tr->tx_size;
		tr->tx_free[tr->n_tx_free++] = (unsigned)idx;
	}
	tr->tx_limit = (unsigned)tr->n_tx;
	return 0;
}

void qusb_bulk_free(struct qusb_tr *tr)
{
	mem_free(tr, &tr->tx);
	mem_free(tr, &tr->rx);
	mem_free(tr, &tr->rx_old);
}

/* ---- receive transfers: sized at open, resized to a downlink grant ---- */

int qusb_bulk_data_port(void *impl, struct qmi_data_port *out)
{
	struct qusb_tr *tr = impl;

	qusb_func_data_port(&tr->func, out);
	out->rx_size_max = QUSB_RX_SIZE_MAX;
	out->rx_size = tr->rx_size;
	out->rx_count = (unsigned)tr->n_rx;
	return 0;
}

void qusb_func_data_port(const struct qusb_func *f, struct qmi_data_port *out)
{
	/* The QMI (control) interface, as ModemManager sends it with qmi_wwan: the number of the
	 * interface cdc-wdm hangs from. On every QMAP-capable modem the data endpoints sit on that
	 * same interface; only old CDC Union modems, which grant no QMAP, split them. */
	*out = (struct qmi_data_port){ .ep_type = QMI_DATA_ENDPOINT_HSUSB,
				       .iface = f->ctrl_iface,
				       .rx_mps = f->bulk_mps ? f->bulk_mps : 1 };
}

/* Transfers out now are cancelled (through libusb or the URB discard, whichever carries the
 * session); each comes back through rx_stale_cb, which delivers what it holds and sends it out
 * again with its buffer in the new memory. The old memory goes when the last of them is back. */
int qusb_bulk_set_rx(void *impl, size_t size, unsigned count)
{
	struct qusb_tr *tr = impl;
	struct qusb_mem old = tr->rx;
	bool started = tr->loop != NULL;

	if (!size || size > QUSB_RX_SIZE_MAX || !count || count > tr->rx_cap)
		return -EINVAL;
	if (tr->state >= QUSB_ST_CLOSING)
		return tr->close_err ? tr->close_err : -ENOTCONN;
	if (size == tr->rx_size && count == tr->n_rx)
		return 0;
	if (tr->rx_stale)
		return -EBUSY;
	if (mem_alloc(tr, &tr->rx, size * count) < 0) {
		tr->rx = old;
		return -ENOMEM;
	}
	tr->rx_old = old;
	tr->rx_size = size;
	tr->n_rx = count;
	for (size_t i = 0; i < tr->rx_cap; i++) {
		struct qusb_slot *s = &tr->slots[QUSB_SLOT_RX0 + i];

		if (s->busy) {
			/* read at completion, by libusb and the usbfs reaper alike */
			s->t->callback = rx_stale_cb;
			tr->rx_stale++;
			qusb_tr_cancel(s);
			continue;
		}
		if (started)
			qb_timer_stop(&s->retry);
		if (i < count) {
			rx_fill(tr, s);
			qusb_tr_resubmit(s, QUSB_AGAIN_NOW); /* a no-op before the start */
		}
	}
	if (!tr->rx_stale)
		mem_free(tr, &tr->rx_old);
	return 0;
}
