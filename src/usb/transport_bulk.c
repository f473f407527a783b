/* SPDX-License-Identifier: MIT */
/*
 * The data endpoints of the USB transport: every bulk IN transfer stays pending, and bulk OUT
 * transfers come from a free list (data_send() returns -ENOBUFS when it is empty). All buffers
 * are allocated once for the session.
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

int qusb_bulk_send(void *impl, const uint8_t *pkt, size_t len)
{
	struct qusb_tr *tr = impl;
	if (!qusb_tr_live(tr))
		return tr->close_err ? tr->close_err : -ENOTCONN;
	if (len == 0 || len > tr->tx_size)
		return -EMSGSIZE;
	/* The in-flight limit paces small transfers only: one of at least half the transfer size
	 * (a full aggregate, at saturation) may use any free transfer to keep the pipe busy. */
	if (!tr->n_tx_free || (tr->n_tx - tr->n_tx_free >= tr->tx_limit && len < tr->tx_size / 2)) {
		tr->want_tx_ready = true;
		return -ENOBUFS;
	}
	unsigned i = tr->tx_free[--tr->n_tx_free];
	struct qusb_slot *s = &tr->slots[i];
	memcpy(s->t->buffer, pkt, len);
	s->t->length = (int)len;
	int r = qusb_tr_submit(s);
	if (r < 0)
		tr->tx_free[tr->n_tx_free++] = i;
	return r;
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
