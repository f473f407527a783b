/* SPDX-License-Identifier: MIT */
/*
 * The event loop every part of qmiusb runs on: file-descriptor watches and one-shot timers, with
 * two backends behind one interface (io_uring on Linux, poll() everywhere). Callbacks run on the
 * thread that calls qnet_loop_run*(); there are no hidden threads.
 *
 * Lifetimes: a watch or timer belongs to the loop until it is removed/cancelled or it fires (timers
 * are one-shot and freed after their callback returns). Removing a watch or cancelling a timer
 * from inside any callback is allowed, including its own.
 */
#ifndef QNET_LOOP_H
#define QNET_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct qnet_loop;
struct qnet_watch;
struct qnet_timer;

enum qnet_loop_kind {
	QNET_LOOP_AUTO = 0, /* io_uring when built and usable, else poll() */
	QNET_LOOP_URING,
	QNET_LOOP_POLL,
};

/* revents/events use the POLLIN/POLLOUT/POLLERR/POLLHUP bits of <poll.h>. */
typedef void (*qnet_watch_cb)(void *user, int fd, unsigned revents);
typedef void (*qnet_timer_cb)(void *user);

/* Returns 0 or -errno; -ENOSYS for QNET_LOOP_URING when io_uring is compiled out or refused. */
int qnet_loop_new(struct qnet_loop **out, enum qnet_loop_kind kind);
void qnet_loop_free(struct qnet_loop *loop); /* accepts NULL; frees remaining watches/timers */
enum qnet_loop_kind qnet_loop_kind(const struct qnet_loop *loop);
const char *qnet_loop_kind_name(enum qnet_loop_kind kind);

int qnet_loop_watch(struct qnet_loop *loop, int fd, unsigned events, qnet_watch_cb cb, void *user,
		    struct qnet_watch **out);
int qnet_watch_set_events(struct qnet_watch *w, unsigned events);
void qnet_watch_remove(struct qnet_watch *w); /* accepts NULL */

/* One-shot; out may be NULL when the caller never cancels. delay_ms 0 = on the next iteration. */
int qnet_loop_timer(struct qnet_loop *loop, uint64_t delay_ms, qnet_timer_cb cb, void *user,
		    struct qnet_timer **out);
void qnet_timer_cancel(struct qnet_timer *t); /* accepts NULL; only before it fired */

/* Runs ready callbacks once, waiting at most timeout_ms (-1 = until something happens).
 * Returns the number of callbacks run, or -errno. */
int qnet_loop_run_once(struct qnet_loop *loop, int timeout_ms);
/* Runs until qnet_loop_stop(); returns 0 or -errno. */
int qnet_loop_run(struct qnet_loop *loop);
void qnet_loop_stop(struct qnet_loop *loop);
bool qnet_loop_stopped(const struct qnet_loop *loop);

/* Monotonic milliseconds. */
uint64_t qnet_now_ms(void);

#endif
