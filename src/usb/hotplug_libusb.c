/* SPDX-License-Identifier: MIT */
/*
 * Arrivals from libusb's hotplug events: a libusb context of the waiter's own (no transfers on
 * it), whose file descriptors sit in the loop like a transport's, serviced with a zero timeout.
 */
#include "usb/hotplug.h"

#include <errno.h>
#include <libusb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/time.h>

#include "usb/usb.h"

#define MAX_FDS 8

struct hp {
	struct qusb_wait *w;
	libusb_context *ctx;
	libusb_hotplug_callback_handle handle;
	struct qb_watch *watch[MAX_FDS];
	int fd[MAX_FDS];
	unsigned n;
};

static void on_fd(void *user, int fd, unsigned revents)
{
	struct hp *hp = user;
	struct timeval zero = { 0, 0 };

	(void)fd;
	(void)revents;
	libusb_handle_events_timeout_completed(hp->ctx, &zero, NULL);
}

static void fd_added(int fd, short events, void *user)
{
	struct hp *hp = user;

	for (unsigned i = 0; i < hp->n; i++)
		if (hp->fd[i] == fd)
			return;
	/* One more than libusb's own few would only go unwatched: the poll still finds the modem. */
	if (hp->n < MAX_FDS &&
	    qb_loop_watch(hp->w->loop, fd, (unsigned)events, on_fd, hp, &hp->watch[hp->n]) == 0)
		hp->fd[hp->n++] = fd;
}

static void fd_removed(int fd, void *user)
{
	struct hp *hp = user;

	for (unsigned i = 0; i < hp->n; i++) {
		if (hp->fd[i] != fd)
			continue;
		qb_watch_remove(hp->watch[i]);
		hp->n--;
		hp->watch[i] = hp->watch[hp->n];
		hp->fd[i] = hp->fd[hp->n];
		return;
	}
}

static int arrived(libusb_context *ctx, libusb_device *dev, libusb_hotplug_event ev, void *user)
{
	struct hp *hp = user;

	(void)ctx;
	(void)dev;
	if (ev == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
		qusb_wait_arrived(hp->w);
	return 0; /* stay registered */
}

static void hp_free(struct hp *hp)
{
	if (hp->ctx) {
		libusb_set_pollfd_notifiers(hp->ctx, NULL, NULL, NULL);
		if (hp->handle)
			libusb_hotplug_deregister_callback(hp->ctx, hp->handle);
	}
	while (hp->n)
		fd_removed(hp->fd[0], hp);
	if (hp->ctx)
		libusb_exit(hp->ctx);
	free(hp);
}

int qusb_hotplug_watch(struct qusb_wait *w)
{
	const struct libusb_pollfd **pfds;
	struct hp *hp;
	bool pollable;
	int r;

	if (!libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG))
		return -ENOTSUP;
	hp = calloc(1, sizeof(*hp));
	if (!hp)
		return -ENOMEM;
	hp->w = w;
	r = libusb_init(&hp->ctx);
	if (r < 0) {
		hp->ctx = NULL;
		hp_free(hp);
		return qusb_errno(r);
	}
	pfds = libusb_get_pollfds(hp->ctx);
	pollable = pfds != NULL;
	for (size_t i = 0; pfds && pfds[i]; i++)
		fd_added(pfds[i]->fd, pfds[i]->events, hp);
	libusb_free_pollfds(pfds);
	libusb_set_pollfd_notifiers(hp->ctx, fd_added, fd_removed, hp);
	r = libusb_hotplug_register_callback(hp->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, 0,
					     LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
					     LIBUSB_HOTPLUG_MATCH_ANY, arrived, hp, &hp->handle);
	if (r < 0 || !pollable) {
		hp->handle = 0;
		hp_free(hp);
		return r < 0 ? qusb_errno(r) : -ENOTSUP;
	}
	w->os = hp;
	return 0;
}

void qusb_hotplug_unwatch(struct qusb_wait *w)
{
	if (w->os)
		hp_free(w->os);
	w->os = NULL;
}
