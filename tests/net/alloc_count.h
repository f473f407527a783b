/* SPDX-License-Identifier: MIT */
/*
 * Allocation counting for a test binary linked with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc: every allocation the code under test makes is seen in `allocs`. One source
 * file per binary includes it.
 */
#ifndef TESTS_NET_ALLOC_COUNT_H
#define TESTS_NET_ALLOC_COUNT_H

#include <stddef.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

static unsigned long allocs; /* test-binary bookkeeping, not library state */

void *__wrap_malloc(size_t n)
{
	allocs++;
	return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	allocs++;
	return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	allocs++;
	return __real_realloc(p, n);
}

#endif
