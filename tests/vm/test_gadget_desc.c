/* SPDX-License-Identifier: MIT */
/* The FunctionFS blobs the gadget writes to ep0, read back as the kernel would read them. */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <stdint.h>
#include <string.h>

#include "sim/gadget.h"
#include "sim/sim.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Walks one speed's descriptors from *off; checks interface + int IN, bulk IN, bulk OUT. */
static void check_speed(const uint8_t *b, size_t len, size_t *off, uint16_t bulk_mps)
{
	const uint8_t *d = b + *off;

	cr_assert_leq(*off + USB_DT_INTERFACE_SIZE + 3 * USB_DT_ENDPOINT_SIZE, len);
	cr_assert_eq(d[0], USB_DT_INTERFACE_SIZE);
	cr_assert_eq(d[1], USB_DT_INTERFACE);
	cr_assert_eq(d[4], 3, "three endpoints: QMI, not a 2-endpoint DIAG interface");
	cr_assert_eq(d[5], 0xff);
	cr_assert_eq(d[6], 0xff);
	cr_assert_eq(d[7], 0xff);
	d += USB_DT_INTERFACE_SIZE;

	static const struct {
		uint8_t dir, type;
	} want[3] = {
		{ USB_DIR_IN, USB_ENDPOINT_XFER_INT },
		{ USB_DIR_IN, USB_ENDPOINT_XFER_BULK },
		{ USB_DIR_OUT, USB_ENDPOINT_XFER_BULK },
	};
	for (int i = 0; i < 3; i++, d += USB_DT_ENDPOINT_SIZE) {
		uint16_t mps = (uint16_t)(d[4] | d[5] << 8);

		cr_assert_eq(d[0], USB_DT_ENDPOINT_SIZE);
		cr_assert_eq(d[1], USB_DT_ENDPOINT);
		cr_assert_eq(d[2] & USB_ENDPOINT_DIR_MASK, want[i].dir, "endpoint %d direction", i);
		cr_assert_eq(d[3] & USB_ENDPOINT_XFERTYPE_MASK, want[i].type, "endpoint %d type",
			     i);
		if (want[i].type == USB_ENDPOINT_XFER_INT) {
			cr_assert_eq(mps, 8, "one 8-byte notification per packet");
			cr_assert_gt(d[6], 0, "an interrupt endpoint needs an interval");
		} else {
			cr_assert_eq(mps, bulk_mps);
		}
	}
	*off += USB_DT_INTERFACE_SIZE + 3 * USB_DT_ENDPOINT_SIZE;
}

Test(gadget_desc, v2_full_and_high_speed)
{
	uint8_t b[256];
	long n = qsim_gadget_descriptors(b, sizeof(b));
	size_t off = 20;

	cr_assert_gt(n, 20);
	cr_assert_eq(le32(b), FUNCTIONFS_DESCRIPTORS_MAGIC_V2);
	cr_assert_eq(le32(b + 4), (uint32_t)n, "the header carries the blob's length");
	cr_assert_eq(le32(b + 8), FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC);
	cr_assert_eq(le32(b + 12), 4);
	cr_assert_eq(le32(b + 16), 4);
	check_speed(b, (size_t)n, &off, 64);
	check_speed(b, (size_t)n, &off, 512);
	cr_assert_eq(off, (size_t)n, "nothing after the high-speed set");
}

Test(gadget_desc, strings)
{
	uint8_t b[64];
	long n = qsim_gadget_strings(b, sizeof(b));

	cr_assert_eq(n, 16 + 2 + 4);
	cr_assert_eq(le32(b), FUNCTIONFS_STRINGS_MAGIC);
	cr_assert_eq(le32(b + 4), (uint32_t)n);
	cr_assert_eq(le32(b + 8), 1);
	cr_assert_eq(le32(b + 12), 1);
	cr_assert_eq(b[16] | b[17] << 8, 0x0409);
	cr_assert_str_eq((const char *)b + 18, "QMI");
}

Test(gadget_desc, too_small_buffer)
{
	uint8_t b[16];

	cr_assert_eq(qsim_gadget_descriptors(b, sizeof(b)), -EMSGSIZE);
	cr_assert_eq(qsim_gadget_strings(b, 8), -EMSGSIZE);
}

/* The hostile gadget's lies (usb-desc=...), each where it is meant to be and nowhere else: the
 * blob stays one FunctionFS accepts (same layout and length), only the lying fields change. */
Test(gadget_desc, lies)
{
	uint8_t t[256], b[256];
	long n = qsim_gadget_descriptors(t, sizeof(t));
	/* Offsets in each speed's set: interface at 0, endpoints at 9, 16, 23. */
	const size_t fs = 20, hs = 20 + 30;

	for (int lie = QSIM_DESC_FEW_EPS; lie <= QSIM_DESC_EP_TYPE; lie++) {
		cr_assert_eq(qsim_gadget_descriptors_lie(b, sizeof(b), lie), n, "lie %d", lie);
		for (size_t set = fs; set <= hs; set += hs - fs) {
			const uint8_t *d = b + set;
			uint8_t neps = lie == QSIM_DESC_FEW_EPS    ? 2
				       : lie == QSIM_DESC_MANY_EPS ? 5
								   : 3;

			cr_assert_eq(d[4], neps, "lie %d bNumEndpoints", lie);
			for (int e = 0; e < 3; e++) {
				const uint8_t *ep = d + 9 + 7 * e;
				uint16_t mps = (uint16_t)(ep[4] | ep[5] << 8);

				if (lie == QSIM_DESC_MPS0 && e > 0)
					cr_assert_eq(mps, 0, "bulk endpoint %d", e);
				else
					cr_assert_gt(mps, 0, "lie %d endpoint %d", lie, e);
			}
			if (lie == QSIM_DESC_EP_TYPE) {
				cr_assert_eq(d[9 + 3] & 3, USB_ENDPOINT_XFER_BULK);
				cr_assert_eq(d[23 + 3] & 3, USB_ENDPOINT_XFER_INT);
			}
		}
	}
	cr_assert_eq(qsim_gadget_descriptors_lie(b, sizeof(b), QSIM_DESC_TRUE), n);
	cr_assert_arr_eq(b, t, (size_t)n, "no lie: the true blob");
}
