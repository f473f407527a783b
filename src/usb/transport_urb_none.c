/* SPDX-License-Identifier: MIT */
/* Where usbfs is not there (or not used): libusb's event handling runs every transfer. */
#include "usb/transport_internal.h"

#include <errno.h>

bool qusb_urb_built(void)
{
	return false;
}

int qusb_urb_start(struct qusb_tr *tr)
{
	(void)tr;
	return -ENOTSUP;
}

int qusb_urb_submit(struct qusb_slot *s)
{
	(void)s;
	return -ENOTSUP;
}

void qusb_urb_cancel(struct qusb_slot *s)
{
	(void)s;
}

void qusb_urb_drain(struct qusb_tr *tr, unsigned waits_ms)
{
	(void)tr;
	(void)waits_ms;
}
