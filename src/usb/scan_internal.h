/* SPDX-License-Identifier: MIT */
/* Shared between scan.c and the transport: discovery inside a caller's libusb context. */
#ifndef QUSB_SCAN_INTERNAL_H
#define QUSB_SCAN_INTERNAL_H

#include <libusb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "usb/usb.h"

void qusb_config_from_libusb(const struct libusb_config_descriptor *c, struct qusb_config *out);

/* Like qusb_scan() in ctx; with devs_out, also a referenced libusb_device per entry (caller
 * unrefs each and frees the array). */
int qusb_scan_ctx(libusb_context *ctx, const struct qusb_selector *sel,
		  const struct qusb_quirks *quirks, struct qusb_entry **out, size_t *n,
		  libusb_device ***devs_out, char *err, size_t errlen);

/*
 * What the system tells about a device by its port path without opening it (sysfs_linux.c;
 * sysfs_none.c elsewhere, which knows nothing). qusb_sys_read: one line of attribute attr, ""
 * if absent. qusb_sysfs_driver: the kernel driver bound to interface path:config.iface, "" if
 * none or unknown; qusb_sys_knows_drivers() says which of the two "" means.
 * qusb_sys_present: false only when the system positively says the device is gone.
 */
void qusb_sys_read(const char *path, const char *attr, char *buf, size_t len);
void qusb_sysfs_driver(const char *path, uint8_t config, uint8_t iface, char *buf, size_t len);
bool qusb_sys_knows_drivers(void);
bool qusb_sys_present(const char *path);

#endif
