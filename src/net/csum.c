/* SPDX-License-Identifier: MIT */
/* Internet checksums and the virtio-net header (offload.h). */
#include "net/offload.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void qnet_vnet_get(const uint8_t b[QNET_VNET_HDR_LEN], struct qnet_vnet *v)
{
	v->flags = b[0];
	v->gso_type = b[1];
	memcpy(&v->hdr_len, b + 2, 2);
	memcpy(&v->gso_size, b + 4, 2);
	memcpy(&v->csum_start, b + 6, 2);
	memcpy(&v->csum_offset, b + 8, 2);
}

void qnet_vnet_put(uint8_t b[QNET_VNET_HDR_LEN], const struct qnet_vnet *v)
{
	b[0] = v->flags;
	b[1] = v->gso_type;
	memcpy(b + 2, &v->hdr_len, 2);
	memcpy(b + 4, &v->gso_size, 2);
	memcpy(b + 6, &v->csum_start, 2);
	memcpy(b + 8, &v->csum_offset, 2);
}

const char *qnet_offload_name(unsigned offloads, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = { { QNET_OFF_CSUM, "csum" },
		      { QNET_OFF_TSO4, "tso4" },
		      { QNET_OFF_TSO6, "tso6" },
		      { QNET_OFF_USO, "uso" },
		      { QNET_OFF_VNET, "gro" } };
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int n;

		if (!(offloads & names[i].bit) || used >= len)
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? " " : "", names[i].name);
		used += n > 0 ? (size_t)n : 0;
	}
	if (!buf[0])
		snprintf(buf, len, "none");
	return buf;
}

/* The sum is of 16-bit words in the host's order, 32 bits at a time; swapping the folded
 * result gives the big-endian sum (the one's complement sum does not care about byte order
 * beyond that). */
uint32_t qnet_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint64_t acc = 0;
	uint16_t w = 0;
	uint32_t x;

	for (; n >= 4; p += 4, n -= 4) {
		memcpy(&x, p, 4);
		acc += x;
	}
	if (n >= 2) {
		memcpy(&w, p, 2);
		acc += w;
		p += 2;
		n -= 2;
	}
	if (n) {
		uint8_t last[2] = { p[0], 0 };

		memcpy(&w, last, 2);
		acc += w;
	}
	while (acc >> 16)
		acc = (acc & 0xFFFF) + (acc >> 16);
	w = (uint16_t)acc;
	if (*(const uint8_t *)&(const uint16_t){ 1 }) /* little-endian host */
		w = (uint16_t)(w << 8 | w >> 8);
	return (sum & 0xFFFF) + (sum >> 16) + w;
}

uint16_t qnet_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)sum;
}

uint32_t qnet_csum_pseudo(const uint8_t *ip, uint8_t proto, size_t l4len)
{
	uint32_t sum;

	if (ip[0] >> 4 == 4)
		sum = qnet_csum_add(0, ip + 12, 8);
	else
		sum = qnet_csum_add(0, ip + 8, 32);
	return sum + proto + (uint32_t)(l4len >> 16) + (uint32_t)(l4len & 0xFFFF);
}

int qnet_l4_parse(const uint8_t *pkt, size_t len, bool gso, struct qnet_l4 *l)
{
	size_t tot;

	memset(l, 0, sizeof(*l));
	if (len < 20)
		return -EBADMSG;
	l->ipv = pkt[0] >> 4;
	if (l->ipv == 4) {
		l->l4off = (size_t)(pkt[0] & 0xF) * 4;
		l->proto = pkt[9];
		tot = qnet_get16(pkt + 2);
		if (l->l4off < 20)
			return -EBADMSG;
		if (l->l4off != 20 || (qnet_get16(pkt + 6) & 0x3FFF))
			return -EPROTONOSUPPORT; /* IP options, or a fragment */
	} else if (l->ipv == 6) {
		if (len < 40)
			return -EBADMSG;
		l->l4off = 40;
		l->proto = pkt[6]; /* an extension header is not looked through */
		tot = 40 + (size_t)qnet_get16(pkt + 4);
	} else {
		return -EBADMSG;
	}
	if (l->proto == 6) {
		if (len < l->l4off + 20)
			return -EBADMSG;
		l->hlen = l->l4off + (size_t)(pkt[l->l4off + 12] >> 4) * 4;
		if (l->hlen < l->l4off + 20)
			return -EBADMSG;
	} else if (l->proto == 17) {
		l->hlen = l->l4off + 8;
	} else {
		return -EPROTONOSUPPORT;
	}
	if (gso)
		tot = len;
	if (tot > len || tot < l->hlen)
		return -EBADMSG;
	l->len = tot;
	return 0;
}

static size_t check_off(const struct qnet_l4 *l)
{
	return l->l4off + (l->proto == 6 ? 16 : 6);
}

int qnet_csum_l4_fill(uint8_t *pkt, size_t len)
{
	struct qnet_l4 l;
	uint16_t c;
	int ret = qnet_l4_parse(pkt, len, false, &l);

	if (ret < 0)
		return ret;
	qnet_put16(pkt + check_off(&l), 0);
	c = (uint16_t)~qnet_csum_fold(qnet_csum_add(qnet_csum_pseudo(pkt, l.proto, l.len - l.l4off),
						    pkt + l.l4off, l.len - l.l4off));
	if (l.proto == 17 && !c)
		c = 0xFFFF; /* 0 would mean "no checksum" */
	qnet_put16(pkt + check_off(&l), c);
	return 0;
}

bool qnet_csum_l4_ok(const uint8_t *pkt, const struct qnet_l4 *l)
{
	if (l->proto == 17 && l->ipv == 4 && !qnet_get16(pkt + check_off(l)))
		return true;
	return qnet_csum_fold(qnet_csum_add(qnet_csum_pseudo(pkt, l->proto, l->len - l->l4off),
					    pkt + l->l4off, l->len - l->l4off)) == 0xFFFF;
}

int qnet_csum_finish(uint8_t *pkt, size_t len, const struct qnet_vnet *v)
{
	size_t at = (size_t)v->csum_start + v->csum_offset;
	uint16_t c;

	if (v->csum_start >= len || at + 2 > len)
		return -EINVAL;
	/* The field holds the pseudo-header sum already: it is summed with the rest. */
	c = (uint16_t)~qnet_csum_fold(qnet_csum_add(0, pkt + v->csum_start, len - v->csum_start));
	if (!c && v->csum_offset == 6)
		c = 0xFFFF; /* UDP: 0 would mean "no checksum" */
	qnet_put16(pkt + at, c);
	return 0;
}
