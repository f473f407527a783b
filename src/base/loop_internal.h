/* SPDX-License-Identifier: MIT */
/* Shared between the loop front end and its backends; not for other layers. */
#ifndef QB_LOOP_INTERNAL_H
#define QB_LOOP_INTERNAL_H

#include "base/loop.h"

#include <stddef.h>

struct qb_watch {
	struct qb_loop *loop;
	int fd;
	unsigned events;
	qb_watch_cb cb;
	void *user;
	bool dead; /* removed; freed by a close once no backend operation refers to it */
	unsigned backend_refs; /* io_uring: poll requests still in the ring */
	bool backend_cancel;   /* io_uring: a poll remove is queued for the request in the ring */
	struct qb_close close;
	struct qb_watch *next;
};

struct qb_loop_backend {
	const char *name;
	int (*init)(struct qb_loop *loop);
	void (*fini)(struct qb_loop *loop);
	int (*watch_changed)(struct qb_loop *loop, struct qb_watch *w); /* added, events or dead */
	/* Wait up to timeout_ms for fd readiness and run the watch callbacks; returns count or -errno. */
	int (*wait)(struct qb_loop *loop, int timeout_ms);
};

struct qb_loop {
	enum qb_loop_kind kind;
	const struct qb_loop_backend *backend;
	void *backend_state;
	struct qb_watch *watches;
	struct qb_timer *timers;                /* armed ones, sorted by (due_ms, seq) */
	struct qb_close *closes, **closes_tail; /* FIFO */
	uint64_t timer_seq;
	bool stop;
	unsigned dispatching; /* >0 while callbacks run: closes wait until it is 0 again */
};

extern const struct qb_loop_backend qb_loop_poll_backend;
#ifdef QMIUSB_HAVE_URING
extern const struct qb_loop_backend qb_loop_uring_backend;
#endif

/* Backends call this when their last request on a removed watch has returned. */
void qb_loop_watch_release(struct qb_watch *w);
/* Backends call this for each ready watch; it skips dead ones. */
void qb_loop_dispatch_watch(struct qb_watch *w, unsigned revents);

#endif
