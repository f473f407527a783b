/* SPDX-License-Identifier: MIT */
/* Systems whose arrivals qmiusb does not hear: the waiter's poll finds the modem. */
#include "usb/hotplug.h"

#include <errno.h>

int qusb_hotplug_watch(struct qusb_wait *w)
{
	(void)w;
	return -ENOTSUP;
}

void qusb_hotplug_unwatch(struct qusb_wait *w)
{
	(void)w;
}
