/* SPDX-License-Identifier: MIT */
#include "net/loop_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

uint64_t qnet_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const char *qnet_loop_kind_name(enum qnet_loop_kind kind)
{
	switch (kind) {
	case QNET_LOOP_URING:
		return "io_uring";
	case QNET_LOOP_POLL:
		return "poll";
	case QNET_LOOP_AUTO:
		break;
	}
	return "auto";
}

static int loop_try(struct qnet_loop *loop, enum qnet_loop_kind kind)
{
	const struct qnet_loop_backend *b = NULL;

	if (kind == QNET_LOOP_POLL)
		b = &qnet_loop_poll_backend;
#ifdef QMIUSB_HAVE_URING
	if (kind == QNET_LOOP_URING)
		b = &qnet_loop_uring_backend;
#endif
	if (!b)
		return -ENOSYS;
	loop->kind = kind;
	loop->backend = b;
	return b->init(loop);
}

int qnet_loop_new(struct qnet_loop **out, enum qnet_loop_kind kind)
{
	struct qnet_loop *loop = calloc(1, sizeof(*loop));
	const char *env = getenv("QMIUSB_LOOP");
	int ret;

	if (!loop)
		return -ENOMEM;
	/* QMIUSB_LOOP=poll lets a user (or a test) force the fallback on a host where io_uring
	 * is present but should not be used, e.g. under a seccomp policy that kills instead of
	 * refusing. */
	if (kind == QNET_LOOP_AUTO && env && env[0] == 'p')
		kind = QNET_LOOP_POLL;
	if (kind == QNET_LOOP_AUTO) {
		ret = loop_try(loop, QNET_LOOP_URING);
		if (ret < 0)
			ret = loop_try(loop, QNET_LOOP_POLL);
	} else {
		ret = loop_try(loop, kind);
	}
	if (ret < 0) {
		free(loop);
		return ret;
	}
	*out = loop;
	return 0;
}

static void loop_reap_watches(struct qnet_loop *loop)
{
	struct qnet_watch **pp = &loop->watches;

	while (*pp) {
		struct qnet_watch *w = *pp;

		if (w->dead && !w->backend_refs) {
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
}

void qnet_loop_free(struct qnet_loop *loop)
{
	if (!loop)
		return;
	if (loop->backend)
		loop->backend->fini(loop);
	while (loop->watches) {
		struct qnet_watch *w = loop->watches;

		loop->watches = w->next;
		free(w);
	}
	while (loop->timers) {
		struct qnet_timer *t = loop->timers;

		loop->timers = t->next;
		free(t);
	}
	free(loop);
}

enum qnet_loop_kind qnet_loop_kind(const struct qnet_loop *loop)
{
	return loop->kind;
}

int qnet_loop_watch(struct qnet_loop *loop, int fd, unsigned events, qnet_watch_cb cb, void *user,
		    struct qnet_watch **out)
{
	struct qnet_watch *w;
	int ret;

	if (fd < 0 || !cb)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->loop = loop;
	w->fd = fd;
	w->events = events;
	w->cb = cb;
	w->user = user;
	w->next = loop->watches;
	loop->watches = w;
	ret = loop->backend->watch_changed(loop, w);
	if (ret < 0) {
		loop->watches = w->next;
		free(w);
		return ret;
	}
	if (out)
		*out = w;
	return 0;
}

int qnet_watch_set_events(struct qnet_watch *w, unsigned events)
{
	if (w->dead)
		return -EINVAL;
	if (w->events == events)
		return 0;
	w->events = events;
	return w->loop->backend->watch_changed(w->loop, w);
}

void qnet_watch_remove(struct qnet_watch *w)
{
	struct qnet_loop *loop;

	if (!w || w->dead)
		return;
	loop = w->loop;
	w->dead = true;
	loop->backend->watch_changed(loop, w);
	if (!loop->dispatching)
		loop_reap_watches(loop);
}

void qnet_loop_dispatch_watch(struct qnet_watch *w, unsigned revents)
{
	if (w->dead || !revents)
		return;
	w->cb(w->user, w->fd, revents);
}

int qnet_loop_timer(struct qnet_loop *loop, uint64_t delay_ms, qnet_timer_cb cb, void *user,
		    struct qnet_timer **out)
{
	struct qnet_timer *t, **pp;

	if (!cb)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->loop = loop;
	t->due_ms = qnet_now_ms() + delay_ms;
	t->seq = loop->timer_seq++;
	t->cb = cb;
	t->user = user;
	for (pp = &loop->timers; *pp && (*pp)->due_ms <= t->due_ms; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	if (out)
		*out = t;
	return 0;
}

void qnet_timer_cancel(struct qnet_timer *t)
{
	struct qnet_timer **pp;

	if (!t)
		return;
	for (pp = &t->loop->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			free(t);
			return;
		}
	}
}

static int loop_run_timers(struct qnet_loop *loop)
{
	uint64_t now = qnet_now_ms();
	uint64_t last_seq = loop->timer_seq;
	int ran = 0;

	/* Timers armed by these callbacks wait for the next iteration (seq >= last_seq). */
	while (loop->timers && loop->timers->due_ms <= now && !loop->stop) {
		struct qnet_timer *t = loop->timers;

		if (t->seq >= last_seq)
			break;
		loop->timers = t->next;
		t->cb(t->user);
		free(t);
		ran++;
	}
	return ran;
}

int qnet_loop_run_once(struct qnet_loop *loop, int timeout_ms)
{
	int ran, ret;

	if (loop->timers) {
		uint64_t now = qnet_now_ms();
		uint64_t due = loop->timers->due_ms;
		int until = due <= now ? 0 : (due - now > 60000 ? 60000 : (int)(due - now));

		if (timeout_ms < 0 || until < timeout_ms)
			timeout_ms = until;
	}
	loop->dispatching++;
	ret = loop->backend->wait(loop, timeout_ms);
	if (ret >= 0) {
		ran = loop_run_timers(loop);
		ret += ran;
	}
	loop->dispatching--;
	if (!loop->dispatching)
		loop_reap_watches(loop);
	return ret;
}

int qnet_loop_run(struct qnet_loop *loop)
{
	loop->stop = false;
	while (!loop->stop) {
		int ret = qnet_loop_run_once(loop, -1);

		if (ret < 0 && ret != -EINTR)
			return ret;
	}
	return 0;
}

void qnet_loop_stop(struct qnet_loop *loop)
{
	loop->stop = true;
}

bool qnet_loop_stopped(const struct qnet_loop *loop)
{
	return loop->stop;
}
