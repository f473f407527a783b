/* SPDX-License-Identifier: MIT */
/*
 * struct qmi_transport over libusb: the session's lifetime and its place in the event loop. While
 * the session runs everything is asynchronous. On Linux the transfers go straight to usbfs on
 * libusb's descriptor (transport_urb_linux.c); elsewhere, or with QMIUSB_USBFS_DIRECT=0,
 * libusb's fds sit in the loop and are serviced with a zero timeout on readiness. The channels
 * are transport_ctrl.c and transport_bulk.c; each transfer has a slot, `busy` while submitted
 * and not yet completed.
 *
 * Ending a session (unplug or error): every busy transfer is cancelled and the closed callback is
 * delivered from a loop timer once the last one has completed, so the user may destroy the
 * transport from it. destroy() may come from inside a libusb callback, where libusb cannot be
 * re-entered to reap what it cancels: it stops everything at once and leaves the reaping and the
 * freeing to the loop's close queue, which runs after libusb has returned.
 */
#include "usb/transport_internal.h"
#include "usb/scan_internal.h"

#include <errno.h>
#include <libusb.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/time.h>

#include "base/list.h"
#include "qmi/transport.h"

void qusb_tr_note(struct qusb_tr *tr, const char *fmt, ...)
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

static void arm_timeout(struct qusb_tr *tr)
{
	struct timeval tv;
	if (tr->state == QUSB_ST_DEAD || libusb_pollfds_handle_timeouts(tr->ctx))
		return; /* Linux: libusb's timerfd is one of the watched fds */
	if (libusb_get_next_timeout(tr->ctx, &tv) != 1) {
		qb_timer_stop(&tr->tmo_timer);
		return;
	}
	qb_timer_start(&tr->tmo_timer,
		       (uint64_t)tv.tv_sec * 1000 + ((uint64_t)tv.tv_usec + 999) / 1000);
}

static void service(struct qusb_tr *tr)
{
	struct timeval zero = { 0, 0 };
	int r = libusb_handle_events_timeout_completed(tr->ctx, &zero, NULL);
	if (r < 0 && r != LIBUSB_ERROR_INTERRUPTED && r != LIBUSB_ERROR_TIMEOUT)
		qusb_tr_fail(tr, qusb_errno(r));
	arm_timeout(tr);
}

static void on_fd(void *user, int fd, unsigned revents)
{
	(void)fd;
	(void)revents;
	service(user);
}

static void on_timeout(void *user)
{
	service(user);
}

static int add_watch(struct qusb_tr *tr, int fd, short events)
{
	for (size_t i = 0; i < tr->n_watches; i++)
		if (tr->watch_fd[i] == fd)
			return qb_watch_set_events(tr->watch[i], (unsigned)events);
	if (tr->n_watches == QUSB_MAX_WATCHES)
		return -ENOSPC;
	int r = qb_loop_watch(tr->loop, fd, (unsigned)events, on_fd, tr, &tr->watch[tr->n_watches]);
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
		qusb_tr_note(tr, "cannot watch libusb fd %d: %s", fd, strerror(-r));
		qusb_tr_fail(tr, r);
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
		qusb_tr_fail(tr, -ENODEV);
	return 0;
}

/* ---- transfer bookkeeping and the end of a session ------------------------------------------ */

int qusb_tr_submit(struct qusb_slot *s)
{
	struct qusb_tr *tr = s->tr;
	int r = tr->urb_direct ? qusb_urb_submit(s) : qusb_errno(libusb_submit_transfer(s->t));
	if (r != 0) {
		if (r == -ENODEV)
			qusb_tr_fail(tr, -ENODEV);
		return r;
	}
	s->busy = true;
	tr->inflight++;
	return 0;
}

static void closed_cb(void *user)
{
	struct qusb_tr *tr = user;
	tr->state = QUSB_ST_CLOSED;
	if (tr->cbs && tr->cbs->closed)
		tr->cbs->closed(tr->user, tr->close_err); /* may destroy tr */
}

static void maybe_finish_close(struct qusb_tr *tr)
{
	if (tr->state == QUSB_ST_CLOSING && !tr->inflight && !qb_timer_active(&tr->closed_timer))
		qb_timer_start(&tr->closed_timer, 0);
}

void qusb_tr_cancel(struct qusb_slot *s)
{
	if (s->tr->urb_direct)
		qusb_urb_cancel(s);
	else
		libusb_cancel_transfer(s->t);
}

static void cancel_all(struct qusb_tr *tr)
{
	for (size_t i = 0; i < tr->n_slots; i++)
		if (tr->slots[i].busy)
			qusb_tr_cancel(&tr->slots[i]);
}

static void cancel_retries(struct qusb_tr *tr)
{
	for (size_t i = 0; i < tr->n_slots; i++)
		qb_timer_stop(&tr->slots[i].retry);
}

void qusb_tr_fail(struct qusb_tr *tr, int err)
{
	if (tr->state != QUSB_ST_STARTED)
		return;
	tr->state = QUSB_ST_CLOSING;
	tr->close_err = err;
	if (err == -ENODEV)
		qusb_tr_note(tr, "device unplugged");
	cancel_all(tr);
	cancel_retries(tr);
	qb_timer_stop(&tr->ctrl_watchdog);
	maybe_finish_close(tr);
}

bool qusb_tr_completed(struct qusb_slot *s)
{
	struct qusb_tr *tr = s->tr;
	s->busy = false;
	tr->inflight--;
	if (s->t->status == LIBUSB_TRANSFER_NO_DEVICE)
		qusb_tr_fail(tr, -ENODEV);
	if (!qusb_tr_live(tr)) {
		maybe_finish_close(tr);
		return false;
	}
	return true;
}

const char *qusb_status_name(enum libusb_transfer_status st)
{
	switch (st) {
	case LIBUSB_TRANSFER_COMPLETED:
		return "completed";
	case LIBUSB_TRANSFER_ERROR:
		return "transfer error";
	case LIBUSB_TRANSFER_TIMED_OUT:
		return "timed out";
	case LIBUSB_TRANSFER_CANCELLED:
		return "cancelled";
	case LIBUSB_TRANSFER_STALL:
		return "stalled";
	case LIBUSB_TRANSFER_NO_DEVICE:
		return "device gone";
	case LIBUSB_TRANSFER_OVERFLOW:
		return "overflow";
	}
	return "unknown status";
}

/* Errors are retried after a pause (never in a tight loop) until they have lasted
 * QUSB_ERROR_WINDOW_MS. */
enum qusb_verdict qusb_tr_judge(struct qusb_tr *tr, struct libusb_transfer *t, const char *what)
{
	if (t->status == LIBUSB_TRANSFER_OVERFLOW)
		return QUSB_AGAIN_NOW; /* babble: this transfer is lost, the pipe is fine */
	uint64_t now = qb_now_ms();
	if (!tr->errors_in_row++)
		tr->first_error_ms = now;
	if (!qusb_sys_present(tr->path)) {
		qusb_tr_fail(tr, -ENODEV);
		return QUSB_STOP;
	}
	if (now - tr->first_error_ms < QUSB_ERROR_WINDOW_MS)
		return QUSB_AGAIN_LATER;
	qusb_tr_note(tr, "%s: %s, %u errors in %u ms; giving up", what, qusb_status_name(t->status),
		     tr->errors_in_row, (unsigned)(now - tr->first_error_ms));
	qusb_tr_fail(tr, -EIO);
	return QUSB_STOP;
}

static void retry_cb(void *user)
{
	struct qusb_slot *s = user;
	struct qusb_tr *tr = s->tr;
	if (qusb_tr_live(tr) && qusb_tr_submit(s) < 0 && qusb_tr_live(tr))
		qusb_tr_fail(tr, -EIO);
	arm_timeout(tr);
}

void qusb_tr_resubmit(struct qusb_slot *s, enum qusb_verdict v)
{
	struct qusb_tr *tr = s->tr;
	if (v == QUSB_STOP || !qusb_tr_live(tr))
		return;
	if (v == QUSB_AGAIN_LATER) {
		qb_timer_start(&s->retry, QUSB_RETRY_MS);
		return;
	}
	if (qusb_tr_submit(s) < 0 && qusb_tr_live(tr))
		qusb_tr_fail(tr, -EIO);
}

void qusb_tr_in_done(struct libusb_transfer *t, const char *what,
		     bool (*take)(struct qusb_tr *tr, struct libusb_transfer *t))
{
	struct qusb_slot *s = t->user_data;
	struct qusb_tr *tr = s->tr;

	if (!qusb_tr_completed(s))
		return;
	if (t->status != LIBUSB_TRANSFER_COMPLETED) {
		qusb_tr_resubmit(s, qusb_tr_judge(tr, t, what));
		return;
	}
	tr->errors_in_row = 0;
	if (take(tr, t)) /* false: ended, or destroyed (tr stays until libusb has returned) */
		qusb_tr_resubmit(s, QUSB_AGAIN_NOW);
}

/* libusb's event handling in the loop: its descriptors watched, serviced on readiness; an
 * unplug reported by its hotplug callback. */
static int libusb_events_start(struct qusb_tr *tr)
{
	int r = 0;
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
	    libusb_hotplug_register_callback(tr->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0, tr->vid,
					     tr->pid, LIBUSB_HOTPLUG_MATCH_ANY, hotplug_left, tr,
					     &tr->hotplug) == 0)
		tr->hotplug_registered = true;
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
	qb_timer_init(&tr->tmo_timer, loop, on_timeout, tr);
	qb_timer_init(&tr->closed_timer, loop, closed_cb, tr);
	for (size_t i = 0; i < tr->n_slots; i++)
		qb_timer_init(&tr->slots[i].retry, loop, retry_cb, &tr->slots[i]);
	qusb_ctrl_start(tr);
	r = qusb_urb_start(tr);
	if (r == -ENOTSUP)
		r = libusb_events_start(tr);
	if (r < 0)
		return r;

	tr->state = QUSB_ST_STARTED;
	r = qusb_tr_submit(&tr->slots[QUSB_SLOT_NOTIFY]);
	for (size_t i = 0; r == 0 && i < tr->n_rx; i++)
		r = qusb_tr_submit(&tr->slots[QUSB_SLOT_RX0 + i]);
	if (r < 0) {
		/* Not a session yet: no closed callback. destroy() reaps what was submitted. */
		tr->state = QUSB_ST_DEAD;
		cancel_all(tr);
		cancel_retries(tr);
		qb_timer_stop(&tr->closed_timer); /* qusb_tr_fail() may have armed it */
		return r;
	}
	qusb_ctrl_send_queued(tr);
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
				qusb_tr_note(tr, "interface %u given back to the kernel driver",
					     ifs[i]);
			else if (r != LIBUSB_ERROR_NO_DEVICE)
				qusb_tr_note(
					tr,
					"could not reattach the kernel driver to interface %u: %s",
					ifs[i], libusb_strerror(r));
		}
	}
}

/* From the loop's close queue: no libusb call is on the stack, so libusb may be run to reap. */
static void reap_and_free(struct qb_close *c)
{
	struct qusb_tr *tr = qb_container_of(c, struct qusb_tr, close);
	/* Cancelled transfers complete asynchronously; they must before their memory goes. */
	struct timeval tv = { 0, 10000 };
	if (tr->urb_direct)
		qusb_urb_drain(tr, 3000);
	else
		for (unsigned i = 0; tr->inflight && i < 300; i++)
			libusb_handle_events_timeout_completed(tr->ctx, &tv, NULL);

	libusb_set_pollfd_notifiers(tr->ctx, NULL, NULL, NULL);
	while (tr->n_watches)
		remove_watch(tr, tr->watch_fd[0]);
	qb_timer_stop(&tr->tmo_timer); /* the reaping above may have armed it */
	cancel_retries(tr);
	if (tr->hotplug_registered)
		libusb_hotplug_deregister_callback(tr->ctx, tr->hotplug);

	if (tr->inflight) {
		/* libusb still owns them: freeing would be a use-after-free. Leak the lot. */
		qusb_tr_note(tr, "%u USB transfers did not complete; leaking the libusb context",
			     tr->inflight);
		return;
	}
	qusb_tr_free(tr);
}

static void tr_destroy(void *impl)
{
	struct qusb_tr *tr = impl;
	if (!tr)
		return;
	if (!tr->loop) {
		qusb_tr_free(tr); /* never started: nothing submitted, nothing watched */
		return;
	}
	/* No callback of ours runs from here on; the memory stays until the close. */
	tr->state = QUSB_ST_DEAD;
	cancel_all(tr);
	cancel_retries(tr);
	qb_timer_stop(&tr->tmo_timer);
	qb_timer_stop(&tr->closed_timer);
	qb_timer_stop(&tr->ctrl_watchdog);
	qb_loop_close(tr->loop, &tr->close, reap_and_free);
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
	qusb_bulk_free(tr);
	free(tr->urbs);
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
	.ctrl_send = qusb_ctrl_send,
	.data_send = qusb_bulk_send,
	.describe = tr_describe,
	.destroy = tr_destroy,
	.data_set_inflight = qusb_bulk_set_inflight,
	.data_port = qusb_bulk_data_port,
	.data_set_rx = qusb_bulk_set_rx,
	.data_tx_buf = qusb_bulk_tx_buf,
	.data_tx_send = qusb_bulk_tx_send,
};

int qusb_tr_alloc_transfers(struct qusb_tr *tr)
{
	size_t n;

	tr->rx_cap = tr->n_rx > QUSB_RX_SLOTS ? tr->n_rx : QUSB_RX_SLOTS;
	n = QUSB_SLOT_RX0 + tr->rx_cap + tr->n_tx;
	tr->slots = calloc(n, sizeof(*tr->slots));
	tr->tx_free = calloc(tr->n_tx, sizeof(*tr->tx_free));
	tr->q_buf = malloc((size_t)QUSB_CMD_QUEUE * QUSB_CMD_MAX);
	tr->notify_buf = malloc(tr->func.notify_mps);
	tr->resp_buf = malloc(LIBUSB_CONTROL_SETUP_SIZE + QUSB_RESP_MAX);
	tr->cmd_buf = malloc(LIBUSB_CONTROL_SETUP_SIZE + QUSB_CMD_MAX);
	if (!tr->slots || !tr->tx_free || !tr->q_buf || !tr->notify_buf || !tr->resp_buf ||
	    !tr->cmd_buf)
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
	qusb_ctrl_setup(tr);
	return qusb_bulk_setup(tr);
}

void qusb_tr_export(struct qusb_tr *tr, struct qmi_transport *out)
{
	out->ops = &qusb_ops;
	out->impl = tr;
}
