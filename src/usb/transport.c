/* SPDX-License-Identifier: MIT */
/*
 * struct qmi_transport over libusb. While the session runs everything is asynchronous: libusb's
 * fds sit in the qnet loop and are serviced with a zero timeout on readiness.
 *
 * Transfers (each with a slot; `busy` = submitted and not yet completed):
 *   notify   interrupt IN, exactly wMaxPacketSize, always pending
 *   resp     GET_ENCAPSULATED_RESPONSE, issued while RESPONSE_AVAILABLE notifications are owed
 *   cmd      SEND_ENCAPSULATED_COMMAND, one at a time, a small FIFO behind it
 *   rx[]     bulk IN, all pending
 *   tx[]     bulk OUT, a free list; data_send() returns -ENOBUFS when it is empty
 * Ending a session (unplug or error): every busy transfer is cancelled and the closed callback is
 * delivered from a loop timer once the last one has completed, so the user may destroy the
 * transport from it. destroy() from inside a libusb callback is deferred until libusb returns.
 */
#include "usb/transport_internal.h"

#include <errno.h>
#include <libusb.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "base/loop.h"

static void fail(struct qusb_tr *tr, int err);
static void really_destroy(struct qusb_tr *tr);

static bool live(const struct qusb_tr *tr)
{
	return tr->state == QUSB_ST_STARTED;
}

static void note(struct qusb_tr *tr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct qusb_tr *tr, const char *fmt, ...)
{
	va_list ap;
	FILE *f = tr->log ? tr->log : stderr;
	va_start(ap, fmt);
	fprintf(f, "qmiusb: %s: ", tr->desc);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	va_end(ap);
}

/* ---- loop integration ------------------------------------------------------------------- */

static void service(struct qusb_tr *tr);
static void maybe_finish_close(struct qusb_tr *tr);
static void cancel_retries(struct qusb_tr *tr);

static void on_fd(void *user, int fd, unsigned revents)
{
	(void)fd;
	(void)revents;
	service(user);
}

static void on_timeout(void *user)
{
	struct qusb_tr *tr = user;
	tr->tmo_timer = NULL;
	service(tr);
}

static void arm_timeout(struct qusb_tr *tr)
{
	struct timeval tv;
	if (!tr->loop || tr->state == QUSB_ST_DEAD || libusb_pollfds_handle_timeouts(tr->ctx))
		return; /* Linux: libusb's timerfd is one of the watched fds */
	qb_timer_old_cancel(tr->tmo_timer);
	tr->tmo_timer = NULL;
	if (libusb_get_next_timeout(tr->ctx, &tv) != 1)
		return;
	uint64_t ms = (uint64_t)tv.tv_sec * 1000 + ((uint64_t)tv.tv_usec + 999) / 1000;
	if (qb_loop_timer_old(tr->loop, ms, on_timeout, tr, &tr->tmo_timer) < 0)
		tr->tmo_timer = NULL;
}

static void service(struct qusb_tr *tr)
{
	struct timeval zero = { 0, 0 };
	tr->in_events++;
	int r = libusb_handle_events_timeout_completed(tr->ctx, &zero, NULL);
	tr->in_events--;
	if (tr->destroy_pending && tr->in_events == 0) {
		really_destroy(tr);
		return;
	}
	if (r < 0 && r != LIBUSB_ERROR_INTERRUPTED && r != LIBUSB_ERROR_TIMEOUT)
		fail(tr, qusb_errno(r));
	maybe_finish_close(tr); /* in case no timer could be had when the session ended */
	arm_timeout(tr);
}

static int add_watch(struct qusb_tr *tr, int fd, short events)
{
	for (size_t i = 0; i < tr->n_watches; i++)
		if (tr->watch_fd[i] == fd)
			return qb_watch_set_events(tr->watch[i], (unsigned)events);
	if (tr->n_watches == QUSB_MAX_WATCHES)
		return -ENOSPC;
	int r = qb_loop_watch(tr->loop, fd, (unsigned)events, on_fd, tr,
				&tr->watch[tr->n_watches]);
	if (r < 0)
		return r;
	tr->watch_fd[tr->n_watches++] = fd;
	return 0;
}

static void remove_watch(struct qusb_tr *tr, int fd)
{
	for (size_t i = 0; i < tr->n_watches; i++) {
		if (tr->watch_fd[i] != fd)
			continue;
		qb_watch_remove(tr->watch[i]);
		tr->n_watches--;
		tr->watch[i] = tr->watch[tr->n_watches];
		tr->watch_fd[i] = tr->watch_fd[tr->n_watches];
		return;
	}
}

static void pollfd_added(int fd, short events, void *user)
{
	struct qusb_tr *tr = user;
	int r = add_watch(tr, fd, events);
	if (r < 0) {
		note(tr, "cannot watch libusb fd %d: %s", fd, strerror(-r));
		fail(tr, r);
	}
}

static void pollfd_removed(int fd, void *user)
{
	remove_watch(user, fd);
}

static int hotplug_left(libusb_context *ctx, libusb_device *dev, libusb_hotplug_event ev,
			void *user)
{
	struct qusb_tr *tr = user;
	(void)ctx;
	if (ev == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT && dev == tr->dev)
		fail(tr, -ENODEV);
	return 0;
}

/* ---- transfer bookkeeping ------------------------------------------------------------------ */

static int submit(struct qusb_slot *s)
{
	struct qusb_tr *tr = s->tr;
	int r = libusb_submit_transfer(s->t);
	if (r != 0) {
		r = qusb_errno(r);
		if (r == -ENODEV)
			fail(tr, -ENODEV);
		return r;
	}
	s->busy = true;
	tr->inflight++;
	return 0;
}

static void closed_cb(void *user)
{
	struct qusb_tr *tr = user;
	tr->closed_timer = NULL;
	tr->state = QUSB_ST_CLOSED;
	if (tr->cbs && tr->cbs->closed)
		tr->cbs->closed(tr->user, tr->close_err); /* may destroy tr */
}

static void maybe_finish_close(struct qusb_tr *tr)
{
	if (tr->state != QUSB_ST_CLOSING || tr->inflight || tr->closed_timer || tr->closed_sched)
		return;
	tr->closed_sched = true;
	if (qb_loop_timer_old(tr->loop, 0, closed_cb, tr, &tr->closed_timer) < 0) {
		tr->closed_timer = NULL;
		tr->closed_sched = false; /* no timer to be had: report on the next service() */
	}
}

static void cancel_all(struct qusb_tr *tr)
{
	for (size_t i = 0; i < tr->n_slots; i++)
		if (tr->slots[i].busy)
			libusb_cancel_transfer(tr->slots[i].t);
}

static void fail(struct qusb_tr *tr, int err)
{
	if (tr->state != QUSB_ST_STARTED)
		return;
	tr->state = QUSB_ST_CLOSING;
	tr->close_err = err;
	if (err == -ENODEV)
		note(tr, "device unplugged");
	cancel_all(tr);
	cancel_retries(tr);
	maybe_finish_close(tr);
}

/* Start of every callback. Returns false when the session is over and the callback must do
 * nothing more than this bookkeeping. */
static bool completed(struct qusb_slot *s)
{
	struct qusb_tr *tr = s->tr;
	s->busy = false;
	tr->inflight--;
	if (s->t->status == LIBUSB_TRANSFER_NO_DEVICE)
		fail(tr, -ENODEV);
	if (!live(tr)) {
		maybe_finish_close(tr);
		return false;
	}
	return true;
}

static const char *status_name(enum libusb_transfer_status st)
{
	switch (st) {
	case LIBUSB_TRANSFER_COMPLETED: return "completed";
	case LIBUSB_TRANSFER_ERROR: return "transfer error";
	case LIBUSB_TRANSFER_TIMED_OUT: return "timed out";
	case LIBUSB_TRANSFER_CANCELLED: return "cancelled";
	case LIBUSB_TRANSFER_STALL: return "stalled";
	case LIBUSB_TRANSFER_NO_DEVICE: return "device gone";
	case LIBUSB_TRANSFER_OVERFLOW: return "overflow";
	}
	return "unknown status";
}

/* Whether the device is still on the bus. A disconnect shows up as transfer errors for a few
 * moments before usbfs reports it; sysfs drops the device at the same time. Without sysfs
 * (another OS) only libusb's own NO_DEVICE status can tell. */
static bool device_present(const struct qusb_tr *tr)
{
	char p[96];
	struct stat st;
	if (stat("/sys/bus/usb/devices", &st) != 0)
		return true;
	snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s", tr->path);
	return stat(p, &st) == 0;
}

enum verdict { AGAIN_NOW, AGAIN_LATER, STOP };

/* A bulk or interrupt status that is neither success nor unplug. Errors are retried after a
 * pause (never in a tight loop) until they have lasted QUSB_ERROR_WINDOW_MS. */
static enum verdict judge(struct qusb_tr *tr, struct libusb_transfer *t, const char *what)
{
	if (t->status == LIBUSB_TRANSFER_OVERFLOW)
		return AGAIN_NOW; /* babble: this transfer is lost, the pipe is fine */
	uint64_t now = qb_now_ms();
	if (!tr->errors_in_row++)
		tr->first_error_ms = now;
	if (!device_present(tr)) {
		fail(tr, -ENODEV);
		return STOP;
	}
	if (now - tr->first_error_ms < QUSB_ERROR_WINDOW_MS)
		return AGAIN_LATER;
	note(tr, "%s: %s, %u errors in %u ms; giving up", what, status_name(t->status),
	     tr->errors_in_row, (unsigned)(now - tr->first_error_ms));
	fail(tr, -EIO);
	return STOP;
}

static void retry_cb(void *user)
{
	struct qusb_slot *s = user;
	struct qusb_tr *tr = s->tr;
	s->retry = NULL;
	if (live(tr) && submit(s) < 0 && live(tr))
		fail(tr, -EIO);
	arm_timeout(tr);
}

static void resubmit(struct qusb_slot *s, enum verdict v)
{
	struct qusb_tr *tr = s->tr;
	if (v == STOP || !live(tr))
		return;
	if (v == AGAIN_LATER) {
		if (qb_loop_timer_old(tr->loop, QUSB_RETRY_MS, retry_cb, s, &s->retry) < 0) {
			s->retry = NULL;
			fail(tr, -EIO);
		}
		return;
	}
	if (submit(s) < 0 && live(tr))
		fail(tr, -EIO);
}

static void cancel_retries(struct qusb_tr *tr)
{
	for (size_t i = 0; i < tr->n_slots; i++) {
		qb_timer_old_cancel(tr->slots[i].retry);
		tr->slots[i].retry = NULL;
	}
}

/* ---- control channel -------------------------------------------------------------------- */

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
	tr->ctrl_watchdog = NULL;
	for (unsigned i = QUSB_SLOT_RESP; i <= QUSB_SLOT_CMD; i++) {
		struct qusb_slot *s = &tr->slots[i];
		if (!s->busy)
			continue;
		if (now - s->since_ms >= QUSB_CTRL_TIMEOUT_MS) {
			libusb_cancel_transfer(s->t); /* completes as cancelled */
			continue;
		}
		uint64_t left = s->since_ms + QUSB_CTRL_TIMEOUT_MS - now;
		if (!next || left < next)
			next = left;
	}
	if (next && live(tr) &&
	    qb_loop_timer_old(tr->loop, next, ctrl_watchdog_fire, tr, &tr->ctrl_watchdog) < 0)
		tr->ctrl_watchdog = NULL;
}

static int submit_ctrl(struct qusb_slot *s)
{
	struct qusb_tr *tr = s->tr;
	s->since_ms = qb_now_ms();
	int r = submit(s);
	if (r == 0 && !tr->ctrl_watchdog &&
	    qb_loop_timer_old(tr->loop, QUSB_CTRL_TIMEOUT_MS, ctrl_watchdog_fire, tr,
			    &tr->ctrl_watchdog) < 0)
		tr->ctrl_watchdog = NULL; /* the QMI core's own timeout still reports the request */
	return r;
}

static void submit_get_response(struct qusb_tr *tr)
{
	struct qusb_slot *s = &tr->slots[QUSB_SLOT_RESP];
	libusb_fill_control_setup(tr->resp_buf, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_CLASS |
							 LIBUSB_RECIPIENT_INTERFACE,
				  0x01 /* GET_ENCAPSULATED_RESPONSE */, 0, tr->func.ctrl_iface,
				  QUSB_RESP_MAX);
	/* fill_control_transfer takes the length from the setup packet: refill on every reuse. */
	libusb_fill_control_transfer(s->t, tr->h, tr->resp_buf, NULL, s, 0);
	s->t->callback = s->cb;
	if (submit_ctrl(s) < 0 && live(tr)) {
		note(tr, "cannot request an encapsulated response");
		fail(tr, -EIO);
	}
}

static void refetch_cb(void *user)
{
	struct qusb_slot *s = user;
	s->retry = NULL;
	if (live(s->tr) && !s->busy)
		submit_get_response(s->tr);
}

static void resp_cb(struct libusb_transfer *t)
{
	struct qusb_slot *s = t->user_data;
	struct qusb_tr *tr = s->tr;
	if (!completed(s))
		return;
	if (tr->resp_owed)
		tr->resp_owed--;
	if (t->status == LIBUSB_TRANSFER_COMPLETED) {
		/* A zero-length answer means "nothing queued" (repeated notifications). */
		qb_timer_old_cancel(s->retry);
		s->retry = NULL;
		tr->resp_refetches = 0;
		if (t->actual_length > 0) {
			tr->errors_in_row = 0;
			tr->cbs->ctrl_rx(tr->user, libusb_control_transfer_get_data(t),
					 (size_t)t->actual_length);
			if (!live(tr) || tr->destroy_pending)
				return;
		}
	} else if (!tr->resp_owed && !s->retry && tr->resp_refetches < QUSB_RESP_REFETCH_MAX) {
		/* A STALL may mean "nothing queued", or a failure that kept a response no new
		 * RESPONSE_AVAILABLE will announce: ask again, a few times, later each time. */
		unsigned ms = QUSB_RESP_REFETCH_MS << (2 * tr->resp_refetches++);
		if (qb_loop_timer_old(tr->loop, ms, refetch_cb, s, &s->retry) < 0)
			s->retry = NULL;
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

static void notify_cb(struct libusb_transfer *t)
{
	struct qusb_slot *s = t->user_data;
	struct qusb_tr *tr = s->tr;
	if (!completed(s))
		return;
	if (t->status == LIBUSB_TRANSFER_COMPLETED) {
		tr->errors_in_row = 0;
		const uint8_t *b = t->buffer;
		/* struct usb_cdc_notification: bmRequestType 0xA1, bNotificationType 0x01 */
		if (t->actual_length >= 8 && b[0] == 0xA1 && b[1] == 0x01)
			response_available(tr);
		/* NETWORK_CONNECTION, SPEED_CHANGE and unknown notifications carry nothing for QMI */
		resubmit(s, AGAIN_NOW);
		return;
	}
	resubmit(s, judge(tr, t, "interrupt IN"));
}

static int send_now(struct qusb_tr *tr, const uint8_t *frame, size_t len)
{
	struct qusb_slot *s = &tr->slots[QUSB_SLOT_CMD];
	libusb_fill_control_setup(tr->cmd_buf, LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS |
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
	while (live(tr) && tr->q_count && !tr->slots[QUSB_SLOT_CMD].busy) {
		unsigned i = tr->q_head;
		tr->q_head = (tr->q_head + 1) % QUSB_CMD_QUEUE;
		tr->q_count--;
		if (send_now(tr, tr->q_buf + (size_t)i * QUSB_CMD_MAX, tr->q_len[i]) < 0 && live(tr))
			note(tr, "SendEncapsulatedCommand could not be submitted; frame dropped");
	}
}

static void cmd_cb(struct libusb_transfer *t)
{
	struct qusb_slot *s = t->user_data;
	struct qusb_tr *tr = s->tr;
	if (!completed(s))
		return;
	/* A refused command is the QMI core's timeout to report; the channel itself goes on. */
	if (t->status != LIBUSB_TRANSFER_COMPLETED)
		note(tr, "SendEncapsulatedCommand failed (%s); frame dropped", status_name(t->status));
	send_queued(tr);
}

static int tr_ctrl_send(void *impl, const uint8_t *frame, size_t len)
{
	struct qusb_tr *tr = impl;
	if (tr->state >= QUSB_ST_CLOSING)
		return tr->close_err ? tr->close_err : -ENOTCONN;
	if (len == 0)
		return -EINVAL;
	if (len > QUSB_CMD_MAX)
		return -EMSGSIZE;
	if (live(tr) && !tr->q_count && !tr->slots[QUSB_SLOT_CMD].busy)
		return send_now(tr, frame, len);
	if (tr->q_count == QUSB_CMD_QUEUE)
		return -EAGAIN;
	unsigned i = (tr->q_head + tr->q_count) % QUSB_CMD_QUEUE;
	memcpy(tr->q_buf + (size_t)i * QUSB_CMD_MAX, frame, len);
	tr->q_len[i] = len;
	tr->q_count++;
	return 0;
}

/* ---- bulk data ------------------------------------------------------------------------------ */

static void rx_cb(struct libusb_transfer *t)
{
	struct qusb_slot *s = t->user_data;
	struct qusb_tr *tr = s->tr;
	if (!completed(s))
		return;
	if (t->status == LIBUSB_TRANSFER_COMPLETED) {
		tr->errors_in_row = 0;
		if (t->actual_length > 0 && tr->cbs->data_rx) {
			tr->cbs->data_rx(tr->user, t->buffer, (size_t)t->actual_length);
			if (!live(tr) || tr->destroy_pending)
				return;
		}
		resubmit(s, AGAIN_NOW);
		return;
	}
	resubmit(s, judge(tr, t, "bulk IN"));
}

static void tx_cb(struct libusb_transfer *t)
{
	struct qusb_slot *s = t->user_data;
	struct qusb_tr *tr = s->tr;
	tr->tx_free[tr->n_tx_free++] = s->index;
	if (!completed(s))
		return;
	/* An OUT error loses that packet, as on any link; persistent ones end the session. */
	if (t->status == LIBUSB_TRANSFER_COMPLETED)
		tr->errors_in_row = 0;
	else if (judge(tr, t, "bulk OUT") == STOP)
		return;
	/* Paced (data_set_inflight): every completion is reported, the sender's cue to send
	 * what it packed meanwhile. */
	if ((tr->want_tx_ready || tr->tx_limit < tr->n_tx) && tr->cbs->data_tx_ready) {
		tr->want_tx_ready = false;
		tr->cbs->data_tx_ready(tr->user);
	}
}

static int tr_data_send(void *impl, const uint8_t *pkt, size_t len)
{
	struct qusb_tr *tr = impl;
	if (!live(tr))
		return tr->close_err ? tr->close_err : -ENOTCONN;
	if (len == 0 || len > tr->tx_size)
		return -EMSGSIZE;
	/* The in-flight limit paces small transfers only: one of at least half the transfer size
	 * (a full aggregate, at saturation) may use any free transfer to keep the pipe busy. */
	if (!tr->n_tx_free ||
	    (tr->n_tx - tr->n_tx_free >= tr->tx_limit && len < tr->tx_size / 2)) {
		tr->want_tx_ready = true;
		return -ENOBUFS;
	}
	unsigned i = tr->tx_free[--tr->n_tx_free];
	struct qusb_slot *s = &tr->slots[i];
	memcpy(s->t->buffer, pkt, len);
	s->t->length = (int)len;
	int r = submit(s);
	if (r < 0)
		tr->tx_free[tr->n_tx_free++] = i;
	return r;
}

static int tr_data_set_inflight(void *impl, unsigned max)
{
	struct qusb_tr *tr = impl;
	tr->tx_limit = max && max < tr->n_tx ? max : (unsigned)tr->n_tx;
	return 0;
}

/* ---- start / describe / destroy ------------------------------------------------------------ */

static int tr_start(void *impl, struct qb_loop *loop, const struct qmi_transport_cbs *cbs,
		    void *user)
{
	struct qusb_tr *tr = impl;
	int r = 0;
	if (tr->state != QUSB_ST_OPEN)
		return -EALREADY;
	tr->loop = loop;
	tr->cbs = cbs;
	tr->user = user;

	const struct libusb_pollfd **pfds = libusb_get_pollfds(tr->ctx);
	if (!pfds)
		return -ENOTSUP; /* a platform without pollable fds needs another integration */
	for (size_t i = 0; pfds[i] && r == 0; i++)
		r = add_watch(tr, pfds[i]->fd, pfds[i]->events);
	libusb_free_pollfds(pfds);
	if (r < 0)
		return r;
	libusb_set_pollfd_notifiers(tr->ctx, pollfd_added, pollfd_removed, tr);

	if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) &&
	    libusb_hotplug_register_callback(tr->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
					     tr->vid, tr->pid, LIBUSB_HOTPLUG_MATCH_ANY,
					     hotplug_left, tr, &tr->hotplug) == 0)
		tr->hotplug_registered = true;

	tr->state = QUSB_ST_STARTED;
	r = submit(&tr->slots[QUSB_SLOT_NOTIFY]);
	for (size_t i = 0; r == 0 && i < tr->n_rx; i++)
		r = submit(&tr->slots[QUSB_SLOT_RX0 + i]);
	if (r < 0) {
		/* Not a session yet: no closed callback. destroy() reaps what was submitted. */
		tr->state = QUSB_ST_DEAD;
		cancel_all(tr);
		cancel_retries(tr);
		qb_timer_old_cancel(tr->closed_timer); /* fail() may have scheduled one */
		tr->closed_timer = NULL;
		return r;
	}
	send_queued(tr);
	arm_timeout(tr);
	return 0;
}

static const char *tr_describe(void *impl)
{
	return ((struct qusb_tr *)impl)->desc;
}

static void release_device(struct qusb_tr *tr)
{
	uint8_t ifs[2] = { tr->func.ctrl_iface, tr->func.data_iface };
	size_t n = ifs[0] == ifs[1] ? 1 : 2;
	for (size_t i = 0; i < n; i++) {
		if (tr->claimed[i])
			libusb_release_interface(tr->h, ifs[i]);
		if (tr->detached[i] && tr->reattach) {
			int r = libusb_attach_kernel_driver(tr->h, ifs[i]);
			if (r == 0)
				note(tr, "interface %u given back to the kernel driver", ifs[i]);
			else if (r != LIBUSB_ERROR_NO_DEVICE)
				note(tr, "could not reattach the kernel driver to interface %u: %s",
				     ifs[i], libusb_strerror(r));
		}
	}
}

static void really_destroy(struct qusb_tr *tr)
{
	tr->state = QUSB_ST_DEAD;
	tr->destroy_pending = false;
	cancel_all(tr);
	cancel_retries(tr);
	/* Cancelled transfers complete asynchronously; they must before their memory goes. */
	struct timeval tv = { 0, 10000 };
	for (unsigned i = 0; tr->inflight && i < 300; i++)
		libusb_handle_events_timeout_completed(tr->ctx, &tv, NULL);

	libusb_set_pollfd_notifiers(tr->ctx, NULL, NULL, NULL);
	while (tr->n_watches)
		remove_watch(tr, tr->watch_fd[0]);
	qb_timer_old_cancel(tr->tmo_timer);
	qb_timer_old_cancel(tr->closed_timer);
	qb_timer_old_cancel(tr->ctrl_watchdog);
	tr->ctrl_watchdog = NULL;
	if (tr->hotplug_registered)
		libusb_hotplug_deregister_callback(tr->ctx, tr->hotplug);

	if (tr->inflight) {
		/* libusb still owns them: freeing would be a use-after-free. Leak the lot. */
		note(tr, "%u USB transfers did not complete; leaking the libusb context", tr->inflight);
		return;
	}
	qusb_tr_free(tr);
}

static void tr_destroy(void *impl)
{
	struct qusb_tr *tr = impl;
	if (!tr)
		return;
	if (tr->in_events) {
		/* Inside a libusb callback: libusb cannot be re-entered to reap; finish in service(). */
		tr->destroy_pending = true;
		tr->state = QUSB_ST_DEAD;
		cancel_all(tr);
		cancel_retries(tr);
		return;
	}
	really_destroy(tr);
}

void qusb_tr_free(struct qusb_tr *tr)
{
	if (!tr)
		return;
	if (tr->h)
		release_device(tr);
	for (size_t i = 0; i < tr->n_slots; i++)
		libusb_free_transfer(tr->slots[i].t);
	free(tr->slots);
	free(tr->tx_free);
	if (tr->bulk_dev_mem)
		libusb_dev_mem_free(tr->h, tr->bulk_mem, tr->bulk_len);
	else
		free(tr->bulk_mem);
	free(tr->q_buf);
	free(tr->notify_buf);
	free(tr->resp_buf);
	free(tr->cmd_buf);
	if (tr->h)
		libusb_close(tr->h);
	if (tr->dev)
		libusb_unref_device(tr->dev);
	if (tr->ctx)
		libusb_exit(tr->ctx);
	free(tr);
}

static const struct qmi_transport_ops qusb_ops = {
	.name = "usb",
	.start = tr_start,
	.ctrl_send = tr_ctrl_send,
	.data_send = tr_data_send,
	.describe = tr_describe,
	.destroy = tr_destroy,
	.data_set_inflight = tr_data_set_inflight,
};

int qusb_tr_alloc_transfers(struct qusb_tr *tr)
{
	size_t n = QUSB_SLOT_RX0 + tr->n_rx + tr->n_tx;
	tr->slots = calloc(n, sizeof(*tr->slots));
	tr->tx_free = calloc(tr->n_tx, sizeof(*tr->tx_free));
	/* Memory mapped from usbfs where the platform has it: the kernel then neither allocates
	 * nor copies a buffer for each bulk transfer (usbfs's zero-copy path). */
	tr->bulk_len = tr->n_rx * tr->rx_size + tr->n_tx * tr->tx_size;
	tr->bulk_mem = libusb_dev_mem_alloc(tr->h, tr->bulk_len);
	tr->bulk_dev_mem = tr->bulk_mem != NULL;
	if (!tr->bulk_mem)
		tr->bulk_mem = malloc(tr->bulk_len);
	tr->q_buf = malloc((size_t)QUSB_CMD_QUEUE * QUSB_CMD_MAX);
	tr->notify_buf = malloc(tr->func.notify_mps);
	tr->resp_buf = malloc(LIBUSB_CONTROL_SETUP_SIZE + QUSB_RESP_MAX);
	tr->cmd_buf = malloc(LIBUSB_CONTROL_SETUP_SIZE + QUSB_CMD_MAX);
	if (!tr->slots || !tr->tx_free || !tr->bulk_mem || !tr->q_buf || !tr->notify_buf ||
	    !tr->resp_buf || !tr->cmd_buf)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct qusb_slot *s = &tr->slots[i];
		s->tr = tr;
		s->index = (unsigned)i;
		s->t = libusb_alloc_transfer(0);
		if (!s->t)
			return -ENOMEM;
		tr->n_slots = i + 1;
		s->t->user_data = s;
	}
	tr->slots[QUSB_SLOT_NOTIFY].cb = notify_cb;
	libusb_fill_interrupt_transfer(tr->slots[QUSB_SLOT_NOTIFY].t, tr->h, tr->func.ep_notify,
				       tr->notify_buf, tr->func.notify_mps, notify_cb,
				       &tr->slots[QUSB_SLOT_NOTIFY], 0);
	tr->slots[QUSB_SLOT_RESP].cb = resp_cb;
	tr->slots[QUSB_SLOT_CMD].cb = cmd_cb;
	uint8_t *mem = tr->bulk_mem;
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
	return 0;
}

void qusb_tr_export(struct qusb_tr *tr, struct qmi_transport *out)
{
	out->ops = &qusb_ops;
	out->impl = tr;
}
