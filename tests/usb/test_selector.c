/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "usb/selector.h"

static struct qusb_selector s;
static char err[256];

static int parse(const char *str)
{
	err[0] = '\0';
	return qusb_selector_parse(str, &s, err, sizeof(err));
}

Test(selector, any)
{
	cr_assert_eq(parse("usb"), 0);
	cr_assert_eq(s.kind, QUSB_SEL_ANY);
	cr_assert_eq(s.iface, -1);
}

Test(selector, vid_pid_and_interface)
{
	cr_assert_eq(parse("usb:2c7c:0125"), 0);
	cr_assert_eq(s.kind, QUSB_SEL_IDS);
	cr_assert_eq(s.vid, 0x2c7c);
	cr_assert_eq(s.pid, 0x0125);
	cr_assert_eq(s.iface, -1);
	cr_assert_eq(parse("usb:2C7C:0125:4"), 0);
	cr_assert_eq(s.vid, 0x2c7c);
	cr_assert_eq(s.iface, 4);
}

Test(selector, bus_addr)
{
	cr_assert_eq(parse("usb:001:005"), 0);
	cr_assert_eq(s.kind, QUSB_SEL_BUSADDR);
	cr_assert_eq(s.bus, 1);
	cr_assert_eq(s.addr, 5);
	cr_assert_eq(parse("usb:3:17"), 0);
	cr_assert_eq(s.bus, 3);
	cr_assert_eq(s.addr, 17);
}

Test(selector, port_path)
{
	cr_assert_eq(parse("usb:1-1.2"), 0);
	cr_assert_eq(s.kind, QUSB_SEL_PATH);
	cr_assert_eq(s.bus, 1);
	cr_assert_eq(s.n_ports, 2);
	cr_assert_eq(s.ports[0], 1);
	cr_assert_eq(s.ports[1], 2);
	cr_assert_eq(s.iface, -1);
	cr_assert_eq(parse("usb:2-3.1.4:4"), 0);
	cr_assert_eq(s.bus, 2);
	cr_assert_eq(s.n_ports, 3);
	cr_assert_eq(s.ports[2], 4);
	cr_assert_eq(s.iface, 4);
	cr_assert_eq(parse("usb:1-1"), 0);
	cr_assert_eq(s.n_ports, 1);
}

Test(selector, serial)
{
	cr_assert_eq(parse("usb:serial=ABC-123:x"), 0);
	cr_assert_eq(s.kind, QUSB_SEL_SERIAL);
	cr_assert_str_eq(s.serial, "ABC-123:x");
}

Test(selector, rejects)
{
	static const char *bad[] = {
		"",
		"sim",
		"usbx",
		"usb:",
		"usb:2c7c",
		"usb:2c7c:125",
		"usb:2c7g:0125",
		"usb:2c7c:0125:x",
		"usb:2c7c:0125:256",
		"usb:2c7c:0125:1:2",
		"usb:0:5",
		"usb:1:0",
		"usb:1:128",
		"usb:1000:1",
		"usb:1-",
		"usb:1-1.",
		"usb:1-1..2",
		"usb:-1",
		"usb:1-0",
		"usb:1-1.2.3.4.5.6.7.8",
		"usb:1-1:x",
		"usb:serial=",
		"usb:a-1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(parse(bad[i]), -EINVAL, "accepted \"%s\"", bad[i]);
		cr_assert(strstr(err, "bad device selector"), "no message for \"%s\"", bad[i]);
	}
	cr_assert_eq(qusb_selector_parse(NULL, &s, err, sizeof(err)), -EINVAL);
}

Test(selector, match)
{
	uint8_t ports[] = { 1, 2 };
	struct qusb_devid d = {
		.vid = 0x2c7c,
		.pid = 0x0125,
		.bus = 1,
		.addr = 5,
		.ports = ports,
		.n_ports = 2,
		.serial = "SN1",
		.iface = 4,
	};
	cr_assert_eq(parse("usb"), 0);
	cr_assert(qusb_selector_match(&s, &d));
	cr_assert_eq(parse("usb:2c7c:0125"), 0);
	cr_assert(qusb_selector_match(&s, &d));
	cr_assert_eq(parse("usb:2c7c:0125:4"), 0);
	cr_assert(qusb_selector_match(&s, &d));
	cr_assert_eq(parse("usb:2c7c:0125:3"), 0);
	cr_assert_not(qusb_selector_match(&s, &d));
	cr_assert_eq(parse("usb:2c7c:0126"), 0);
	cr_assert_not(qusb_selector_match(&s, &d));
	cr_assert_eq(parse("usb:1:5"), 0);
	cr_assert(qusb_selector_match(&s, &d));
	cr_assert_eq(parse("usb:1:6"), 0);
	cr_assert_not(qusb_selector_match(&s, &d));
	cr_assert_eq(parse("usb:1-1.2"), 0);
	cr_assert(qusb_selector_match(&s, &d));
	cr_assert_eq(parse("usb:1-1"), 0);
	cr_assert_not(qusb_selector_match(&s, &d));
	cr_assert_eq(parse("usb:1-1.2.1"), 0);
	cr_assert_not(qusb_selector_match(&s, &d));
	cr_assert_eq(parse("usb:serial=SN1"), 0);
	cr_assert(qusb_selector_match(&s, &d));
	cr_assert_eq(parse("usb:serial=SN"), 0);
	cr_assert_not(qusb_selector_match(&s, &d));
	d.serial = NULL;
	cr_assert_eq(parse("usb:serial=SN1"), 0);
	cr_assert_not(qusb_selector_match(&s, &d));
}

Test(selector, port_path_format)
{
	char buf[32];
	uint8_t ports[] = { 1, 2, 14 };
	cr_assert_str_eq(qusb_port_path(3, ports, 3, buf, sizeof(buf)), "3-1.2.14");
	cr_assert_str_eq(qusb_port_path(1, ports, 1, buf, sizeof(buf)), "1-1");
}
