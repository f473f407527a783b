/* SPDX-License-Identifier: MIT */
#include "reliability/alloc_fail.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/errors.h"
#include "wrap_decls.h"

void __real_free(void *p);
void __wrap_free(void *p);

/* Test-binary bookkeeping, not library state. The tracking table is a fixed open-addressing
 * set of pointers (no allocation of its own); a run that outgrows it is reported. */
#define TRACK_CAP (1u << 16)
static struct {
	bool armed;
	unsigned long count, fail_at;
	bool fired, overflow;
	long live;
	void *slot[TRACK_CAP];
} af;
static void *const TOMB = (void *)1;

static size_t hash(const void *p)
{
	return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull) & (TRACK_CAP - 1);
}

static void track_add(void *p)
{
	size_t i = hash(p);

	for (size_t k = 0; k < TRACK_CAP; k++, i = (i + 1) & (TRACK_CAP - 1))
		if (!af.slot[i] || af.slot[i] == TOMB) {
			af.slot[i] = p;
			af.live++;
			return;
		}
	af.overflow = true;
}

/* true if p was ours (and is forgotten now) */
static bool track_del(void *p)
{
	size_t i = hash(p);

	for (size_t k = 0; k < TRACK_CAP && af.slot[i]; k++, i = (i + 1) & (TRACK_CAP - 1))
		if (af.slot[i] == p) {
			af.slot[i] = TOMB;
			af.live--;
			return true;
		}
	return false;
}

static bool should_fail(void)
{
	if (!af.armed)
		return false;
	if (++af.count != af.fail_at)
		return false;
	af.fired = true;
	/* QMIUSB_AF_BACKTRACE=1: where the failed allocation was made (to read a finding). */
	if (getenv("QMIUSB_AF_BACKTRACE")) {
		void *bt[16];
		int n = backtrace(bt, 16);

		fprintf(stderr, "  [N=%lu] failing this allocation:\n", af.fail_at);
		backtrace_symbols_fd(bt, n, 2);
	}
	return true;
}

void *__wrap_malloc(size_t n)
{
	void *p;

	if (should_fail())
		return NULL;
	p = __real_malloc(n);
	if (p && af.armed)
		track_add(p);
	return p;
}

void *__wrap_calloc(size_t n, size_t m)
{
	void *p;

	if (should_fail())
		return NULL;
	p = __real_calloc(n, m);
	if (p && af.armed)
		track_add(p);
	return p;
}

void *__wrap_realloc(void *p, size_t n)
{
	bool ours;
	void *q;

	if (should_fail())
		return NULL; /* p stays valid, as with a real failure */
	ours = p ? track_del(p) : af.armed;
	q = __real_realloc(p, n);
	if (!q && p && n) { /* failed for real: p is still there */
		if (ours)
			track_add(p);
		return NULL;
	}
	if (q && ours)
		track_add(q);
	return q;
}

void __wrap_free(void *p)
{
	if (p)
		track_del(p);
	__real_free(p);
}

void af_arm(unsigned long fail_at)
{
	af.count = 0;
	af.fail_at = fail_at;
	af.fired = false;
	af.armed = true;
}

void af_disarm(void)
{
	af.armed = false;
}

unsigned long af_count(void)
{
	return af.count;
}

bool af_fired(void)
{
	return af.fired;
}

long af_live(void)
{
	return af.overflow ? -1 : af.live;
}

enum {
	CHILD_OK = 0,
	CHILD_ABSORBED = 10,
	CHILD_BAD_RET = 11,
	CHILD_LEAK = 12,
	CHILD_NOT_FIRED = 13
};

/* One run in a forked child, so that a crash (a sanitizer report, a signal) is a finding for
 * that N and not the end of the walk. The child leaves with _exit: the count of live blocks
 * is the leak check here. */
static int run_child(int (*run)(void *arg), void *arg, unsigned long n, int *ret_out)
{
	int pfd[2], status, ret = 0;
	pid_t pid;

	cr_assert_eq(pipe(pfd), 0);
	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		long live;
		int code;

		close(pfd[0]);
		af_arm(n);
		ret = run(arg);
		af_disarm();
		live = af_live();
		if (write(pfd[1], &ret, sizeof(ret)) != (ssize_t)sizeof(ret))
			_exit(99);
		if (live != 0) {
			fprintf(stderr, "  [N=%lu] %ld block(s) still allocated after the run\n", n,
				live);
			code = CHILD_LEAK;
		} else if (ret > 0 || (ret < -4095 && ret != -QB_EMODEM && ret != -QB_ENOTUNIQ)) {
			code = CHILD_BAD_RET;
		} else if (!af_fired()) {
			code = CHILD_NOT_FIRED;
		} else {
			code = ret == 0 ? CHILD_ABSORBED : CHILD_OK;
		}
		_exit(code);
	}
	close(pfd[1]);
	if (read(pfd[0], &ret, sizeof(ret)) != (ssize_t)sizeof(ret))
		ret = 1; /* died before reporting */
	close(pfd[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	*ret_out = ret;
	if (WIFSIGNALED(status))
		return 100 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static const char *known(const struct af_known *k, size_t nk, unsigned long n)
{
	for (size_t i = 0; i < nk; i++)
		if (k[i].n == n)
			return k[i].why;
	return NULL;
}

unsigned long af_walk(const char *name, int (*run)(void *arg), void *arg,
		      const struct af_known *known_bad, size_t n_known, unsigned long *problems)
{
	unsigned long total, clean = 0, absorbed = 0, bad = 0, known_hit = 0;
	char summary[4096] = "", soaked[512] = "";
	size_t at = 0, sat = 0;
	int ret;

	/* The counting run, also in a child: it must succeed with nothing left over. */
	{
		int pfd[2], status;
		pid_t pid;

		cr_assert_eq(pipe(pfd), 0);
		fflush(NULL);
		pid = fork();
		cr_assert_geq(pid, 0);
		if (pid == 0) {
			unsigned long c;

			close(pfd[0]);
			af_arm(0);
			ret = run(arg);
			af_disarm();
			c = af_count();
			if (write(pfd[1], &c, sizeof(c)) != (ssize_t)sizeof(c))
				_exit(99);
			_exit(ret == 0 && af_live() == 0 ? 0 : 1);
		}
		close(pfd[1]);
		total = 0;
		cr_assert_eq(read(pfd[0], &total, sizeof(total)), (ssize_t)sizeof(total),
			     "%s: the counting run died", name);
		close(pfd[0]);
		cr_assert_eq(waitpid(pid, &status, 0), pid);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			  "%s: the scenario fails (or leaks) without any injected failure", name);
		cr_assert_gt(total, 0, "%s: no allocation counted", name);
	}

	for (unsigned long n = 1; n <= total; n++) {
		int code = run_child(run, arg, n, &ret);
		const char *why = NULL;
		const char *k;

		switch (code) {
		case CHILD_OK:
			clean++;
			continue;
		case CHILD_ABSORBED:
			absorbed++;
			if (sat < sizeof(soaked) - 16)
				sat += (size_t)snprintf(soaked + sat, sizeof(soaked) - sat, " %lu",
							n);
			continue;
		case CHILD_NOT_FIRED:
			continue; /* this run made fewer allocations */
		case CHILD_BAD_RET:
			why = "returned something other than 0, -errno or a QB_E code";
			break;
		case CHILD_LEAK:
			why = "leaked";
			break;
		default:
			why = code >= 100 ? "crashed (signal)" : "crashed (sanitizer report)";
			break;
		}
		k = known(known_bad, n_known, n);
		if (k) {
			known_hit++;
			cr_log_warn("%s: N=%lu %s (ret %d) -- KNOWN BUG, not fixed here: %s", name,
				    n, why, ret, k);
			continue;
		}
		bad++;
		if (at < sizeof(summary) - 128)
			at += (size_t)snprintf(summary + at, sizeof(summary) - at,
					       "\n  N=%lu: %s (ret %d, exit code %d)", n, why, ret,
					       code);
	}
	cr_log_info("%s: %lu allocations; %lu failed cleanly with -errno, %lu absorbed (the run "
		    "succeeded:%s), %lu known bugs, %lu new problems",
		    name, total, clean, absorbed, soaked, known_hit, bad);
	if (problems)
		*problems = bad;
	else
		cr_expect_eq(bad, 0, "%s: failing one allocation of %lu at a time:%s", name, total,
			     summary);
	return total;
}
