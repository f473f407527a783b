/* SPDX-License-Identifier: MIT */
/* MAP v5 in the QMAP codec: the checksum header both ways (golden bytes), v5 deaggregation of a
 * 32 KB aggregate with checksum-valid bits, MAP command frames parsed and answered, and a
 * bounded run of fuzz/fuzz_qmap5.c's body under ASan + UBSan. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "qmi/qmap.h"

#define QMI_FUZZ_QMAP5_BODY_ONLY
#include "../../fuzz/fuzz_qmap5.c"

Test(qmap5, uplink_frame_bytes)
{
	static const uint8_t pkt[5] = { 0x45, 0x01, 0x02, 0x03, 0x04 };
	static const uint8_t want[] = {
		0x43, 0x03, 0x00, 0x08, /* next header, pad 3; mux 3; 8 bytes */
		0x04, 0x80, 0x00, 0x00, /* checksum offload header, "compute it" */
		0x45, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x43, 0x03, 0x00, 0x08,
		0x04, 0x80, 0x00, 0x00, 0x45, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00,
	};
	uint8_t buf[64];
	struct qmi_qmap_agg agg;

	qmi_qmap_agg_init(&agg, buf, sizeof(buf), 8, 3, true);
	cr_assert_eq(qmi_qmap_agg_set_v5(&agg, true, true), 0);
	cr_assert_eq(qmi_qmap_agg_add(&agg, pkt, sizeof(pkt)), 0);
	cr_assert_eq(qmi_qmap_agg_set_v5(&agg, false, false), -EBUSY); /* mid-aggregate */
	cr_assert_eq(qmi_qmap_agg_add(&agg, pkt, sizeof(pkt)), 0);
	cr_assert_eq(agg.len, sizeof(want));
	cr_assert_arr_eq(buf, want, sizeof(want));
	/* Without the request bit, and the room check counts the extra header. */
	qmi_qmap_agg_init(&agg, buf, 16, 8, 3, true);
	qmi_qmap_agg_set_v5(&agg, true, false);
	cr_assert(qmi_qmap_agg_room(&agg, 8));
	cr_assert_not(qmi_qmap_agg_room(&agg, 9));
	cr_assert_eq(qmi_qmap_agg_add(&agg, pkt, sizeof(pkt)), 0);
	cr_assert_eq(buf[5], 0x00);
}

Test(qmap5, downlink_checksum_bits_and_bad_headers)
{
	static const uint8_t agg[] = {
		0x43, 0x01, 0x00, 0x04, 0x04, 0x80, 0x00, 0x00,
		0x45, 0xAA, 0x00, 0x00, /* valid */
		0x40, 0x02, 0x00, 0x04, 0x04, 0x00, 0x00, 0x00,
		0x60, 0xBB, 0xCC, 0xDD,                         /* not */
		0x00, 0x01, 0x00, 0x04, 0x45, 0x00, 0x00, 0x00, /* no v5 header */
		0x40, 0x01, 0x00, 0x04, 0x06, 0x80, 0x00, 0x00,
		0x45, 0,    0,    0, /* type 3 */
		0x40, 0x01, 0x00, 0x04, 0x05, 0x80, 0x00, 0x00,
		0x45, 0,    0,    0, /* chained */
		0x80, 0x01, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00,
		0,    0,    0,    7,                /* command: no v5 hdr */
		0x40, 0x01, 0x00, 0x10, 0x04, 0x80, /* cut short */
	};
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;

	qmi_qmap_iter_init_v5(&it, agg, sizeof(agg));
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.kind, QMI_QMAP_DATA);
	cr_assert(f.csum_hdr && f.csum_valid);
	cr_assert_eq(f.pad, 3);
	cr_assert_eq(f.len, 1);
	cr_assert_eq(f.pkt, agg + 8);
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.kind, QMI_QMAP_DATA);
	cr_assert(f.csum_hdr && !f.csum_valid);
	cr_assert_eq(f.mux_id, 2);
	cr_assert_eq(f.len, 4);
	cr_assert_eq(f.pkt[0], 0x60);
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.kind, QMI_QMAP_BAD);
	cr_assert_eq(f.why, QMI_QMAP_BAD_NO_V5);
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.why, QMI_QMAP_BAD_V5_HDR);
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.why, QMI_QMAP_BAD_V5_HDR);
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.kind, QMI_QMAP_COMMAND);
	cr_assert_eq(f.len, 8);
	cr_assert_eq(f.pkt[0], 0x01);
	cr_assert_eq(qmi_qmap_next(&it, &f), -EBADMSG);
	cr_assert_eq(qmi_qmap_next(&it, &f), 0);
	/* The same bytes read as v1: the next-header bit is not looked at. */
	qmi_qmap_iter_init(&it, agg, 12);
	cr_assert_eq(qmi_qmap_next(&it, &f), 1);
	cr_assert_eq(f.kind, QMI_QMAP_DATA);
	cr_assert_not(f.csum_hdr);
	cr_assert_eq(f.pkt, agg + 4);
}

/* 32 KB of v5 frames in one transfer, as a 5G modem's grant allows: every packet comes out
 * whole, in order, with the checksum-valid bit the modem set. */
Test(qmap5, deaggregates_32k)
{
	static uint8_t buf[32768], pkt[1500];
	struct qmi_qmap_agg agg;
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;
	unsigned n = 0, valid = 0;

	qmi_qmap_agg_init(&agg, buf, sizeof(buf), 64, 1, true);
	qmi_qmap_agg_set_v5(&agg, true, false);
	for (;;) {
		size_t len = 200 + (agg.frames * 173) % 1300;
		size_t at = agg.len;

		memset(pkt, (int)agg.frames, len);
		pkt[0] = 0x45;
		if (qmi_qmap_agg_add(&agg, pkt, len) < 0)
			break;
		if ((agg.frames - 1) % 3)
			buf[at + QMI_QMAP_HDR_LEN + 1] =
				QMI_QMAP_V5_CSUM_FLAG; /* the modem's mark */
	}
	cr_assert_gt(agg.len, 30000);
	qmi_qmap_iter_init_v5(&it, buf, agg.len);
	while (qmi_qmap_next(&it, &f) > 0) {
		cr_assert_eq(f.kind, QMI_QMAP_DATA);
		cr_assert_eq(f.len, 200 + (n * 173) % 1300);
		cr_assert_eq(f.pkt[f.len - 1], (uint8_t)n);
		cr_assert_eq(f.csum_valid, (bool)(n % 3), "frame %u", n);
		valid += f.csum_valid;
		n++;
	}
	cr_assert_eq(n, agg.frames);
	cr_assert_eq(valid, n - (n + 2) / 3);
}

Test(qmap5, command_parse_answer_build)
{
	static const uint8_t disable[] = {
		0x80, 0x05, 0x00, 0x10, /* command, mux 5, 16 bytes */
		0x01, 0x00, 0x00, 0x00, /* flow disable, request */
		0x12, 0x34, 0x56, 0x78, /* transaction id */
		0x00, 0x04, 0xAB, 0xCD, /* IPv4, sequence */
		0x00, 0x00, 0x01, 0x02, /* QoS id */
	};
	uint8_t out[QMI_QMAP_HDR_LEN + QMI_QMAP_CMD_MAX + 8], big[QMI_QMAP_CMD_MAX + 1] = { 0 };
	struct qmi_qmap_cmd c;

	cr_assert_eq(qmi_qmap_cmd_parse(disable + 4, 16, &c), 0);
	cr_assert_eq(c.name, QMI_QMAP_CMD_FLOW_DISABLE);
	cr_assert_eq(c.type, QMI_QMAP_CMD_REQUEST);
	cr_assert_eq(c.txn, 0x12345678);
	cr_assert(c.has_flow);
	cr_assert_eq(c.ip_family, 4);
	cr_assert_eq(c.seq, 0xABCD);
	cr_assert_eq(c.qos_id, 0x102);
	/* The ack is the frame echoed with the type bits set. */
	cr_assert_eq(qmi_qmap_cmd_answer(out, sizeof(out), 5, disable + 4, 16, QMI_QMAP_CMD_ACK),
		     20);
	cr_assert_arr_eq(out, disable, 5);
	cr_assert_eq(out[5], 0x01);
	cr_assert_arr_eq(out + 6, disable + 6, sizeof(disable) - 6);
	/* Built from fields: the same bytes. */
	c.type = QMI_QMAP_CMD_REQUEST;
	cr_assert_eq(qmi_qmap_cmd_build(out, sizeof(out), 5, &c), 20);
	cr_assert_arr_eq(out, disable, sizeof(disable));
	/* Too short to be a command; too long to echo; no room. */
	cr_assert_eq(qmi_qmap_cmd_parse(disable + 4, 7, &c), -EBADMSG);
	cr_assert_eq(qmi_qmap_cmd_parse(disable + 4, 8, &c), 0);
	cr_assert_not(c.has_flow);
	cr_assert_eq(qmi_qmap_cmd_answer(out, sizeof(out), 5, disable + 4, 7, QMI_QMAP_CMD_ACK),
		     -EMSGSIZE);
	cr_assert_eq(qmi_qmap_cmd_answer(out, sizeof(out), 5, big, sizeof(big), QMI_QMAP_CMD_ACK),
		     -EMSGSIZE);
	cr_assert_eq(qmi_qmap_cmd_answer(out, 19, 5, disable + 4, 16, QMI_QMAP_CMD_ACK), -EMSGSIZE);
	cr_assert_eq(qmi_qmap_cmd_build(out, 19, 5, &c), -EMSGSIZE);
}

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

/* Random bytes, and v5 aggregates (with commands) with bytes rewritten and cut short. */
Test(qmap5, fuzz_smoke)
{
	static uint8_t buf[20000];
	uint64_t rs = 0x5EED5ull;

	for (int round = 0; round < 20000; round++) {
		size_t len;

		if (round % 3 == 0) {
			len = next_rand(&rs) % 600;
			for (size_t i = 0; i < len; i++)
				buf[i] = (uint8_t)next_rand(&rs);
		} else {
			struct qmi_qmap_agg agg;
			struct qmi_qmap_cmd c = { .name = (uint8_t)(1 + round % 3) };
			uint8_t pkt[1600];
			unsigned n = 1 + (unsigned)(next_rand(&rs) % 12);

			qmi_qmap_agg_init(&agg, buf, sizeof(buf) - 64, 64, (uint8_t)next_rand(&rs),
					  true);
			qmi_qmap_agg_set_v5(&agg, true, next_rand(&rs) & 1);
			for (unsigned i = 0; i < n; i++) {
				size_t pl = 1 + next_rand(&rs) % sizeof(pkt);

				memset(pkt, (int)i, pl);
				qmi_qmap_agg_add(&agg, pkt, pl);
			}
			len = agg.len;
			len += (size_t)qmi_qmap_cmd_build(buf + len, 64, 1, &c);
			switch (next_rand(&rs) % 4) {
			case 0:
				buf[next_rand(&rs) % len] = (uint8_t)next_rand(&rs);
				break;
			case 1:
				len = next_rand(&rs) % len;
				break;
			case 2: /* the type or chain bits of the first checksum header */
				buf[4] = (uint8_t)next_rand(&rs);
				break;
			default:
				break;
			}
		}
		cr_assert_eq(qmi_fuzz_qmap5(buf, len), 0);
	}
}
