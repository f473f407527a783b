/* SPDX-License-Identifier: MIT */
/* Shared between scan.c and the transport: discovery inside a caller's libusb context. */
#ifndef QUSB_SCAN_INTERNAL_H
#define QUSB_SCAN_INTERNAL_H

#include <libusb.h>

#include "usb/usb.h"

void qusb_config_from_libusb(const struct libusb_config_descriptor *c, struct qusb_config *out);

/* Like qusb_scan() in ctx; with devs_out, also a referenced libusb_device per entry (caller
 * unrefs each and frees the array). */
int qusb_scan_ctx(libusb_context *ctx, const struct qusb_selector *sel,
		  const struct qusb_quirks *quirks, struct qusb_entry **out, size_t *n,
		  libusb_device ***devs_out, char *err, size_t errlen);

/* Name of the kernel driver bound to interface path:config.iface in sysfs, "" if none. */
void qusb_sysfs_driver(const char *path, uint8_t config, uint8_t iface, char *buf, size_t len);

#endif
