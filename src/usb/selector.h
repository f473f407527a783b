/* SPDX-License-Identifier: MIT */
/*
 * The `-d usb...` device selectors, parsed and matched without touching a device:
 *   usb                  the only QMI modem present
 *   usb:VID:PID[:IFACE]  4 hex digits each, IFACE decimal
 *   usb:BUS:ADDR         decimal, 1..3 digits each (as lsusb prints them: usb:001:005)
 *   usb:BUS-PORT.PATH    sysfs port path, e.g. usb:1-1.2 (optionally :IFACE, e.g. usb:1-1.2:4)
 *   usb:serial=S         iSerialNumber string
 */
#ifndef QUSB_SELECTOR_H
#define QUSB_SELECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUSB_MAX_PORTS 7 /* USB allows hubs 7 tiers deep */

enum qusb_sel_kind {
	QUSB_SEL_ANY,
	QUSB_SEL_IDS,
	QUSB_SEL_BUSADDR,
	QUSB_SEL_PATH,
	QUSB_SEL_SERIAL
};

struct qusb_selector {
	enum qusb_sel_kind kind;
	uint16_t vid, pid;
	int iface; /* -1 = any */
	uint8_t bus, addr;
	uint8_t ports[QUSB_MAX_PORTS];
	uint8_t n_ports;
	char serial[128];
};

/* What a selector is matched against: one candidate QMI function on one device. */
struct qusb_devid {
	uint16_t vid, pid;
	uint8_t bus, addr;
	const uint8_t *ports;
	uint8_t n_ports;
	const char *serial; /* NULL if unknown (unreadable) */
	uint8_t iface;      /* the QMI control interface */
};

/* 0, or -EINVAL with a message in err. */
int qusb_selector_parse(const char *s, struct qusb_selector *out, char *err, size_t errlen);
bool qusb_selector_match(const struct qusb_selector *sel, const struct qusb_devid *d);

/* "1-1.2" into buf; returns buf. */
char *qusb_port_path(uint8_t bus, const uint8_t *ports, uint8_t n_ports, char *buf, size_t len);

#endif
