/* SPDX-License-Identifier: MIT */
/* In-order TCP segments of one flow merged into one TUN write (gro.h). */
#include "net/gro.h"

#include <string.h>

#define TCP_ACK 0x10
#define TCP_PSH 0x08

void qnet_gro_init(struct qnet_gro *g, uint8_t *buf, size_t cap)
{
	memset(g, 0, sizeof(*g));
	g->buf = buf;
	g->cap = cap;
}

/* A TCP segment that may take part: its headers, and whether its flags allow merging. */
static bool candidate(const uint8_t *pkt, size_t len, struct qnet_l4 *l)
{
	if (qnet_l4_parse(pkt, len, false, l) < 0 || l->proto != 6 || l->len != len)
		return false;
	return (pkt[l->l4off + 13] & ~TCP_PSH) == TCP_ACK;
}

/* Whether the segment at pkt continues the gathered one. */
static bool continues(const struct qnet_gro *g, const uint8_t *pkt, const struct qnet_l4 *l)
{
	const uint8_t *a = g->pkt, *ta = a + g->l.l4off, *tb = pkt + l->l4off;
	size_t pay = l->len - l->hlen;

	if (g->closed || l->ipv != g->l.ipv || l->hlen != g->l.hlen || !pay || pay > g->mss ||
	    g->len + pay > g->cap || g->len + pay > 65535)
		return false;
	if (l->ipv == 4) {
		bool df = qnet_get16(pkt + 6) & 0x4000;

		/* version/IHL, TOS; the flags word (DF); TTL, protocol; the addresses */
		if (a[1] != pkt[1] || qnet_get16(a + 6) != qnet_get16(pkt + 6) || a[8] != pkt[8] ||
		    memcmp(a + 12, pkt + 12, 8))
			return false;
		if (!df && qnet_get16(pkt + 4) != (uint16_t)(g->last_id + 1))
			return false;
	} else if (memcmp(a, pkt, 4) || a[6] != pkt[6] || a[7] != pkt[7] ||
		   memcmp(a + 8, pkt + 8, 32)) {
		return false; /* class, flow label, next header, hop limit, addresses */
	}
	/* ports; the ack number; the data offset and flags but PSH; the window; the options */
	if (memcmp(ta, tb, 4) || memcmp(ta + 8, tb + 8, 4) || ta[12] != tb[12] ||
	    (ta[13] & ~TCP_PSH) != (tb[13] & ~TCP_PSH) || memcmp(ta + 14, tb + 14, 2) ||
	    memcmp(ta + 20, tb + 20, l->hlen - l->l4off - 20))
		return false;
	return qnet_get32(tb + 4) == g->next_seq;
}

/* The headers of a merged packet, and the header it is written with. */
static void finish_merged(struct qnet_gro *g, struct qnet_vnet *v)
{
	uint8_t *p = g->buf, *th = p + g->l.l4off;
	size_t l4len = g->len - g->l.l4off;

	if (g->l.ipv == 4) {
		qnet_put16(p + 2, (uint16_t)g->len);
		qnet_put16(p + 10, 0);
		qnet_put16(p + 10, (uint16_t)~qnet_csum_fold(qnet_csum_add(0, p, g->l.l4off)));
	} else {
		qnet_put16(p + 4, (uint16_t)(g->len - 40));
	}
	qnet_put16(th + 16, qnet_csum_fold(qnet_csum_pseudo(p, 6, l4len)));
	*v = (struct qnet_vnet){
		.flags = QNET_VNET_F_NEEDS_CSUM,
		.gso_type = g->l.ipv == 4 ? QNET_VNET_GSO_TCPV4 : QNET_VNET_GSO_TCPV6,
		.hdr_len = (uint16_t)g->l.hlen,
		.gso_size = (uint16_t)g->mss,
		.csum_start = (uint16_t)g->l.l4off,
		.csum_offset = 16,
	};
}

void qnet_gro_flush(struct qnet_gro *g, qnet_gro_emit_fn emit, void *ctx)
{
	struct qnet_vnet v = { 0 };

	if (!g->pkt)
		return;
	if (g->segs > 1)
		finish_merged(g, &v);
	else if (g->valid)
		v.flags = QNET_VNET_F_DATA_VALID;
	emit(ctx, &v, g->pkt, g->len);
	g->pkt = NULL;
	g->own = false;
	g->segs = 0;
}

static void start(struct qnet_gro *g, const uint8_t *pkt, const struct qnet_l4 *l, bool valid)
{
	const uint8_t *th = pkt + l->l4off;

	g->pkt = pkt;
	g->len = l->len;
	g->own = false;
	g->valid = valid;
	g->segs = 1;
	g->l = *l;
	g->mss = l->len - l->hlen;
	g->next_seq = qnet_get32(th + 4) + (uint32_t)g->mss;
	g->last_id = l->ipv == 4 ? qnet_get16(pkt + 4) : 0;
	g->closed = !g->mss || (th[13] & TCP_PSH);
}

void qnet_gro_push(struct qnet_gro *g, const uint8_t *pkt, size_t len, bool csum_valid,
		   qnet_gro_emit_fn emit, void *ctx)
{
	struct qnet_l4 l;
	size_t pay;

	/* What the modem did not check is checked here: a merged packet's checksum is trusted. */
	if (!candidate(pkt, len, &l) || (!csum_valid && !qnet_csum_l4_ok(pkt, &l))) {
		qnet_gro_flush(g, emit, ctx);
		emit(ctx, &(struct qnet_vnet){ .flags = csum_valid ? QNET_VNET_F_DATA_VALID : 0 },
		     pkt, len);
		return;
	}
	if (g->pkt && continues(g, pkt, &l)) {
		if (!g->own) {
			memcpy(g->buf, g->pkt, g->len);
			g->pkt = g->buf;
			g->own = true;
		}
		pay = l.len - l.hlen;
		memcpy(g->buf + g->len, pkt + l.hlen, pay);
		g->len += pay;
		g->segs++;
		g->merged++;
		g->next_seq += (uint32_t)pay;
		g->last_id = l.ipv == 4 ? qnet_get16(pkt + 4) : 0;
		g->buf[g->l.l4off + 13] |= pkt[l.l4off + 13] & TCP_PSH;
		g->closed = pay < g->mss || (pkt[l.l4off + 13] & TCP_PSH);
		return;
	}
	qnet_gro_flush(g, emit, ctx);
	start(g, pkt, &l, csum_valid);
}
