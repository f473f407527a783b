/* SPDX-License-Identifier: MIT */
/* Shared between the loop front end and its backends; not for other layers. */
#ifndef QNET_LOOP_INTERNAL_H
#define QNET_LOOP_INTERNAL_H

#include "net/loop.h"

#include <stddef.h>

struct qnet_watch {
	struct qnet_loop *loop;
	int fd;
	unsigned events;
	qnet_watch_cb cb;
	void *user;
	bool dead;             /* removed; freed once no backend operation refers to it */
	unsigned backend_refs; /* io_uring: poll requests still in the ring */
	bool backend_cancel;   /* io_uring: a poll remove is queued for the request in the ring */
	struct qnet_watch *next;
};

struct qnet_timer {
	struct qnet_loop *loop;
	uint64_t due_ms;
	uint64_t seq; /* FIFO order among timers due at the same millisecond */
	qnet_timer_cb cb;
	void *user;
	struct qnet_timer *next;
};

struct qnet_loop_backend {
	const char *name;
	int (*init)(struct qnet_loop *loop);
	void (*fini)(struct qnet_loop *loop);
	int (*watch_changed)(struct qnet_loop *loop, struct qnet_watch *w); /* added, events or dead */
	/* Wait up to timeout_ms for fd readiness and run the watch callbacks; returns count or -errno. */
	int (*wait)(struct qnet_loop *loop, int timeout_ms);
};

struct qnet_loop {
	enum qnet_loop_kind kind;
	const struct qnet_loop_backend *backend;
	void *backend_state;
	struct qnet_watch *watches;
	struct qnet_timer *timers; /* sorted by (due_ms, seq) */
	uint64_t timer_seq;
	bool stop;
	unsigned dispatching; /* >0 while callbacks run: dead watches are freed afterwards */
};

extern const struct qnet_loop_backend qnet_loop_poll_backend;
#ifdef QMIUSB_HAVE_URING
extern const struct qnet_loop_backend qnet_loop_uring_backend;
#endif

/* Backends call this for each ready watch; it skips dead ones. */
void qnet_loop_dispatch_watch(struct qnet_watch *w, unsigned revents);

#endif
