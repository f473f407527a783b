/* SPDX-License-Identifier: MIT */
/* Waiting for a modem: the poll every system has, and the arrivals the system reports. */
#include "usb/hotplug.h"

#include <string.h>

static void fire(void *user)
{
	struct qusb_wait *w = user;
	bool arrival = w->arrival;

	/* The next try first: cb may stop w, which disarms it again. */
	w->arrival = false;
	qb_timer_start(&w->poll, QUSB_WAIT_POLL_MS);
	w->cb(w->user, arrival);
}

void qusb_wait_start(struct qusb_wait *w, struct qb_loop *loop, qusb_wait_cb cb, void *user)
{
	*w = (struct qusb_wait){ .loop = loop, .cb = cb, .user = user };
	qb_timer_init(&w->poll, loop, fire, w);
	qb_timer_start(&w->poll, QUSB_WAIT_POLL_MS);
	(void)qusb_hotplug_watch(w); /* on failure w->os stays NULL: the poll alone */
}

void qusb_wait_stop(struct qusb_wait *w)
{
	if (!w->loop)
		return;
	qb_timer_stop(&w->poll);
	qusb_hotplug_unwatch(w);
	w->loop = NULL;
}

bool qusb_wait_hotplug(const struct qusb_wait *w)
{
	return w->os != NULL;
}

void qusb_wait_arrived(struct qusb_wait *w)
{
	/* Never from inside libusb: the try opens a context of its own. */
	if (!w->loop)
		return;
	w->arrival = true;
	qb_timer_start(&w->poll, QUSB_WAIT_SETTLE_MS);
}
