/* SPDX-License-Identifier: MIT */
/* TSO/USO super-packets cut into MSS-sized segments (gso.h). */
#include "net/gso.h"

#include <errno.h>
#include <string.h>

#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_CWR 0x80

int qnet_gso_init(struct qnet_gso *g, const uint8_t *pkt, size_t len, const struct qnet_vnet *v,
		  bool csum)
{
	uint8_t type = v->gso_type & (uint8_t)~QNET_VNET_GSO_ECN;
	int ret;

	memset(g, 0, sizeof(*g));
	ret = qnet_l4_parse(pkt, len, true, &g->l);
	if (ret < 0)
		return ret;
	switch (type) {
	case QNET_VNET_GSO_TCPV4:
	case QNET_VNET_GSO_TCPV6:
		if (g->l.proto != 6 || g->l.ipv != (type == QNET_VNET_GSO_TCPV4 ? 4 : 6))
			return -EPROTONOSUPPORT;
		break;
	case QNET_VNET_GSO_UDP_L4:
		if (g->l.proto != 17)
			return -EPROTONOSUPPORT;
		break;
	default:
		return -EPROTONOSUPPORT;
	}
	if (!v->gso_size || g->l.hlen + v->gso_size > 65535)
		return -EBADMSG;
	g->pkt = pkt;
	g->len = len;
	g->mss = v->gso_size;
	g->csum = csum;
	return 0;
}

size_t qnet_gso_next_len(const struct qnet_gso *g)
{
	size_t left = g->len - g->l.hlen - g->off;

	if (!g->pkt || (!left && g->seg))
		return 0;
	return g->l.hlen + (left < g->mss ? left : g->mss);
}

unsigned qnet_gso_left(const struct qnet_gso *g)
{
	size_t left = g->pkt ? g->len - g->l.hlen - g->off : 0;

	if (!g->pkt || (!left && g->seg))
		return 0;
	return left ? (unsigned)((left + g->mss - 1) / g->mss) : 1;
}

size_t qnet_gso_next(struct qnet_gso *g, uint8_t *dst)
{
	const struct qnet_l4 *l = &g->l;
	size_t n = qnet_gso_next_len(g), pay, l4len;
	uint8_t *l4 = dst + l->l4off;
	bool last;
	uint16_t c;

	if (!n)
		return 0;
	pay = n - l->hlen;
	last = g->off + pay == g->len - l->hlen;
	memcpy(dst, g->pkt, l->hlen);
	memcpy(dst + l->hlen, g->pkt + l->hlen + g->off, pay);
	l4len = n - l->l4off;
	if (l->ipv == 4) {
		qnet_put16(dst + 2, (uint16_t)n);
		qnet_put16(dst + 4, (uint16_t)(qnet_get16(g->pkt + 4) + g->seg));
		qnet_put16(dst + 10, 0);
		qnet_put16(dst + 10, (uint16_t)~qnet_csum_fold(qnet_csum_add(0, dst, l->l4off)));
	} else {
		qnet_put16(dst + 4, (uint16_t)(n - 40));
	}
	if (l->proto == 6) {
		qnet_put32(l4 + 4, qnet_get32(l4 + 4) + (uint32_t)g->off);
		if (!last)
			l4[13] &= (uint8_t) ~(TCP_FIN | TCP_PSH);
		if (g->seg)
			l4[13] &= (uint8_t)~TCP_CWR;
	} else {
		qnet_put16(l4 + 4, (uint16_t)l4len);
	}
	qnet_put16(l4 + (l->proto == 6 ? 16 : 6), 0);
	if (g->csum) {
		c = (uint16_t)~qnet_csum_fold(
			qnet_csum_add(qnet_csum_pseudo(dst, l->proto, l4len), l4, l4len));
		if (l->proto == 17 && !c)
			c = 0xFFFF;
	} else {
		c = qnet_csum_fold(qnet_csum_pseudo(dst, l->proto, l4len));
	}
	qnet_put16(l4 + (l->proto == 6 ? 16 : 6), c);
	g->off += pay;
	g->seg++;
	return n;
}
