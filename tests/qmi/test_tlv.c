/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "qmi/tlv.h"

static const uint8_t area[] = {
	0x01, 0x02, 0x00, 0xAA, 0xBB, /* 0x01: 2 bytes */
	0x10, 0x00, 0x00,             /* 0x10: empty */
	0x01, 0x01, 0x00, 0xCC,       /* 0x01 again */
};

Test(tlv, iterate_in_order)
{
	struct qmi_tlv_iter it;
	struct qmi_tlv t;

	qmi_tlv_iter_init(&it, area, sizeof(area));
	cr_assert_eq(qmi_tlv_next(&it, &t), 1);
	cr_assert_eq(t.type, 0x01);
	cr_assert_eq(t.len, 2);
	cr_assert_eq(t.val, area + 3);
	cr_assert_eq(qmi_tlv_next(&it, &t), 1);
	cr_assert_eq(t.type, 0x10);
	cr_assert_eq(t.len, 0);
	cr_assert_eq(qmi_tlv_next(&it, &t), 1);
	cr_assert_eq(t.val[0], 0xCC);
	cr_assert_eq(qmi_tlv_next(&it, &t), 0);
	cr_assert_eq(qmi_tlv_next(&it, &t), 0);
}

Test(tlv, iterate_errors_stop_at_end)
{
	struct qmi_tlv_iter it;
	struct qmi_tlv t;

	/* Overrun in the last TLV: the good ones come first, then -EBADMSG, then end. */
	qmi_tlv_iter_init(&it, area, sizeof(area) - 1);
	cr_assert_eq(qmi_tlv_next(&it, &t), 1);
	cr_assert_eq(qmi_tlv_next(&it, &t), 1);
	cr_assert_eq(qmi_tlv_next(&it, &t), -EBADMSG);
	cr_assert_eq(qmi_tlv_next(&it, &t), 0);
	/* Truncated header. */
	qmi_tlv_iter_init(&it, area, 2);
	cr_assert_eq(qmi_tlv_next(&it, &t), -EBADMSG);
	qmi_tlv_iter_init(&it, NULL, 10);
	cr_assert_eq(qmi_tlv_next(&it, &t), 0);
}

Test(tlv, find)
{
	struct qmi_tlv t;

	cr_assert_eq(qmi_tlv_find(area, sizeof(area), 0x01, &t), 0);
	cr_assert_eq(t.val[0], 0xAA, "first occurrence wins");
	cr_assert_eq(qmi_tlv_find(area, sizeof(area), 0x10, &t), 0);
	cr_assert_eq(qmi_tlv_find(area, sizeof(area), 0x11, &t), -ENOENT);
	cr_assert_eq(qmi_tlv_find(area, sizeof(area) - 1, 0x11, &t), -EBADMSG);
	/* Found before the malformed part: still found. */
	cr_assert_eq(qmi_tlv_find(area, sizeof(area) - 1, 0x10, &t), 0);
}

Test(tlv, cursor_little_endian_and_sticky)
{
	static const uint8_t b[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
				     0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11 };
	struct qmi_cursor c;
	uint8_t out[4];

	qmi_cursor_init(&c, b, sizeof(b));
	cr_assert_eq(qmi_cursor_u8(&c), 0x01);
	cr_assert_eq(qmi_cursor_u16(&c), 0x0302);
	cr_assert_eq(qmi_cursor_u32(&c), 0x07060504);
	cr_assert_eq(qmi_cursor_u64(&c), 0x0f0e0d0c0b0a0908ull);
	cr_assert_eq(qmi_cursor_u16be(&c), 0x1011);
	cr_assert_eq(c.err, 0);
	cr_assert_eq(qmi_cursor_left(&c), 0);
	cr_assert_eq(qmi_cursor_u8(&c), 0);
	cr_assert_eq(c.err, -EBADMSG);

	/* A short read consumes nothing and stays failed even if a smaller read would fit. */
	qmi_cursor_init(&c, b, 3);
	cr_assert_eq(qmi_cursor_u32(&c), 0);
	cr_assert_eq(c.err, -EBADMSG);
	cr_assert_eq(qmi_cursor_left(&c), 3);
	cr_assert_eq(qmi_cursor_u8(&c), 0);

	qmi_cursor_init(&c, b, 3);
	memset(out, 0x55, sizeof(out));
	cr_assert_eq(qmi_cursor_bytes(&c, out, 4), -EBADMSG);
	cr_assert_eq(out[0], 0, "destination zeroed on a short read");
	qmi_cursor_init(&c, b, 3);
	cr_assert_eq(qmi_cursor_bytes(&c, out, 3), 0);
	cr_assert_eq(out[2], 0x03);
	qmi_cursor_init(&c, b, 3);
	cr_assert_eq(qmi_cursor_take(&c, 2), b);
	cr_assert_null(qmi_cursor_take(&c, 2));
}

Test(tlv, writer_nested_struct_and_array)
{
	/* An array[u8] of {u8, u16} written through begin/puts/end, read back by cursor. */
	uint8_t buf[64];
	struct qmi_writer w;
	struct qmi_frame f;
	struct qmi_tlv t;
	struct qmi_cursor c;
	size_t len;

	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_CTL, 0, QMI_KIND_RESPONSE, 9, 0x21);
	qmi_writer_tlv_begin(&w, 0x01);
	qmi_writer_put_u8(&w, 3);
	for (int i = 0; i < 3; i++) {
		qmi_writer_put_u8(&w, (uint8_t)i);
		qmi_writer_put_u16(&w, (uint16_t)(0x100 * i + 1));
	}
	cr_assert_eq(qmi_writer_tlv_end(&w), 0);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qmi_frame_parse(buf, len, &f, NULL), 0);
	cr_assert_eq(qmi_tlv_find(f.tlvs, f.tlvs_len, 0x01, &t), 0);
	cr_assert_eq(t.len, 1 + 3 * 3);
	qmi_cursor_init(&c, t.val, t.len);
	cr_assert_eq(qmi_cursor_u8(&c), 3);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(qmi_cursor_u8(&c), i);
		cr_assert_eq(qmi_cursor_u16(&c), 0x100 * i + 1);
	}
	cr_assert_eq(c.err, 0);
	cr_assert_eq(qmi_cursor_left(&c), 0);
}
