/* SPDX-License-Identifier: MIT */
/* The runtime path into the descriptor model: libusb's parsed config, as libusb_get_active_
 * config_descriptor() returns it, gives the same analysis as the raw bytes. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "usb/scan_internal.h"

static const unsigned char ctrl_extra[] = {
	5, 0x24, 0x00, 0x10, 0x01, /* CDC header */
	9, 0x21, 0x11, 0x01, 0,
	1, 0x22, 0x40, 0,       /* a HID descriptor: not CDC, must be dropped */
	5, 0x24, 0x06, 0,    1, /* CDC union: master 0, slave 1 */
};

Test(libusb_desc, union_and_alt_settings)
{
	struct libusb_endpoint_descriptor notify = {
		.bLength = 7,
		.bDescriptorType = 5,
		.bEndpointAddress = 0x83,
		.bmAttributes = 3,
		.wMaxPacketSize = 64,
	};
	struct libusb_endpoint_descriptor bulk[2] = {
		{ .bLength = 7,
		  .bDescriptorType = 5,
		  .bEndpointAddress = 0x82,
		  .bmAttributes = 2,
		  .wMaxPacketSize = 512 },
		{ .bLength = 7,
		  .bDescriptorType = 5,
		  .bEndpointAddress = 0x01,
		  .bmAttributes = 2,
		  .wMaxPacketSize = 512 },
	};
	struct libusb_interface_descriptor ctrl_alt = {
		.bLength = 9,
		.bDescriptorType = 4,
		.bInterfaceNumber = 0,
		.bNumEndpoints = 1,
		.bInterfaceClass = 0xff,
		.bInterfaceSubClass = 0xff,
		.bInterfaceProtocol = 0xff,
		.endpoint = &notify,
		.extra = ctrl_extra,
		.extra_length = sizeof(ctrl_extra),
	};
	struct libusb_interface_descriptor data_alts[2] = {
		{ .bLength = 9,
		  .bDescriptorType = 4,
		  .bInterfaceNumber = 1,
		  .bAlternateSetting = 0,
		  .bInterfaceClass = 0x0a },
		{ .bLength = 9,
		  .bDescriptorType = 4,
		  .bInterfaceNumber = 1,
		  .bAlternateSetting = 1,
		  .bNumEndpoints = 2,
		  .bInterfaceClass = 0x0a,
		  .endpoint = bulk },
	};
	struct libusb_interface ifs[2] = {
		{ .altsetting = &ctrl_alt, .num_altsetting = 1 },
		{ .altsetting = data_alts, .num_altsetting = 2 },
	};
	struct libusb_config_descriptor c = {
		.bLength = 9,
		.bDescriptorType = 2,
		.bNumInterfaces = 2,
		.bConfigurationValue = 3,
		.interface = ifs,
	};
	static struct qusb_config cfg;
	struct qusb_func f[2];

	qusb_config_from_libusb(&c, &cfg);
	cr_assert_eq(cfg.value, 3);
	cr_assert_eq(cfg.n_alts, 3);
	cr_assert_eq(cfg.alts[0].extra_len, 10, "only the CS_INTERFACE descriptors are kept");
	cr_assert_eq(qusb_find_qmi(&cfg, 0x1234, 0x0001, NULL, f, 2), 1);
	cr_assert(f[0].cdc_union);
	cr_assert_eq(f[0].ep_notify, 0x83);
	cr_assert_eq(f[0].notify_mps, 64);
	cr_assert_eq(f[0].data_iface, 1);
	cr_assert_eq(f[0].data_alt, 1);
	cr_assert_eq(f[0].ep_in, 0x82);
	cr_assert_eq(f[0].ep_out, 0x01);
}

Test(libusb_desc, errno_mapping)
{
	cr_assert_eq(qusb_errno(LIBUSB_ERROR_NO_DEVICE), -ENODEV);
	cr_assert_eq(qusb_errno(LIBUSB_ERROR_ACCESS), -EACCES);
	cr_assert_eq(qusb_errno(LIBUSB_ERROR_BUSY), -EBUSY);
	cr_assert_eq(qusb_errno(LIBUSB_ERROR_PIPE), -EPIPE);
	cr_assert_eq(qusb_errno(LIBUSB_ERROR_OTHER), -EIO);
	cr_assert_eq(qusb_errno(0), 0);
}
