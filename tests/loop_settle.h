/* SPDX-License-Identifier: MIT */
/* Test helper: running a loop until nothing more happens. */
#ifndef TESTS_LOOP_SETTLE_H
#define TESTS_LOOP_SETTLE_H

#include "base/loop.h"

#include <criterion/criterion.h>

/* Runs loop until two zero-timeout iterations in a row find nothing to do: nothing is left in
 * flight that can finish. */
static inline void settle_loop(struct qb_loop *loop)
{
	int idle = 0, guard = 0;

	while (idle < 2 && guard++ < 100000) {
		int n = qb_loop_run_once(loop, 0);

		cr_assert_geq(n, 0);
		idle = n ? 0 : idle + 1;
	}
}

#endif
