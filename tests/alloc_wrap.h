/* SPDX-License-Identifier: MIT */
/*
 * Test helper: counts every allocation a test binary makes, for binaries linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc. It defines the wrappers: include it in
 * exactly one file of the binary (others declare `extern unsigned long allocs`).
 */
#ifndef TESTS_ALLOC_WRAP_H
#define TESTS_ALLOC_WRAP_H

#include "wrap_decls.h"

extern unsigned long allocs;
unsigned long allocs; /* test-binary bookkeeping, not library state */

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
