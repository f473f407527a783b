/* SPDX-License-Identifier: MIT */
/* The FunctionFS descriptor and string blobs of the software modem's QMI interface. */
#include "sim/gadget.h"

#include "sim/gadget_int.h"
#include "sim/layout.h"
#include "sim/sim.h"

#include <endian.h>
#include <stdbool.h>
#include <errno.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <string.h>

struct blob {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct blob *b, const void *v, size_t n)
{
	if (b->len + n <= b->cap)
		memcpy(b->p + b->len, v, n);
	b->len += n; /* keeps counting past cap so the caller learns the size needed */
}

static void put_le32(struct blob *b, uint32_t v)
{
	v = htole32(v);
	put(b, &v, sizeof(v));
}

static void put_le16(struct blob *b, uint16_t v)
{
	v = htole16(v);
	put(b, &v, sizeof(v));
}

static void put_intf(struct blob *b, int lie)
{
	uint8_t n_eps = lie == QSIM_DESC_FEW_EPS ? 2 : lie == QSIM_DESC_MANY_EPS ? 5 : 3;
	const uint8_t d[USB_DT_INTERFACE_SIZE] = {
		USB_DT_INTERFACE_SIZE,
		USB_DT_INTERFACE,
		0,
		0,
		n_eps,
		USB_CLASS_VENDOR_SPEC,
		0xff,
		0xff,
		1 /* iInterface: the strings blob's first */
	};

	put(b, d, sizeof(d));
}

/* 7-byte endpoint descriptors; FunctionFS replaces the addresses with the ones the UDC picks. */
static void put_ep(struct blob *b, uint8_t addr, uint8_t attr, uint16_t mps, uint8_t interval)
{
	const uint8_t d[USB_DT_ENDPOINT_SIZE] = {
		USB_DT_ENDPOINT_SIZE,  USB_DT_ENDPOINT,     addr,    attr,
		(uint8_t)(mps & 0xff), (uint8_t)(mps >> 8), interval
	};

	put(b, d, sizeof(d));
}

/* Endpoint order is the same at both speeds and decides the file names: ep1 interrupt IN,
 * ep2 bulk IN, ep3 bulk OUT (gadget.c relies on it). */
static void put_speed(struct blob *b, bool high, int lie)
{
	uint16_t bulk_mps = lie == QSIM_DESC_MPS0 ? 0 : high ? 512 : 64;
	bool swap = lie == QSIM_DESC_EP_TYPE;

	put_intf(b, lie);
	/* 8 bytes: exactly one RESPONSE_AVAILABLE notification per packet. Interval: 1 ms at
	 * full speed; 2^(4-1) microframes = 1 ms at high speed, so notifications are prompt. */
	put_ep(b, USB_DIR_IN | 1, swap ? USB_ENDPOINT_XFER_BULK : USB_ENDPOINT_XFER_INT,
	       swap ? (high ? 512 : 64) : 8,
	       swap   ? 0
	       : high ? 4
		      : 1);
	put_ep(b, USB_DIR_IN | 2, USB_ENDPOINT_XFER_BULK, bulk_mps, 0);
	put_ep(b, USB_DIR_OUT | 3, swap ? USB_ENDPOINT_XFER_INT : USB_ENDPOINT_XFER_BULK,
	       swap ? 64 : bulk_mps, swap ? (high ? 4 : 1) : 0);
}

long qsim_gadget_descriptors(uint8_t *buf, size_t cap)
{
	return qsim_gadget_descriptors_lie(buf, cap, QSIM_DESC_TRUE);
}

long qsim_gadget_descriptors_lie(uint8_t *buf, size_t cap, int lie)
{
	struct blob b = { buf, 0, cap };
	size_t len_at;

	put_le32(&b, FUNCTIONFS_DESCRIPTORS_MAGIC_V2);
	len_at = b.len;
	put_le32(&b, 0); /* total length, patched below */
	put_le32(&b, FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC);
	put_le32(&b, 4); /* descriptors per speed: interface + 3 endpoints */
	put_le32(&b, 4);
	put_speed(&b, false, lie);
	put_speed(&b, true, lie);
	if (b.len > cap)
		return -EMSGSIZE;
	uint32_t total = htole32((uint32_t)b.len);

	memcpy(buf + len_at, &total, sizeof(total));
	return (long)b.len;
}

long qsim_gadget_strings(uint8_t *buf, size_t cap)
{
	static const char name[] = "QMI"; /* iInterface 1 */
	struct blob b = { buf, 0, cap };
	size_t len_at;

	put_le32(&b, FUNCTIONFS_STRINGS_MAGIC);
	len_at = b.len;
	put_le32(&b, 0);
	put_le32(&b, 1); /* str_count */
	put_le32(&b, 1); /* lang_count */
	put_le16(&b, 0x0409);
	put(&b, name, sizeof(name));
	if (b.len > cap)
		return -EMSGSIZE;
	uint32_t total = htole32((uint32_t)b.len);

	memcpy(buf + len_at, &total, sizeof(total));
	return (long)b.len;
}

/* One speed's descriptors of the layout's QMI configuration, as FunctionFS takes them; returns
 * how many. FunctionFS refuses class-specific (CDC functional) descriptors, so those are left
 * out: the only difference from the real device besides endpoint addresses, which the UDC picks. */
static unsigned put_layout_speed(struct blob *b, const struct qsim_layout *l, unsigned idx,
				 enum qsim_speed speed, bool pad)
{
	uint8_t raw[1024];
	long n = qsim_layout_config_bytes(l, idx, speed, raw, sizeof(raw));
	unsigned count = 0;

	if (n < 9 || (size_t)n > sizeof(raw))
		return 0;
	int next = 0; /* the interface number FunctionFS gives the next new interface */

	for (size_t p = 9; p + 2 <= (size_t)n && raw[p] >= 2; p += raw[p]) {
		if (raw[p + 1] == USB_DT_CS_INTERFACE)
			continue;
		/* FunctionFS numbers interfaces in order of appearance: a gap in the real device's
		 * numbering (Sierra's 0, 2, 3, 8, 10) is kept by an empty vendor interface per
		 * missing number, which neither qmi_wwan nor qmiusb takes for anything. */
		if (pad && raw[p + 1] == USB_DT_INTERFACE && raw[p + 3] == 0) {
			for (; next < raw[p + 2]; next++) {
				const uint8_t empty[USB_DT_INTERFACE_SIZE] = {
					USB_DT_INTERFACE_SIZE,
					USB_DT_INTERFACE,
					(uint8_t)next,
					0,
					0,
					USB_CLASS_VENDOR_SPEC,
					0,
					0,
					0
				};

				put(b, empty, sizeof(empty));
				count++;
			}
			next = raw[p + 2] + 1;
		}
		put(b, raw + p, raw[p]);
		count++;
	}
	return count;
}

/* The FunctionFS blob of configuration idx of l (pad: keep its interface numbers). */
static long layout_blob(const struct qsim_layout *l, unsigned idx, bool pad, uint8_t *buf,
			size_t cap)
{
	struct blob b = { buf, 0, cap };

	/* Not FUNCTIONFS_VIRTUAL_ADDR: with addresses other than the UDC's, the kernel (6.1)
	 * cannot find an endpoint's descriptor when the host sets the configuration. */
	uint32_t flags = FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC |
			 (l->superspeed ? FUNCTIONFS_HAS_SS_DESC : 0);
	size_t len_at, counts_at;

	put_le32(&b, FUNCTIONFS_DESCRIPTORS_MAGIC_V2);
	len_at = b.len;
	put_le32(&b, 0);
	put_le32(&b, flags);
	counts_at = b.len;
	put_le32(&b, 0);
	put_le32(&b, 0);
	if (l->superspeed)
		put_le32(&b, 0);
	uint32_t counts[3] = {
		put_layout_speed(&b, l, idx, QSIM_FULL_SPEED, pad),
		put_layout_speed(&b, l, idx, QSIM_HIGH_SPEED, pad),
		l->superspeed ? put_layout_speed(&b, l, idx, QSIM_SUPER_SPEED, pad) : 0,
	};
	if (b.len > cap)
		return -EMSGSIZE;
	for (unsigned i = 0; i < (l->superspeed ? 3u : 2u); i++) {
		uint32_t v = htole32(counts[i]);

		memcpy(buf + counts_at + 4 * i, &v, sizeof(v));
	}
	uint32_t total = htole32((uint32_t)b.len);

	memcpy(buf + len_at, &total, sizeof(total));
	return (long)b.len;
}

long qsim_gadget_layout_other(const struct qsim_layout *l, uint8_t *value, uint8_t *buf, size_t cap)
{
	for (unsigned i = 0; i < l->n_configs; i++)
		if (l->configs[i].value != l->qmi_config) {
			*value = l->configs[i].value;
			/* Not padded: its first interface must stay the one a host chooses the
			 * configuration by (MBIM's class, not an empty vendor one). */
			return layout_blob(l, i, false, buf, cap);
		}
	return -ENOENT;
}

long qsim_gadget_layout_descriptors(const struct qsim_layout *l, uint8_t *buf, size_t cap,
				    int qmi_eps[3])
{
	unsigned idx = 0;

	while (idx < l->n_configs && l->configs[idx].value != l->qmi_config)
		idx++;
	if (idx == l->n_configs || l->qmi_iface < 0)
		return -EINVAL;

	/* The QMI interface's endpoints, numbered as FunctionFS names its files: ep1, ep2, ...
	 * in the order endpoint descriptors first appear. */
	uint8_t raw[1024];
	long n = qsim_layout_config_bytes(l, idx, QSIM_HIGH_SPEED, raw, sizeof(raw));
	int file = 0, iface = -1;

	qmi_eps[0] = qmi_eps[1] = qmi_eps[2] = 0;
	for (size_t p = 9; n > 0 && p + 2 <= (size_t)n && raw[p] >= 2; p += raw[p]) {
		if (raw[p + 1] == USB_DT_INTERFACE) {
			iface = raw[p + 2];
		} else if (raw[p + 1] == USB_DT_ENDPOINT) {
			file++;
			if (iface != l->qmi_iface)
				continue;
			bool in = raw[p + 2] & USB_DIR_IN;
			int type = raw[p + 3] & USB_ENDPOINT_XFERTYPE_MASK;

			if (type == USB_ENDPOINT_XFER_INT && in)
				qmi_eps[QSIM_EP_INT] = file;
			else if (type == USB_ENDPOINT_XFER_BULK && in)
				qmi_eps[QSIM_EP_BIN] = file;
			else if (type == USB_ENDPOINT_XFER_BULK)
				qmi_eps[QSIM_EP_BOUT] = file;
		}
	}
	if (!qmi_eps[0] || !qmi_eps[1] || !qmi_eps[2])
		return -EINVAL;

	return layout_blob(l, idx, true, buf, cap);
}
