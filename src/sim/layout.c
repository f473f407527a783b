/* SPDX-License-Identifier: MIT */
/*
 * Real modems' descriptor sets. Each table is the part after the configuration descriptor, at
 * high speed, with the endpoint addresses the device reports. The source of each is named next
 * to it; the interface numbers, class codes and endpoint kinds come from those dumps, and the
 * VID:PID:interface matches from the kernel's qmi_wwan table (mirrored in
 * quirks/qmi-devices.conf). Where a source shows only part of the set (an interface list, an
 * excerpt), the layout says which parts are filled in from the same vendor's other dumps.
 */
#include "sim/layout.h"

#include <errno.h>
#include <string.h>

#define IFACE(n, alt, eps, c, s, p) 9, 0x04, n, alt, eps, c, s, p, 0
#define EP(a, attr, mps, ival) 7, 0x05, a, attr, (mps)&0xff, (mps) >> 8, ival
#define BULK(a) EP(a, 0x02, 512, 0)
#define INTR(a, mps, ival) EP(a, 0x03, mps, ival)
#define IAD(first, count, c, s, p) 8, 0x0b, first, count, c, s, p, 0
/* The CDC header, call management, ACM and Union descriptors Qualcomm firmware puts on its
 * vendor-class serial interfaces (a Union naming interface 0 twice, which no driver follows). */
#define QC_SERIAL_CS                                                                               \
	5, 0x24, 0x00, 0x10, 0x01, 5, 0x24, 0x01, 0x00, 0x00, 4, 0x24, 0x02, 0x02, 5, 0x24, 0x06,  \
		0x00, 0x00
#define CDC_HEADER 5, 0x24, 0x00, 0x10, 0x01
#define CDC_UNION(m, s) 5, 0x24, 0x06, m, s

#define BODY(a) a, sizeof(a)

/*
 * Quectel EC25 (2c7c:0125), the layout EG25-G and EC21 share: DIAG, NMEA, AT, modem, QMI.
 * Sources: the interface list and drivers in https://bacnh.com/quectel-linux-usb-drivers-troubleshooting
 * and https://www.mail-archive.com/linux-usb@vger.kernel.org/msg88367.html (qmi_wwan on 1.4,
 * option on 0-3); qmi_wwan: QMI_MATCH_FF_FF_FF(0x2c7c, 0x0125) with the DTR quirk. Endpoint
 * sizes and intervals, and the CDC descriptors of the serial ports, are filled in from the
 * Qualcomm-based dumps named at rm500q below.
 */
static const uint8_t ec25_c1[] = {
	IFACE(0, 0, 2, 0xff, 0xff, 0xff),
	BULK(0x81),
	BULK(0x01),
	IFACE(1, 0, 3, 0xff, 0x00, 0x00),
	QC_SERIAL_CS,
	INTR(0x83, 10, 9),
	BULK(0x82),
	BULK(0x02),
	IFACE(2, 0, 3, 0xff, 0x00, 0x00),
	QC_SERIAL_CS,
	INTR(0x85, 10, 9),
	BULK(0x84),
	BULK(0x03),
	IFACE(3, 0, 3, 0xff, 0x00, 0x00),
	QC_SERIAL_CS,
	INTR(0x87, 10, 9),
	BULK(0x86),
	BULK(0x04),
	IFACE(4, 0, 3, 0xff, 0xff, 0xff),
	INTR(0x89, 8, 9),
	BULK(0x88),
	BULK(0x05),
};

/*
 * Sierra Wireless MC7455 (1199:9071): configuration 1 has DIAG (0), NMEA (2), AT (3) and two
 * QMI functions (8, 10); configuration 2 is MBIM (12 + 13), the one Linux picks because the
 * first interface of configuration 1 is vendor-specific. Source: the `lsusb -v` in
 * https://github.com/elementary/settings-network/issues/2 (QMI 8: interrupt 0x87 10 bytes
 * interval 9, bulk 0x86 / 0x04; configuration 2 wTotalLength 95) and
 * https://github.com/4IceG/luci-app-3ginfo-lite/issues/37 (the same firmware family, DW5811e:
 * DIAG ff/ff/ff on 0 with two bulk endpoints, serial ports ff/00/00); qmi_wwan:
 * QMI_QUIRK_SET_DTR(0x1199, 0x9071, 8) and (..., 10). Filled in: the addresses of 2, 3 and 10
 * (the excerpts show 8's), and the MBIM functional values of configuration 2 (its structure and
 * wTotalLength are the dump's).
 */
static const uint8_t mc7455_c1[] = {
	IFACE(0, 0, 2, 0xff, 0xff, 0xff),
	BULK(0x81),
	BULK(0x01),
	IFACE(2, 0, 3, 0xff, 0x00, 0x00),
	INTR(0x83, 10, 9),
	BULK(0x82),
	BULK(0x02),
	IFACE(3, 0, 3, 0xff, 0x00, 0x00),
	INTR(0x85, 10, 9),
	BULK(0x84),
	BULK(0x03),
	IFACE(8, 0, 3, 0xff, 0xff, 0xff),
	INTR(0x87, 10, 9),
	BULK(0x86),
	BULK(0x04),
	IFACE(10, 0, 3, 0xff, 0xff, 0xff),
	INTR(0x89, 10, 9),
	BULK(0x88),
	BULK(0x05),
};

static const uint8_t mc7455_c2[] = {
	IAD(12, 2, 0x02, 0x0e, 0x00),
	IFACE(12, 0, 1, 0x02, 0x0e, 0x00),
	CDC_HEADER,
	CDC_UNION(12, 13),
	/* MBIM functional: version 1.00, 4096-byte control messages, 32 filters of 128 bytes,
	 * 1500-byte segments; then MBIM extended: version 1.00, one outstanding command, MTU 1500. */
	12,
	0x24,
	0x1b,
	0x00,
	0x01,
	0x00,
	0x10,
	0x20,
	0x80,
	0xdc,
	0x05,
	0x20,
	8,
	0x24,
	0x1c,
	0x00,
	0x01,
	0x01,
	0xdc,
	0x05,
	INTR(0x82, 64, 9),
	IFACE(13, 0, 0, 0x0a, 0x00, 0x02),
	IFACE(13, 1, 2, 0x0a, 0x00, 0x02),
	BULK(0x81),
	BULK(0x01),
};

/*
 * Sierra Wireless MC7710 (1199:68a2) in QMI mode: DIAG (0), NMEA (2), AT modem (3) and one QMI
 * function (8), in its only configuration. Sources: the usb-devices listing quoted in
 * https://mail.gnome.org/archives/networkmanager-list/2013-January/msg00050.html (interfaces 0
 * and 2 with two endpoints, 3 and 8 with three, all ff/ff/ff), the `lsusb -v` of an MC7710 in
 * https://forum.sierrawireless.com/t/have-i-bricked-my-sierra-mc7710/8971 (one configuration,
 * wTotalLength 115, bmAttributes 0xe0, 0 mA; DIAG bulk IN 0x81 of 512 bytes with bInterval 32),
 * and the layout in the kernel's qcserial commit "USB: qcserial: adding Sierra Wireless
 * devices" (0 DM/DIAG, 2 NMEA, 3 AT, 8 QMI; 19 and 20 "not always present"); qmi_wwan:
 * QMI_FIXED_INTF(0x1199, 0x68a2, 8). Filled in: the addresses past interface 0, numbered as the
 * MC7455 dump above numbers its own.
 */
static const uint8_t mc7710_c1[] = {
	IFACE(0, 0, 2, 0xff, 0xff, 0xff),
	EP(0x81, 0x02, 512, 32),
	EP(0x01, 0x02, 512, 32),
	IFACE(2, 0, 2, 0xff, 0xff, 0xff),
	BULK(0x82),
	BULK(0x02),
	IFACE(3, 0, 3, 0xff, 0xff, 0xff),
	INTR(0x84, 10, 9),
	BULK(0x83),
	BULK(0x03),
	IFACE(8, 0, 3, 0xff, 0xff, 0xff),
	INTR(0x86, 10, 9),
	BULK(0x85),
	BULK(0x04),
};

/*
 * Sierra Wireless MC8355 (1199:9013), a Gobi 3000 module: QMI (0), DM/DIAG (1), AT modem (2),
 * NMEA (3), all ff/ff/ff, in its only configuration. Sources: the usb-devices listing of an
 * MC8355 in the Ubuntu Forums thread "Gobi 3000 on Verizon" (Networking & Wireless, July 2011:
 * four interfaces, 0 and 2 with three endpoints, 1 and 3 with two; bmAttributes 0xe0, 500 mA;
 * GobiNet on 0), the Gobi 2K+ layout in the kernel's qcserial driver (0 QMI/net, which it leaves
 * alone, 1 DM/DIAG, 2 AT-capable modem, 3 NMEA); qmi_wwan: QMI_GOBI_DEVICE(0x1199, 0x9013), a
 * fixed interface 0. Filled in: the endpoint addresses, sizes and intervals (the listing has no
 * endpoint lines), numbered as the MC7455 dump above numbers its own.
 */
static const uint8_t mc8355_c1[] = {
	IFACE(0, 0, 3, 0xff, 0xff, 0xff),
	INTR(0x82, 10, 9),
	BULK(0x81),
	BULK(0x01),
	IFACE(1, 0, 2, 0xff, 0xff, 0xff),
	BULK(0x83),
	BULK(0x02),
	IFACE(2, 0, 3, 0xff, 0xff, 0xff),
	INTR(0x85, 10, 9),
	BULK(0x84),
	BULK(0x03),
	IFACE(3, 0, 2, 0xff, 0xff, 0xff),
	BULK(0x86),
	BULK(0x04),
};

/*
 * Huawei E398 (12d1:1506) in "Windows mode": functions told apart by vendor class codes, not
 * interface numbers; QMI is the combined interface ff/01/11. Sources: the E398 `lsusb -v` and
 * Bjørn Mork's answer in http://mail.spinics.net/lists/linux-usb/msg55323.html (Huawei maps
 * functions by subclass/protocol), qmi_wwan: USB_VENDOR_AND_INTERFACE_INFO(HUAWEI_VENDOR_ID,
 * USB_CLASS_VENDOR_SPEC, 1, 17) "Huawei E392, E398 and possibly others in Windows mode".
 * Reconstructed: the class codes and the function list follow those sources; the endpoint
 * addresses, sizes and intervals were not in the parts read and are typical Huawei values.
 */
static const uint8_t e398_c1[] = {
	IFACE(0, 0, 3, 0xff, 0x01, 0x01),
	INTR(0x81, 16, 5),
	BULK(0x82),
	BULK(0x01),
	IFACE(1, 0, 2, 0xff, 0x01, 0x02),
	BULK(0x83),
	BULK(0x02),
	IFACE(2, 0, 2, 0xff, 0x01, 0x03),
	BULK(0x84),
	BULK(0x03),
	IFACE(3, 0, 3, 0xff, 0x01, 0x11),
	INTR(0x85, 16, 5),
	BULK(0x86),
	BULK(0x04),
	IFACE(4, 0, 2, 0x08, 0x06, 0x50),
	BULK(0x87),
	BULK(0x05),
	IFACE(5, 0, 2, 0x08, 0x06, 0x50),
	BULK(0x88),
	BULK(0x06),
};

/*
 * Huawei E398 in "Linux mode": the network function split into a control interface ff/01/09
 * (interrupt endpoint and CDC descriptors) and a CDC data interface found through the Union.
 * Sources: Bjørn Mork in http://lkml.iu.edu/hypermail/linux/kernel/1303.0/02135.html ("Linux
 * mode use split the control endpoint and data endpoints in separate interfaces"), the E398
 * interface list above; qmi_wwan: USB_VENDOR_AND_INTERFACE_INFO(HUAWEI_VENDOR_ID,
 * USB_CLASS_VENDOR_SPEC, 1, 9) ("CDC ECM like", matched on the control interface).
 * Reconstructed as e398 above; the Union and CDC Ethernet descriptors are the standard ones.
 */
static const uint8_t e398_union_c1[] = {
	IFACE(0, 0, 3, 0xff, 0x01, 0x01),
	INTR(0x81, 16, 5),
	BULK(0x82),
	BULK(0x01),
	IFACE(1, 0, 2, 0xff, 0x01, 0x02),
	BULK(0x83),
	BULK(0x02),
	IFACE(2, 0, 1, 0xff, 0x01, 0x09),
	CDC_HEADER,
	CDC_UNION(2, 3),
	/* CDC Ethernet: MAC address string 5, no statistics, 1514-byte segments. */
	13,
	0x24,
	0x0f,
	0x05,
	0,
	0,
	0,
	0,
	0xea,
	0x05,
	0,
	0,
	0,
	INTR(0x85, 16, 5),
	IFACE(3, 0, 0, 0x0a, 0x06, 0x00),
	IFACE(3, 1, 2, 0x0a, 0x06, 0x00),
	BULK(0x86),
	BULK(0x04),
	IFACE(4, 0, 2, 0x08, 0x06, 0x50),
	BULK(0x87),
	BULK(0x05),
};

/*
 * Huawei E3276 as 12d1:1401 (the composition the report shows after mode switching): two
 * ff/ff/ff interfaces with a bulk pair each, DIAG-shaped, no interrupt endpoint, no QMI function.
 * Source: the `lsusb -v` in https://lists.freedesktop.org/archives/libqmi-devel/2013-February/000513.html
 * (wTotalLength 55, two interfaces); qmi_wwan has no entry for 12d1:1401.
 */
static const uint8_t e3276_c1[] = {
	IFACE(0, 0, 2, 0xff, 0xff, 0xff), BULK(0x81), BULK(0x01),
	IFACE(1, 0, 2, 0xff, 0xff, 0xff), BULK(0x82), BULK(0x02),
};

/*
 * Quectel RM500Q-GL (2c7c:0800), USB 3: DIAG ff/ff/30 (0), three serial ports (1-3), QMI
 * ff/ff/ff (4). Sources: the Quectel 5G `lsusb -v` in
 * https://github.com/Kodo-kakaku/luci-app-gpoint/pull/23 (RM520N-GL: DIAG ff/ff/30 on 0),
 * https://github.com/geerlingguy/raspberry-pi-pcie-devices/issues/442 (SIM8200, same Qualcomm
 * SDX55 composition at SuperSpeed: interrupt 0x89 interval 9, bulk 0x88 1024 bytes, burst 0, the
 * Qualcomm CS descriptors); qmi_wwan: QMI_MATCH_FF_FF_FF(0x2c7c, 0x0800) with the DTR quirk.
 */
static const uint8_t rm500q_c1[] = {
	IFACE(0, 0, 2, 0xff, 0xff, 0x30),
	BULK(0x81),
	BULK(0x01),
	IFACE(1, 0, 3, 0xff, 0x00, 0x00),
	QC_SERIAL_CS,
	INTR(0x83, 10, 9),
	BULK(0x82),
	BULK(0x02),
	IFACE(2, 0, 3, 0xff, 0x00, 0x00),
	QC_SERIAL_CS,
	INTR(0x85, 10, 9),
	BULK(0x84),
	BULK(0x03),
	IFACE(3, 0, 3, 0xff, 0x00, 0x00),
	QC_SERIAL_CS,
	INTR(0x87, 10, 9),
	BULK(0x86),
	BULK(0x04),
	IFACE(4, 0, 3, 0xff, 0xff, 0xff),
	INTR(0x89, 8, 9),
	BULK(0x88),
	BULK(0x05),
};

static const struct qsim_layout layouts[] = {
	{
		.name = "ec25",
		.title = "Quectel EC25: DIAG, NMEA, AT, modem, QMI on 4",
		.source = "bacnh.com Quectel troubleshooting; linux-usb msg88367",
		.vid = 0x2c7c,
		.pid = 0x0125,
		.bcd_usb = 0x0200,
		.active = 1,
		.qmi_config = 1,
		.qmi_iface = 4,
		.n_configs = 1,
		.configs = { { 1, 0xa0, 250, 5, BODY(ec25_c1) } },
	},
	{
		.name = "mc7455",
		.title =
			"Sierra Wireless MC7455: QMI on 8 and 10 in configuration 1, MBIM in 2 (active)",
		.source = "elementary/settings-network#2; 4IceG/luci-app-3ginfo-lite#37",
		.vid = 0x1199,
		.pid = 0x9071,
		.bcd_usb = 0x0210,
		.active = 2,
		.qmi_config = 1,
		.qmi_iface = 8,
		.n_configs = 2,
		.configs = { { 1, 0xe0, 250, 5, BODY(mc7455_c1) },
			     { 2, 0xe0, 250, 2, BODY(mc7455_c2) } },
	},
	{
		.name = "mc7710",
		.title = "Sierra Wireless MC7710: DIAG, NMEA, AT, QMI on 8",
		.source = "networkmanager-list 2013-January/msg00050; Sierra forum t/8971",
		.vid = 0x1199,
		.pid = 0x68a2,
		.bcd_usb = 0x0200,
		.active = 1,
		.qmi_config = 1,
		.qmi_iface = 8,
		.n_configs = 1,
		.configs = { { 1, 0xe0, 0, 4, BODY(mc7710_c1) } },
	},
	{
		.name = "mc8355",
		.title = "Sierra Wireless MC8355 (Gobi 3000): QMI on 0, DIAG, AT modem, NMEA",
		.source = "Ubuntu Forums, Gobi 3000 on Verizon (2011); qcserial Gobi 2K+ layout",
		.vid = 0x1199,
		.pid = 0x9013,
		.bcd_usb = 0x0200,
		.active = 1,
		.qmi_config = 1,
		.qmi_iface = 0,
		.n_configs = 1,
		.configs = { { 1, 0xe0, 250, 4, BODY(mc8355_c1) } },
	},
	{
		.name = "e398",
		.title = "Huawei E398 (Windows mode): QMI by class code ff/01/11 on 3",
		.source = "linux-usb (spinics) msg55323",
		.vid = 0x12d1,
		.pid = 0x1506,
		.bcd_usb = 0x0200,
		.active = 1,
		.qmi_config = 1,
		.qmi_iface = 3,
		.n_configs = 1,
		.configs = { { 1, 0xa0, 250, 6, BODY(e398_c1) } },
	},
	{
		.name = "e398-union",
		.title = "Huawei E398 (Linux mode): QMI control ff/01/09 on 2, CDC Union data on 3",
		.source = "LKML 1303.0/02135 (Bjorn Mork); linux-usb (spinics) msg55323",
		.vid = 0x12d1,
		.pid = 0x1506,
		.bcd_usb = 0x0200,
		.active = 1,
		.qmi_config = 1,
		.qmi_iface = 2,
		.n_configs = 1,
		.configs = { { 1, 0xa0, 250, 5, BODY(e398_union_c1) } },
	},
	{
		.name = "e3276-diag",
		.title = "Huawei E3276 (12d1:1401): two DIAG-shaped ff/ff/ff, no QMI",
		.source = "libqmi-devel 2013-February/000513",
		.vid = 0x12d1,
		.pid = 0x1401,
		.bcd_usb = 0x0200,
		.active = 1,
		.qmi_config = 1,
		.qmi_iface = -1,
		.n_configs = 1,
		.configs = { { 1, 0x80, 250, 2, BODY(e3276_c1) } },
	},
	{
		.name = "rm500q",
		.title = "Quectel RM500Q-GL (5G, SuperSpeed): DIAG ff/ff/30, QMI on 4",
		.source =
			"Kodo-kakaku/luci-app-gpoint#23; geerlingguy/raspberry-pi-pcie-devices#442",
		.vid = 0x2c7c,
		.pid = 0x0800,
		.bcd_usb = 0x0320,
		.superspeed = true,
		.active = 1,
		.qmi_config = 1,
		.qmi_iface = 4,
		.n_configs = 1,
		.configs = { { 1, 0xa0, 112, 5, BODY(rm500q_c1) } },
	},
};

const struct qsim_layout *qsim_layouts(size_t *n)
{
	*n = sizeof(layouts) / sizeof(layouts[0]);
	return layouts;
}

const struct qsim_layout *qsim_layout_find(const char *name)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (strcmp(layouts[i].name, name) == 0)
			return &layouts[i];
	return NULL;
}

struct out {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct out *o, const uint8_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++, o->len++)
		if (o->len < o->cap)
			o->p[o->len] = v[i];
}

long qsim_layout_config_bytes(const struct qsim_layout *l, unsigned idx, enum qsim_speed speed,
			      uint8_t *buf, size_t cap)
{
	if (idx >= l->n_configs)
		return -EINVAL;
	const struct qsim_layout_config *c = &l->configs[idx];
	const uint8_t head[9] = { 9, 0x02,          0,           0, c->n_ifaces, c->value,
				  0, c->attributes, c->max_power };
	struct out o = { buf, 0, cap };

	put(&o, head, sizeof(head));
	for (size_t pos = 0; pos + 2 <= c->body_len && c->body[pos] >= 2; pos += c->body[pos]) {
		const uint8_t *d = c->body + pos;

		if (d[1] != 0x05 || d[0] != 7) {
			put(&o, d, d[0]);
			continue;
		}
		uint8_t ep[7];
		memcpy(ep, d, sizeof(ep));
		unsigned mps = (unsigned)(ep[4] | ep[5] << 8);
		bool bulk = (ep[3] & 3) == 2;

		if (bulk && speed == QSIM_FULL_SPEED)
			mps = 64;
		else if (bulk && speed == QSIM_SUPER_SPEED)
			mps = 1024;
		/* Full speed counts interrupt intervals in frames, high speed in 2^(n-1)
		 * microframes: 9 (32 ms) becomes 32 frames. */
		if (!bulk && speed == QSIM_FULL_SPEED && ep[6] > 4)
			ep[6] = ep[6] > 11 ? 255 : (uint8_t)(1u << (ep[6] - 4));
		ep[4] = (uint8_t)(mps & 0xff);
		ep[5] = (uint8_t)(mps >> 8);
		put(&o, ep, sizeof(ep));
		if (speed == QSIM_SUPER_SPEED) {
			/* No bursts or streams; an interrupt endpoint's bytes per interval are its
			 * packet size. */
			const uint8_t comp[6] = {
				6, 0x30, 0, 0, bulk ? 0 : ep[4], bulk ? 0 : ep[5]
			};
			put(&o, comp, sizeof(comp));
		}
	}
	if (o.len <= cap && o.len >= 4) {
		buf[2] = (uint8_t)(o.len & 0xff);
		buf[3] = (uint8_t)(o.len >> 8);
	}
	return (long)o.len;
}
