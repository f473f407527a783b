/* SPDX-License-Identifier: MIT */
/*
 * Waiting for a modem that is not there yet (a boot race, an unplug): qusb_wait calls back,
 * from the loop, whenever one may have arrived, and the caller tries to open it again.
 *
 * Arrivals come from libusb's hotplug events where this system has them (Linux), and in every
 * case from a poll every QUSB_WAIT_POLL_MS. The poll is not only the fallback of systems
 * without hotplug: libusb's Linux hotplug hears udevd's broadcasts, which a system without
 * udevd (an initramfs, a container, a small router) never sends, and each attempt to open
 * starts a libusb context of its own, which scans the bus afresh.
 */
#ifndef QUSB_HOTPLUG_H
#define QUSB_HOTPLUG_H

#include <stdbool.h>

#include "base/loop.h"

#define QUSB_WAIT_POLL_MS 2000u
/* After an arrival, the kernel still configures the device and binds its drivers. */
#define QUSB_WAIT_SETTLE_MS 300u

/* arrival: the system reported a USB arrival since the last call (else it is the poll). */
typedef void (*qusb_wait_cb)(void *user, bool arrival);

/* The waiter's state; fields are private (hotplug.c and the system's hotplug file). */
struct qusb_wait {
	struct qb_loop *loop;
	qusb_wait_cb cb;
	void *user;
	struct qb_timer poll; /* the next try, QUSB_WAIT_POLL_MS after the last */
	void *os;             /* the system's hotplug watch; NULL: polling only */
	bool arrival;         /* reported since the last cb */
};

/* Starts w: cb(user) runs every QUSB_WAIT_POLL_MS, and QUSB_WAIT_SETTLE_MS after each USB
 * arrival the system reports, until qusb_wait_stop(). May be stopped from inside cb. */
void qusb_wait_start(struct qusb_wait *w, struct qb_loop *loop, qusb_wait_cb cb, void *user);
/* Accepts a waiter that never started (zeroed) or has stopped. */
void qusb_wait_stop(struct qusb_wait *w);
/* True when arrivals are reported as they happen (else the poll alone finds them). */
bool qusb_wait_hotplug(const struct qusb_wait *w);

/* The system's part (hotplug_libusb.c on Linux, hotplug_none.c elsewhere): watches for USB
 * arrivals on w->loop and calls qusb_wait_arrived(w) for each. 0, or -ENOTSUP where there
 * are no hotplug events, or -errno. */
int qusb_hotplug_watch(struct qusb_wait *w);
void qusb_hotplug_unwatch(struct qusb_wait *w);
void qusb_wait_arrived(struct qusb_wait *w);

#endif
