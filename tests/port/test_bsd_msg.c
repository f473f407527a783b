/* SPDX-License-Identifier: MIT */
/* The routing-socket messages and address requests of macOS's interface configuration, byte by
 * byte in macOS's layout (host byte order for the integers, as the kernel reads them). */
#include "net/bsd_msg.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

static unsigned get16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static unsigned get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

Test(bsd_msg, ipv4_default_route_through_the_interface)
{
	uint8_t m[QNET_RTM_MAX];
	struct in_addr any = { 0 };
	int n = qnet_bsd_route_msg(m, sizeof(m), &qnet_bsd_macos, QNET_RTM_ADD, false, &any, 0, 7,
				   3);

	cr_assert_eq(n, 92 + 16 + 20 + 16);
	cr_assert_eq(get16(m), (unsigned)n, "rtm_msglen");
	cr_assert_eq(m[2], 5, "RTM_VERSION");
	cr_assert_eq(m[3], QNET_RTM_ADD);
	cr_assert_eq(get16(m + 4), 7, "rtm_index");
	cr_assert_eq(get32(m + 8), QNET_RTF_UP | QNET_RTF_STATIC,
		     "no RTF_GATEWAY: an interface route");
	cr_assert_eq(get32(m + 12), QNET_RTA_DST | QNET_RTA_GATEWAY | QNET_RTA_NETMASK);
	cr_assert_eq(get32(m + 20), 3, "rtm_seq");
	/* destination 0.0.0.0 */
	cr_assert_arr_eq(m + 92, ((uint8_t[]){ 16, 2, 0, 0, 0, 0, 0, 0 }), 8);
	/* gateway: sockaddr_dl, AF_LINK, the interface index */
	cr_assert_eq(m[108], 20);
	cr_assert_eq(m[109], 18);
	cr_assert_eq(get16(m + 110), 7);
	/* netmask /0 */
	cr_assert_arr_eq(m + 128, ((uint8_t[]){ 16, 2, 0, 0, 0, 0, 0, 0 }), 8);
}

Test(bsd_msg, ipv6_route_layout_and_a_partial_mask_byte)
{
	uint8_t m[QNET_RTM_MAX];
	struct in6_addr dst;
	int n;

	inet_pton(AF_INET6, "2001:db8::", &dst);
	n = qnet_bsd_route_msg(m, sizeof(m), &qnet_bsd_macos, QNET_RTM_DELETE, true, &dst, 33, 2,
			       1);
	cr_assert_eq(n, 92 + 28 + 20 + 28);
	cr_assert_eq(m[3], QNET_RTM_DELETE);
	cr_assert_eq(m[92], 28);
	cr_assert_eq(m[93], 30, "macOS AF_INET6");
	cr_assert_arr_eq(m + 100, &dst, 16);
	cr_assert_eq(m[120], 20);
	/* a /33 mask: four full bytes, then 0x80 */
	cr_assert_arr_eq(m + 140 + 8, ((uint8_t[]){ 0xff, 0xff, 0xff, 0xff, 0x80, 0 }), 6);
}

Test(bsd_msg, route_rejects_bad_input_without_writing)
{
	uint8_t m[QNET_RTM_MAX] = { 0xaa };
	struct in_addr any = { 0 };

	cr_assert_eq(qnet_bsd_route_msg(m, sizeof(m), &qnet_bsd_macos, QNET_RTM_ADD, false, &any,
					33, 1, 1),
		     -EINVAL);
	cr_assert_eq(qnet_bsd_route_msg(m, sizeof(m), &qnet_bsd_macos, 9, false, &any, 0, 1, 1),
		     -EINVAL);
	cr_assert_eq(qnet_bsd_route_msg(m, 100, &qnet_bsd_macos, QNET_RTM_ADD, false, &any, 0, 1,
					1),
		     -ENOSPC);
	cr_assert_eq(m[0], 0xaa);
}

Test(bsd_msg, ipv4_alias_request)
{
	uint8_t r[QNET_IFALIASREQ_LEN];
	struct in_addr a, p;

	inet_pton(AF_INET, "10.1.2.3", &a);
	inet_pton(AF_INET, "10.1.2.1", &p);
	cr_assert_eq(qnet_bsd_aliasreq4(r, sizeof(r), &qnet_bsd_macos, "utun4", a, 24, p), 64);
	cr_assert_str_eq((char *)r, "utun4");
	cr_assert_arr_eq(r + 16, ((uint8_t[]){ 16, 2, 0, 0, 10, 1, 2, 3 }), 8);
	cr_assert_arr_eq(r + 32, ((uint8_t[]){ 16, 2, 0, 0, 10, 1, 2, 1 }), 8);
	cr_assert_arr_eq(r + 48, ((uint8_t[]){ 16, 2, 0, 0, 255, 255, 255, 0 }), 8);
	cr_assert_eq(qnet_bsd_aliasreq4(r, sizeof(r), &qnet_bsd_macos, "a-name-too-long-x", a, 24,
					p),
		     -EINVAL);
	cr_assert_eq(qnet_bsd_aliasreq4(r, sizeof(r), &qnet_bsd_macos, "utun4", a, 40, p), -EINVAL);
}

Test(bsd_msg, ipv6_alias_request_lives_forever)
{
	uint8_t r[QNET_IN6_ALIASREQ_LEN];
	struct in6_addr a;

	inet_pton(AF_INET6, "2001:db8:1::5", &a);
	cr_assert_eq(qnet_bsd_aliasreq6(r, sizeof(r), &qnet_bsd_macos, "utun0", &a, 64), 128);
	cr_assert_str_eq((char *)r, "utun0");
	cr_assert_eq(r[16], 28);
	cr_assert_eq(r[17], 30);
	cr_assert_arr_eq(r + 24, &a, 16);
	cr_assert_eq(r[44], 0, "no destination address");
	cr_assert_eq(r[72], 28);
	cr_assert_arr_eq(r + 80,
			 ((uint8_t[]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0 }), 10);
	cr_assert_eq(get32(r + 120), 0xffffffffu, "valid lifetime infinite");
	cr_assert_eq(get32(r + 124), 0xffffffffu, "preferred lifetime infinite");
	cr_assert_eq(qnet_bsd_aliasreq6(r, 100, &qnet_bsd_macos, "utun0", &a, 64), -ENOSPC);
}
