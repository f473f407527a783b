/* SPDX-License-Identifier: MIT */
/* Segmentation of TSO/USO super-packets (src/net/gso.c), checked segment by segment. */
#include "net/gso.h"
#include "tcppkt.h"

#include <criterion/criterion.h>
#include <errno.h>

static const uint8_t ts_opt[12] = { 1, 1, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0x56, 0x78 };
static uint8_t super[70000], seg[70000];

/* Cuts t's super-packet (gso type, mss) and checks every segment against what the stack would
 * have sent: flags per position, sequence, id, lengths, checksums, payload. */
static unsigned cut(const struct tcppkt *t, uint8_t type, uint16_t mss, bool csum)
{
	size_t len = tcppkt_build(super, t, true), l4 = tcppkt_l4off(super);
	size_t hl = l4 + (t->proto == 6 ? 20 + t->optlen : 8), off = 0;
	struct qnet_vnet v = { .flags = QNET_VNET_F_NEEDS_CSUM,
			       .gso_type = type,
			       .hdr_len = (uint16_t)hl,
			       .gso_size = mss,
			       .csum_start = (uint16_t)l4,
			       .csum_offset = t->proto == 6 ? 16 : 6 };
	struct qnet_gso g;
	unsigned n = 0;
	size_t s;

	cr_assert_eq(qnet_gso_init(&g, super, len, &v, csum), 0);
	cr_assert_eq(qnet_gso_left(&g), (t->pay + mss - 1) / mss);
	while ((s = qnet_gso_next(&g, seg)) > 0) {
		size_t pay = s - hl;
		bool first = n == 0, last = off + pay == t->pay;

		cr_assert(pay == mss || last, "segment %u carries %zu bytes", n, pay);
		cr_assert(tcppkt_ip_ok(seg));
		if (t->ipv == 4) {
			cr_assert_eq(tcppkt_get16(seg + 2), s);
			cr_assert_eq(tcppkt_get16(seg + 4), (uint16_t)(t->ip_id + n));
		} else {
			cr_assert_eq(tcppkt_get16(seg + 4), s - 40);
		}
		if (t->proto == 6) {
			uint8_t want = t->flags;

			if (!last)
				want &= (uint8_t) ~(0x01 | 0x08); /* FIN, PSH */
			if (!first)
				want &= (uint8_t)~0x80; /* CWR */
			cr_assert_eq(seg[l4 + 13], want, "segment %u flags %#x", n, seg[l4 + 13]);
			cr_assert_eq(tcppkt_get32(seg + l4 + 4), t->seq + (uint32_t)off);
			cr_assert(!t->optlen || !memcmp(seg + l4 + 20, t->opt, t->optlen));
		} else {
			cr_assert_eq(tcppkt_get16(seg + l4 + 4), s - l4);
		}
		if (csum)
			cr_assert(tcppkt_l4_ok(seg, s), "segment %u checksum", n);
		else
			cr_assert_eq(tcppkt_get16(seg + l4 + (t->proto == 6 ? 16 : 6)),
				     tcppkt_fold(tcppkt_pseudo(seg, s - l4)));
		for (size_t i = 0; i < pay; i++)
			cr_assert_eq(seg[hl + i], tcppkt_byte(off + i), "segment %u byte %zu", n,
				     i);
		off += pay;
		n++;
	}
	cr_assert_eq(off, t->pay);
	cr_assert_eq(qnet_gso_left(&g), 0);
	return n;
}

Test(gso, tcp4_with_options_flags_on_the_right_segments)
{
	struct tcppkt t = { .ipv = 4,
			    .proto = 6,
			    .seq = 0xFFFFFC00u,
			    .ack = 77,
			    .flags = 0x80 | 0x10 | 0x08 | 0x01,
			    .ip_id = 0xFFFE,
			    .opt = ts_opt,
			    .optlen = sizeof(ts_opt),
			    .frag = 0x4000,
			    .pay = 3000 };

	cr_assert_eq(cut(&t, QNET_VNET_GSO_TCPV4, 1000, true), 3);
	t.pay = 3001; /* a short last segment, and the sequence wrapping */
	cr_assert_eq(cut(&t, QNET_VNET_GSO_TCPV4 | QNET_VNET_GSO_ECN, 1000, true), 4);
}

Test(gso, tcp6)
{
	struct tcppkt t = { .ipv = 6, .proto = 6, .seq = 1000, .flags = 0x18, .pay = 62000 };

	cr_assert_eq(cut(&t, QNET_VNET_GSO_TCPV6, 1428, true), 44);
}

Test(gso, udp_l4_both_families)
{
	struct tcppkt t = { .ipv = 4, .proto = 17, .ip_id = 9, .pay = 2000 };

	cr_assert_eq(cut(&t, QNET_VNET_GSO_UDP_L4, 800, true), 3);
	t.ipv = 6;
	cr_assert_eq(cut(&t, QNET_VNET_GSO_UDP_L4, 1200, true), 2);
}

Test(gso, modem_computes_the_checksum_partial_sum_left)
{
	struct tcppkt t = { .ipv = 4, .proto = 6, .seq = 5, .flags = 0x10, .pay = 4000 };

	cr_assert_eq(cut(&t, QNET_VNET_GSO_TCPV4, 1400, false), 3);
	t.ipv = 6;
	cr_assert_eq(cut(&t, QNET_VNET_GSO_TCPV6, 1400, false), 3);
}

Test(gso, refused)
{
	struct tcppkt t = { .ipv = 4, .proto = 6, .flags = 0x10, .pay = 3000 };
	struct qnet_vnet v = { .gso_type = QNET_VNET_GSO_TCPV4, .gso_size = 1000 };
	struct qnet_gso g;
	size_t len = tcppkt_build(super, &t, true);

	v.gso_type = QNET_VNET_GSO_TCPV6; /* the type disagrees with the packet */
	cr_assert_eq(qnet_gso_init(&g, super, len, &v, true), -EPROTONOSUPPORT);
	v.gso_type = QNET_VNET_GSO_UDP; /* UFO: never asked for */
	cr_assert_eq(qnet_gso_init(&g, super, len, &v, true), -EPROTONOSUPPORT);
	v.gso_type = QNET_VNET_GSO_TCPV4;
	v.gso_size = 0;
	cr_assert_eq(qnet_gso_init(&g, super, len, &v, true), -EBADMSG);
	v.gso_size = 1000;
	cr_assert_eq(qnet_gso_init(&g, super, 30, &v, true), -EBADMSG);
	t.ipopt = 4;
	len = tcppkt_build(super, &t, true);
	cr_assert_eq(qnet_gso_init(&g, super, len, &v, true), -EPROTONOSUPPORT);
	t.ipopt = 0;
	t.proto = 17;
	len = tcppkt_build(super, &t, true);
	cr_assert_eq(qnet_gso_init(&g, super, len, &v, true), -EPROTONOSUPPORT);
}

Test(gso, partial_checksum_finished)
{
	struct tcppkt t = { .ipv = 6, .proto = 6, .flags = 0x18, .pay = 1001 };
	struct qnet_vnet v = { .flags = QNET_VNET_F_NEEDS_CSUM,
			       .csum_start = 40,
			       .csum_offset = 16 };
	size_t len = tcppkt_build(super, &t, true);

	cr_assert_not(tcppkt_l4_ok(super, len));
	cr_assert_eq(qnet_csum_finish(super, len, &v), 0);
	cr_assert(tcppkt_l4_ok(super, len));
	v.csum_offset = (uint16_t)(len - 40 - 1); /* the field would run past the end */
	cr_assert_eq(qnet_csum_finish(super, len, &v), -EINVAL);
	t.ipv = 4;
	t.proto = 17;
	len = tcppkt_build(super, &t, false);
	super[30] ^= 0xFF;
	cr_assert_eq(qnet_csum_l4_fill(super, len), 0);
	cr_assert(tcppkt_l4_ok(super, len));
}
