/* SPDX-License-Identifier: MIT */
/*
 * The session's transfers straight on usbfs (Linux), for what libusb costs per transfer: its
 * Linux backend allocates the URB array on every submission and frees it on completion, and its
 * event handling polls its descriptors again after our loop has already said which one is ready.
 * Here each slot has its URB, made once at the start; submission is one SUBMITURB ioctl, and a
 * readiness callback reaps every completed URB (REAPURBNDELAY until EAGAIN) and runs the slot's
 * libusb callback with the status and length libusb would have set. libusb still discovers,
 * opens and claims the device, and owns the descriptor: we only borrow it.
 *
 * libusb must not handle events on this context while one of our URBs is in the kernel: it
 * would reap it as its own. So a session runs one way or the other from start to end.
 */
#include "usb/transport_internal.h"

#include <errno.h>
#include <libusb.h>
#include <linux/usbdevice_fs.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define USB_DEVICE_MAJOR 189 /* usbfs device nodes, /dev/bus/usb/BBB/DDD */
#define REAP_PER_WAKEUP 64   /* then the loop comes back: other watches get their turn */

/* libusb's descriptor for the device (a usbfs node among the ones it polls) and the events it
 * polls it for (completions: POLLOUT); -1 if there is none. */
static int device_fd(struct qusb_tr *tr, short *events)
{
	const struct libusb_pollfd **p = libusb_get_pollfds(tr->ctx);
	struct stat st;
	int fd = -1;
	if (!p)
		return -1;
	for (size_t i = 0; p[i]; i++) {
		if (fstat(p[i]->fd, &st) == 0 && S_ISCHR(st.st_mode) &&
		    major(st.st_rdev) == USB_DEVICE_MAJOR) {
			fd = p[i]->fd;
			*events = p[i]->events;
		}
	}
	libusb_free_pollfds(p);
	return fd;
}

static enum libusb_transfer_status status_of(int urb_status)
{
	switch (urb_status) {
	case 0:
	case -EREMOTEIO: /* short: the transfer is complete */
		return LIBUSB_TRANSFER_COMPLETED;
	case -ENOENT:
	case -ECONNRESET:
		return LIBUSB_TRANSFER_CANCELLED;
	case -ENODEV:
	case -ESHUTDOWN:
		return LIBUSB_TRANSFER_NO_DEVICE;
	case -EPIPE:
		return LIBUSB_TRANSFER_STALL;
	case -EOVERFLOW:
		return LIBUSB_TRANSFER_OVERFLOW;
	default:
		return LIBUSB_TRANSFER_ERROR;
	}
}

static void finish(struct qusb_slot *s, enum libusb_transfer_status st, int len)
{
	s->t->status = st;
	s->t->actual_length = len;
	s->t->callback(s->t);
}

/* The device is gone and the kernel has nothing more to give back: whatever is still ours to
 * reap completes as libusb completes it on an unplug. */
static void gone(struct qusb_tr *tr)
{
	if (tr->urb_watch) {
		qb_watch_remove(tr->urb_watch); /* its error stays readable: stop polling it */
		tr->urb_watch = NULL;
	}
	for (size_t i = 0; i < tr->n_slots; i++)
		if (tr->slots[i].busy)
			finish(&tr->slots[i], LIBUSB_TRANSFER_NO_DEVICE, 0);
}

/* Reaps at most max completed URBs, stopping early when the transport is destroyed from a
 * callback (stop_dead: the close queue reaps the rest). False once nothing more waits. */
static bool reap(struct qusb_tr *tr, unsigned max, bool stop_dead)
{
	for (unsigned n = 0; n < max; n++) {
		struct usbdevfs_urb *u;
		if (stop_dead && tr->state == QUSB_ST_DEAD)
			return false;
		if (ioctl(tr->urb_fd, USBDEVFS_REAPURBNDELAY, &u) < 0) {
			if (errno == ENODEV)
				gone(tr);
			return false;
		}
		finish(u->usercontext, status_of(u->status), u->actual_length);
	}
	return true;
}

static void on_ready(void *user, int fd, unsigned revents)
{
	(void)fd;
	(void)revents;
	reap(user, REAP_PER_WAKEUP, true);
}

/* Every transfer must go as one URB of its full size: a receive transfer grows to
 * QUSB_RX_SIZE_MAX (data_set_rx), and a send may need its terminating zero-length packet.
 * Kernels that cap a URB at 16 KB lack NO_PACKET_SIZE_LIM; libusb splits transfers there. */
static bool urb_caps_fit(int fd)
{
	const __u32 need = USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_ZERO_PACKET;
	__u32 caps = 0;
	return ioctl(fd, USBDEVFS_GET_CAPABILITIES, &caps) == 0 && (caps & need) == need;
}

bool qusb_urb_built(void)
{
	return true;
}

int qusb_urb_start(struct qusb_tr *tr)
{
	const char *env = getenv("QMIUSB_USBFS_DIRECT");
	if (env && strcmp(env, "0") == 0)
		return -ENOTSUP;
	short events = 0;
	int fd = device_fd(tr, &events);
	if (fd < 0 || !urb_caps_fit(fd))
		return -ENOTSUP;
	tr->urbs = calloc(tr->n_slots, sizeof(struct usbdevfs_urb));
	if (!tr->urbs)
		return -ENOMEM;
	int r = qb_loop_watch(tr->loop, fd, (unsigned)events, on_ready, tr, &tr->urb_watch);
	if (r < 0)
		return r;
	tr->urb_fd = fd;
	tr->urb_events = events;
	tr->urb_direct = true;
	return 0;
}

int qusb_urb_submit(struct qusb_slot *s)
{
	struct qusb_tr *tr = s->tr;
	struct libusb_transfer *t = s->t;
	struct usbdevfs_urb *u = (struct usbdevfs_urb *)tr->urbs + s->index;
	memset(u, 0, sizeof(*u));
	switch (t->type) {
	case LIBUSB_TRANSFER_TYPE_CONTROL:
		u->type = USBDEVFS_URB_TYPE_CONTROL;
		break;
	case LIBUSB_TRANSFER_TYPE_INTERRUPT:
		u->type = USBDEVFS_URB_TYPE_INTERRUPT;
		break;
	default:
		u->type = USBDEVFS_URB_TYPE_BULK;
		break;
	}
	u->endpoint = t->endpoint;
	u->buffer = t->buffer;
	u->buffer_length = t->length;
	if (!(t->endpoint & LIBUSB_ENDPOINT_IN) && (t->flags & LIBUSB_TRANSFER_ADD_ZERO_PACKET))
		u->flags = USBDEVFS_URB_ZERO_PACKET;
	u->usercontext = s;
	return ioctl(tr->urb_fd, USBDEVFS_SUBMITURB, u) < 0 ? -errno : 0;
}

void qusb_urb_cancel(struct qusb_slot *s)
{
	/* EINVAL: it completed meanwhile and waits to be reaped; either way a completion follows. */
	ioctl(s->tr->urb_fd, USBDEVFS_DISCARDURB, (struct usbdevfs_urb *)s->tr->urbs + s->index);
}

void qusb_urb_drain(struct qusb_tr *tr, unsigned waits_ms)
{
	struct pollfd p = { .fd = tr->urb_fd, .events = tr->urb_events };
	/* gone() has completed everything and dropped the watch. */
	for (unsigned i = 0; tr->inflight && tr->urb_watch && i < waits_ms / 10; i++) {
		reap(tr, ~0u, false);
		if (tr->inflight && tr->urb_watch && poll(&p, 1, 10) < 0 && errno != EINTR)
			break;
	}
	if (tr->urb_watch)
		qb_watch_remove(tr->urb_watch);
	tr->urb_watch = NULL;
}
