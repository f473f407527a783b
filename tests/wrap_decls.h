/* SPDX-License-Identifier: MIT */
/*
 * Test helper: the allocation functions of a binary linked with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc, the libc ones (__real_) and the test's own (__wrap_), which that binary
 * defines in one of its files.
 */
#ifndef TESTS_WRAP_DECLS_H
#define TESTS_WRAP_DECLS_H

#include <stddef.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

#endif
