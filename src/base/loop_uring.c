/* SPDX-License-Identifier: MIT */
/*
 * The io_uring backend: one ring carries the watches' poll requests and the data path's own
 * reads and writes (loop_uring.h), and one io_uring_enter() both submits the batch and waits.
 *
 * Watches use one-shot IORING_OP_POLL_ADD, re-armed after each callback. Multishot polls would
 * save that SQE but they are edge-triggered: a callback that reads one item of several (libusb's
 * event handling, a budgeted reader) would never hear about the rest. One-shot polls check
 * readiness when armed, which keeps the poll() backend's level-triggered semantics, and the
 * re-arm rides in the same io_uring_enter() as the wait, so it costs no extra system call.
 *
 * Every CQE's user_data is a tagged pointer: a watch (backend_refs counts its request in the
 * ring, so the front end does not free a removed watch before the kernel lets go of it), or an
 * operation of loop_uring.h. 0 means "nobody cares" (poll removes).
 */
#include "base/loop_internal.h"
#include "base/loop_uring.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#define URING_ENTRIES 256
#define URING_BATCH 64

enum {
	TAG_WATCH = 1,
	TAG_OP = 2,
	TAG_MASK = 7
};

struct uring_state {
	struct io_uring ring;
};

static struct uring_state *state(struct qb_loop *loop)
{
	return loop->backend_state;
}

struct io_uring *qb_loop_uring(struct qb_loop *loop)
{
	/* No state: qb_loop_free() has closed the ring, and closes queued meanwhile still run. */
	if (loop->backend != &qb_loop_uring_backend || !loop->backend_state)
		return NULL;
	return &state(loop)->ring;
}

struct io_uring_sqe *qb_uring_get_sqe(struct qb_loop *loop)
{
	struct io_uring *ring = qb_loop_uring(loop);
	struct io_uring_sqe *sqe;

	if (!ring)
		return NULL;
	sqe = io_uring_get_sqe(ring);
	if (!sqe) {
		/* The SQ is full: hand the batch to the kernel now. Completions stay in the CQ
		 * (or its overflow list) until the next wait, so nothing runs re-entrantly. */
		if (io_uring_submit(ring) < 0)
			return NULL;
		sqe = io_uring_get_sqe(ring);
	}
	if (sqe)
		io_uring_sqe_set_data64(sqe, 0);
	return sqe;
}

void qb_uring_sqe_set_op(struct io_uring_sqe *sqe, struct qb_uring_op *op)
{
	io_uring_sqe_set_data64(sqe, (uint64_t)(uintptr_t)op | TAG_OP);
}

int qb_uring_flush(struct qb_loop *loop)
{
	struct io_uring *ring = qb_loop_uring(loop);
	int ret;

	if (!ring)
		return -EINVAL;
	ret = io_uring_submit(ring);
	return ret < 0 ? ret : 0;
}

static int uring_init(struct qb_loop *loop)
{
	struct uring_state *st = calloc(1, sizeof(*st));
	struct io_uring_params p;
	int ret;

	if (!st)
		return -ENOMEM;
	/* COOP_TASKRUN: no IPI per completion, we collect them when we enter anyway. Not
	 * SINGLE_ISSUER: a loop created before a fork or handed to another thread would then fail
	 * every submission. Older kernels reject the flag: retry without. */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_COOP_TASKRUN;
	ret = io_uring_queue_init_params(URING_ENTRIES, &st->ring, &p);
	if (ret == -EINVAL) {
		memset(&p, 0, sizeof(p));
		ret = io_uring_queue_init_params(URING_ENTRIES, &st->ring, &p);
	}
	if (ret == 0 && !(p.features & IORING_FEAT_EXT_ARG)) {
		/* Without EXT_ARG liburing emulates wait timeouts with extra SQEs; we rely on one
		 * enter per iteration, so such a kernel (< 5.11) gets the poll() backend. */
		io_uring_queue_exit(&st->ring);
		ret = -ENOSYS;
	}
	if (ret < 0) {
		free(st);
		/* Refused (seccomp: -EPERM/-ENOSYS, a kernel without it, io_uring_disabled sysctl)
		 * is "not available" to the caller; only a lack of memory stays itself. */
		return ret == -ENOMEM ? ret : -ENOSYS;
	}
	loop->backend_state = st;
	return 0;
}

static void handle_cqe(struct qb_loop *loop, uint64_t ud, int res, unsigned flags, int *ran,
		       bool dispatch);

static void uring_fini(struct qb_loop *loop)
{
	struct uring_state *st = state(loop);
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;
	int ran = 0;

	if (!st)
		return;
	/* Completions still queued may belong to operations whose owners wait for them to free
	 * their buffers (a pump freed just before the loop): deliver those, run no watches. */
	io_uring_submit(&st->ring);
	io_uring_for_each_cqe(&st->ring, head, cqe)
	{
		handle_cqe(loop, cqe->user_data, cqe->res, cqe->flags, &ran, false);
		n++;
	}
	io_uring_cq_advance(&st->ring, n);
	io_uring_queue_exit(&st->ring);
	free(st);
	loop->backend_state = NULL;
}

static int arm(struct qb_loop *loop, struct qb_watch *w)
{
	struct io_uring_sqe *sqe = qb_uring_get_sqe(loop);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_add(sqe, w->fd, w->events);
	io_uring_sqe_set_data64(sqe, (uint64_t)(uintptr_t)w | TAG_WATCH);
	w->backend_refs++;
	return 0;
}

static int cancel(struct qb_loop *loop, struct qb_watch *w)
{
	struct io_uring_sqe *sqe;

	if (w->backend_cancel)
		return 0;
	sqe = qb_uring_get_sqe(loop);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_remove(sqe, (uint64_t)(uintptr_t)w | TAG_WATCH);
	w->backend_cancel = true;
	return 0;
}

static int uring_watch_changed(struct qb_loop *loop, struct qb_watch *w)
{
	/* A request in the ring with the old mask is cancelled; its CQE (-ECANCELED) re-arms
	 * with the current mask. Removal waits for that CQE too (backend_refs). */
	if (w->backend_refs)
		return cancel(loop, w);
	if (w->dead || !w->events)
		return 0;
	return arm(loop, w);
}

static void handle_watch(struct qb_loop *loop, struct qb_watch *w, int res, int *ran, bool dispatch)
{
	unsigned revents = 0;

	w->backend_refs--;
	w->backend_cancel = false;
	if (w->dead) {
		qb_loop_watch_release(w);
		return;
	}
	if (res > 0)
		revents = (unsigned)res & (w->events | POLLERR | POLLHUP | POLLNVAL);
	else if (res < 0 && res != -ECANCELED)
		revents = POLLNVAL; /* as poll() reports a descriptor it cannot watch */
	/* When stopped, the event is not lost: the re-armed poll reports it again. */
	if (revents && dispatch && !loop->stop) {
		qb_loop_dispatch_watch(w, revents);
		(*ran)++;
	}
	if (dispatch && !w->dead && !w->backend_refs && w->events)
		arm(loop, w);
}

static void handle_cqe(struct qb_loop *loop, uint64_t ud, int res, unsigned flags, int *ran,
		       bool dispatch)
{
	void *p = (void *)(uintptr_t)(ud & ~(uint64_t)TAG_MASK);

	if (ud == LIBURING_UDATA_TIMEOUT)
		return;
	switch (ud & TAG_MASK) {
	case TAG_WATCH:
		handle_watch(loop, p, res, ran, dispatch);
		break;
	case TAG_OP: {
		struct qb_uring_op *op = p;

		op->cb(op, res, flags);
		(*ran)++;
		break;
	}
	default:
		break;
	}
}

static int uring_wait(struct qb_loop *loop, int timeout_ms)
{
	struct io_uring *ring = &state(loop)->ring;
	struct io_uring_cqe *cqe, *cqes[URING_BATCH];
	struct __kernel_timespec ts;
	uint64_t ud[URING_BATCH];
	unsigned fl[URING_BATCH];
	int res[URING_BATCH];
	int ran = 0, ret;
	unsigned n, i, rounds = 0;

	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long long)(timeout_ms % 1000) * 1000000;
	}
	ret = io_uring_submit_and_wait_timeout(ring, &cqe, 1, timeout_ms >= 0 ? &ts : NULL, NULL);
	if (ret < 0 && ret != -ETIME && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY)
		return ret;
	/* Copy each batch out before dispatching: callbacks queue SQEs and may flush them. The
	 * round limit keeps a flood of completions from starving the timers. */
	while (rounds++ < 16 && (n = io_uring_peek_batch_cqe(ring, cqes, URING_BATCH)) > 0) {
		for (i = 0; i < n; i++) {
			ud[i] = cqes[i]->user_data;
			res[i] = cqes[i]->res;
			fl[i] = cqes[i]->flags;
		}
		io_uring_cq_advance(ring, n);
		for (i = 0; i < n; i++)
			handle_cqe(loop, ud[i], res[i], fl[i], &ran, true);
		if (n < URING_BATCH)
			break;
	}
	return ran;
}

const struct qb_loop_backend qb_loop_uring_backend = {
	.name = "io_uring",
	.init = uring_init,
	.fini = uring_fini,
	.watch_changed = uring_watch_changed,
	.wait = uring_wait,
};
