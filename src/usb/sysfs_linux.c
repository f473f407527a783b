/* SPDX-License-Identifier: MIT */
/*
 * What Linux's sysfs says about a USB device without opening it: its strings (no permission
 * needed), the kernel driver bound to an interface, and whether the device is still on the bus.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "usb/scan_internal.h"

void qusb_sys_read(const char *path, const char *attr, char *buf, size_t len)
{
	char p[PATH_MAX];
	buf[0] = '\0';
	if (snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s/%s", path, attr) >= (int)sizeof(p))
		return;
	FILE *f = fopen(p, "re");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	else
		buf[0] = '\0';
	fclose(f);
}

bool qusb_sys_knows_drivers(void)
{
	return true;
}

void qusb_sysfs_driver(const char *path, uint8_t config, uint8_t iface, char *buf, size_t len)
{
	char p[PATH_MAX], target[PATH_MAX];
	buf[0] = '\0';
	if (snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s:%u.%u/driver", path, config, iface) >=
	    (int)sizeof(p))
		return;
	ssize_t n = readlink(p, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	const char *slash = strrchr(target, '/');
	const char *name = slash ? slash + 1 : target;
	size_t nlen = strlen(name);

	/* A cut name could pass for another driver: one that does not fit stays unknown. */
	if (nlen < len)
		memcpy(buf, name, nlen + 1);
}

/* A disconnect shows up as transfer errors for a few moments before usbfs reports it; sysfs
 * drops the device at the same time. Without sysfs mounted only libusb's own NO_DEVICE can tell. */
bool qusb_sys_present(const char *path)
{
	char p[PATH_MAX];
	struct stat st;
	if (stat("/sys/bus/usb/devices", &st) != 0)
		return true;
	if (snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s", path) >= (int)sizeof(p))
		return true;
	return stat(p, &st) == 0;
}
