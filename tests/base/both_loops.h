/* SPDX-License-Identifier: MIT */
/* Test helper: a loop of a given kind, and one Criterion test per loop backend. */
#ifndef TESTS_BASE_BOTH_LOOPS_H
#define TESTS_BASE_BOTH_LOOPS_H

#include "base/loop.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

static inline struct qb_loop *new_loop(enum qb_loop_kind kind)
{
	struct qb_loop *loop = NULL;
	int ret = qb_loop_new(&loop, kind);

	if (ret == -ENOSYS && kind == QB_LOOP_URING)
		cr_skip_test("io_uring is not available here (%s)", strerror(-ret));
	cr_assert_eq(ret, 0, "qb_loop_new: %s", strerror(-ret));
	cr_assert_eq(qb_loop_kind(loop), kind);
	return loop;
}

/* t_<name>(kind) once on poll() and once on io_uring. */
#define BOTH(suite, name)                                                                          \
	Test(suite##_poll, name)                                                                   \
	{                                                                                          \
		t_##name(QB_LOOP_POLL);                                                            \
	}                                                                                          \
	Test(suite##_uring, name)                                                                  \
	{                                                                                          \
		t_##name(QB_LOOP_URING);                                                           \
	}

#endif
