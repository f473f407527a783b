/* SPDX-License-Identifier: MIT */
#ifndef QB_WIPE_H
#define QB_WIPE_H

#include <stddef.h>

/* Zeroes a secret (a PIN, a password) before its memory is reused or freed. The stores are
 * volatile, so the compiler cannot drop them as dead; explicit_bzero is not on every system. */
static inline void qb_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

#endif
