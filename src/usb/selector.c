/* SPDX-License-Identifier: MIT */
#include "usb/selector.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static bool all(const char *s, size_t n, int (*pred)(int))
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!pred((unsigned char)s[i]))
			return false;
	return true;
}

static unsigned num(const char *s, size_t n, unsigned base)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		int c = tolower((unsigned char)s[i]);
		v = v * base + (unsigned)(isdigit(c) ? c - '0' : c - 'a' + 10);
	}
	return v;
}

static int fail(char *err, size_t errlen, const char *s, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "bad device selector \"%s\": %s", s, why);
	return -EINVAL;
}

/* Decimal 0..255 in [s, s+n). */
static bool dec_u8(const char *s, size_t n, uint8_t *out)
{
	if (n == 0 || n > 3 || !all(s, n, isdigit))
		return false;
	unsigned v = num(s, n, 10);
	if (v > 255)
		return false;
	*out = (uint8_t)v;
	return true;
}

static int parse_path(const char *full, const char *p, struct qusb_selector *o, char *err,
		      size_t errlen)
{
	const char *dash = strchr(p, '-');
	const char *colon = strchr(p, ':');
	const char *end = colon ? colon : p + strlen(p);

	if (!dec_u8(p, (size_t)(dash - p), &o->bus) || o->bus == 0)
		return fail(err, errlen, full, "bus number must be 1..255");
	const char *q = dash + 1;
	while (q <= end) {
		const char *dot = memchr(q, '.', (size_t)(end - q));
		const char *pe = dot ? dot : end;
		uint8_t port;
		if (o->n_ports == QUSB_MAX_PORTS)
			return fail(err, errlen, full, "port path deeper than 7 hubs");
		if (!dec_u8(q, (size_t)(pe - q), &port) || port == 0)
			return fail(err, errlen, full,
				    "port numbers must be 1..255, separated by '.'");
		o->ports[o->n_ports++] = port;
		if (!dot)
			break;
		q = dot + 1;
	}
	if (colon) {
		uint8_t ifn;
		if (!dec_u8(colon + 1, strlen(colon + 1), &ifn))
			return fail(err, errlen, full,
				    "interface after the port path must be decimal");
		o->iface = ifn;
	}
	o->kind = QUSB_SEL_PATH;
	return 0;
}

int qusb_selector_parse(const char *s, struct qusb_selector *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->iface = -1;
	if (!s || strncmp(s, "usb", 3) != 0)
		return fail(err, errlen, s ? s : "(null)", "does not start with \"usb\"");
	if (s[3] == '\0') {
		out->kind = QUSB_SEL_ANY;
		return 0;
	}
	if (s[3] != ':' || s[4] == '\0')
		return fail(err, errlen, s, "expected usb or usb:...");
	const char *p = s + 4;

	if (strncmp(p, "serial=", 7) == 0) {
		size_t n = strlen(p + 7);
		if (n == 0)
			return fail(err, errlen, s, "empty serial");
		if (n >= sizeof(out->serial))
			return fail(err, errlen, s, "serial too long");
		memcpy(out->serial, p + 7, n + 1);
		out->kind = QUSB_SEL_SERIAL;
		return 0;
	}
	if (strchr(p, '-'))
		return parse_path(s, p, out, err, errlen);

	/* Two or three colon-separated fields: VID:PID[:IFACE] or BUS:ADDR. */
	const char *f[3];
	size_t n[3], nf = 0;
	for (const char *q = p;; nf++) {
		if (nf == 3)
			return fail(err, errlen, s, "too many ':' fields");
		const char *c = strchr(q, ':');
		f[nf] = q;
		n[nf] = c ? (size_t)(c - q) : strlen(q);
		if (!c) {
			nf++;
			break;
		}
		q = c + 1;
	}
	if (nf < 2)
		return fail(
			err, errlen, s,
			"expected usb:VID:PID[:IFACE], usb:BUS:ADDR, usb:BUS-PORT.PATH or usb:serial=S");
	if (n[0] == 4 && n[1] == 4 && all(f[0], 4, isxdigit) && all(f[1], 4, isxdigit)) {
		out->kind = QUSB_SEL_IDS;
		out->vid = (uint16_t)num(f[0], 4, 16);
		out->pid = (uint16_t)num(f[1], 4, 16);
		if (nf == 3) {
			uint8_t ifn;
			if (!dec_u8(f[2], n[2], &ifn))
				return fail(err, errlen, s, "interface must be decimal 0..255");
			out->iface = ifn;
		}
		return 0;
	}
	if (nf == 2 && n[0] <= 3 && n[1] <= 3 && dec_u8(f[0], n[0], &out->bus) &&
	    dec_u8(f[1], n[1], &out->addr)) {
		if (out->bus == 0 || out->addr == 0 || out->addr > 127)
			return fail(err, errlen, s, "bus must be 1..255 and address 1..127");
		out->kind = QUSB_SEL_BUSADDR;
		return 0;
	}
	return fail(
		err, errlen, s,
		"IDs are 4 hex digits (usb:2c7c:0125), bus/address up to 3 decimal digits (usb:1:5)");
}

bool qusb_selector_match(const struct qusb_selector *sel, const struct qusb_devid *d)
{
	if (sel->iface >= 0 && sel->iface != d->iface)
		return false;
	switch (sel->kind) {
	case QUSB_SEL_ANY:
		return true;
	case QUSB_SEL_IDS:
		return sel->vid == d->vid && sel->pid == d->pid;
	case QUSB_SEL_BUSADDR:
		return sel->bus == d->bus && sel->addr == d->addr;
	case QUSB_SEL_PATH:
		return sel->bus == d->bus && sel->n_ports == d->n_ports &&
		       memcmp(sel->ports, d->ports, d->n_ports) == 0;
	case QUSB_SEL_SERIAL:
		return d->serial && strcmp(sel->serial, d->serial) == 0;
	}
	return false;
}

char *qusb_port_path(uint8_t bus, const uint8_t *ports, uint8_t n_ports, char *buf, size_t len)
{
	size_t o = 0;
	int w = snprintf(buf, len, "%u-", bus);
	if (w < 0 || (size_t)w >= len)
		return buf;
	o = (size_t)w;
	for (uint8_t i = 0; i < n_ports; i++) {
		w = snprintf(buf + o, len - o, i ? ".%u" : "%u", ports[i]);
		if (w < 0 || (size_t)w >= len - o)
			break;
		o += (size_t)w;
	}
	if (n_ports == 0 && o > 0)
		buf[o - 1] =
			'\0'; /* a root hub has no port path: "usb1" style is not ours to print */
	return buf;
}
