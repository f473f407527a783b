/* SPDX-License-Identifier: MIT */
/* The QMAP codec: header layout, aggregation limits, deaggregation of good and bad transfers,
 * and a bounded fuzz run of fuzz/fuzz_qmap.c's body under ASan + UBSan. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "qmi/qmap.h"

#define QMI_FUZZ_QMAP_BODY_ONLY
#include "../../fuzz/fuzz_qmap.c"

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

Test(qmap, header_bytes)
{
	uint8_t h[4];

	cr_assert_eq(qmi_qmap_put_hdr(h, false, 0x2A, 3, 0x0105), 0);
	cr_assert_eq(h[0], 0x03);
	cr_assert_eq(h[1], 0x2A);
	cr_assert_eq(h[2], 0x01); /* big-endian */
	cr_assert_eq(h[3], 0x05);
	cr_assert_eq(qmi_qmap_put_hdr(h, true, 1, 0, 8), 0);
	cr_assert_eq(h[0], 0x80);
	cr_assert_eq(qmi_qmap_put_hdr(h, false, 1, 64, 100), -EINVAL); /* pad is 6 bits */
	cr_assert_eq(qmi_qmap_put_hdr(h, false, 1, 4, 4), -EINVAL);    /* pad >= length */
	cr_assert_eq(qmi_qmap_put_hdr(h, false, 1, 0, 0), -EINVAL);
	cr_assert_eq(qmi_qmap_put_hdr(h, false, 1, 0, 0x10000), -EINVAL);
}

Test(qmap, aggregate_and_split_with_padding)
{
	uint8_t buf[256], a[61], b[40], c[1];
	struct qmi_qmap_agg agg;
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;

	fill(a, sizeof(a), 1);
	fill(b, sizeof(b), 2);
	fill(c, sizeof(c), 3);
	qmi_qmap_agg_init(&agg, buf, sizeof(buf), 8, 0, true);
	cr_assert_eq(qmi_qmap_agg_add(&agg, a, sizeof(a)), 0);
	cr_assert_eq(qmi_qmap_agg_add(&agg, b, sizeof(b)), 0);
	cr_assert_eq(qmi_qmap_agg_add(&agg, c, sizeof(c)), 0);
	cr_assert_eq(agg.frames, 3);
	cr_assert_eq(agg.len, 4 + 64 + 4 + 40 + 4 + 4);
	cr_assert_eq(buf[0], 3); /* 61 bytes + 3 pad */
	cr_assert_eq(buf[2] << 8 | buf[3], 64);

	qmi_qmap_iter_init(&it, buf, agg.len);
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.kind, QMI_QMAP_DATA);
	cr_assert_eq(f.len, sizeof(a));
	cr_assert_eq(f.pad, 3);
	cr_assert_arr_eq(f.pkt, a, sizeof(a));
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.len, sizeof(b));
	cr_assert_arr_eq(f.pkt, b, sizeof(b));
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.len, 1);
	cr_assert_eq(f.pkt[0], c[0]);
	cr_assert_eq(qmi_qmap_next(&it, &f), 0);
}

Test(qmap, limits_by_frames_and_bytes)
{
	uint8_t buf[100], p[40];
	struct qmi_qmap_agg agg;

	fill(p, sizeof(p), 9);
	qmi_qmap_agg_init(&agg, buf, sizeof(buf), 2, 5, false);
	cr_assert_eq(qmi_qmap_agg_add(&agg, p, 10), 0);
	cr_assert_eq(qmi_qmap_agg_add(&agg, p, 10), 0);
	cr_assert_eq(qmi_qmap_agg_add(&agg, p, 10), -ENOSPC); /* datagram limit */
	qmi_qmap_agg_reset(&agg);
	cr_assert_eq(qmi_qmap_agg_add(&agg, p, 40), 0);
	cr_assert_eq(qmi_qmap_agg_add(&agg, p, 40), 0);
	cr_assert_eq(agg.len, 88);
	cr_assert_eq(qmi_qmap_agg_add(&agg, p, 9), -ENOSPC); /* 88 + 4 + 9 > 100 */
	cr_assert_eq(qmi_qmap_agg_add(&agg, p, 8), -ENOSPC); /* frame limit first */
	cr_assert_eq(qmi_qmap_agg_add(&agg, p, 0), -EMSGSIZE);
	qmi_qmap_agg_init(&agg, buf, 20, 4, 5, false);
	cr_assert_eq(qmi_qmap_agg_add(&agg, p, 17), -EMSGSIZE); /* never fits */
	cr_assert_null(qmi_qmap_agg_reserve(&agg, 17));
	cr_assert_not_null(qmi_qmap_agg_reserve(&agg, 16));
	cr_assert_eq(qmi_qmap_agg_commit(&agg, 16), 0);
	cr_assert_eq(agg.len, 20);
	cr_assert_eq(buf[1], 5);
}

/* Hand-built transfer: data, command, empty, bad pad, data, then a header whose length runs
 * past the end. Every good frame survives the bad ones around it. */
Test(qmap, deaggregate_skips_bad_frames_and_flags_truncation)
{
	uint8_t t[] = {
		0x00, 0x00, 0x00, 0x04, 0x45, 0x01, 0x02, 0x03, /* data, 4 bytes */
		0x80, 0x00, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00, /* command */
		0x00, 0x00, 0x00, 0x00,                         /* empty */
		0x04, 0x00, 0x00, 0x04, 0x60, 0,    0,    0,    /* pad 4 >= length 4 */
		0x02, 0x03, 0x00, 0x04, 0x46, 0x09, 0xEE, 0xEE, /* data 2 bytes + 2 pad, mux 3 */
		0x00, 0x00, 0x00, 0x40, 0x45, 0x00,             /* length 64: past the end */
	};
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;

	qmi_qmap_iter_init(&it, t, sizeof(t));
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.kind, QMI_QMAP_DATA);
	cr_assert_eq(f.len, 4);
	cr_assert_eq(f.pkt, t + 4);
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.kind, QMI_QMAP_COMMAND);
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.kind, QMI_QMAP_BAD);
	cr_assert_eq(f.why, QMI_QMAP_BAD_EMPTY);
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.kind, QMI_QMAP_BAD);
	cr_assert_eq(f.why, QMI_QMAP_BAD_PAD);
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.kind, QMI_QMAP_DATA);
	cr_assert_eq(f.mux_id, 3);
	cr_assert_eq(f.len, 2);
	cr_assert_eq(f.pkt[0], 0x46);
	cr_assert_eq(qmi_qmap_next(&it, &f), -EBADMSG);
	cr_assert_eq(it.left, 0);
	cr_assert_eq(qmi_qmap_next(&it, &f), 0);

	/* A tail shorter than a header is a truncation too, after the good frame. */
	qmi_qmap_iter_init(&it, t, 8 + 3);
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(qmi_qmap_next(&it, &f), -EBADMSG);
	qmi_qmap_iter_init(&it, NULL, 10);
	cr_assert_eq(qmi_qmap_next(&it, &f), 0);
}

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

/* Random bytes, and valid aggregates with lengths rewritten, cut short and bytes flipped. */
Test(qmap, fuzz_smoke)
{
	static uint8_t buf[20000];
	uint64_t rs = 0x51A4D00Dull;

	for (int round = 0; round < 20000; round++) {
		size_t len;

		if (round % 3 == 0) {
			len = next_rand(&rs) % 600;
			for (size_t i = 0; i < len; i++)
				buf[i] = (uint8_t)next_rand(&rs);
		} else {
			struct qmi_qmap_agg agg;
			uint8_t pkt[1600];
			unsigned n = 1 + (unsigned)(next_rand(&rs) % 12);

			qmi_qmap_agg_init(&agg, buf, sizeof(buf), 64, (uint8_t)next_rand(&rs),
					  next_rand(&rs) & 1);
			for (unsigned i = 0; i < n; i++) {
				size_t pl = 1 + next_rand(&rs) % sizeof(pkt);

				fill(pkt, pl, (uint8_t)i);
				qmi_qmap_agg_add(&agg, pkt, pl);
			}
			len = agg.len;
			switch (next_rand(&rs) % 4) {
			case 0: /* rewrite a length byte somewhere */
				buf[next_rand(&rs) % len] = (uint8_t)next_rand(&rs);
				break;
			case 1: /* cut short */
				len = next_rand(&rs) % len;
				break;
			case 2: /* set the command bit / pad bits of the first header */
				buf[0] = (uint8_t)next_rand(&rs);
				break;
			default:
				break;
			}
		}
		cr_assert_eq(qmi_fuzz_qmap(buf, len), 0);
	}
}
