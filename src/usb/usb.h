/* SPDX-License-Identifier: MIT */
/*
 * The libusb backend: finds QMI functions on USB devices, claims one, and serves it as a
 * struct qmi_transport. Every libusb context belongs to one call or one transport; libusb's file
 * descriptors run in the caller's qnet loop (no thread of ours; libusb's Linux backend keeps its
 * own hotplug-monitor thread, which never runs our code).
 */
#ifndef QUSB_USB_H
#define QUSB_USB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/errors.h"
#include "qmi/transport.h"
#include "usb/desc.h"
#include "usb/quirks.h"
#include "usb/selector.h"

struct qusb_open_opts {
	const struct qusb_quirks *quirks; /* NULL: load the standard set (+ quirks_file) */
	const char *quirks_file;          /* --quirks FILE, or NULL */
	bool detach;      /* take the interface from a kernel driver (qmi_wwan, cdc-wdm, option) */
	bool no_reattach; /* with detach: leave the kernel driver off on exit */
	/* Bulk transfers in flight each way, 0 = 8, and bytes per transfer, 0 = 16384. The receive
	 * ones may be resized later (data_set_rx: up to 64 transfers of up to 64 KB). */
	unsigned rx_transfers, tx_transfers;
	size_t rx_size, tx_size;
	FILE *log; /* notes (quirk file errors, detach/reattach); NULL = stderr */
	/* --usb-config N: use the QMI function in configuration N (bConfigurationValue), switching
	 * the device to it first if another is active. 0: the function must be in the active one. */
	uint8_t usb_config;
};

/* Opens the modem chosen by selector (the -d value, "usb..."). On failure err says why and what
 * to do. Returns 0, or:
 *   -ENODEV     no matching QMI modem (the CLI may fall back to the software modem)
 *   -QB_ENOTUNIQ   several match (err lists them)
 *   -EBUSY      a kernel driver holds the interface and detach was not asked (err names it)
 *   -EACCES     no permission on the device node (err names the udev rule)
 *   -EINVAL     bad selector;  other -errno from libusb.
 * The transport owns the device until its destroy op; closed(-ENODEV) reports an unplug. */
int qusb_transport_open(struct qmi_transport *out, const char *selector,
			const struct qusb_open_opts *opts, char *err, size_t errlen);

/* One QMI function on one device, as `qmiusb list` shows it. */
struct qusb_entry {
	uint8_t bus, addr;
	uint8_t ports[QUSB_MAX_PORTS];
	uint8_t n_ports;
	char path[32]; /* "1-1.2" */
	uint16_t vid, pid, bcd_usb;
	char manufacturer[128], product[128], serial[128]; /* "" when unknown */
	uint8_t config; /* bConfigurationValue of the configuration holding the function */
	uint8_t active; /* bConfigurationValue of the active configuration, 0 if unconfigured */
	struct qusb_func func;
	char why[160];
	char driver[64];   /* kernel driver bound to the control interface, "" if none */
	int driver_active; /* libusb_kernel_driver_active(): 1, 0, or -1 when it could not ask */
};

/* Every QMI function on the bus that matches sel (NULL = all), in every configuration of each
 * device, not only the active one. *out is malloc'd (caller frees);
 * an empty bus gives 0 with *n = 0. quirks may be NULL (generic rule only). */
int qusb_scan(const struct qusb_selector *sel, const struct qusb_quirks *quirks,
	      struct qusb_entry **out, size_t *n, char *err, size_t errlen);

/* For `qmiusb list`: the human layout (JSON is the CLI's, through its writer). */
void qusb_print_entries(FILE *f, const struct qusb_entry *v, size_t n);

/* The data channel of a QMI function as WDA Set Data Format and WDS Bind Mux Data Port name it
 * (HSUSB, the QMI interface's number, which a CDC Union modem's data interface does not change),
 * with its bulk max packet size; the receive sizes are left 0. */
void qusb_func_data_port(const struct qusb_func *f, struct qmi_data_port *out);

/* libusb error code -> -errno. */
int qusb_errno(int libusb_err);

#endif
