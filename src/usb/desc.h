/* SPDX-License-Identifier: MIT */
/*
 * USB configuration descriptors as far as QMI discovery needs them, and the pure analysis that
 * decides which interfaces are QMI functions and which endpoints and alternate settings they use.
 * The model is filled either from raw descriptor bytes (qusb_config_parse: tests, fuzzing) or from
 * libusb's parsed config (scan.c). Nothing here touches a device.
 */
#ifndef QUSB_DESC_H
#define QUSB_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "usb/quirks.h"

#define QUSB_MAX_ALTS 64   /* interface/alt-setting pairs per configuration */
#define QUSB_MAX_EPS 16    /* endpoints per alternate setting (15 non-control + slack) */
#define QUSB_EXTRA_MAX 256 /* class-specific bytes kept per alternate setting */

enum {
	QUSB_EP_CONTROL = 0,
	QUSB_EP_ISO = 1,
	QUSB_EP_BULK = 2,
	QUSB_EP_INTR = 3
};

struct qusb_ep {
	uint8_t addr;        /* bit 7 set = IN */
	uint8_t type;        /* QUSB_EP_* (bmAttributes & 3) */
	uint16_t max_packet; /* wMaxPacketSize & 0x7ff */
};

struct qusb_alt {
	uint8_t iface, alt;
	uint8_t cls, subcls, proto;
	uint8_t n_eps;    /* bNumEndpoints as declared */
	uint8_t n_parsed; /* endpoint descriptors actually present (<= QUSB_MAX_EPS) */
	struct qusb_ep eps[QUSB_MAX_EPS];
	uint8_t extra
		[QUSB_EXTRA_MAX]; /* class-specific descriptors after the interface descriptor */
	uint16_t extra_len;
};

struct qusb_config {
	uint8_t value; /* bConfigurationValue */
	uint8_t n_alts;
	struct qusb_alt alts[QUSB_MAX_ALTS];
};

/* Raw configuration descriptor (as GET_DESCRIPTOR(CONFIG) returns it, wTotalLength bytes).
 * 0 or -EBADMSG for malformed input (truncated, zero-length descriptor, bad type). Interfaces
 * beyond QUSB_MAX_ALTS and endpoint/extra bytes beyond the caps are dropped, not errors. */
int qusb_config_parse(const uint8_t *raw, size_t len, struct qusb_config *out);

/* The kernel's rule for an endpoint address met again in another interface of the same
 * configuration: that later endpoint is skipped (the device cannot have two). owner starts zeroed
 * and is indexed by bEndpointAddress; true when addr already belongs to another interface. The
 * same interface may repeat an address in its alternate settings. */
bool qusb_ep_duplicate(uint16_t owner[256], uint8_t iface, uint8_t addr);

enum qusb_why {
	QUSB_WHY_QUIRK = 1, /* a quirks entry matched */
	QUSB_WHY_GENERIC,   /* vendor ff/ff/ff interface with interrupt IN + bulk IN + bulk OUT */
};

struct qusb_func {
	uint8_t ctrl_iface, ctrl_alt; /* interface carrying the CDC control channel */
	uint8_t ep_notify;            /* interrupt IN address */
	uint16_t notify_mps;
	uint8_t data_iface, data_alt; /* == ctrl_* for a combined interface */
	uint8_t ep_in, ep_out;        /* bulk addresses */
	uint16_t bulk_mps;
	bool cdc_union; /* control and data found through a CDC Union descriptor */
	enum qusb_why why;
	const struct qusb_quirk *quirk; /* the deciding entry for QUSB_WHY_QUIRK, else NULL */
	unsigned flags;                 /* QUSB_QUIRK_* from the entry */
};

/* Every QMI function in cfg for a device vid:pid, ordered by control interface number.
 * Returns the number found (possibly more than cap: only cap are written), never negative.
 * quirks may be NULL (generic rule only). */
int qusb_find_qmi(const struct qusb_config *cfg, uint16_t vid, uint16_t pid,
		  const struct qusb_quirks *quirks, struct qusb_func *out, size_t cap);

/* "quirk qmi-devices.conf:123", "generic ff/ff/ff", plus " + CDC Union" where used. */
void qusb_func_why(const struct qusb_func *f, char *buf, size_t len);

#endif
