/* SPDX-License-Identifier: MIT */
/*
 * The CDC control channel of the USB transport (three transfers, each with its slot):
 *   notify   interrupt IN, exactly wMaxPacketSize, always pending
 *   resp     GET_ENCAPSULATED_RESPONSE, issued while RESPONSE_AVAILABLE notifications are owed
 *   cmd      SEND_ENCAPSULATED_COMMAND, one at a time, a small FIFO behind it
 */
#include "usb/transport_internal.h"

#include <errno.h>
#include <libusb.h>
#include <string.h>

#include "qmi/transport.h"

/*
 * Control transfers carry no libusb timeout: on Linux libusb keeps those on a timerfd and
 * re-arms it (a timerfd_settime syscall) at every submission and completion, several per QMI
 * round trip. One loop timer per QUSB_CTRL_TIMEOUT_MS window watches both control slots
 * instead, and cancels a transfer stuck that long (the QMI core times the request out itself).
 */
static void ctrl_watchdog_fire(void *user)
{
	struct qusb_tr *tr = user;
	uint64_t now = qb_now_ms(), next = 0;
	for (unsigned i = QUSB_SLOT_RESP; i <= QUSB_SLOT_CMD; i++) {
		struct qusb_slot *s = &tr->slots[i];
		if (!s->busy)
			continue;
		if (now - s->since_ms >= QUSB_CTRL_TIMEOUT_MS) {
			qusb_tr_cancel(s); /* completes as cancelled */
			continue;
		}
		uint64_t left = s->since_ms + QUSB_CTRL_TIMEOUT_MS - now;
		if (!next || left < next)
			next = left;
	}
	if (next && qusb_tr_live(tr))
		qb_timer_start(&tr->ctrl_watchdog, next);
}

static int submit_ctrl(struct qusb_slot *s)
{
	struct qusb_tr *tr = s->tr;
	s->since_ms = qb_now_ms();
	int r = qusb_tr_submit(s);
	if (r == 0 && !qb_timer_active(&tr->ctrl_watchdog))
		qb_timer_start(&tr->ctrl_watchdog, QUSB_CTRL_TIMEOUT_MS);
	return r;
}

static void submit_get_response(struct qusb_tr *tr)
{
	struct qusb_slot *s = &tr->slots[QUSB_SLOT_RESP];
	libusb_fill_control_setup(tr->resp_buf,
				  LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_CLASS |
					  LIBUSB_RECIPIENT_INTERFACE,
				  0x01 /* GET_ENCAPSULATED_RESPONSE */, 0, tr->func.ctrl_iface,
				  QUSB_RESP_MAX);
	/* fill_control_transfer takes the length from the setup packet: refill on every reuse. */
	libusb_fill_control_transfer(s->t, tr->h, tr->resp_buf, NULL, s, 0);
	s->t->callback = s->cb;
	if (submit_ctrl(s) < 0 && qusb_tr_live(tr)) {
		qusb_tr_note(tr, "cannot request an encapsulated response");
		qusb_tr_fail(tr, -EIO);
	}
}

static void refetch_cb(void *user)
{
	struct qusb_slot *s = user;
	if (qusb_tr_live(s->tr) && !s->busy)
		submit_get_response(s->tr);
}

static void resp_cb(struct libusb_transfer *t)
{
	struct qusb_slot *s = t->user_data;
	struct qusb_tr *tr = s->tr;
	if (!qusb_tr_completed(s))
		return;
	if (tr->resp_owed)
		tr->resp_owed--;
	if (t->status == LIBUSB_TRANSFER_COMPLETED) {
		/* A zero-length answer means "nothing queued" (repeated notifications). */
		qb_timer_stop(&s->retry);
		tr->resp_refetches = 0;
		if (t->actual_length > 0) {
			tr->errors_in_row = 0;
			tr->cbs->ctrl_rx(tr->user, libusb_control_transfer_get_data(t),
					 (size_t)t->actual_length);
			if (!qusb_tr_live(tr))
				return; /* ended, or destroyed: tr stays until libusb has returned */
		}
	} else if (!tr->resp_owed && !qb_timer_active(&s->retry) &&
		   tr->resp_refetches < QUSB_RESP_REFETCH_MAX) {
		/* A STALL may mean "nothing queued", or a failure that kept a response no new
		 * RESPONSE_AVAILABLE will announce: ask again, a few times, later each time. */
		qb_timer_start(&s->retry, QUSB_RESP_REFETCH_MS << (2 * tr->resp_refetches++));
	}
	if (tr->resp_owed && !s->busy)
		submit_get_response(tr);
}

static void response_available(struct qusb_tr *tr)
{
	/* Bounded: a device spamming notifications costs at most this many empty reads. */
	if (tr->resp_owed < QUSB_MAX_RESP_OWED)
		tr->resp_owed++;
	if (!tr->slots[QUSB_SLOT_RESP].busy)
		submit_get_response(tr);
}

static bool take_notification(struct qusb_tr *tr, struct libusb_transfer *t)
{
	const uint8_t *b = t->buffer;

	/* struct usb_cdc_notification: bmRequestType 0xA1, bNotificationType 0x01 */
	if (t->actual_length >= 8 && b[0] == 0xA1 && b[1] == 0x01)
		response_available(tr);
	/* NETWORK_CONNECTION, SPEED_CHANGE and unknown notifications carry nothing for QMI */
	return qusb_tr_live(tr);
}

static void notify_cb(struct libusb_transfer *t)
{
	qusb_tr_in_done(t, "interrupt IN", take_notification);
}

static int send_now(struct qusb_tr *tr, const uint8_t *frame, size_t len)
{
	struct qusb_slot *s = &tr->slots[QUSB_SLOT_CMD];
	libusb_fill_control_setup(tr->cmd_buf,
				  LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS |
					  LIBUSB_RECIPIENT_INTERFACE,
				  0x00 /* SEND_ENCAPSULATED_COMMAND */, 0, tr->func.ctrl_iface,
				  (uint16_t)len);
	memcpy(tr->cmd_buf + LIBUSB_CONTROL_SETUP_SIZE, frame, len);
	libusb_fill_control_transfer(s->t, tr->h, tr->cmd_buf, NULL, s, 0);
	s->t->callback = s->cb;
	return submit_ctrl(s);
}

static void send_queued(struct qusb_tr *tr)
{
	while (qusb_tr_live(tr) && tr->q_count && !tr->slots[QUSB_SLOT_CMD].busy) {
		unsigned i = tr->q_head;
		tr->q_head = (tr->q_head + 1) % QUSB_CMD_QUEUE;
		tr->q_count--;
		if (send_now(tr, tr->q_buf + (size_t)i * QUSB_CMD_MAX, tr->q_len[i]) < 0 &&
		    qusb_tr_live(tr))
			qusb_tr_note(
				tr,
				"SendEncapsulatedCommand could not be submitted; frame dropped");
	}
}

static void cmd_cb(struct libusb_transfer *t)
{
	struct qusb_slot *s = t->user_data;
	struct qusb_tr *tr = s->tr;
	if (!qusb_tr_completed(s))
		return;
	/* A refused command is the QMI core's timeout to report; the channel itself goes on. */
	if (t->status != LIBUSB_TRANSFER_COMPLETED)
		qusb_tr_note(tr, "SendEncapsulatedCommand failed (%s); frame dropped",
			     qusb_status_name(t->status));
	send_queued(tr);
}

int qusb_ctrl_send(void *impl, const uint8_t *frame, size_t len)
{
	struct qusb_tr *tr = impl;
	if (tr->state >= QUSB_ST_CLOSING)
		return tr->close_err ? tr->close_err : -ENOTCONN;
	if (len == 0)
		return -EINVAL;
	if (len > QUSB_CMD_MAX)
		return -EMSGSIZE;
	if (qusb_tr_live(tr) && !tr->q_count && !tr->slots[QUSB_SLOT_CMD].busy)
		return send_now(tr, frame, len);
	if (tr->q_count == QUSB_CMD_QUEUE)
		return -EAGAIN;
	unsigned i = (tr->q_head + tr->q_count) % QUSB_CMD_QUEUE;
	memcpy(tr->q_buf + (size_t)i * QUSB_CMD_MAX, frame, len);
	tr->q_len[i] = len;
	tr->q_count++;
	return 0;
}

void qusb_ctrl_setup(struct qusb_tr *tr)
{
	struct qusb_slot *n = &tr->slots[QUSB_SLOT_NOTIFY];
	n->cb = notify_cb;
	libusb_fill_interrupt_transfer(n->t, tr->h, tr->func.ep_notify, tr->notify_buf,
				       tr->func.notify_mps, notify_cb, n, 0);
	tr->slots[QUSB_SLOT_RESP].cb = resp_cb;
	tr->slots[QUSB_SLOT_CMD].cb = cmd_cb;
}

void qusb_ctrl_start(struct qusb_tr *tr)
{
	/* The response slot's retry timer is its own fetch; it never resubmits as such. */
	qb_timer_init(&tr->slots[QUSB_SLOT_RESP].retry, tr->loop, refetch_cb,
		      &tr->slots[QUSB_SLOT_RESP]);
	qb_timer_init(&tr->ctrl_watchdog, tr->loop, ctrl_watchdog_fire, tr);
}

void qusb_ctrl_send_queued(struct qusb_tr *tr)
{
	send_queued(tr);
}
