/* SPDX-License-Identifier: MIT */
/* Descriptor analysis over captured configuration descriptor sets. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "usb/desc.h"

#define CFG(nif) 9, 0x02, 0, 0, nif, 1, 0, 0x80, 250
#define IF(num, alt, neps, c, s, p) 9, 0x04, num, alt, neps, c, s, p, 0
#define EP(addr, attr, mps, ival) 7, 0x05, addr, attr, (mps)&0xff, (mps) >> 8, ival
#define INTR_IN(a, mps) EP(a, 0x03, mps, 9)
#define BULK(a, mps) EP(a, 0x02, mps, 0)
#define CDC_HEADER 5, 0x24, 0x00, 0x10, 0x01
#define CDC_UNION(m, s) 5, 0x24, 0x06, m, s
#define CDC_ETHER 13, 0x24, 0x0f, 1, 0, 0, 0, 0, 0xea, 0x05, 0, 0, 0

/* Sets wTotalLength, as a device does. */
static size_t fix(uint8_t *b, size_t len)
{
	b[2] = (uint8_t)(len & 0xff);
	b[3] = (uint8_t)(len >> 8);
	return len;
}

static struct qusb_config cfg;

static int analyse(uint8_t *raw, size_t len, uint16_t vid, uint16_t pid,
		   const struct qusb_quirks *q, struct qusb_func *out, size_t cap)
{
	cr_assert_eq(qusb_config_parse(raw, fix(raw, len), &cfg), 0);
	return qusb_find_qmi(&cfg, vid, pid, q, out, cap);
}

static void quirks_from(struct qusb_quirks *q, const char *text)
{
	qusb_quirks_init(q);
	cr_assert_eq(qusb_quirks_parse(q, text, strlen(text), "test.conf", NULL, NULL), 0);
}

/* The software modem's FunctionFS gadget as dummy_hcd enumerates it (high speed): one vendor
 * interface; the UDC picked 0x81 / 0x86 / 0x02, not the placeholders the gadget wrote. */
static uint8_t gadget[] = {
	CFG(1), IF(0, 0, 3, 0xff, 0xff, 0xff), INTR_IN(0x81, 8), BULK(0x86, 512), BULK(0x02, 512),
};

Test(desc, gadget_generic_rule)
{
	struct qusb_func f[4];
	int n = analyse(gadget, sizeof(gadget), 0x1234, 0x5678, NULL, f, 4);
	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].why, QUSB_WHY_GENERIC);
	cr_assert_eq(f[0].ctrl_iface, 0);
	cr_assert_eq(f[0].data_iface, 0);
	cr_assert_eq(f[0].ep_notify, 0x81);
	cr_assert_eq(f[0].notify_mps, 8);
	cr_assert_eq(f[0].ep_in, 0x86);
	cr_assert_eq(f[0].ep_out, 0x02);
	cr_assert_eq(f[0].bulk_mps, 512);
	cr_assert_not(f[0].cdc_union);
	cr_assert_eq(f[0].flags, 0);
	char why[64];
	qusb_func_why(&f[0], why, sizeof(why));
	cr_assert_str_eq(why, "generic ff/ff/ff");
}

Test(desc, gadget_quirk_with_dtr)
{
	struct qusb_quirks q;
	struct qusb_func f[4];
	quirks_from(&q, "# Quectel\n2c7c:0125:*  class=ff/ff/ff dtr  # Quectel EC25\n");
	int n = analyse(gadget, sizeof(gadget), 0x2c7c, 0x0125, &q, f, 4);
	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].why, QUSB_WHY_QUIRK);
	cr_assert(f[0].flags & QUSB_QUIRK_DTR);
	char why[64];
	qusb_func_why(&f[0], why, sizeof(why));
	cr_assert_str_eq(why, "quirk test.conf:2");
	qusb_quirks_clear(&q);
}

/* Quectel EC25 in its usual layout: DIAG (ff/ff/ff, 2 endpoints), three serial ports (ff/00/00
 * with their own interrupt endpoints) and QMI on interface 4. */
static uint8_t ec25[] = {
	CFG(5),
	IF(0, 0, 2, 0xff, 0xff, 0xff),
	BULK(0x81, 512),
	BULK(0x01, 512),
	IF(1, 0, 3, 0xff, 0x00, 0x00),
	INTR_IN(0x83, 10),
	BULK(0x82, 512),
	BULK(0x02, 512),
	IF(2, 0, 3, 0xff, 0x00, 0x00),
	INTR_IN(0x85, 10),
	BULK(0x84, 512),
	BULK(0x03, 512),
	IF(3, 0, 3, 0xff, 0x00, 0x00),
	INTR_IN(0x87, 10),
	BULK(0x86, 512),
	BULK(0x04, 512),
	IF(4, 0, 3, 0xff, 0xff, 0xff),
	INTR_IN(0x89, 8),
	BULK(0x88, 512),
	BULK(0x05, 512),
};

Test(desc, diag_interface_rejected)
{
	struct qusb_func f[8];
	int n = analyse(ec25, sizeof(ec25), 0x2c7c, 0x0125, NULL, f, 8);
	cr_assert_eq(n, 1, "only the QMI interface, not DIAG nor the serial ports (got %d)", n);
	cr_assert_eq(f[0].ctrl_iface, 4);
	cr_assert_eq(f[0].ep_notify, 0x89);
	cr_assert_eq(f[0].ep_in, 0x88);
	cr_assert_eq(f[0].ep_out, 0x05);
}

Test(desc, diag_rejected_even_when_quirk_matches)
{
	struct qusb_quirks q;
	struct qusb_func f[8];
	quirks_from(&q, "2c7c:0125:* class=ff/ff/ff dtr\n2c7c:0125:0\n");
	int n = analyse(ec25, sizeof(ec25), 0x2c7c, 0x0125, &q, f, 8);
	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].ctrl_iface, 4);
	qusb_quirks_clear(&q);
}

Test(desc, user_ignore_overrides_shipped_entry)
{
	struct qusb_quirks q;
	struct qusb_func f[8];
	quirks_from(&q, "2c7c:0125:* class=ff/ff/ff dtr\n");
	const char *user = "2c7c:0125:4 ignore\n";
	cr_assert_eq(qusb_quirks_parse(&q, user, strlen(user), "user.conf", NULL, NULL), 0);
	cr_assert_eq(analyse(ec25, sizeof(ec25), 0x2c7c, 0x0125, &q, f, 8), 0);
	qusb_quirks_clear(&q);
}

Test(desc, fixed_interface_quirk_picks_serial_shaped_interface)
{
	/* Interface-number quirks exist because vendor interfaces look alike: interface 2 of
	 * this layout is QMI for a device whose table entry says so, and for that device the
	 * table alone decides, as qmi_wwan's does: interface 4, QMI-shaped, is not taken. */
	struct qusb_quirks q;
	struct qusb_func f[8];
	quirks_from(&q, "1199:68c0:2 dtr\n");
	int n = analyse(ec25, sizeof(ec25), 0x1199, 0x68c0, &q, f, 8);
	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].ctrl_iface, 2);
	cr_assert_eq(f[0].why, QUSB_WHY_QUIRK);
	cr_assert(f[0].flags & QUSB_QUIRK_DTR);
	/* Another VID:PID the table does not name: the generic rule finds 4. */
	n = analyse(ec25, sizeof(ec25), 0x1199, 0x68c1, &q, f, 8);
	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].ctrl_iface, 4);
	cr_assert_eq(f[0].why, QUSB_WHY_GENERIC);
	qusb_quirks_clear(&q);
}

/* Dell 5804 / Novatel E371 style: CDC ECM-like control interface (02/06/00) with a Union to a
 * data interface whose alt 0 has no endpoints and alt 1 carries the bulk pair. */
static uint8_t cdc_union_dev[] = {
	CFG(2),
	IF(0, 0, 1, 0x02, 0x06, 0x00),
	CDC_HEADER,
	CDC_UNION(0, 1),
	CDC_ETHER,
	INTR_IN(0x83, 64),
	IF(1, 0, 0, 0x0a, 0x00, 0x00),
	IF(1, 1, 2, 0x0a, 0x00, 0x00),
	BULK(0x82, 512),
	BULK(0x01, 512),
};

Test(desc, cdc_union_with_alt_settings)
{
	struct qusb_quirks q;
	struct qusb_func f[4];
	quirks_from(&q, "413c:819b:* class=02/06/00\n");
	int n = analyse(cdc_union_dev, sizeof(cdc_union_dev), 0x413c, 0x819b, &q, f, 4);
	cr_assert_eq(n, 1);
	cr_assert(f[0].cdc_union);
	cr_assert_eq(f[0].ctrl_iface, 0);
	cr_assert_eq(f[0].ctrl_alt, 0);
	cr_assert_eq(f[0].ep_notify, 0x83);
	cr_assert_eq(f[0].notify_mps, 64);
	cr_assert_eq(f[0].data_iface, 1);
	cr_assert_eq(f[0].data_alt, 1, "the alt setting with the bulk pair, read from descriptors");
	cr_assert_eq(f[0].ep_in, 0x82);
	cr_assert_eq(f[0].ep_out, 0x01);
	char why[64];
	qusb_func_why(&f[0], why, sizeof(why));
	cr_assert_str_eq(why, "quirk test.conf:1 + CDC Union");
	qusb_quirks_clear(&q);
}

Test(desc, cdc_union_standard_class_not_generic)
{
	/* A plain CDC ECM device (a USB Ethernet adapter) must not be taken for a modem. */
	struct qusb_func f[4];
	cr_assert_eq(analyse(cdc_union_dev, sizeof(cdc_union_dev), 0x0b95, 0x1790, NULL, f, 4), 0);
}

/* Vendor-class control interface with a Union to a vendor-class data interface (2 bulk
 * endpoints: would look like DIAG on its own). Found once, through either side. */
static uint8_t vendor_union[] = {
	CFG(2),
	IF(0, 0, 1, 0xff, 0xff, 0xff),
	CDC_HEADER,
	CDC_UNION(0, 1),
	INTR_IN(0x81, 16),
	IF(1, 0, 2, 0xff, 0xff, 0xff),
	BULK(0x82, 64),
	BULK(0x03, 64),
};

Test(desc, vendor_union_found_once)
{
	struct qusb_func f[4];
	int n = analyse(vendor_union, sizeof(vendor_union), 0x1234, 0x0001, NULL, f, 4);
	cr_assert_eq(n, 1);
	cr_assert(f[0].cdc_union);
	cr_assert_eq(f[0].ctrl_iface, 0);
	cr_assert_eq(f[0].data_iface, 1);
	cr_assert_eq(f[0].ep_in, 0x82);
	cr_assert_eq(f[0].ep_out, 0x03);
	cr_assert_eq(f[0].bulk_mps, 64);
}

/* A combined vendor interface whose endpoints only exist in alternate setting 1. */
static uint8_t alt_combined[] = {
	CFG(1),
	IF(0, 0, 0, 0xff, 0xff, 0xff),
	IF(0, 1, 3, 0xff, 0xff, 0xff),
	BULK(0x02, 512),
	INTR_IN(0x83, 8),
	BULK(0x84, 512),
	IF(0, 2, 2, 0xff, 0xff, 0xff),
	BULK(0x05, 512),
	BULK(0x86, 512),
};

Test(desc, alternate_setting_with_endpoints)
{
	struct qusb_func f[4];
	int n = analyse(alt_combined, sizeof(alt_combined), 0x1234, 0x0002, NULL, f, 4);
	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].ctrl_alt, 1);
	cr_assert_eq(f[0].data_alt, 1);
	cr_assert_eq(f[0].ep_notify, 0x83);
	cr_assert_eq(f[0].ep_in, 0x84);
	cr_assert_eq(f[0].ep_out, 0x02);
}

Test(desc, interface_number_quirk_needs_vendor_class)
{
	/* qmi_wwan: the same number can be another function (here a CDC ACM port). */
	static uint8_t acm[] = {
		CFG(2),
		IF(0, 0, 1, 0x02, 0x02, 0x01),
		CDC_HEADER,
		CDC_UNION(0, 1),
		INTR_IN(0x81, 16),
		IF(1, 0, 2, 0x0a, 0x00, 0x00),
		BULK(0x82, 64),
		BULK(0x03, 64),
	};
	struct qusb_quirks q;
	struct qusb_func f[4];
	quirks_from(&q, "05c6:9025:0\n");
	cr_assert_eq(analyse(acm, sizeof(acm), 0x05c6, 0x9025, &q, f, 4), 0);
	qusb_quirks_clear(&q);
}

Test(desc, malformed_sets_rejected)
{
	uint8_t a[sizeof(gadget)];
	memcpy(a, gadget, sizeof(a));
	fix(a, sizeof(a));
	/* truncated buffer (wTotalLength says more) */
	cr_assert_eq(qusb_config_parse(a, sizeof(a) - 1, &cfg), -EBADMSG);
	/* zero-length descriptor inside */
	a[9] = 0;
	cr_assert_eq(qusb_config_parse(a, sizeof(a), &cfg), -EBADMSG);
	/* descriptor running past the end */
	memcpy(a, gadget, sizeof(a));
	fix(a, sizeof(a));
	a[sizeof(a) - 7] = 8;
	cr_assert_eq(qusb_config_parse(a, sizeof(a), &cfg), -EBADMSG);
	/* not a configuration descriptor */
	memcpy(a, gadget, sizeof(a));
	fix(a, sizeof(a));
	a[1] = 0x01;
	cr_assert_eq(qusb_config_parse(a, sizeof(a), &cfg), -EBADMSG);
	/* short interface descriptor */
	static uint8_t shortif[] = { CFG(1), 5, 0x04, 0, 0, 3 };
	cr_assert_eq(qusb_config_parse(shortif, fix(shortif, sizeof(shortif)), &cfg), -EBADMSG);
	cr_assert_eq(qusb_config_parse(a, 3, &cfg), -EBADMSG);
}

Test(desc, interface_without_bulk_pair_ignored)
{
	static uint8_t half[] = {
		CFG(1),          IF(0, 0, 3, 0xff, 0xff, 0xff), INTR_IN(0x81, 8), BULK(0x82, 512),
		BULK(0x83, 512), /* two IN, no OUT */
	};
	struct qusb_func f[2];
	cr_assert_eq(analyse(half, sizeof(half), 1, 2, NULL, f, 2), 0);
}

Test(desc, count_does_not_depend_on_cap)
{
	/* Both sides of the Union find the same function; with no room to store it the
	 * duplicate used to go unnoticed and count twice. */
	struct qusb_func f[4];
	cr_assert_eq(analyse(vendor_union, sizeof(vendor_union), 0x1234, 0x0001, NULL, f, 4), 1);
	cr_assert_eq(qusb_find_qmi(&cfg, 0x1234, 0x0001, NULL, NULL, 0), 1);
	cr_assert_eq(qusb_find_qmi(&cfg, 0x1234, 0x0001, NULL, f, 1), 1);
}

Test(desc, short_output_gets_the_lowest_control_interfaces)
{
	/* Two generic functions, the higher interface number first in the descriptors. */
	static uint8_t two[] = {
		CFG(2),          IF(5, 0, 3, 0xff, 0xff, 0xff), INTR_IN(0x85, 8), BULK(0x84, 512),
		BULK(0x04, 512), IF(2, 0, 3, 0xff, 0xff, 0xff), INTR_IN(0x83, 8), BULK(0x82, 512),
		BULK(0x02, 512),
	};
	struct qusb_func f[2];
	cr_assert_eq(analyse(two, sizeof(two), 0x1234, 0x0003, NULL, f, 1), 2);
	cr_assert_eq(f[0].ctrl_iface, 2, "ordered by control interface, got %u", f[0].ctrl_iface);
	cr_assert_eq(f[0].ep_notify, 0x83);
}

Test(desc, veto_holds_for_both_sides_of_a_union)
{
	/* An ignore entry on either interface of a Union function keeps the whole function out,
	 * whichever side the analysis reaches it from. */
	static const char *const vetoes[] = { "1234:0001:0 ignore\n", "1234:0001:1 ignore\n" };
	for (size_t i = 0; i < 2; i++) {
		struct qusb_quirks q;
		struct qusb_func f[4];
		quirks_from(&q, vetoes[i]);
		cr_assert_eq(analyse(vendor_union, sizeof(vendor_union), 0x1234, 0x0001, &q, f, 4),
			     0, "%s", vetoes[i]);
		qusb_quirks_clear(&q);
	}
}
