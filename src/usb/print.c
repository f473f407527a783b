/* SPDX-License-Identifier: MIT */
/* `qmiusb list` output. */
#include "usb/usb.h"
#include "usb/scan_internal.h"

#include <string.h>

static const char *or_dash(const char *s)
{
	return s[0] ? s : "-";
}

/* Where the system cannot name kernel drivers (no sysfs), say so rather than print "none". */
static const char *driver_text(const struct qusb_entry *e)
{
	if (e->driver[0])
		return e->driver;
	if (qusb_sys_knows_drivers())
		return e->driver_active == 1 ? "(unknown)" : "none";
	if (e->driver_active == 1)
		return "(a kernel driver is attached; this system does not name it)";
	if (e->driver_active == 0)
		return "none";
	return "(unknown: this system does not name kernel drivers)";
}

void qusb_print_entries(FILE *f, const struct qusb_entry *v, size_t n)
{
	if (n == 0) {
		fprintf(f, "no QMI modem found on USB\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct qusb_entry *e = &v[i];
		const struct qusb_func *fn = &e->func;
		fprintf(f, "usb:%s:%u  %04x:%04x  bus %03u addr %03u  %s %s\n", e->path,
			fn->ctrl_iface, e->vid, e->pid, e->bus, e->addr, or_dash(e->manufacturer),
			or_dash(e->product));
		fprintf(f, "  serial:    %s\n", or_dash(e->serial));
		fprintf(f, "  interface: %u (notify 0x%02x, mps %u)", fn->ctrl_iface, fn->ep_notify,
			fn->notify_mps);
		if (fn->data_iface != fn->ctrl_iface || fn->data_alt)
			fprintf(f, ", data interface %u alt %u", fn->data_iface, fn->data_alt);
		fprintf(f, ", bulk in 0x%02x out 0x%02x\n", fn->ep_in, fn->ep_out);
		if (e->config != e->active && e->active)
			fprintf(f,
				"  config:    QMI in configuration %u; active: %u (--usb-config %u "
				"switches)\n",
				e->config, e->active, e->config);
		else if (e->config != e->active)
			fprintf(f,
				"  config:    QMI in configuration %u; the device is unconfigured "
				"(--usb-config %u configures it)\n",
				e->config, e->config);
		fprintf(f, "  matched:   %s%s\n", e->why,
			(fn->flags & QUSB_QUIRK_DTR) ? " (dtr)" : "");
		fprintf(f, "  driver:    %s\n", driver_text(e));
	}
}
