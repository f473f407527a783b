/* SPDX-License-Identifier: MIT */
/*
 * Descriptor sets of real QMI modems, for the gadget (`sim --gadget --layout NAME`) and for the
 * discovery tests: both build the bytes from these tables, so what the tests check is what the
 * gadget presents. Pure data and byte building; no device, no Linux header.
 */
#ifndef QSIM_LAYOUT_H
#define QSIM_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QSIM_LAYOUT_MAX_CONFIGS 2

enum qsim_speed {
	QSIM_FULL_SPEED,
	QSIM_HIGH_SPEED,
	QSIM_SUPER_SPEED
};

struct qsim_layout_config {
	uint8_t value;      /* bConfigurationValue */
	uint8_t attributes; /* bmAttributes */
	uint8_t max_power;  /* bMaxPower, in the device's units (2 mA; 8 mA at SuperSpeed) */
	uint8_t n_ifaces;   /* bNumInterfaces */
	/* Everything after the configuration descriptor, as the device sends it at high speed
	 * (interfaces, class-specific descriptors, endpoints). */
	const uint8_t *body;
	size_t body_len;
};

struct qsim_layout {
	const char *name;   /* --layout NAME */
	const char *title;  /* one line for --list-layouts */
	const char *source; /* where the descriptors were taken from */
	uint16_t vid, pid, bcd_usb;
	bool superspeed;    /* a USB 3 device: SuperSpeed descriptors exist */
	uint8_t active;     /* bConfigurationValue a host finds the device in */
	uint8_t qmi_config; /* configuration and interface the software modem serves; */
	int qmi_iface;      /* -1: this layout has no QMI function at all */
	uint8_t n_configs;
	struct qsim_layout_config configs[QSIM_LAYOUT_MAX_CONFIGS];
};

/* Every layout, in --list-layouts order; *n receives the count. */
const struct qsim_layout *qsim_layouts(size_t *n);
/* The layout called name, or NULL. */
const struct qsim_layout *qsim_layout_find(const char *name);

/*
 * The configuration descriptor set (wTotalLength bytes) of configuration index idx at a speed:
 * full speed caps bulk endpoints at 64 bytes, SuperSpeed raises them to 1024 and adds an
 * endpoint companion after every endpoint. Returns the length (also when it exceeds cap, in
 * which case nothing past cap is written), or -EINVAL for a bad index.
 */
long qsim_layout_config_bytes(const struct qsim_layout *l, unsigned idx, enum qsim_speed speed,
			      uint8_t *buf, size_t cap);

#endif
