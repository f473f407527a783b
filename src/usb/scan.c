/* SPDX-License-Identifier: MIT */
/* Discovery over libusb: runs once per call, before any session, so synchronous libusb is fine. */
#include "usb/scan_internal.h"

#include <errno.h>
#include <libusb.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int qusb_errno(int e)
{
	switch (e) {
	case LIBUSB_SUCCESS:
		return 0;
	case LIBUSB_ERROR_IO:
		return -EIO;
	case LIBUSB_ERROR_INVALID_PARAM:
		return -EINVAL;
	case LIBUSB_ERROR_ACCESS:
		return -EACCES;
	case LIBUSB_ERROR_NO_DEVICE:
		return -ENODEV;
	case LIBUSB_ERROR_NOT_FOUND:
		return -ENOENT;
	case LIBUSB_ERROR_BUSY:
		return -EBUSY;
	case LIBUSB_ERROR_TIMEOUT:
		return -ETIMEDOUT;
	case LIBUSB_ERROR_OVERFLOW:
		return -EOVERFLOW;
	case LIBUSB_ERROR_PIPE:
		return -EPIPE;
	case LIBUSB_ERROR_INTERRUPTED:
		return -EINTR;
	case LIBUSB_ERROR_NO_MEM:
		return -ENOMEM;
	case LIBUSB_ERROR_NOT_SUPPORTED:
		return -ENOTSUP;
	default:
		return -EIO;
	}
}

/* Copies only the CS_INTERFACE descriptors (CDC functional) libusb left in an alt's extra. */
static void copy_extra(struct qusb_alt *a, const unsigned char *x, int len)
{
	for (int p = 0; p + 2 <= len;) {
		uint8_t l = x[p];
		if (l < 2 || p + l > len)
			return;
		if (x[p + 1] == 0x24 && a->extra_len + l <= QUSB_EXTRA_MAX) {
			memcpy(a->extra + a->extra_len, x + p, l);
			a->extra_len = (uint16_t)(a->extra_len + l);
		}
		p += l;
	}
}

void qusb_config_from_libusb(const struct libusb_config_descriptor *c, struct qusb_config *out)
{
	uint16_t owner[256] = { 0 };

	memset(out, 0, sizeof(*out));
	out->value = c->bConfigurationValue;
	for (int i = 0; i < c->bNumInterfaces; i++) {
		const struct libusb_interface *it = &c->interface[i];
		for (int k = 0; k < it->num_altsetting && out->n_alts < QUSB_MAX_ALTS; k++) {
			const struct libusb_interface_descriptor *d = &it->altsetting[k];
			struct qusb_alt *a = &out->alts[out->n_alts++];
			a->iface = d->bInterfaceNumber;
			a->alt = d->bAlternateSetting;
			a->cls = d->bInterfaceClass;
			a->subcls = d->bInterfaceSubClass;
			a->proto = d->bInterfaceProtocol;
			a->n_eps = d->bNumEndpoints;
			for (int e = 0; e < d->bNumEndpoints && a->n_parsed < QUSB_MAX_EPS; e++) {
				const struct libusb_endpoint_descriptor *ep = &d->endpoint[e];

				if (qusb_ep_duplicate(owner, a->iface, ep->bEndpointAddress))
					continue;
				a->eps[a->n_parsed++] = (struct qusb_ep){
					.addr = ep->bEndpointAddress,
					.type = ep->bmAttributes & 3,
					.max_packet = ep->wMaxPacketSize & 0x7ff,
				};
			}
			copy_extra(a, d->extra, d->extra_length);
		}
	}
}

/* Strings from sysfs (no device I/O, no permission needed), else from the device if it opens. */
static void fill_strings(struct qusb_entry *e, libusb_device *dev,
			 const struct libusb_device_descriptor *dd)
{
	qusb_sys_read(e->path, "manufacturer", e->manufacturer, sizeof(e->manufacturer));
	qusb_sys_read(e->path, "product", e->product, sizeof(e->product));
	qusb_sys_read(e->path, "serial", e->serial, sizeof(e->serial));

	libusb_device_handle *h = NULL;
	e->driver_active = -1;
	if (libusb_open(dev, &h) != 0)
		return;
	int r = libusb_kernel_driver_active(h, e->func.ctrl_iface);
	e->driver_active = r < 0 ? -1 : r;
	struct {
		uint8_t idx;
		char *buf;
		size_t len;
	} s[] = {
		{ dd->iManufacturer, e->manufacturer, sizeof(e->manufacturer) },
		{ dd->iProduct, e->product, sizeof(e->product) },
		{ dd->iSerialNumber, e->serial, sizeof(e->serial) },
	};
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		if (s[i].buf[0] || !s[i].idx)
			continue;
		if (libusb_get_string_descriptor_ascii(h, s[i].idx, (unsigned char *)s[i].buf,
						       (int)s[i].len) < 0)
			s[i].buf[0] = '\0';
	}
	libusb_close(h);
}

static int entry_cmp(const struct qusb_entry *a, const struct qusb_entry *b)
{
	if (a->bus != b->bus)
		return a->bus < b->bus ? -1 : 1;
	for (uint8_t i = 0; i < a->n_ports && i < b->n_ports; i++)
		if (a->ports[i] != b->ports[i])
			return a->ports[i] < b->ports[i] ? -1 : 1;
	if (a->n_ports != b->n_ports)
		return a->n_ports < b->n_ports ? -1 : 1;
	if (a->config != b->config)
		return a->config < b->config ? -1 : 1;
	return (int)a->func.ctrl_iface - (int)b->func.ctrl_iface;
}

/* Appends e (and a reference to dev) to the growing result arrays. */
static int push(struct qusb_entry **v, size_t *nv, size_t *cap, libusb_device ***devs,
		const struct qusb_entry *e, libusb_device *dev)
{
	if (*nv == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		/* On failure the old arrays stay valid and the error path frees them. */
		struct qusb_entry *nvp = realloc(*v, nc * sizeof(*nvp));

		if (!nvp)
			return -ENOMEM;
		*v = nvp;
		if (devs) {
			libusb_device **nd = realloc(*devs, nc * sizeof(*nd));

			if (!nd)
				return -ENOMEM;
			*devs = nd;
		}
		*cap = nc;
	}
	if (devs)
		(*devs)[*nv] = libusb_ref_device(dev);
	(*v)[(*nv)++] = *e;
	return 0;
}

/* The QMI functions of configuration index ci of dev. */
static int scan_config(libusb_device *dev, const struct libusb_device_descriptor *dd, uint8_t ci,
		       uint8_t active, const struct qusb_selector *sel,
		       const struct qusb_quirks *quirks, struct qusb_entry **v, size_t *nv,
		       size_t *cap, libusb_device ***devs)
{
	struct libusb_config_descriptor *cd = NULL;
	struct qusb_func f[16];

	if (libusb_get_config_descriptor(dev, ci, &cd) != 0)
		return 0;
	struct qusb_config *cfg = malloc(sizeof(*cfg));

	if (!cfg) {
		libusb_free_config_descriptor(cd);
		return -ENOMEM;
	}
	qusb_config_from_libusb(cd, cfg);
	libusb_free_config_descriptor(cd);
	int nf = qusb_find_qmi(cfg, dd->idVendor, dd->idProduct, quirks, f, 16);
	uint8_t cfgval = cfg->value;

	free(cfg);
	if (nf > 16)
		nf = 16;
	for (int k = 0; k < nf; k++) {
		struct qusb_entry e = { 0 };

		e.bus = libusb_get_bus_number(dev);
		e.addr = libusb_get_device_address(dev);
		int np = libusb_get_port_numbers(dev, e.ports, QUSB_MAX_PORTS);

		e.n_ports = np > 0 ? (uint8_t)np : 0;
		qusb_port_path(e.bus, e.ports, e.n_ports, e.path, sizeof(e.path));
		e.vid = dd->idVendor;
		e.pid = dd->idProduct;
		e.bcd_usb = dd->bcdUSB;
		e.func = f[k];
		e.config = cfgval;
		e.active = active;
		qusb_func_why(&f[k], e.why, sizeof(e.why));
		fill_strings(&e, dev, dd);
		if (e.config != e.active)
			e.driver_active = 0; /* nothing binds to an inactive configuration */
		struct qusb_devid id = {
			.vid = e.vid,
			.pid = e.pid,
			.bus = e.bus,
			.addr = e.addr,
			.ports = e.ports,
			.n_ports = e.n_ports,
			.serial = e.serial[0] ? e.serial : NULL,
			.iface = f[k].ctrl_iface,
		};
		if (sel && !qusb_selector_match(sel, &id))
			continue;
		/* Interfaces of an inactive configuration exist nowhere in sysfs (or a same-numbered
		 * interface of the active one would be named). */
		if (e.config == e.active)
			qusb_sysfs_driver(e.path, e.config, f[k].ctrl_iface, e.driver,
					  sizeof(e.driver));
		int r = push(v, nv, cap, devs, &e, dev);

		if (r < 0)
			return r;
	}
	return 0;
}

int qusb_scan_ctx(libusb_context *ctx, const struct qusb_selector *sel,
		  const struct qusb_quirks *quirks, struct qusb_entry **out, size_t *n,
		  libusb_device ***devs_out, char *err, size_t errlen)
{
	libusb_device **list = NULL;
	struct qusb_entry *v = NULL;
	size_t nv = 0, cap = 0;
	int ret = 0;
	libusb_device **devs = NULL;

	*out = NULL;
	*n = 0;
	if (devs_out)
		*devs_out = NULL;
	ssize_t cnt = libusb_get_device_list(ctx, &list);
	if (cnt < 0) {
		snprintf(err, errlen, "cannot list USB devices: %s", libusb_strerror((int)cnt));
		return qusb_errno((int)cnt);
	}
	for (ssize_t i = 0; i < cnt; i++) {
		libusb_device *dev = list[i];
		struct libusb_device_descriptor dd;
		struct libusb_config_descriptor *cd = NULL;
		uint8_t active = 0;

		if (libusb_get_device_descriptor(dev, &dd) != 0)
			continue;
		/* An unconfigured device (or one whose active configuration cannot be read) still
		 * has its configurations listed. */
		if (libusb_get_active_config_descriptor(dev, &cd) == 0) {
			active = cd->bConfigurationValue;
			libusb_free_config_descriptor(cd);
		}
		for (uint8_t ci = 0; ci < dd.bNumConfigurations; ci++) {
			ret = scan_config(dev, &dd, ci, active, sel, quirks, &v, &nv, &cap,
					  devs_out ? &devs : NULL);
			if (ret < 0)
				goto out;
		}
	}
out:
	/* libusb lists devices in no useful order: show them by bus, port path and interface. */
	for (size_t a = 1; ret == 0 && a < nv; a++) {
		for (size_t b = a; b > 0 && entry_cmp(&v[b - 1], &v[b]) > 0; b--) {
			struct qusb_entry t = v[b];
			v[b] = v[b - 1];
			v[b - 1] = t;
			if (devs) {
				libusb_device *d = devs[b];
				devs[b] = devs[b - 1];
				devs[b - 1] = d;
			}
		}
	}
	if (ret < 0) {
		for (size_t i = 0; devs && i < nv; i++)
			libusb_unref_device(devs[i]);
		free(devs);
		free(v);
		snprintf(err, errlen, "out of memory while scanning USB devices");
	} else {
		*out = v;
		*n = nv;
		if (devs_out)
			*devs_out = devs;
	}
	libusb_free_device_list(list, 1);
	return ret;
}

int qusb_scan(const struct qusb_selector *sel, const struct qusb_quirks *quirks,
	      struct qusb_entry **out, size_t *n, char *err, size_t errlen)
{
	libusb_context *ctx = NULL;
	int r = libusb_init(&ctx);
	if (r != 0) {
		snprintf(err, errlen, "USB is not available here (libusb_init: %s)",
			 libusb_strerror(r));
		return -ENODEV;
	}
	r = qusb_scan_ctx(ctx, sel, quirks, out, n, NULL, err, errlen);
	libusb_exit(ctx);
	return r;
}
