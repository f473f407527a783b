/* SPDX-License-Identifier: MIT */
/* The deferred close (qb_loop_close), on both loop backends. */
#include "both_loops.h"

#include "base/list.h"
#include "base/loop_uring.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

struct obj {
	struct qb_close close;
	struct qb_loop *loop;
	struct qb_timer t;
	int *log, *n; /* shared order log */
	int id;
	bool closed;
	bool in_cb;        /* one of its callbacks is running */
	struct obj *chain; /* queued from this close callback */
	struct qb_watch *watch;
};

static void obj_close_cb(struct qb_close *c)
{
	struct obj *o = qb_container_of(c, struct obj, close);

	cr_assert_not(o->in_cb, "closed while its callback was on the stack");
	cr_assert_not(o->closed, "closed twice");
	o->closed = true;
	o->log[(*o->n)++] = o->id;
	if (o->chain)
		qb_loop_close(o->loop, &o->chain->close, obj_close_cb);
}

static void obj_init(struct obj *o, struct qb_loop *loop, int *log, int *n, int id)
{
	*o = (struct obj){ .loop = loop, .log = log, .n = n, .id = id };
}

/* A timer callback closes its own object (twice: the second is ignored). */
static void close_self_cb(void *user)
{
	struct obj *o = user;

	o->in_cb = true;
	qb_loop_close(o->loop, &o->close, obj_close_cb);
	qb_loop_close(o->loop, &o->close, obj_close_cb);
	cr_assert_not(o->closed, "the close ran inside qb_loop_close");
	o->in_cb = false;
}

static void t_runs_after_the_callback(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	int log[8], n = 0;
	struct obj o;

	obj_init(&o, loop, log, &n, 1);
	qb_timer_init(&o.t, loop, close_self_cb, &o);
	qb_timer_start(&o.t, 0);
	cr_assert_eq(qb_loop_run_once(loop, 0), 1);
	cr_assert(o.closed, "not run at the end of the iteration");
	cr_assert_eq(n, 1, "a double queue ran twice");
	/* Once run, the same close may be queued again. */
	o.closed = false;
	qb_timer_start(&o.t, 0);
	cr_assert_eq(qb_loop_run_once(loop, 0), 1);
	cr_assert(o.closed);
	cr_assert_eq(n, 2);
	qb_loop_free(loop);
}

/* From a watch callback too, with a nested qb_loop_run_once inside it: the close waits for the
 * outermost callback. */
static void watch_close_cb(void *user, int fd, unsigned revents)
{
	struct obj *o = user;
	char c;

	o->in_cb = true;
	cr_assert_eq(read(fd, &c, 1), 1);
	qb_watch_remove(o->watch);
	qb_loop_close(o->loop, &o->close, obj_close_cb);
	qb_loop_run_once(o->loop, 0);
	cr_assert_not(o->closed, "a nested iteration ran the close");
	o->in_cb = false;
}

static void t_waits_for_the_outermost_callback(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	int log[8], n = 0, p[2];
	struct obj o;

	obj_init(&o, loop, log, &n, 1);
	cr_assert_eq(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	cr_assert_eq(qb_loop_watch(loop, p[0], POLLIN, watch_close_cb, &o, &o.watch), 0);
	cr_assert_eq(write(p[1], "x", 1), 1);
	while (!o.closed)
		cr_assert_geq(qb_loop_run_once(loop, 1000), 0);
	cr_assert_eq(n, 1);
	qb_loop_free(loop);
	close(p[0]);
	close(p[1]);
}

static void t_queued_from_a_close_run(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	int log[8], n = 0;
	struct obj a, b, c;

	obj_init(&a, loop, log, &n, 1);
	obj_init(&b, loop, log, &n, 2);
	obj_init(&c, loop, log, &n, 3);
	a.chain = &c;
	/* Outside any callback: queued for the end of the next iteration. */
	qb_loop_close(loop, &a.close, obj_close_cb);
	qb_loop_close(loop, &b.close, obj_close_cb);
	cr_assert_not(a.closed);
	qb_loop_run_once(loop, 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(log[0], 1);
	cr_assert_eq(log[1], 2);
	cr_assert_eq(log[2], 3, "a close queued by a close did not run in the same pass");
	qb_loop_free(loop);
}

static void t_pending_run_from_loop_free(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	int log[8], n = 0;
	struct obj *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));

	cr_assert(a && b);
	obj_init(a, loop, log, &n, 1);
	obj_init(b, loop, log, &n, 2);
	a->chain = b;
	qb_loop_close(loop, &a->close, obj_close_cb);
	qb_loop_free(loop);
	cr_assert_eq(n, 2);
	cr_assert(a->closed && b->closed);
	free(a);
	free(b);
}

BOTH(close, runs_after_the_callback)
BOTH(close, waits_for_the_outermost_callback)
BOTH(close, queued_from_a_close_run)
BOTH(close, pending_run_from_loop_free)

#ifdef QMIUSB_HAVE_URING
/* An io_uring operation whose completion qb_loop_free() delivers queues its owner's close, and
 * that close removes the owner's watch: the ring is gone by then, and nothing may touch it. */
struct uobj {
	struct qb_uring_op op;
	struct obj o;
};

static void watch_noop_cb(void *user, int fd, unsigned revents)
{
}

static void uobj_close_cb(struct qb_close *c)
{
	struct obj *o = qb_container_of(c, struct obj, close);

	cr_assert_null(qb_loop_uring(o->loop), "the ring outlived qb_loop_free's backend");
	qb_watch_remove(o->watch);
	obj_close_cb(c);
}

static void uobj_done(struct qb_uring_op *op, int res, unsigned flags)
{
	struct uobj *u = qb_container_of(op, struct uobj, op);

	qb_loop_close(u->o.loop, &u->o.close, uobj_close_cb);
}

Test(close_uring, queued_by_a_completion_in_loop_free)
{
	struct qb_loop *loop = new_loop(QB_LOOP_URING);
	struct io_uring_sqe *sqe;
	int log[8], n = 0, p[2];
	struct uobj u;

	obj_init(&u.o, loop, log, &n, 1);
	cr_assert_eq(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	cr_assert_eq(qb_loop_watch(loop, p[0], POLLIN, watch_noop_cb, NULL, &u.o.watch), 0);
	cr_assert_eq(qb_loop_run_once(loop, 0), 0); /* its poll is in the ring */
	sqe = qb_uring_get_sqe(loop);
	cr_assert_not_null(sqe);
	io_uring_prep_nop(sqe);
	u.op.cb = uobj_done;
	qb_uring_sqe_set_op(sqe, &u.op);
	qb_loop_free(loop);
	cr_assert(u.o.closed);
	close(p[0]);
	close(p[1]);
}
#endif
