/* SPDX-License-Identifier: MIT */
/* Placeholder until the io_uring backend lands: AUTO falls back to poll(). */
#include "net/loop_internal.h"

#include <errno.h>

static int uring_init(struct qnet_loop *loop)
{
	return -ENOSYS;
}

static void uring_fini(struct qnet_loop *loop)
{
}

static int uring_watch_changed(struct qnet_loop *loop, struct qnet_watch *w)
{
	return -ENOSYS;
}

static int uring_wait(struct qnet_loop *loop, int timeout_ms)
{
	return -ENOSYS;
}

const struct qnet_loop_backend qnet_loop_uring_backend = {
	.name = "io_uring",
	.init = uring_init,
	.fini = uring_fini,
	.watch_changed = uring_watch_changed,
	.wait = uring_wait,
};
