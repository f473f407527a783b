/* SPDX-License-Identifier: MIT */
/*
 * Systems without Linux's sysfs: strings come from the device itself (scan.c falls back to
 * opening it), the bound kernel driver has no name we can learn (libusb only says whether one
 * is attached), and a vanished device is noticed through libusb's NO_DEVICE status alone.
 */
#include "usb/scan_internal.h"

void qusb_sys_read(const char *path, const char *attr, char *buf, size_t len)
{
	if (len)
		buf[0] = '\0';
}

bool qusb_sys_knows_drivers(void)
{
	return false;
}

void qusb_sysfs_driver(const char *path, uint8_t config, uint8_t iface, char *buf, size_t len)
{
	if (len)
		buf[0] = '\0';
}

bool qusb_sys_present(const char *path)
{
	return true;
}
