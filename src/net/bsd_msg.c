/* SPDX-License-Identifier: MIT */
#include "net/bsd_msg.h"

#include <errno.h>
#include <string.h>

const struct qnet_bsd_sys qnet_bsd_macos = {
	.af_inet = 2, .af_inet6 = 30, .af_link = 18, .rtm_version = 5
};

#define IFNAMSIZ_BSD 16
#define BSD_SIN_LEN 16
#define BSD_SIN6_LEN 28
#define BSD_SDL_LEN 20

/* BSD sockaddrs in a routing message each take a multiple of 4 bytes. */
static size_t roundup4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* sockaddr_in / sockaddr_in6 (sa_len first), address bytes as given (network order). */
static size_t put_sa(uint8_t *p, const struct qnet_bsd_sys *sys, bool v6, const void *addr)
{
	if (v6) {
		memset(p, 0, BSD_SIN6_LEN);
		p[0] = BSD_SIN6_LEN;
		p[1] = sys->af_inet6;
		memcpy(p + 8, addr, 16); /* after port and flowinfo */
		return BSD_SIN6_LEN;
	}
	memset(p, 0, BSD_SIN_LEN);
	p[0] = BSD_SIN_LEN;
	p[1] = sys->af_inet;
	memcpy(p + 4, addr, 4); /* after the port */
	return BSD_SIN_LEN;
}

static void prefix_mask(uint8_t *mask, size_t bytes, unsigned prefix)
{
	memset(mask, 0, bytes);
	for (unsigned i = 0; i < prefix; i++)
		mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
}

int qnet_bsd_route_msg(uint8_t *buf, size_t len, const struct qnet_bsd_sys *sys, int type, bool v6,
		       const void *dst, unsigned prefix, unsigned ifindex, int seq)
{
	size_t alen = v6 ? 16 : 4, salen = v6 ? BSD_SIN6_LEN : BSD_SIN_LEN;
	size_t total = QNET_RTM_HDR_LEN + 2 * roundup4(salen) + roundup4(BSD_SDL_LEN);
	uint8_t mask[16], *p;

	if (prefix > alen * 8 || ifindex > UINT16_MAX ||
	    (type != QNET_RTM_ADD && type != QNET_RTM_DELETE))
		return -EINVAL;
	if (len < total)
		return -ENOSPC;
	memset(buf, 0, total);
	put16(buf + 0, (uint16_t)total);                                     /* rtm_msglen */
	buf[2] = sys->rtm_version;                                           /* rtm_version */
	buf[3] = (uint8_t)type;                                              /* rtm_type */
	put16(buf + 4, (uint16_t)ifindex);                                   /* rtm_index */
	put32(buf + 8, QNET_RTF_UP | QNET_RTF_STATIC);                       /* rtm_flags */
	put32(buf + 12, QNET_RTA_DST | QNET_RTA_GATEWAY | QNET_RTA_NETMASK); /* rtm_addrs */
	put32(buf + 20, (uint32_t)seq);                                      /* rtm_seq */
	/* The sockaddrs follow in RTA bit order: destination, gateway, netmask. */
	p = buf + QNET_RTM_HDR_LEN;
	p += roundup4(put_sa(p, sys, v6, dst));
	p[0] = BSD_SDL_LEN; /* sockaddr_dl naming the interface by index */
	p[1] = sys->af_link;
	put16(p + 2, (uint16_t)ifindex);
	p += roundup4(BSD_SDL_LEN);
	prefix_mask(mask, alen, prefix);
	put_sa(p, sys, v6, mask);
	return (int)total;
}

static int put_name(uint8_t *buf, const char *ifname)
{
	size_t n = strlen(ifname);
	if (n == 0 || n >= IFNAMSIZ_BSD)
		return -EINVAL;
	memcpy(buf, ifname, n);
	return 0;
}

int qnet_bsd_aliasreq4(uint8_t *buf, size_t len, const struct qnet_bsd_sys *sys, const char *ifname,
		       struct in_addr addr, unsigned prefix, struct in_addr peer)
{
	uint8_t mask[4];

	if (len < QNET_IFALIASREQ_LEN)
		return -ENOSPC;
	if (prefix > 32)
		return -EINVAL;
	memset(buf, 0, QNET_IFALIASREQ_LEN);
	if (put_name(buf, ifname) < 0)
		return -EINVAL;
	put_sa(buf + 16, sys, false, &addr); /* ifra_addr */
	put_sa(buf + 32, sys, false, &peer); /* ifra_broadaddr: the peer on a point-to-point link */
	prefix_mask(mask, sizeof(mask), prefix);
	put_sa(buf + 48, sys, false, mask); /* ifra_mask */
	return QNET_IFALIASREQ_LEN;
}

int qnet_bsd_aliasreq6(uint8_t *buf, size_t len, const struct qnet_bsd_sys *sys, const char *ifname,
		       const struct in6_addr *addr, unsigned prefix)
{
	uint8_t mask[16];

	if (len < QNET_IN6_ALIASREQ_LEN)
		return -ENOSPC;
	if (prefix > 128)
		return -EINVAL;
	memset(buf, 0, QNET_IN6_ALIASREQ_LEN);
	if (put_name(buf, ifname) < 0)
		return -EINVAL;
	put_sa(buf + 16, sys, true, addr); /* ifra_addr; ifra_dstaddr (44) stays empty */
	prefix_mask(mask, sizeof(mask), prefix);
	put_sa(buf + 72, sys, true, mask); /* ifra_prefixmask */
	/* ifra_flags (100) 0; ifra_lifetime (104): expire and preferred 0, both lifetimes
	 * infinite, so the address stays until it is removed. */
	put32(buf + 120, 0xffffffffu);
	put32(buf + 124, 0xffffffffu);
	return QNET_IN6_ALIASREQ_LEN;
}
