/* SPDX-License-Identifier: MIT */
/* Timers embedded in their owners (struct qb_timer), on both loop backends. */
#include "both_loops.h"

#include <stdlib.h>

struct log {
	int seen[16];
	int n;
};

struct tt {
	struct qb_timer t;
	struct log *log;
	int id;
	struct qb_timer *stop;  /* stopped from this callback */
	struct qb_timer *start; /* started (delay 0) from this callback */
	int restarts;           /* times the callback re-arms its own timer, then stops it */
};

static void tt_cb(void *user)
{
	struct tt *x = user;

	x->log->seen[x->log->n++] = x->id;
	if (x->stop)
		qb_timer_stop(x->stop);
	if (x->start)
		qb_timer_start(x->start, 0);
	if (x->restarts) {
		x->restarts--;
		qb_timer_start(&x->t, 0);
		if (!x->restarts)
			qb_timer_stop(&x->t);
	}
}

static void tt_init(struct tt *x, struct qb_loop *loop, struct log *log, int id)
{
	*x = (struct tt){ .log = log, .id = id };
	qb_timer_init(&x->t, loop, tt_cb, x);
}

/* Runs zero-timeout iterations until one runs nothing. */
static void drain(struct qb_loop *loop)
{
	int n, guard = 0;

	while ((n = qb_loop_run_once(loop, 0)) > 0 && guard++ < 1000)
		;
	cr_assert_eq(n, 0);
}

static void t_start_fires_once(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct log log = { 0 };
	struct tt a;

	tt_init(&a, loop, &log, 1);
	cr_assert_not(qb_timer_active(&a.t));
	qb_timer_start(&a.t, 0);
	cr_assert(qb_timer_active(&a.t));
	cr_assert_eq(qb_loop_run_once(loop, 0), 1);
	cr_assert_not(qb_timer_active(&a.t), "a fired timer is stopped");
	drain(loop);
	cr_assert_eq(log.n, 1);
	/* Started again after it fired: it fires again. */
	qb_timer_start(&a.t, 1);
	while (log.n < 2)
		cr_assert_geq(qb_loop_run_once(loop, -1), 0);
	cr_assert_eq(log.n, 2);
	qb_loop_free(loop);
}

static void t_restart(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct log log = { 0 };
	struct tt a;

	tt_init(&a, loop, &log, 1);
	qb_timer_start(&a.t, 60000);
	qb_timer_start(&a.t, 0); /* re-armed: once, at the new time */
	cr_assert_eq(qb_loop_run_once(loop, 1000), 1);
	cr_assert_eq(log.n, 1);
	drain(loop);
	cr_assert_eq(log.n, 1, "the first arming still fired");
	/* And the other way: a due timer pushed far away does not fire now. */
	qb_timer_start(&a.t, 0);
	qb_timer_start(&a.t, 60000);
	cr_assert_eq(qb_loop_run_once(loop, 0), 0);
	cr_assert(qb_timer_active(&a.t));
	qb_timer_stop(&a.t);
	qb_loop_free(loop);
}

static void t_stop_inside_own_callback(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct log log = { 0 };
	struct tt a;

	tt_init(&a, loop, &log, 1);
	a.stop = &a.t; /* stopping itself while it runs: harmless */
	qb_timer_start(&a.t, 0);
	drain(loop);
	cr_assert_eq(log.n, 1);
	/* Re-armed inside its callback, then stopped there too: never fires again. */
	a.stop = NULL;
	a.restarts = 3;
	qb_timer_start(&a.t, 0);
	drain(loop);
	cr_assert_eq(log.n, 4, "%d", log.n);
	cr_assert_not(qb_timer_active(&a.t));
	qb_loop_free(loop);
}

static void t_stop_other_from_callback(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct log log = { 0 };
	struct tt a, b, c;

	tt_init(&a, loop, &log, 1);
	tt_init(&b, loop, &log, 2);
	tt_init(&c, loop, &log, 3);
	a.stop = &b.t; /* due in the same iteration, right behind a */
	qb_timer_start(&a.t, 0);
	qb_timer_start(&b.t, 0);
	qb_timer_start(&c.t, 0);
	drain(loop);
	cr_assert_eq(log.n, 2);
	cr_assert_eq(log.seen[0], 1);
	cr_assert_eq(log.seen[1], 3);
	cr_assert_not(qb_timer_active(&b.t));
	qb_loop_free(loop);
}

static void t_fifo_at_equal_due_time(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct log log = { 0 };
	struct tt x[6];
	static const int want[6] = { 1, 2, 4, 5, 0, 3 };
	int i;

	for (i = 0; i < 6; i++) {
		tt_init(&x[i], loop, &log, i);
		qb_timer_start(&x[i].t, 0);
	}
	/* Re-arming moves a timer behind those armed before it. */
	qb_timer_start(&x[0].t, 0);
	qb_timer_start(&x[3].t, 0);
	drain(loop);
	cr_assert_eq(log.n, 6);
	for (i = 0; i < 6; i++)
		cr_assert_eq(log.seen[i], want[i], "position %d: %d", i, log.seen[i]);
	qb_loop_free(loop);
}

static void t_armed_from_callback_waits(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct log log = { 0 };
	struct tt a, b;

	tt_init(&a, loop, &log, 1);
	tt_init(&b, loop, &log, 2);
	a.start = &b.t;
	qb_timer_start(&a.t, 0);
	cr_assert_eq(qb_loop_run_once(loop, 0), 1);
	cr_assert_eq(log.n, 1, "b ran in the iteration that armed it");
	cr_assert(qb_timer_active(&b.t));
	cr_assert_eq(qb_loop_run_once(loop, 0), 1);
	cr_assert_eq(log.n, 2);
	cr_assert_eq(log.seen[1], 2);
	/* A timer re-arming itself with no delay runs once per iteration, not forever. */
	a.start = &a.t;
	qb_timer_start(&a.t, 0);
	cr_assert_eq(qb_loop_run_once(loop, 0), 1);
	cr_assert_eq(qb_loop_run_once(loop, 0), 1);
	cr_assert_eq(log.n, 4);
	qb_timer_stop(&a.t);
	qb_loop_free(loop);
}

static void t_stop_after_loop_free(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct log log = { 0 };
	struct tt *a = calloc(2, sizeof(*a)); /* on the heap: ASan sees any stray write */
	struct qb_timer zero = { 0 };

	cr_assert_not_null(a);
	tt_init(&a[0], loop, &log, 1);
	tt_init(&a[1], loop, &log, 2);
	qb_timer_start(&a[0].t, 60000);
	qb_timer_start(&a[1].t, 50000);
	qb_loop_free(loop);
	cr_assert_not(qb_timer_active(&a[0].t));
	qb_timer_stop(&a[1].t);
	qb_timer_stop(&a[0].t);
	qb_timer_stop(&zero); /* never initialised */
	cr_assert_eq(log.n, 0);
	free(a);
}

BOTH(timer, start_fires_once)
BOTH(timer, restart)
BOTH(timer, stop_inside_own_callback)
BOTH(timer, stop_other_from_callback)
BOTH(timer, fifo_at_equal_due_time)
BOTH(timer, armed_from_callback_waits)
BOTH(timer, stop_after_loop_free)
