/* SPDX-License-Identifier: MIT */
/*
 * The event loop every part of qmiusb runs on: file-descriptor watches, timers and deferred
 * closes, with two backends behind one interface (io_uring on Linux, poll() everywhere).
 * Callbacks run on the thread that calls qb_loop_run*(); there are no hidden threads.
 *
 * Lifetimes:
 *   - A watch belongs to the loop until it is removed; removing one from inside any callback is
 *     allowed, including its own.
 *   - A timer (struct qb_timer) is embedded in its owner's struct: starting and stopping never
 *     allocate and cannot fail. Stop it before freeing the owner.
 *   - An object that may be closed from inside one of its own callbacks is freed through
 *     qb_loop_close(): its close callback runs once every callback now on the stack has
 *     returned. This is the one deferred-free rule of the tree.
 */
#ifndef QB_LOOP_H
#define QB_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct qb_loop;
struct qb_watch;

enum qb_loop_kind {
	QB_LOOP_AUTO = 0, /* io_uring when built and usable, else poll() */
	QB_LOOP_URING,
	QB_LOOP_POLL,
};

/* revents/events use the POLLIN/POLLOUT/POLLERR/POLLHUP bits of <poll.h>. */
typedef void (*qb_watch_cb)(void *user, int fd, unsigned revents);
typedef void (*qb_timer_cb)(void *user);

/* A one-shot timer embedded in its owner. Fields are private. */
struct qb_timer {
	struct qb_loop *loop;
	qb_timer_cb cb;
	void *user;
	uint64_t due_ms;
	uint64_t seq; /* FIFO order among timers due at the same millisecond */
	struct qb_timer *prev, *next;
	bool active;
};

/* A pending close, embedded in the object it frees. Fields are private. */
struct qb_close;
typedef void (*qb_close_cb)(struct qb_close *c);
struct qb_close {
	struct qb_close *next;
	qb_close_cb cb;
	bool queued;
};

/* Returns 0 or -errno; -ENOSYS for QB_LOOP_URING when io_uring is compiled out or refused. */
int qb_loop_new(struct qb_loop **out, enum qb_loop_kind kind);
/* Accepts NULL. Runs the pending closes first, then frees the remaining watches. Timers still
 * active are left alone (they live in their owners). */
void qb_loop_free(struct qb_loop *loop);
enum qb_loop_kind qb_loop_kind(const struct qb_loop *loop);
const char *qb_loop_kind_name(enum qb_loop_kind kind);

int qb_loop_watch(struct qb_loop *loop, int fd, unsigned events, qb_watch_cb cb, void *user,
		  struct qb_watch **out);
int qb_watch_set_events(struct qb_watch *w, unsigned events);
void qb_watch_remove(struct qb_watch *w); /* accepts NULL */

/* Binds t to the loop and its callback; t starts stopped. Call once, before any other use. */
void qb_timer_init(struct qb_timer *t, struct qb_loop *loop, qb_timer_cb cb, void *user);
/* (Re)arms t to fire once, delay_ms from now; 0 = on the next iteration. */
void qb_timer_start(struct qb_timer *t, uint64_t delay_ms);
/* Disarms t; harmless when it is not armed or was never initialised (zeroed). */
void qb_timer_stop(struct qb_timer *t);
bool qb_timer_active(const struct qb_timer *t);

/* Queues cb(c) to run once no callback of the loop is on the stack: from the end of the current
 * (or next) qb_loop_run_once(), or from qb_loop_free(). Queuing c twice is ignored. */
void qb_loop_close(struct qb_loop *loop, struct qb_close *c, qb_close_cb cb);

/* Runs ready callbacks once, waiting at most timeout_ms (-1 = until something happens).
 * Returns the number of callbacks run, or -errno. */
int qb_loop_run_once(struct qb_loop *loop, int timeout_ms);
/* Runs until qb_loop_stop(); returns 0 or -errno. */
int qb_loop_run(struct qb_loop *loop);
void qb_loop_stop(struct qb_loop *loop);
bool qb_loop_stopped(const struct qb_loop *loop);

/* Monotonic milliseconds. */
uint64_t qb_now_ms(void);

#endif
