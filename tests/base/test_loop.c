/* SPDX-License-Identifier: MIT */
/* One suite, run on both loop backends: every test below is instantiated for poll and io_uring. */
#include "both_loops.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

static void new_pipe(int p[2])
{
	cr_assert_eq(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
}

/* Runs the loop until it has nothing ready (a zero-timeout iteration that runs nothing). */
static int drain(struct qb_loop *loop)
{
	int total = 0, n, guard = 0;

	while ((n = qb_loop_run_once(loop, 0)) > 0 && guard++ < 1000)
		total += n;
	cr_assert_geq(n, 0);
	return total;
}

struct reader {
	int calls;
	int bytes;
	int per_call;
	struct qb_watch *self;
	struct qb_watch *victim;
	bool remove_self;
};

static void read_cb(void *user, int fd, unsigned revents)
{
	struct reader *r = user;
	char buf[64];
	int want = r->per_call ? r->per_call : (int)sizeof(buf);
	ssize_t n;

	cr_assert(revents & (POLLIN | POLLHUP), "revents %#x", revents);
	r->calls++;
	n = read(fd, buf, (size_t)want);
	if (n > 0)
		r->bytes += (int)n;
	if (r->victim) {
		qb_watch_remove(r->victim);
		r->victim = NULL;
	}
	if (r->remove_self)
		qb_watch_remove(r->self);
}

static void t_level_triggered(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct reader r = { .per_call = 1 };
	int p[2];

	new_pipe(p);
	cr_assert_eq(qb_loop_watch(loop, p[0], POLLIN, read_cb, &r, &r.self), 0);
	cr_assert_eq(qb_loop_run_once(loop, 0), 0);
	cr_assert_eq(write(p[1], "abc", 3), 3);
	/* One byte per callback: the remaining bytes must be reported again. */
	drain(loop);
	cr_assert_eq(r.bytes, 3);
	cr_assert_eq(r.calls, 3);
	cr_assert_eq(qb_loop_run_once(loop, 0), 0);
	qb_loop_free(loop);
	close(p[0]);
	close(p[1]);
}

static void t_remove_inside_callbacks(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct reader a = { 0 }, b = { 0 };
	int p[2], q[2];

	new_pipe(p);
	new_pipe(q);
	cr_assert_eq(qb_loop_watch(loop, p[0], POLLIN, read_cb, &a, &a.self), 0);
	cr_assert_eq(qb_loop_watch(loop, q[0], POLLIN, read_cb, &b, &b.self), 0);
	/* Whichever runs first removes itself and the other: exactly one callback, ever. */
	a.victim = b.self;
	b.victim = a.self;
	a.remove_self = b.remove_self = true;
	cr_assert_eq(write(p[1], "x", 1), 1);
	cr_assert_eq(write(q[1], "y", 1), 1);
	drain(loop);
	cr_assert_eq(a.calls + b.calls, 1, "a %d b %d", a.calls, b.calls);
	cr_assert_eq(write(p[1], "x", 1), 1);
	cr_assert_eq(write(q[1], "y", 1), 1);
	cr_assert_eq(drain(loop), 0);
	qb_loop_free(loop);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

struct order {
	int seen[16];
	int n;
	struct qb_loop *loop;
	struct qb_timer *to_stop;
};

struct tag {
	struct order *o;
	int id;
	struct qb_timer t;
};

static void timer_cb(void *user)
{
	struct tag *t = user;

	t->o->seen[t->o->n++] = t->id;
	if (t->o->to_stop) {
		qb_timer_stop(t->o->to_stop);
		t->o->to_stop = NULL;
	}
}

static void t_timer_order(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct order o = { .loop = loop };
	struct tag tags[5];
	static const uint64_t delay[5] = { 30, 10, 10, 0, 20 };
	static const int want[5] = { 3, 1, 2, 4, 0 };
	int i;

	for (i = 0; i < 5; i++) {
		tags[i] = (struct tag){ .o = &o, .id = i };
		qb_timer_init(&tags[i].t, loop, timer_cb, &tags[i]);
		qb_timer_start(&tags[i].t, delay[i]);
	}
	while (o.n < 5)
		cr_assert_geq(qb_loop_run_once(loop, -1), 0);
	for (i = 0; i < 5; i++)
		cr_assert_eq(o.seen[i], want[i], "position %d: %d", i, o.seen[i]);
	qb_loop_free(loop);
}

static void t_timer_cancel(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct order o = { .loop = loop };
	struct tag a = { .o = &o, .id = 1 }, b = { .o = &o, .id = 2 }, c = { .o = &o, .id = 3 };

	qb_timer_init(&a.t, loop, timer_cb, &a);
	qb_timer_init(&b.t, loop, timer_cb, &b);
	qb_timer_init(&c.t, loop, timer_cb, &c);
	qb_timer_start(&a.t, 0);
	qb_timer_start(&b.t, 5);
	qb_timer_start(&c.t, 10);
	qb_timer_stop(&c.t); /* from outside */
	o.to_stop = &b.t;    /* from inside a's callback */
	qb_timer_stop(NULL);
	cr_assert_eq(qb_loop_run_once(loop, -1), 1);
	/* Nothing is left: a bounded wait runs nothing. */
	cr_assert_eq(qb_loop_run_once(loop, 30), 0);
	cr_assert_eq(o.n, 1);
	cr_assert_eq(o.seen[0], 1);
	qb_loop_free(loop);
}

static void stop_cb(void *user)
{
	struct order *o = user;

	o->n++;
	qb_loop_stop(o->loop);
}

static void count_cb(void *user)
{
	(*(int *)user)++;
}

static void t_stop(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct order o = { .loop = loop };
	struct qb_timer ts, tl;
	int later = 0;

	qb_timer_init(&ts, loop, stop_cb, &o);
	qb_timer_init(&tl, loop, count_cb, &later);
	qb_timer_start(&ts, 1);
	qb_timer_start(&tl, 60000);
	cr_assert_eq(qb_loop_run(loop), 0);
	cr_assert(qb_loop_stopped(loop));
	cr_assert_eq(o.n, 1);
	cr_assert_eq(later, 0);
	cr_assert(qb_timer_active(&tl));
	qb_loop_free(loop); /* leaves the armed timer to its owner, unlinked */
	cr_assert_not(qb_timer_active(&tl));
}

struct writer {
	int calls;
	struct qb_watch *self;
	unsigned switch_to;
	bool do_switch;
};

static void write_cb(void *user, int fd, unsigned revents)
{
	struct writer *w = user;

	cr_assert(revents & POLLOUT);
	w->calls++;
	if (w->do_switch)
		cr_assert_eq(qb_watch_set_events(w->self, w->switch_to), 0);
}

static void t_set_events(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct writer w = { 0 };
	int p[2];

	new_pipe(p);
	cr_assert_eq(qb_loop_watch(loop, p[1], POLLOUT, write_cb, &w, &w.self), 0);
	cr_assert_eq(qb_loop_run_once(loop, 0), 1);
	cr_assert_eq(w.calls, 1);
	/* Switched off from inside the callback: silent until switched on again. */
	w.do_switch = true;
	w.switch_to = 0;
	cr_assert_eq(qb_loop_run_once(loop, 0), 1);
	cr_assert_eq(w.calls, 2);
	cr_assert_eq(drain(loop), 0);
	cr_assert_eq(w.calls, 2);
	w.do_switch = false;
	cr_assert_eq(qb_watch_set_events(w.self, POLLOUT), 0);
	cr_assert_eq(qb_loop_run_once(loop, 0), 1);
	cr_assert_eq(w.calls, 3);
	/* Switched off from outside while a request is in the ring. */
	cr_assert_eq(qb_watch_set_events(w.self, POLLIN), 0);
	cr_assert_eq(drain(loop), 0);
	cr_assert_eq(w.calls, 3);
	qb_watch_remove(w.self);
	qb_watch_remove(NULL);
	qb_loop_free(loop);
	close(p[0]);
	close(p[1]);
}

static void t_hangup(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct reader r = { .remove_self = true };
	int p[2];

	new_pipe(p);
	cr_assert_eq(qb_loop_watch(loop, p[0], POLLIN, read_cb, &r, &r.self), 0);
	close(p[1]);
	cr_assert_eq(drain(loop), 1);
	cr_assert_eq(r.calls, 1);
	qb_loop_free(loop);
	close(p[0]);
}

#define NPIPES 300 /* more than the ring's submission queue holds */

static void t_many_watches(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	static int p[NPIPES][2];
	static struct reader r[NPIPES];
	int i, calls = 0;

	for (i = 0; i < NPIPES; i++) {
		new_pipe(p[i]);
		r[i] = (struct reader){ 0 };
		cr_assert_eq(qb_loop_watch(loop, p[i][0], POLLIN, read_cb, &r[i], &r[i].self), 0);
		cr_assert_eq(write(p[i][1], "z", 1), 1);
	}
	drain(loop);
	for (i = 0; i < NPIPES; i++) {
		cr_assert_eq(r[i].calls, 1, "pipe %d", i);
		calls += r[i].calls;
	}
	cr_assert_eq(calls, NPIPES);
	/* Removing with requests in the ring, then freeing the loop, leaks nothing (ASan). */
	for (i = 0; i < NPIPES; i += 2)
		qb_watch_remove(r[i].self);
	qb_loop_free(loop);
	for (i = 0; i < NPIPES; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
}

static void t_bad_args(enum qb_loop_kind kind)
{
	struct qb_loop *loop = new_loop(kind);
	struct reader r = { 0 };

	cr_assert_eq(qb_loop_watch(loop, -1, POLLIN, read_cb, &r, NULL), -EINVAL);
	cr_assert_eq(qb_loop_watch(loop, 0, POLLIN, NULL, &r, NULL), -EINVAL);
	qb_loop_free(loop);
	qb_loop_free(NULL);
}

BOTH(loop, level_triggered)
BOTH(loop, remove_inside_callbacks)
BOTH(loop, timer_order)
BOTH(loop, timer_cancel)
BOTH(loop, stop)
BOTH(loop, set_events)
BOTH(loop, hangup)
BOTH(loop, many_watches)
BOTH(loop, bad_args)

Test(loop_auto, env_forces_poll)
{
	struct qb_loop *loop = NULL;

	setenv("QMIUSB_LOOP", "poll", 1);
	cr_assert_eq(qb_loop_new(&loop, QB_LOOP_AUTO), 0);
	cr_assert_eq(qb_loop_kind(loop), QB_LOOP_POLL);
	cr_assert_str_eq(qb_loop_kind_name(qb_loop_kind(loop)), "poll");
	qb_loop_free(loop);
	unsetenv("QMIUSB_LOOP");
}

/* A seccomp policy that refuses io_uring (as container runtimes do): AUTO runs on poll(), an
 * explicit io_uring loop reports -ENOSYS. Criterion runs each test in its own process, so the
 * filter dies with it. */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

Test(loop_auto, falls_back_when_io_uring_is_refused)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	struct qb_loop *loop = NULL;
	struct reader r = { 0 };
	int p[2];

#if !defined(__x86_64__)
	cr_skip_test("the filter in this test is written for x86-64");
#endif
	unsetenv("QMIUSB_LOOP");
	cr_assert_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	cr_assert_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0, "%s", strerror(errno));
	cr_assert_eq(qb_loop_new(&loop, QB_LOOP_URING), -ENOSYS);
	cr_assert_eq(qb_loop_new(&loop, QB_LOOP_AUTO), 0);
	cr_assert_eq(qb_loop_kind(loop), QB_LOOP_POLL);
	/* And it works. */
	new_pipe(p);
	cr_assert_eq(qb_loop_watch(loop, p[0], POLLIN, read_cb, &r, &r.self), 0);
	cr_assert_eq(write(p[1], "q", 1), 1);
	cr_assert_eq(qb_loop_run_once(loop, -1), 1);
	cr_assert_eq(r.bytes, 1);
	qb_loop_free(loop);
	close(p[0]);
	close(p[1]);
}
