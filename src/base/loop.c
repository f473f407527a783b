/* SPDX-License-Identifier: MIT */
#include "base/loop_internal.h"
#include "base/list.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

uint64_t qb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const char *qb_loop_kind_name(enum qb_loop_kind kind)
{
	switch (kind) {
	case QB_LOOP_URING:
		return "io_uring";
	case QB_LOOP_POLL:
		return "poll";
	case QB_LOOP_AUTO:
		break;
	}
	return "auto";
}

static int loop_try(struct qb_loop *loop, enum qb_loop_kind kind)
{
	const struct qb_loop_backend *b = NULL;

	if (kind == QB_LOOP_POLL)
		b = &qb_loop_poll_backend;
#ifdef QMIUSB_HAVE_URING
	if (kind == QB_LOOP_URING)
		b = &qb_loop_uring_backend;
#endif
	if (!b)
		return -ENOSYS;
	loop->kind = kind;
	loop->backend = b;
	return b->init(loop);
}

int qb_loop_new(struct qb_loop **out, enum qb_loop_kind kind)
{
	struct qb_loop *loop = calloc(1, sizeof(*loop));
	const char *env = getenv("QMIUSB_LOOP");
	int ret;

	if (!loop)
		return -ENOMEM;
	loop->closes_tail = &loop->closes;
	/* QMIUSB_LOOP=poll lets a user (or a test) force the fallback on a host where io_uring
	 * is present but should not be used, e.g. under a seccomp policy that kills instead of
	 * refusing. */
	if (kind == QB_LOOP_AUTO && env && env[0] == 'p')
		kind = QB_LOOP_POLL;
	if (kind == QB_LOOP_AUTO) {
		ret = loop_try(loop, QB_LOOP_URING);
		if (ret < 0)
			ret = loop_try(loop, QB_LOOP_POLL);
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

static void watch_closed(struct qb_close *c)
{
	struct qb_watch *w = qb_container_of(c, struct qb_watch, close);
	struct qb_watch **pp;

	if (w->backend_refs)
		return; /* the backend calls qb_loop_watch_release() when its last request returns */
	for (pp = &w->loop->watches; *pp != w; pp = &(*pp)->next)
		;
	*pp = w->next;
	free(w);
}

void qb_loop_watch_release(struct qb_watch *w)
{
	if (w->dead && !w->backend_refs)
		qb_loop_close(w->loop, &w->close, watch_closed);
}

static void loop_run_closes(struct qb_loop *loop)
{
	/* A close callback may queue further closes; they run in the same pass. */
	while (loop->closes) {
		struct qb_close *c = loop->closes;

		loop->closes = c->next;
		if (!loop->closes)
			loop->closes_tail = &loop->closes;
		c->next = NULL;
		c->queued = false;
		c->cb(c);
	}
}

void qb_loop_free(struct qb_loop *loop)
{
	if (!loop)
		return;
	loop_run_closes(loop);
	if (loop->backend)
		loop->backend->fini(loop);
	loop_run_closes(loop); /* closes queued by the backend's cancellations */
	while (loop->watches) {
		struct qb_watch *w = loop->watches;

		loop->watches = w->next;
		free(w);
	}
	/* Armed timers belong to their owners; unlink them so a later stop is harmless. */
	while (loop->timers) {
		struct qb_timer *t = loop->timers;

		loop->timers = t->next;
		t->prev = t->next = NULL;
		t->active = false;
	}
	free(loop);
}

enum qb_loop_kind qb_loop_kind(const struct qb_loop *loop)
{
	return loop->kind;
}

int qb_loop_watch(struct qb_loop *loop, int fd, unsigned events, qb_watch_cb cb, void *user,
		  struct qb_watch **out)
{
	struct qb_watch *w;
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

int qb_watch_set_events(struct qb_watch *w, unsigned events)
{
	if (w->dead)
		return -EINVAL;
	if (w->events == events)
		return 0;
	w->events = events;
	return w->loop->backend->watch_changed(w->loop, w);
}

void qb_watch_remove(struct qb_watch *w)
{
	struct qb_loop *loop;

	if (!w || w->dead)
		return;
	loop = w->loop;
	w->dead = true;
	loop->backend->watch_changed(loop, w);
	qb_loop_watch_release(w);
}

void qb_loop_dispatch_watch(struct qb_watch *w, unsigned revents)
{
	if (w->dead || !revents)
		return;
	w->cb(w->user, w->fd, revents);
}

void qb_timer_init(struct qb_timer *t, struct qb_loop *loop, qb_timer_cb cb, void *user)
{
	*t = (struct qb_timer){ .loop = loop, .cb = cb, .user = user };
}

bool qb_timer_active(const struct qb_timer *t)
{
	return t->active;
}

void qb_timer_stop(struct qb_timer *t)
{
	if (!t || !t->active)
		return;
	if (t->prev)
		t->prev->next = t->next;
	else
		t->loop->timers = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->prev = t->next = NULL;
	t->active = false;
}

void qb_timer_start(struct qb_timer *t, uint64_t delay_ms)
{
	struct qb_loop *loop = t->loop;
	struct qb_timer *prev = NULL, *cur;

	qb_timer_stop(t);
	t->due_ms = qb_now_ms() + delay_ms;
	t->seq = loop->timer_seq++;
	for (cur = loop->timers; cur && cur->due_ms <= t->due_ms; cur = cur->next)
		prev = cur;
	t->prev = prev;
	t->next = cur;
	if (prev)
		prev->next = t;
	else
		loop->timers = t;
	if (cur)
		cur->prev = t;
	t->active = true;
}

void qb_loop_close(struct qb_loop *loop, struct qb_close *c, qb_close_cb cb)
{
	if (c->queued)
		return;
	c->cb = cb;
	c->next = NULL;
	c->queued = true;
	*loop->closes_tail = c;
	loop->closes_tail = &c->next;
}

static int loop_run_timers(struct qb_loop *loop)
{
	uint64_t now = qb_now_ms();
	uint64_t last_seq = loop->timer_seq;
	int ran = 0;

	/* Timers armed by these callbacks wait for the next iteration (seq >= last_seq). */
	while (loop->timers && loop->timers->due_ms <= now && !loop->stop) {
		struct qb_timer *t = loop->timers;

		if (t->seq >= last_seq)
			break;
		qb_timer_stop(t);
		t->cb(t->user);
		ran++;
	}
	return ran;
}

int qb_loop_run_once(struct qb_loop *loop, int timeout_ms)
{
	int ran, ret;

	if (loop->timers) {
		uint64_t now = qb_now_ms();
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
		loop_run_closes(loop);
	return ret;
}

int qb_loop_run(struct qb_loop *loop)
{
	loop->stop = false;
	while (!loop->stop) {
		int ret = qb_loop_run_once(loop, -1);

		if (ret < 0 && ret != -EINTR)
			return ret;
	}
	return 0;
}

void qb_loop_stop(struct qb_loop *loop)
{
	loop->stop = true;
}

bool qb_loop_stopped(const struct qb_loop *loop)
{
	return loop->stop;
}
