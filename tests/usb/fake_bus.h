/* SPDX-License-Identifier: MIT */
/* The fake bus of usb_bulk_path: what the tests see of it. */
#ifndef TESTS_USB_FAKE_BUS_H
#define TESTS_USB_FAKE_BUS_H

#include <libusb.h>
#include <linux/usbdevice_fs.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FK_MAX 64
#define FK_ECHO 64
#define FK_ECHO_SIZE 16384

/* A transfer as the fake bus sees it: through libusb (libusb mode) or a usbfs URB (the
 * transport's direct mode, transport_urb_linux.c, which the fake recognises by its ioctls). */
struct fk_xfer {
	struct libusb_transfer *t;
	struct usbdevfs_urb *u;
};

struct fake_bus {
	bool usbfs; /* the "libusb fd" passes for a usbfs node: the transport goes direct */
	__u32 caps; /* what USBDEVFS_GET_CAPABILITIES reports */
	int efd;    /* readable while completions wait to be handled */
	struct libusb_pollfd pfd;
	const struct libusb_pollfd *pfds[2];
	struct fk_xfer in[FK_MAX]; /* bulk IN transfers waiting for data, oldest first */
	unsigned n_in;
	struct fk_xfer parked[FK_MAX]; /* interrupt and control: never complete */
	unsigned n_parked;
	struct fk_xfer done[FK_MAX]; /* completions for the next handle_events / reap */
	unsigned n_done;
	/* What the modem reflects and no IN transfer has taken yet, oldest first. */
	uint8_t echo[FK_ECHO][FK_ECHO_SIZE];
	size_t echo_len[FK_ECHO];
	unsigned echo_head, echo_n;
	bool dev_mem;    /* libusb_dev_mem_alloc succeeds */
	bool no_reflect; /* OUT transfers complete, nothing comes back */
	bool unplugged;  /* usbfs: everything completes as shut down, then ENODEV */
	unsigned out_transfers, in_transfers, libusb_submits, urb_submits;
	uint8_t last_out[FK_ECHO_SIZE];
	size_t last_out_len;
};

extern struct fake_bus fk;
/* Allocations made by our code (malloc, calloc, realloc, libusb_alloc_transfer,
 * libusb_dev_mem_alloc), counted for the steady-state checks. */
extern unsigned long allocs;

/* Makes the fake's descriptor readable: completions wait. */
void fk_signal(void);
/* Queues x's completion with a usbfs status (0, -ENOENT...) and len bytes. */
void fk_complete(struct fk_xfer x, int status, int len);

#endif
