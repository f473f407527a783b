/* SPDX-License-Identifier: MIT */
/*
 * The data endpoints of the USB transport: every bulk IN transfer stays pending, and bulk OUT
 * transfers come from a free list (data_send() returns -ENOBUFS when it is empty), filled by a
 * copy (data_send) or in place (data_tx_buf, data_tx_send). All buffers and transfers are
 * allocated once for the session and reused: no submission allocates.
 */
#include "usb/transport_internal.h"

#include <errno.h>
#include <libusb.h>
#include <string.h>

#include "qmi/transport.h"

static void rx_cb(struct libusb_transfer *t)
{
	struct qusb_slot *s = t->user_data;
	struct qusb_tr *tr = s->tr;
	if (!qusb_tr_completed(s))
		return;
	if (t->status == LIBUSB_TRANSFER_COMPLETED) {
		tr->errors_in_row = 0;
		if (t->actual_length > 0 && tr->cbs->data_rx) {
			tr->cbs->data_rx(tr->user, t->buffer, (size_t)t->actual_length);
			if (!qusb_tr_live(tr))
				return; /* ended, or destroyed: tr stays until libusb has returned */
		}
		qusb_tr_resubmit(s, QUSB_AGAIN_NOW);
		return;
	}
	qusb_tr_resubmit(s, qusb_tr_judge(tr, t, "bulk IN"));
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

/* 0 when a transfer of len bytes may go now; -ENOBUFS (data_tx_ready to follow) when the
 * in-flight limit holds it back. A lent buffer is not in flight. */
static int tx_pace(struct qusb_tr *tr, size_t len)
{
	unsigned in_flight = (unsigned)tr->n_tx - tr->n_tx_free - (tr->tx_lent ? 1 : 0);
	/* The in-flight limit paces small transfers only: one of at least half the transfer size
	 * (a full aggregate, at saturation) may use any free transfer to keep the pipe busy. */
	if (in_flight >= tr->tx_limit && len < tr->tx_size / 2) {
		tr->want_tx_ready = true;
		return -ENOBUFS;
	}
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
	if (r == 0 && !tr->n_tx_free) {
		tr->want_tx_ready = true;
		r = -ENOBUFS;
	}
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
		if (!tr->n_tx_free) {
			tr->want_tx_ready = true;
			return -ENOBUFS;
		}
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

void qusb_bulk_setup(struct qusb_tr *tr, uint8_t *mem)
{
	for (size_t i = 0; i < tr->n_rx; i++) {
		struct qusb_slot *s = &tr->slots[QUSB_SLOT_RX0 + i];
		s->cb = rx_cb;
		libusb_fill_bulk_transfer(s->t, tr->h, tr->func.ep_in, mem, (int)tr->rx_size, rx_cb,
					  s, 0);
		mem += tr->rx_size;
	}
	for (size_t i = 0; i < tr->n_tx; i++) {
		size_t idx = QUSB_SLOT_RX0 + tr->n_rx + i;
		struct qusb_slot *s = &tr->slots[idx];
		s->cb = tx_cb;
		libusb_fill_bulk_transfer(s->t, tr->h, tr->func.ep_out, mem, 0, tx_cb, s, 0);
		/* qmi_wwan sets FLAG_SEND_ZLP: a packet of a multiple of wMaxPacketSize ends with a ZLP */
		s->t->flags = LIBUSB_TRANSFER_ADD_ZERO_PACKET;
		mem += tr->tx_size;
		tr->tx_free[tr->n_tx_free++] = (unsigned)idx;
	}
	tr->tx_limit = (unsigned)tr->n_tx;
}
