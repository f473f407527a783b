/* SPDX-License-Identifier: MIT */
/* Coalescing of in-order TCP segments (src/net/gro.c): what merges, and what must not. */
#include "net/gro.h"
#include "tcppkt.h"

#include <criterion/criterion.h>

static const uint8_t ts_a[12] = { 1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 3 };
static const uint8_t ts_b[12] = { 1, 1, 8, 10, 0, 0, 0, 8, 0, 0, 0, 3 };

struct out {
	unsigned n;
	struct qnet_vnet v[16];
	size_t len[16];
	uint8_t pkt[16][70000];
};

static struct out out;
static uint8_t in[16][2000], gbuf[65536];

static void emit(void *ctx, const struct qnet_vnet *v, const uint8_t *pkt, size_t len)
{
	struct out *o = ctx;

	cr_assert_lt(o->n, 16);
	o->v[o->n] = *v;
	o->len[o->n] = len;
	memcpy(o->pkt[o->n], pkt, len);
	o->n++;
}

/* Pushes n segments of t, mss bytes each from seq/pay_off on (change[i] alters segment i
 * first, when given), then ends the transfer. */
static void run(struct tcppkt t, unsigned n, size_t mss, void (*change)(unsigned, struct tcppkt *))
{
	struct qnet_gro g;
	size_t len[16];
	uint32_t seq0 = t.seq;
	uint16_t id0 = t.ip_id;

	memset(&out, 0, sizeof(out));
	qnet_gro_init(&g, gbuf, sizeof(gbuf));
	for (unsigned i = 0; i < n; i++) {
		struct tcppkt s = t;

		s.pay = mss;
		s.pay_off = (uint32_t)(i * mss);
		s.seq = seq0 + (uint32_t)(i * mss);
		s.ip_id = (uint16_t)(id0 + i);
		if (change)
			change(i, &s);
		len[i] = tcppkt_build(in[i], &s, false);
	}
	for (unsigned i = 0; i < n; i++)
		qnet_gro_push(&g, in[i], len[i], false, emit, &out);
	qnet_gro_flush(&g, emit, &out);
}

static void check_merged(unsigned k, int ipv, size_t hl, size_t mss, size_t pay)
{
	const uint8_t *p = out.pkt[k];
	size_t l4 = ipv == 4 ? 20 : 40;

	cr_assert_eq(out.v[k].flags, QNET_VNET_F_NEEDS_CSUM);
	cr_assert_eq(out.v[k].gso_type, ipv == 4 ? QNET_VNET_GSO_TCPV4 : QNET_VNET_GSO_TCPV6);
	cr_assert_eq(out.v[k].gso_size, mss);
	cr_assert_eq(out.v[k].hdr_len, hl);
	cr_assert_eq(out.v[k].csum_start, l4);
	cr_assert_eq(out.v[k].csum_offset, 16);
	cr_assert_eq(out.len[k], hl + pay);
	cr_assert(tcppkt_ip_ok(p));
	cr_assert_eq(tcppkt_get16(p + (ipv == 4 ? 2 : 4)), ipv == 4 ? hl + pay : hl + pay - 40);
	cr_assert_eq(tcppkt_get16(p + l4 + 16), tcppkt_fold(tcppkt_pseudo(p, hl + pay - l4)));
	for (size_t i = 0; i < pay; i++)
		cr_assert_eq(p[hl + i], tcppkt_byte(i), "byte %zu", i);
}

/* Every packet came out alone and unchanged. */
static void check_alone(unsigned n)
{
	cr_assert_eq(out.n, n);
	for (unsigned i = 0; i < n; i++) {
		cr_assert_eq(out.v[i].gso_type, QNET_VNET_GSO_NONE);
		cr_assert_eq(out.v[i].flags, 0);
		cr_assert_eq(memcmp(out.pkt[i], in[i], out.len[i]), 0);
	}
}

static void psh_last(unsigned i, struct tcppkt *s)
{
	if (i == 3)
		s->flags |= 0x08;
}

Test(gro, tcp4_in_order_merged_psh_kept)
{
	struct tcppkt t = { .ipv = 4,
			    .proto = 6,
			    .seq = 0xFFFFF000u,
			    .ack = 9,
			    .flags = 0x10,
			    .frag = 0x4000,
			    .opt = ts_a,
			    .optlen = 12 };

	run(t, 4, 1000, psh_last);
	cr_assert_eq(out.n, 1);
	check_merged(0, 4, 52, 1000, 4000);
	cr_assert_eq(out.pkt[0][20 + 13], 0x18);
	cr_assert_eq(tcppkt_get32(out.pkt[0] + 24), 0xFFFFF000u);
}

Test(gro, tcp6_merged)
{
	struct tcppkt t = { .ipv = 6, .proto = 6, .seq = 3, .flags = 0x10, .tos = 0x20 };

	run(t, 5, 1200, NULL);
	cr_assert_eq(out.n, 1);
	check_merged(0, 6, 60, 1200, 6000);
}

static void other_port(unsigned i, struct tcppkt *s)
{
	if (i == 1)
		s->sport = 1234;
}

Test(gro, another_flow_not_merged)
{
	struct tcppkt t = { .ipv = 4, .proto = 6, .flags = 0x10 };

	run(t, 2, 1000, other_port);
	check_alone(2);
}

static uint8_t flag_to_add;
static void add_flag(unsigned i, struct tcppkt *s)
{
	if (i == 1)
		s->flags |= flag_to_add;
}

Test(gro, syn_fin_rst_urg_cwr_not_merged)
{
	static const uint8_t flags[] = { 0x02, 0x01, 0x04, 0x20, 0x80 };
	struct tcppkt t = { .ipv = 4, .proto = 6, .flags = 0x10 };

	for (size_t k = 0; k < sizeof(flags); k++) {
		flag_to_add = flags[k];
		run(t, 3, 1000, add_flag);
		cr_assert_eq(out.n, 3, "flag %#x", flags[k]);
		cr_assert_eq(memcmp(out.pkt[1], in[1], out.len[1]), 0);
		cr_assert_eq(out.v[1].gso_type, QNET_VNET_GSO_NONE);
	}
}

static void other_ts(unsigned i, struct tcppkt *s)
{
	if (i == 1)
		s->opt = ts_b;
}

Test(gro, different_options_not_merged)
{
	struct tcppkt t = { .ipv = 6, .proto = 6, .flags = 0x10, .opt = ts_a, .optlen = 12 };

	run(t, 2, 1000, other_ts);
	check_alone(2);
}

static void gap(unsigned i, struct tcppkt *s)
{
	if (i == 1)
		s->seq += 1000; /* the segment in between was lost or comes later */
}

static void swap_seq(unsigned i, struct tcppkt *s)
{
	if (i == 0)
		s->seq += 1000;
	else if (i == 1)
		s->seq -= 1000;
}

Test(gro, out_of_order_not_merged)
{
	struct tcppkt t = { .ipv = 4, .proto = 6, .flags = 0x10 };

	run(t, 2, 1000, gap);
	check_alone(2);
	run(t, 2, 1000, swap_seq);
	check_alone(2);
}

Test(gro, ip_options_and_fragments_not_merged)
{
	struct tcppkt t = { .ipv = 4, .proto = 6, .flags = 0x10, .ipopt = 4 };

	run(t, 2, 1000, NULL);
	check_alone(2);
	t.ipopt = 0;
	t.frag = 0x2000; /* more fragments */
	run(t, 2, 1000, NULL);
	check_alone(2);
}

static void ttl(unsigned i, struct tcppkt *s)
{
	if (i == 1)
		s->ttl = 3;
}

static void id_jump(unsigned i, struct tcppkt *s)
{
	if (i == 1)
		s->ip_id += 5;
}

Test(gro, ttl_and_id_must_follow)
{
	struct tcppkt t = { .ipv = 4, .proto = 6, .flags = 0x10 };

	run(t, 2, 1000, ttl);
	check_alone(2);
	run(t, 2, 1000, id_jump);
	check_alone(2);
	t.frag = 0x4000; /* DF: the id does not matter */
	run(t, 2, 1000, id_jump);
	cr_assert_eq(out.n, 1);
}

static void short_second(unsigned i, struct tcppkt *s)
{
	if (i == 1)
		s->pay = 500;
	if (i == 2) {
		s->seq -= 500;
		s->pay_off -= 500;
	}
}

Test(gro, short_segment_ends_the_merge)
{
	struct tcppkt t = { .ipv = 4, .proto = 6, .flags = 0x10 };

	run(t, 3, 1000, short_second);
	cr_assert_eq(out.n, 2);
	check_merged(0, 4, 40, 1000, 1500);
	cr_assert_eq(out.v[1].gso_type, QNET_VNET_GSO_NONE);
}

static void psh_first(unsigned i, struct tcppkt *s)
{
	if (i == 0)
		s->flags |= 0x08;
}

Test(gro, psh_ends_the_merge)
{
	struct tcppkt t = { .ipv = 4, .proto = 6, .flags = 0x10 };

	run(t, 2, 1000, psh_first);
	check_alone(2);
}

Test(gro, wrong_checksum_passed_alone_modem_verdict_marked)
{
	struct tcppkt t = { .ipv = 4, .proto = 6, .flags = 0x10, .pay = 1000 };
	struct qnet_gro g;
	size_t len = tcppkt_build(in[0], &t, false);

	t.seq += 1000;
	t.ip_id++;
	t.pay_off = 1000;
	tcppkt_build(in[1], &t, false);
	in[1][100] ^= 1; /* corrupted on the way: it must not be laundered by a merge */
	memset(&out, 0, sizeof(out));
	qnet_gro_init(&g, gbuf, sizeof(gbuf));
	qnet_gro_push(&g, in[0], len, false, emit, &out);
	qnet_gro_push(&g, in[1], len, false, emit, &out);
	qnet_gro_flush(&g, emit, &out);
	check_alone(2);
	/* The modem vouched for a lone segment: the stack need not check it again. */
	memset(&out, 0, sizeof(out));
	qnet_gro_push(&g, in[0], len, true, emit, &out);
	qnet_gro_flush(&g, emit, &out);
	cr_assert_eq(out.n, 1);
	cr_assert_eq(out.v[0].flags, QNET_VNET_F_DATA_VALID);
	cr_assert_eq(g.merged, 0);
}

Test(gro, udp_and_pure_acks_pass)
{
	struct tcppkt t = { .ipv = 4, .proto = 17 };

	run(t, 2, 1000, NULL);
	check_alone(2);
	t.proto = 6;
	t.flags = 0x10;
	run(t, 3, 0, NULL); /* no payload: nothing to merge */
	check_alone(3);
}
