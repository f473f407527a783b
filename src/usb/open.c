/* SPDX-License-Identifier: MIT */
/* Choosing and claiming the modem. This runs before the session, so synchronous libusb calls
 * (claim, alt setting, DTR) are fine here; the session itself is in transport.c. */
#include <errno.h>
#include <libusb.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "usb/scan_internal.h"
#include "usb/transport_internal.h"

#define DEFAULT_TRANSFERS 8
#define DEFAULT_BUF 16384
#define MAX_TRANSFERS 256
#define MAX_BUF (1u << 20)

struct quirk_log {
	FILE *f;
};

static void quirk_err(void *user, const char *file, unsigned line, const char *msg)
{
	struct quirk_log *l = user;
	if (line)
		fprintf(l->f, "qmiusb: %s:%u: %s (line ignored)\n", file, line, msg);
	else
		fprintf(l->f, "qmiusb: %s: %s\n", file, msg);
}

static void list_all(char *err, size_t errlen, const char *head, const struct qusb_entry *v,
		     size_t n)
{
	size_t o = (size_t)snprintf(err, errlen, "%s", head);
	for (size_t i = 0; i < n && o < errlen; i++)
		o += (size_t)snprintf(err + o, errlen - o, "\n  usb:%s:%u  %04x:%04x  %s%s%s",
				      v[i].path, v[i].func.ctrl_iface, v[i].vid, v[i].pid,
				      v[i].product, v[i].serial[0] ? "  serial=" : "", v[i].serial);
}

/* A kernel driver on iface: detach it when asked, else explain how to free it. */
static int take_from_kernel(struct qusb_tr *tr, const struct qusb_entry *e, uint8_t iface,
			    int which, bool detach, char *err, size_t errlen)
{
	int r = libusb_kernel_driver_active(tr->h, iface);
	if (r == 0 || r == LIBUSB_ERROR_NOT_SUPPORTED)
		return 0;
	if (r < 0) {
		snprintf(err, errlen, "%s: cannot query the kernel driver of interface %u: %s",
			 tr->desc, iface, libusb_strerror(r));
		return qusb_errno(r);
	}
	char drv[64];
	qusb_sysfs_driver(e->path, e->config, iface, drv, sizeof(drv));
	if (!drv[0])
		snprintf(drv, sizeof(drv), "a kernel driver");
	if (!detach && !qusb_sys_knows_drivers()) {
		/* No sysfs: no unbind file to point at, and libusb may need root to detach. */
		snprintf(
			err, errlen,
			"%s: interface %u is held by a kernel driver; run with --detach (given back "
			"on exit; taking a device from the system may need root)",
			tr->desc, iface);
		return -EBUSY;
	}
	if (!detach) {
		/* Short enough for one line of the CLI's error report. */
		snprintf(
			err, errlen,
			"%s: interface %u is held by kernel driver %s; run with --detach (given "
			"back on exit) or unbind it: echo %s:%u.%u > /sys/bus/usb/drivers/%s/unbind",
			tr->desc, iface, drv, e->path, e->config, iface,
			strcmp(drv, "a kernel driver") ? drv : "DRIVER");
		return -EBUSY;
	}
	r = libusb_detach_kernel_driver(tr->h, iface);
	if (r != 0 && r != LIBUSB_ERROR_NOT_FOUND) {
		snprintf(err, errlen, "%s: cannot detach kernel driver %s from interface %u: %s",
			 tr->desc, drv, iface, libusb_strerror(r));
		return qusb_errno(r);
	}
	tr->detached[which] = r == 0;
	if (r == 0)
		fprintf(tr->log ? tr->log : stderr,
			"qmiusb: %s: detached kernel driver %s from "
			"interface %u\n",
			tr->desc, drv, iface);
	return 0;
}

static int claim(struct qusb_tr *tr, const struct qusb_entry *e, const struct qusb_open_opts *o,
		 char *err, size_t errlen)
{
	uint8_t ifs[2] = { tr->func.ctrl_iface, tr->func.data_iface };
	uint8_t alts[2] = { tr->func.ctrl_alt, tr->func.data_alt };
	size_t n = ifs[0] == ifs[1] ? 1 : 2;
	int r;

	for (size_t i = 0; i < n; i++) {
		r = take_from_kernel(tr, e, ifs[i], (int)i, o && o->detach, err, errlen);
		if (r < 0)
			return r;
		r = libusb_claim_interface(tr->h, ifs[i]);
		if (r != 0) {
			snprintf(err, errlen, "%s: cannot claim interface %u: %s%s", tr->desc,
				 ifs[i], libusb_strerror(r),
				 r == LIBUSB_ERROR_BUSY ? " (another program has it open)" : "");
			return qusb_errno(r);
		}
		tr->claimed[i] = true;
		if (alts[i] != 0) {
			r = libusb_set_interface_alt_setting(tr->h, ifs[i], alts[i]);
			if (r != 0) {
				snprintf(err, errlen,
					 "%s: cannot select alternate setting %u of "
					 "interface %u: %s",
					 tr->desc, alts[i], ifs[i], libusb_strerror(r));
				return qusb_errno(r);
			}
		}
	}
	/* qmi_wwan asserts DTR for quirk-flagged devices and for every bcdUSB >= 0x0201 device;
	 * some modems answer nothing on the QMI channel until it is set. */
	if ((tr->func.flags & QUSB_QUIRK_DTR) || e->bcd_usb >= 0x0201) {
		r = libusb_control_transfer(tr->h,
					    LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS |
						    LIBUSB_RECIPIENT_INTERFACE,
					    0x22 /* SET_CONTROL_LINE_STATE */, 1 /* DTR */,
					    tr->func.ctrl_iface, NULL, 0, QUSB_CTRL_TIMEOUT_MS);
		if (r < 0)
			fprintf(tr->log ? tr->log : stderr,
				"qmiusb: %s: SET_CONTROL_LINE_STATE(DTR) failed: %s; going on\n",
				tr->desc, libusb_strerror(r));
	}
	return 0;
}

/* As usb_modeswitch does: free every interface of the active configuration from its kernel
 * driver (usbfs refuses to change a configuration whose interfaces are bound), then select
 * e->config. The old configuration's drivers are not given back: its interfaces are gone. */
static int switch_config(struct qusb_tr *tr, libusb_device *dev, const struct qusb_entry *e,
			 const char *why, char *err, size_t errlen)
{
	struct libusb_config_descriptor *cd = NULL;
	FILE *log = tr->log ? tr->log : stderr;
	int r;

	if (libusb_get_active_config_descriptor(dev, &cd) == 0) {
		for (int i = 0; i < cd->bNumInterfaces; i++) {
			if (cd->interface[i].num_altsetting < 1)
				continue;
			uint8_t n = cd->interface[i].altsetting[0].bInterfaceNumber;

			if (libusb_kernel_driver_active(tr->h, n) != 1)
				continue;
			r = libusb_detach_kernel_driver(tr->h, n);
			if (r != 0 && r != LIBUSB_ERROR_NOT_FOUND) {
				snprintf(err, errlen,
					 "%s: cannot detach the kernel driver of interface "
					 "%u of configuration %u: %s",
					 tr->desc, n, e->active, libusb_strerror(r));
				libusb_free_config_descriptor(cd);
				return qusb_errno(r);
			}
		}
		libusb_free_config_descriptor(cd);
	}
	r = libusb_set_configuration(tr->h, e->config);
	if (r != 0) {
		snprintf(err, errlen, "%s: cannot switch to configuration %u: %s", tr->desc,
			 e->config, libusb_strerror(r));
		return qusb_errno(r);
	}
	fprintf(log, "qmiusb: %s: switched the device from configuration %u to %u (%s)\n", tr->desc,
		e->active, e->config, why);
	return 0;
}

static int open_entry(struct qusb_tr *tr, const struct qusb_entry *e, libusb_device *dev,
		      const struct qusb_open_opts *o, char *err, size_t errlen)
{
	tr->dev = libusb_ref_device(dev);
	tr->vid = e->vid;
	tr->pid = e->pid;
	tr->func = e->func;
	tr->func.quirk = NULL;
	snprintf(tr->desc, sizeof(tr->desc), "usb:%s:%u", e->path, e->func.ctrl_iface);
	snprintf(tr->path, sizeof(tr->path), "%s", e->path);
	if (tr->func.notify_mps == 0 || tr->func.ep_notify == 0) {
		snprintf(err, errlen, "%s: interrupt endpoint has wMaxPacketSize 0", tr->desc);
		return -EPROTO;
	}
	int r = libusb_open(dev, &tr->h);
	if (r != 0) {
		tr->h = NULL;
		if (r == LIBUSB_ERROR_ACCESS)
			snprintf(
				err, errlen,
				"%s: no permission to open /dev/bus/usb/%03u/%03u. Run as root, or "
				"install the udev rules from udev/ (see udev/README.md) and replug",
				tr->desc, e->bus, e->addr);
		else
			snprintf(err, errlen, "%s: cannot open: %s", tr->desc, libusb_strerror(r));
		return qusb_errno(r);
	}
	if (e->config != e->active) {
		char origin[128], why[160];

		/* Without --usb-config, only a quirk's config=N keeps an inactive configuration. */
		if (!o->usb_config && e->func.quirk && e->func.quirk->config) {
			qusb_quirk_origin(e->func.quirk, origin, sizeof(origin));
			snprintf(why, sizeof(why), "quirk %s", origin);
		} else {
			snprintf(why, sizeof(why), "--usb-config");
		}
		r = switch_config(tr, dev, e, why, err, errlen);
		if (r < 0)
			return r;
	}
	r = claim(tr, e, o, err, errlen);
	if (r < 0)
		return r;
	return qusb_tr_alloc_transfers(tr);
}

/* Keeps the entries in configuration `want` (0: the active one, or the one a quirk's config=N
 * names), unreferencing the others' devices; returns how many remain. *other and *active
 * describe a dropped entry. */
static size_t keep_config(struct qusb_entry *v, libusb_device **devs, size_t n, uint8_t want,
			  uint8_t *other, uint8_t *active)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct qusb_quirk *q = v[i].func.quirk;
		uint8_t w = want ? want : q && q->config ? q->config : v[i].active;

		if (v[i].config == w) {
			v[k] = v[i];
			devs[k++] = devs[i];
			continue;
		}
		*other = v[i].config;
		*active = v[i].active;
		libusb_unref_device(devs[i]);
	}
	return k;
}

int qusb_transport_open(struct qmi_transport *out, const char *selector,
			const struct qusb_open_opts *opts, char *err, size_t errlen)
{
	struct qusb_open_opts none = { 0 };
	const struct qusb_open_opts *o = opts ? opts : &none;
	struct qusb_selector sel;
	struct qusb_quirks own;
	const struct qusb_quirks *quirks = o->quirks;
	struct qusb_entry *v = NULL;
	libusb_device **devs = NULL;
	size_t n = 0;
	struct qusb_tr *tr = NULL;
	int r;

	out->ops = NULL;
	out->impl = NULL;
	qusb_quirks_init(&own);
	r = qusb_selector_parse(selector, &sel, err, errlen);
	if (r < 0)
		return r;
	if (!quirks) {
		struct quirk_log ql = { o->log ? o->log : stderr };
		r = qusb_quirks_load_default(&own, o->quirks_file, quirk_err, &ql);
		if (r < 0) {
			/* Without the shipped table the generic rule still finds most modems. */
			fprintf(ql.f,
				"qmiusb: cannot load the shipped quirks table: %s; using the "
				"generic rule only%s%s%s\n",
				strerror(-r), o->quirks_file ? " (" : "",
				o->quirks_file ? o->quirks_file : "",
				o->quirks_file ? " not loaded either)" : "");
		}
		quirks = &own;
	}

	tr = calloc(1, sizeof(*tr));
	if (!tr) {
		r = -ENOMEM;
		goto out;
	}
	tr->log = o->log;
	tr->reattach = !o->no_reattach;
	tr->n_rx = o->rx_transfers ? o->rx_transfers : DEFAULT_TRANSFERS;
	tr->n_tx = o->tx_transfers ? o->tx_transfers : DEFAULT_TRANSFERS;
	tr->rx_size = o->rx_size ? o->rx_size : DEFAULT_BUF;
	tr->tx_size = o->tx_size ? o->tx_size : DEFAULT_BUF;
	if (tr->n_rx > MAX_TRANSFERS || tr->n_tx > MAX_TRANSFERS || tr->rx_size > MAX_BUF ||
	    tr->tx_size > MAX_BUF) {
		snprintf(err, errlen, "bulk transfers: at most %u each way of at most %u bytes",
			 MAX_TRANSFERS, MAX_BUF);
		r = -EINVAL;
		goto out;
	}
	r = libusb_init(&tr->ctx);
	if (r != 0) {
		tr->ctx = NULL;
		/* No USB stack at all (a container, a host without usbfs): no modem to be had, which
		 * lets a plain `qmiusb` fall back to the software modem. */
		snprintf(err, errlen, "USB is not available here (libusb_init: %s)",
			 libusb_strerror(r));
		r = -ENODEV;
		goto out;
	}
	r = qusb_scan_ctx(tr->ctx, &sel, quirks, &v, &n, &devs, err, errlen);
	if (r < 0)
		goto out;
	size_t all = n;
	uint8_t other = 0, active = 0;

	n = keep_config(v, devs, n, o->usb_config, &other, &active);
	if (n == 0 && all > 0 && !o->usb_config) {
		if (active)
			snprintf(err, errlen,
				 "%s: QMI in configuration %u; active: %u. Run with "
				 "--usb-config %u to switch the device to it",
				 selector, other, active, other);
		else
			snprintf(err, errlen,
				 "%s: QMI in configuration %u of an unconfigured device. "
				 "Run with --usb-config %u to configure it",
				 selector, other, other);
		r = -ENODEV;
		goto out;
	}
	if (n == 0 && all > 0) {
		snprintf(err, errlen, "%s: no QMI function in configuration %u (it is in %u)",
			 selector, o->usb_config, other);
		r = -ENODEV;
		goto out;
	}
	if (n == 0) {
		if (sel.kind == QUSB_SEL_ANY)
			snprintf(err, errlen, "no QMI modem found on USB (see `qmiusb list`)");
		else
			snprintf(err, errlen, "no QMI modem matches %s (see `qmiusb list`)",
				 selector);
		r = -ENODEV;
		goto out;
	}
	if (n > 1) {
		list_all(err, errlen, "several QMI modems match; choose one with -d:", v, n);
		r = -QB_ENOTUNIQ;
		goto out;
	}
	r = open_entry(tr, &v[0], devs[0], o, err, errlen);
	if (r == -ENOMEM)
		snprintf(err, errlen, "out of memory");
out:
	for (size_t i = 0; devs && i < n; i++)
		libusb_unref_device(devs[i]);
	free(devs);
	free(v);
	qusb_quirks_clear(&own);
	if (r < 0) {
		qusb_tr_free(tr);
		return r;
	}
	qusb_tr_export(tr, out);
	return 0;
}
