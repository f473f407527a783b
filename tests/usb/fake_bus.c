/* SPDX-License-Identifier: MIT */
/*
 * The fake bus of usb_bulk_path (see test_bulk_path.c): libusb's transfer calls and the usbfs
 * URB ioctls, replaced at link time (--wrap), and the allocation counter.
 */
#include "usb/fake_bus.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* ---- allocation counting ----------------------------------------------------------------- */

#include "alloc_wrap.h"

/* ---- the fake bus ------------------------------------------------------------------------ */

struct fake_bus fk;

static uint8_t *fx_buf(struct fk_xfer x)
{
	return x.t ? x.t->buffer : x.u->buffer;
}

static int fx_len(struct fk_xfer x)
{
	return x.t ? x.t->length : x.u->buffer_length;
}

static bool fx_bulk(struct fk_xfer x)
{
	return x.t ? x.t->type == LIBUSB_TRANSFER_TYPE_BULK : x.u->type == USBDEVFS_URB_TYPE_BULK;
}

static bool fx_in(struct fk_xfer x)
{
	return (x.t ? x.t->endpoint : x.u->endpoint) & LIBUSB_ENDPOINT_IN;
}

struct libusb_transfer *__real_libusb_alloc_transfer(int iso);
struct libusb_transfer *__wrap_libusb_alloc_transfer(int iso);
unsigned char *__wrap_libusb_dev_mem_alloc(libusb_device_handle *h, size_t len);
int __wrap_libusb_dev_mem_free(libusb_device_handle *h, unsigned char *buf, size_t len);
int __wrap_libusb_submit_transfer(struct libusb_transfer *t);
int __wrap_libusb_cancel_transfer(struct libusb_transfer *t);
int __wrap_libusb_handle_events_timeout_completed(libusb_context *ctx, struct timeval *tv,
						  int *completed);
const struct libusb_pollfd **__wrap_libusb_get_pollfds(libusb_context *ctx);
void __wrap_libusb_free_pollfds(const struct libusb_pollfd **p);
void __wrap_libusb_set_pollfd_notifiers(libusb_context *ctx, libusb_pollfd_added_cb a,
					libusb_pollfd_removed_cb r, void *user);
int __wrap_libusb_pollfds_handle_timeouts(libusb_context *ctx);
int __wrap_libusb_get_next_timeout(libusb_context *ctx, struct timeval *tv);
int __wrap_libusb_has_capability(uint32_t cap);
void __wrap_libusb_close(libusb_device_handle *h);
void __wrap_libusb_exit(libusb_context *ctx);
int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);
int __real_fstat(int fd, struct stat *st);
int __wrap_fstat(int fd, struct stat *st);

struct libusb_transfer *__wrap_libusb_alloc_transfer(int iso)
{
	allocs++;
	return __real_libusb_alloc_transfer(iso);
}

unsigned char *__wrap_libusb_dev_mem_alloc(libusb_device_handle *h, size_t len)
{
	(void)h;
	allocs++;
	return fk.dev_mem ? __real_calloc(1, len) : NULL;
}

int __wrap_libusb_dev_mem_free(libusb_device_handle *h, unsigned char *buf, size_t len)
{
	(void)h;
	(void)len;
	free(buf);
	return 0;
}

void fk_signal(void)
{
	uint64_t one = 1;
	cr_assert_eq(write(fk.efd, &one, sizeof(one)), (ssize_t)sizeof(one));
}

void fk_complete(struct fk_xfer x, int status, int len)
{
	cr_assert_lt(fk.n_done, FK_MAX);
	if (x.t) {
		x.t->status = status == 0         ? LIBUSB_TRANSFER_COMPLETED
			      : status == -ENOENT ? LIBUSB_TRANSFER_CANCELLED
						  : LIBUSB_TRANSFER_ERROR;
		x.t->actual_length = len;
	} else {
		x.u->status = status;
		x.u->actual_length = len;
	}
	fk.done[fk.n_done++] = x;
	fk_signal();
}

/* Hands reflected bytes to waiting IN transfers. */
static void fk_match(void)
{
	while (fk.echo_n && fk.n_in) {
		struct fk_xfer x = fk.in[0];
		size_t len = fk.echo_len[fk.echo_head];
		memmove(fk.in, fk.in + 1, --fk.n_in * sizeof(fk.in[0]));
		cr_assert_leq(len, (size_t)fx_len(x), "an IN transfer smaller than the reflection");
		memcpy(fx_buf(x), fk.echo[fk.echo_head], len);
		fk.echo_head = (fk.echo_head + 1) % FK_ECHO;
		fk.echo_n--;
		fk.in_transfers++;
		fk_complete(x, 0, (int)len);
	}
}

static void fk_submit(struct fk_xfer x)
{
	if (!fx_bulk(x)) {
		cr_assert_lt(fk.n_parked, FK_MAX);
		fk.parked[fk.n_parked++] = x;
		return;
	}
	if (fx_in(x)) {
		cr_assert_lt(fk.n_in, FK_MAX);
		fk.in[fk.n_in++] = x;
		fk_match();
		return;
	}
	size_t len = (size_t)fx_len(x);
	fk.out_transfers++;
	cr_assert_leq(len, sizeof(fk.last_out));
	memcpy(fk.last_out, fx_buf(x), len);
	fk.last_out_len = len;
	if (!fk.no_reflect) {
		unsigned tail = (fk.echo_head + fk.echo_n) % FK_ECHO;
		cr_assert_lt(fk.echo_n, FK_ECHO, "the reflection queue overflowed");
		memcpy(fk.echo[tail], fx_buf(x), len);
		fk.echo_len[tail] = len;
		fk.echo_n++;
	}
	fk_complete(x, 0, (int)len);
	fk_match();
}

static bool fk_take(struct fk_xfer *list, unsigned *n, const void *p)
{
	for (unsigned i = 0; i < *n; i++) {
		if (list[i].t != p && list[i].u != p)
			continue;
		struct fk_xfer x = list[i];
		memmove(list + i, list + i + 1, (--*n - i) * sizeof(list[0]));
		fk_complete(x, -ENOENT, 0);
		return true;
	}
	return false;
}

static bool fk_cancel(const void *p)
{
	return fk_take(fk.in, &fk.n_in, p) || fk_take(fk.parked, &fk.n_parked, p);
}

int __wrap_libusb_submit_transfer(struct libusb_transfer *t)
{
	cr_assert_not(fk.urb_submits, "a libusb submission in direct mode");
	fk.libusb_submits++;
	fk_submit((struct fk_xfer){ .t = t });
	return 0;
}

int __wrap_libusb_cancel_transfer(struct libusb_transfer *t)
{
	return fk_cancel(t) ? 0 : LIBUSB_ERROR_NOT_FOUND;
}

int __wrap_libusb_handle_events_timeout_completed(libusb_context *ctx, struct timeval *tv,
						  int *completed)
{
	struct fk_xfer batch[FK_MAX];
	uint64_t v;
	(void)ctx;
	(void)tv;
	(void)completed;
	cr_assert_not(fk.urb_submits, "libusb's event handling in direct mode would reap our URBs");
	if (read(fk.efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return LIBUSB_ERROR_IO;
	/* What the callbacks submit completes on the next call, as with a real bus. */
	unsigned n = fk.n_done;
	memcpy(batch, fk.done, n * sizeof(batch[0]));
	fk.n_done = 0;
	for (unsigned i = 0; i < n; i++)
		batch[i].t->callback(batch[i].t);
	return 0;
}

/* usbfs, for the transport's direct mode: the URB ioctls on the fake's descriptor. */
int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != fk.efd)
		return __real_ioctl(fd, req, arg);
	uint64_t v;
	switch (req) {
	case USBDEVFS_GET_CAPABILITIES:
		*(__u32 *)arg = fk.caps;
		return 0;
	case USBDEVFS_SUBMITURB:
		if (fk.unplugged) {
			errno = ENODEV;
			return -1;
		}
		fk.urb_submits++;
		fk_submit((struct fk_xfer){ .u = arg });
		return 0;
	case USBDEVFS_DISCARDURB:
		if (fk_cancel(arg))
			return 0;
		errno = EINVAL;
		return -1;
	case USBDEVFS_REAPURBNDELAY:
		if (fk.n_done) {
			*(struct usbdevfs_urb **)arg = fk.done[0].u;
			memmove(fk.done, fk.done + 1, --fk.n_done * sizeof(fk.done[0]));
			return 0;
		}
		if (fk.unplugged) {
			errno = ENODEV;
			return -1;
		}
		(void)!read(fk.efd, &v, sizeof(v)); /* nothing waits: not readable any more */
		errno = EAGAIN;
		return -1;
	}
	errno = ENOTTY;
	return -1;
}

int __wrap_fstat(int fd, struct stat *st)
{
	if (!fk.usbfs || fd != fk.efd)
		return __real_fstat(fd, st);
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0600;
	st->st_rdev = makedev(189, 1);
	return 0;
}

const struct libusb_pollfd **__wrap_libusb_get_pollfds(libusb_context *ctx)
{
	(void)ctx;
	return fk.pfds;
}

void __wrap_libusb_free_pollfds(const struct libusb_pollfd **p)
{
	(void)p;
}

void __wrap_libusb_set_pollfd_notifiers(libusb_context *ctx, libusb_pollfd_added_cb a,
					libusb_pollfd_removed_cb r, void *user)
{
	(void)ctx;
	(void)a;
	(void)r;
	(void)user;
}

int __wrap_libusb_pollfds_handle_timeouts(libusb_context *ctx)
{
	(void)ctx;
	return 1;
}

int __wrap_libusb_get_next_timeout(libusb_context *ctx, struct timeval *tv)
{
	(void)ctx;
	(void)tv;
	return 0;
}

int __wrap_libusb_has_capability(uint32_t cap)
{
	(void)cap;
	return 0;
}

void __wrap_libusb_close(libusb_device_handle *h)
{
	(void)h;
}

void __wrap_libusb_exit(libusb_context *ctx)
{
	(void)ctx;
}
