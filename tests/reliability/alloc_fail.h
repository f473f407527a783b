/* SPDX-License-Identifier: MIT */
/*
 * Allocation-failure injection for the walks (libuv's habit): the test binary links with
 * --wrap=malloc,calloc,realloc,free, counts the allocations made while armed, fails exactly
 * the Nth one, and tracks every block it handed out so that a run can be checked for leaks by
 * count, independently of the sanitizer's leak check at exit.
 */
#ifndef TESTS_RELIABILITY_ALLOC_FAIL_H
#define TESTS_RELIABILITY_ALLOC_FAIL_H

#include <stdbool.h>
#include <stddef.h>

/* Starts counting; fail_at 0 fails nothing, N fails the Nth allocation (1-based). */
void af_arm(unsigned long fail_at);
/* Stops counting and failing; blocks already tracked stay tracked until freed. */
void af_disarm(void);
/* Allocations counted since af_arm. */
unsigned long af_count(void);
/* Was the allocation af_arm named actually failed? */
bool af_fired(void);
/* Blocks handed out while armed and not freed yet. */
long af_live(void);

/* One walk: calls run() once unarmed-but-counting to learn the total, then once for every N
 * in 1..total with the Nth allocation failing. run returns 0 or a negative errno. Each
 * outcome must be 0 or a negative errno with nothing left allocated. Problems (with the
 * scenario name and N) fail the test through Criterion, or with problems non-NULL are only
 * counted there. known_bad lists N values whose failure is a known bug (logged, not counted);
 * it may be NULL. Returns the total. */
struct af_known {
	unsigned long n;
	const char *why;
};
unsigned long af_walk(const char *name, int (*run)(void *arg), void *arg,
		      const struct af_known *known_bad, size_t n_known, unsigned long *problems);

#endif
