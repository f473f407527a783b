/* SPDX-License-Identifier: MIT */
/*
 * Configuration descriptors from a lying device, as raw bytes: the lies a FunctionFS gadget
 * cannot present (the kernel refuses lengths past the end and class-specific descriptors at
 * bind time) and the ones the VM tier's hostile gadget does present, checked here without one.
 * The parser must refuse what it cannot walk, and the analysis must never take a lying
 * interface for a QMI function it cannot drive.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "usb/desc.h"

#define CFG(nif) 9, 0x02, 0, 0, nif, 1, 0, 0x80, 250
#define IF(num, alt, neps, c, s, p) 9, 0x04, num, alt, neps, c, s, p, 0
#define EP(addr, attr, mps, ival) 7, 0x05, addr, attr, (mps)&0xff, (mps) >> 8, ival
#define INTR_IN(a, mps) EP(a, 0x03, mps, 9)
#define BULK(a, mps) EP(a, 0x02, mps, 0)
#define CDC_HEADER 5, 0x24, 0x00, 0x10, 0x01
#define CDC_UNION(m, s) 5, 0x24, 0x06, m, s

static struct qusb_config cfg;

/* wTotalLength as the device claims it: the real length, or a lie. */
static size_t total(uint8_t *b, size_t len)
{
	b[2] = (uint8_t)(len & 0xff);
	b[3] = (uint8_t)(len >> 8);
	return len;
}

static int qmi_functions(uint8_t *raw, size_t len, struct qusb_func *f)
{
	cr_assert_eq(qusb_config_parse(raw, total(raw, len), &cfg), 0);
	return qusb_find_qmi(&cfg, 0x1234, 0x5678, NULL, f, 1);
}

Test(desc_hostile, endpoint_length_past_the_end)
{
	uint8_t raw[] = { CFG(1),
			  IF(0, 0, 3, 0xff, 0xff, 0xff),
			  INTR_IN(0x81, 8),
			  BULK(0x82, 512),
			  40,
			  0x05,
			  0x03,
			  0x02,
			  0x00,
			  0x02,
			  0 };

	cr_assert_eq(qusb_config_parse(raw, total(raw, sizeof(raw)), &cfg), -EBADMSG);
}

Test(desc_hostile, interface_length_past_the_end)
{
	uint8_t raw[] = { CFG(1), 200, 0x04, 0, 0, 3, 0xff, 0xff, 0xff, 0 };

	cr_assert_eq(qusb_config_parse(raw, total(raw, sizeof(raw)), &cfg), -EBADMSG);
}

Test(desc_hostile, total_length_past_the_buffer)
{
	uint8_t raw[] = { CFG(1), IF(0, 0, 3, 0xff, 0xff, 0xff), INTR_IN(0x81, 8), BULK(0x82, 512),
			  BULK(0x03, 512) };

	total(raw, sizeof(raw) + 64);
	cr_assert_eq(qusb_config_parse(raw, sizeof(raw), &cfg), -EBADMSG);
	/* A wTotalLength shorter than the configuration descriptor itself. */
	total(raw, 4);
	cr_assert_eq(qusb_config_parse(raw, sizeof(raw), &cfg), -EBADMSG);
}

Test(desc_hostile, zero_and_one_byte_descriptors)
{
	uint8_t zero[] = { CFG(1), IF(0, 0, 3, 0xff, 0xff, 0xff), 0, 0x05, 0x81, 3, 8, 0, 9 };
	uint8_t one[] = { CFG(1), IF(0, 0, 3, 0xff, 0xff, 0xff), 1, 0x05 };
	uint8_t short_ep[] = { CFG(1), IF(0, 0, 3, 0xff, 0xff, 0xff), 4, 0x05, 0x81, 3 };
	uint8_t short_if[] = { CFG(1), 5, 0x04, 0, 0, 3 };

	cr_assert_eq(qusb_config_parse(zero, total(zero, sizeof(zero)), &cfg), -EBADMSG);
	cr_assert_eq(qusb_config_parse(one, total(one, sizeof(one)), &cfg), -EBADMSG);
	cr_assert_eq(qusb_config_parse(short_ep, total(short_ep, sizeof(short_ep)), &cfg),
		     -EBADMSG);
	cr_assert_eq(qusb_config_parse(short_if, total(short_if, sizeof(short_if)), &cfg),
		     -EBADMSG);
}

/* A Union whose data interface does not exist: the control side alone is no function. */
Test(desc_hostile, union_names_a_missing_data_interface)
{
	uint8_t raw[] = { CFG(1), IF(0, 0, 1, 0xff, 0xff, 0xff), CDC_HEADER, CDC_UNION(0, 5),
			  INTR_IN(0x81, 8) };
	struct qusb_func f[1];

	cr_assert_eq(qmi_functions(raw, sizeof(raw), f), 0);
}

/* A bulk-only interface claimed by a Union whose master is missing (or is itself). */
Test(desc_hostile, union_names_a_missing_master)
{
	uint8_t missing[] = { CFG(1), IF(1, 0, 2, 0xff, 0xff, 0xff), CDC_UNION(7, 1),
			      BULK(0x82, 512), BULK(0x03, 512) };
	uint8_t self[] = { CFG(1), IF(1, 0, 2, 0xff, 0xff, 0xff), CDC_UNION(1, 1), BULK(0x82, 512),
			   BULK(0x03, 512) };
	struct qusb_func f[1];

	cr_assert_eq(qmi_functions(missing, sizeof(missing), f), 0);
	cr_assert_eq(qmi_functions(self, sizeof(self), f), 0);
}

/* A Union descriptor cut short (bLength 4, or past the end of the class-specific bytes). */
Test(desc_hostile, union_cut_short)
{
	uint8_t cut[] = { CFG(2),
			  IF(0, 0, 1, 0xff, 0xff, 0xff),
			  4,
			  0x24,
			  0x06,
			  0,
			  INTR_IN(0x81, 8),
			  IF(1, 0, 2, 0xff, 0xff, 0xff),
			  BULK(0x82, 512),
			  BULK(0x03, 512) };
	struct qusb_func f[1];

	cr_assert_eq(qmi_functions(cut, sizeof(cut), f), 0);
}

/* bNumEndpoints 2 with three endpoints following: a two-endpoint vendor interface is DIAG to
 * the generic rule, so the declared count decides and nothing is claimed. */
Test(desc_hostile, fewer_endpoints_declared_than_present)
{
	uint8_t raw[] = { CFG(1), IF(0, 0, 2, 0xff, 0xff, 0xff), INTR_IN(0x81, 8), BULK(0x82, 512),
			  BULK(0x03, 512) };
	struct qusb_func f[1];

	cr_assert_eq(qmi_functions(raw, sizeof(raw), f), 0);
	cr_assert_eq(cfg.alts[0].n_eps, 2);
	cr_assert_eq(cfg.alts[0].n_parsed, 3);
}

/* bNumEndpoints 5 with three present: the endpoints that are there are the ones used. */
Test(desc_hostile, more_endpoints_declared_than_present)
{
	uint8_t raw[] = { CFG(1), IF(0, 0, 5, 0xff, 0xff, 0xff), INTR_IN(0x81, 8), BULK(0x82, 512),
			  BULK(0x03, 512) };
	struct qusb_func f[1];

	cr_assert_eq(qmi_functions(raw, sizeof(raw), f), 1);
	cr_assert_eq(f[0].ep_notify, 0x81);
	cr_assert_eq(f[0].ep_in, 0x82);
	cr_assert_eq(f[0].ep_out, 0x03);
	/* ... and with the bulk OUT one missing, there is no function. */
	uint8_t short_raw[] = { CFG(1), IF(0, 0, 3, 0xff, 0xff, 0xff), INTR_IN(0x81, 8),
				BULK(0x82, 512) };

	cr_assert_eq(qmi_functions(short_raw, sizeof(short_raw), f), 0);
}

/* The swapped types the hostile gadget presents (usb-desc=ep-type), and isochronous ones. */
Test(desc_hostile, endpoints_of_the_wrong_type)
{
	uint8_t swapped[] = { CFG(1), IF(0, 0, 3, 0xff, 0xff, 0xff), BULK(0x81, 512),
			      BULK(0x82, 512), EP(0x03, 0x03, 64, 4) };
	uint8_t iso[] = { CFG(1), IF(0, 0, 3, 0xff, 0xff, 0xff), EP(0x81, 0x01, 8, 1),
			  EP(0x82, 0x01, 512, 1), EP(0x03, 0x01, 512, 1) };
	uint8_t out_notify[] = { CFG(1), IF(0, 0, 3, 0xff, 0xff, 0xff), EP(0x01, 0x03, 8, 9),
				 BULK(0x82, 512), BULK(0x03, 512) };
	struct qusb_func f[1];

	cr_assert_eq(qmi_functions(swapped, sizeof(swapped), f), 0);
	cr_assert_eq(qmi_functions(iso, sizeof(iso), f), 0);
	cr_assert_eq(qmi_functions(out_notify, sizeof(out_notify), f), 0);
}

/* wMaxPacketSize 0 passes through as 0 (the opener refuses a notification endpoint of size 0
 * rather than allocating a zero-byte buffer); it is never replaced by a guess. */
Test(desc_hostile, max_packet_zero)
{
	uint8_t raw[] = { CFG(1), IF(0, 0, 3, 0xff, 0xff, 0xff), INTR_IN(0x81, 0), BULK(0x82, 0),
			  BULK(0x03, 0) };
	struct qusb_func f[1];

	cr_assert_eq(qmi_functions(raw, sizeof(raw), f), 1);
	cr_assert_eq(f[0].notify_mps, 0);
	cr_assert_eq(f[0].bulk_mps, 0);
}

/* Endpoints before any interface belong to nothing and are skipped. */
Test(desc_hostile, endpoints_outside_an_interface)
{
	uint8_t raw[] = { CFG(1), INTR_IN(0x81, 8), BULK(0x82, 512), BULK(0x03, 512) };
	struct qusb_func f[1];

	cr_assert_eq(qmi_functions(raw, sizeof(raw), f), 0);
	cr_assert_eq(cfg.n_alts, 0);
}
