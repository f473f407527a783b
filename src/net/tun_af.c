/* SPDX-License-Identifier: MIT */
#include "net/tun_af.h"

#include <errno.h>

static int family_of(const struct qnet_tun_af *af, const uint8_t *pkt, size_t len, uint32_t *family)
{
	if (len == 0)
		return -EPROTO;
	switch (pkt[0] >> 4) {
	case 4:
		*family = af->inet;
		return 0;
	case 6:
		*family = af->inet6;
		return 0;
	default:
		return -EPROTO;
	}
}

int qnet_tun_af_make(const struct qnet_tun_af *af, const uint8_t *pkt, size_t len,
		     uint8_t hdr[QNET_TUN_AF_LEN])
{
	uint32_t family;
	int ret = family_of(af, pkt, len, &family);

	if (ret)
		return ret;
	hdr[0] = (uint8_t)(family >> 24);
	hdr[1] = (uint8_t)(family >> 16);
	hdr[2] = (uint8_t)(family >> 8);
	hdr[3] = (uint8_t)family;
	return 0;
}

int qnet_tun_af_check(const struct qnet_tun_af *af, const uint8_t hdr[QNET_TUN_AF_LEN],
		      const uint8_t *pkt, size_t len)
{
	uint32_t got = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 |
		       hdr[3];
	uint32_t want;
	int ret = family_of(af, pkt, len, &want);

	if (ret)
		return ret;
	return got == want ? 0 : -EPROTO;
}
