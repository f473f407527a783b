/* SPDX-License-Identifier: MIT */
/*
 * An LD_PRELOAD counter for the bulk-path benchmark (bench/vm/vm-bulk.sh): every malloc,
 * calloc, realloc, aligned allocation and free the process makes (its libraries' included:
 * libusb allocates inside libusb_submit_transfer), and every memcpy/memmove that goes through
 * the dynamic linker, with their bytes. The counters live in a shared file mapping
 * ($QMIUSB_ALLOC_COUNT, created by the caller with at least 4096 bytes), so another process
 * reads them before and after a load without stopping this one: eight little-endian u64, see
 * enum below. Without the variable the library only forwards.
 *
 * glibc's __libc_* entry points are the real allocator: dlsym() itself allocates, so the
 * allocator cannot be looked up through it.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

enum {
	AC_MALLOC,
	AC_CALLOC,
	AC_REALLOC,
	AC_ALIGNED,
	AC_FREE,
	AC_COPIES,     /* memcpy, memmove and their _chk forms */
	AC_COPY_BYTES, /* their bytes */
	AC_BIG_COPIES, /* of those, copies of 256 bytes or more: packets, not headers */
	AC_N
};

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t m);
void *__libc_realloc(void *p, size_t n);
void *__libc_memalign(size_t align, size_t n);
void __libc_free(void *p);
/* Declared here rather than through <string.h> and <stdlib.h>, whose fortified inline versions
 * would clash with these definitions. */
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *__memcpy_chk(void *d, const void *s, size_t n, size_t dlen);
void *__memmove_chk(void *d, const void *s, size_t n, size_t dlen);
void *memalign(size_t align, size_t n);

static volatile uint64_t *counters;
static void *(*real_memcpy)(void *, const void *, size_t);
static void *(*real_memmove)(void *, const void *, size_t);

static inline void count(unsigned i, uint64_t n)
{
	if (counters)
		__atomic_fetch_add(&counters[i], n, __ATOMIC_RELAXED);
}

__attribute__((constructor)) static void ac_init(void)
{
	const char *path = getenv("QMIUSB_ALLOC_COUNT");
	/* POSIX's way for dlsym() results: copy the pointer's bytes. */
	void *p = dlsym(RTLD_NEXT, "memcpy");
	__builtin_memcpy(&real_memcpy, &p, sizeof(p));
	p = dlsym(RTLD_NEXT, "memmove");
	__builtin_memcpy(&real_memmove, &p, sizeof(p));
	if (!path)
		return;
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m != MAP_FAILED)
		counters = m;
}

void *malloc(size_t n)
{
	count(AC_MALLOC, 1);
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	count(AC_CALLOC, 1);
	return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	count(AC_REALLOC, 1);
	return __libc_realloc(p, n);
}

void free(void *p)
{
	if (p)
		count(AC_FREE, 1);
	__libc_free(p);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	count(AC_ALIGNED, 1);
	void *p = __libc_memalign(align, n);
	if (!p)
		return 12; /* ENOMEM */
	*out = p;
	return 0;
}

void *aligned_alloc(size_t align, size_t n)
{
	count(AC_ALIGNED, 1);
	return __libc_memalign(align, n);
}

void *memalign(size_t align, size_t n)
{
	count(AC_ALIGNED, 1);
	return __libc_memalign(align, n);
}

/* Before the constructor has looked memcpy up (the dynamic linker's own early calls). The
 * attribute keeps the compiler from turning the loop back into a memcpy call. */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) static void *slow_move(void *d,
										     const void *s,
										     size_t n)
{
	unsigned char *dd = d;
	const unsigned char *ss = s;
	if (dd < ss)
		for (size_t i = 0; i < n; i++)
			dd[i] = ss[i];
	else
		for (size_t i = n; i-- > 0;)
			dd[i] = ss[i];
	return d;
}

static void count_copy(size_t n)
{
	count(AC_COPIES, 1);
	count(AC_COPY_BYTES, n);
	if (n >= 256)
		count(AC_BIG_COPIES, 1);
}

void *memcpy(void *d, const void *s, size_t n)
{
	count_copy(n);
	return real_memcpy ? real_memcpy(d, s, n) : slow_move(d, s, n);
}

void *memmove(void *d, const void *s, size_t n)
{
	count_copy(n);
	return real_memmove ? real_memmove(d, s, n) : slow_move(d, s, n);
}

void *__memcpy_chk(void *d, const void *s, size_t n, size_t dlen)
{
	if (n > dlen)
		abort();
	return memcpy(d, s, n);
}

void *__memmove_chk(void *d, const void *s, size_t n, size_t dlen)
{
	if (n > dlen)
		abort();
	return memmove(d, s, n);
}
