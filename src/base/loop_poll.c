/* SPDX-License-Identifier: MIT */
/* The portable backend: one poll() per iteration over the live watches. */
#include "base/loop_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

struct poll_state {
	struct pollfd *fds;
	struct qb_watch **owners;
	size_t cap;
};

static int poll_init(struct qb_loop *loop)
{
	loop->backend_state = calloc(1, sizeof(struct poll_state));
	return loop->backend_state ? 0 : -ENOMEM;
}

static void poll_fini(struct qb_loop *loop)
{
	struct poll_state *st = loop->backend_state;

	if (!st)
		return;
	free(st->fds);
	free(st->owners);
	free(st);
	loop->backend_state = NULL;
}

static int poll_watch_changed(struct qb_loop *loop, struct qb_watch *w)
{
	return 0; /* the set is rebuilt on every wait */
}

static int poll_wait(struct qb_loop *loop, int timeout_ms)
{
	struct poll_state *st = loop->backend_state;
	struct qb_watch *w;
	size_t n = 0, i;
	int ret, ran = 0;

	for (w = loop->watches; w; w = w->next)
		n += !w->dead;
	if (n > st->cap) {
		struct pollfd *fds = realloc(st->fds, n * sizeof(*fds));

		if (!fds)
			return -ENOMEM;
		st->fds = fds;
		struct qb_watch **owners = realloc(st->owners, n * sizeof(*owners));

		if (!owners)
			return -ENOMEM;
		st->owners = owners;
		st->cap = n;
	}
	n = 0;
	for (w = loop->watches; w; w = w->next) {
		if (w->dead)
			continue;
		st->fds[n] = (struct pollfd){ .fd = w->fd, .events = (short)w->events };
		st->owners[n++] = w;
	}
	ret = poll(st->fds, n, timeout_ms);
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;
	/* A callback may remove other watches: they are only marked dead until dispatch ends. */
	for (i = 0; i < n && !loop->stop; i++) {
		if (st->fds[i].revents && !st->owners[i]->dead) {
			qb_loop_dispatch_watch(st->owners[i], (unsigned)st->fds[i].revents);
			ran++;
		}
	}
	return ran;
}

const struct qb_loop_backend qb_loop_poll_backend = {
	.name = "poll",
	.init = poll_init,
	.fini = poll_fini,
	.watch_changed = poll_watch_changed,
	.wait = poll_wait,
};
