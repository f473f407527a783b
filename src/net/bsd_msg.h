/* SPDX-License-Identifier: MIT */
/*
 * The requests macOS's interface configuration sends, built as bytes: routing-socket messages
 * (PF_ROUTE: an rt_msghdr and its sockaddrs) and the address requests of SIOCAIFADDR and
 * SIOCAIFADDR_IN6. Pure functions with the layout spelled out here (netconf_macos.c asserts it
 * against the SDK's own structures at compile time), so they run and are tested on any system.
 * Integers are in the host's byte order, as the kernel reads them.
 */
#ifndef QNET_BSD_MSG_H
#define QNET_BSD_MSG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The numbering of the target system. */
struct qnet_bsd_sys {
	uint8_t af_inet, af_inet6, af_link;
	uint8_t rtm_version;
};
extern const struct qnet_bsd_sys qnet_bsd_macos; /* AF 2, 30, 18; RTM_VERSION 5 */

#define QNET_RTM_ADD 1
#define QNET_RTM_DELETE 2
#define QNET_RTF_UP 0x1
#define QNET_RTF_STATIC 0x800
#define QNET_RTA_DST 0x1
#define QNET_RTA_GATEWAY 0x2
#define QNET_RTA_NETMASK 0x4

#define QNET_RTM_HDR_LEN 92    /* sizeof(struct rt_msghdr) */
#define QNET_RTM_MAX 256       /* enough for any message built here */
#define QNET_IFALIASREQ_LEN 64 /* sizeof(struct ifaliasreq) */
#define QNET_IN6_ALIASREQ_LEN 128

/* A route to dst/prefix (a struct in_addr or in6_addr by v6) through interface ifindex, its
 * gateway the interface itself (a point-to-point link needs no next hop). type is QNET_RTM_ADD
 * or QNET_RTM_DELETE. Returns the message length, or -EINVAL (bad prefix) / -ENOSPC. */
int qnet_bsd_route_msg(uint8_t *buf, size_t len, const struct qnet_bsd_sys *sys, int type, bool v6,
		       const void *dst, unsigned prefix, unsigned ifindex, int seq);
/* SIOCAIFADDR's request: addr/prefix on ifname, with peer as the point-to-point destination.
 * Returns QNET_IFALIASREQ_LEN, or -EINVAL / -ENOSPC. */
int qnet_bsd_aliasreq4(uint8_t *buf, size_t len, const struct qnet_bsd_sys *sys, const char *ifname,
		       struct in_addr addr, unsigned prefix, struct in_addr peer);
/* SIOCAIFADDR_IN6's request: addr/prefix on ifname, lifetimes infinite. Returns
 * QNET_IN6_ALIASREQ_LEN, or -EINVAL / -ENOSPC. */
int qnet_bsd_aliasreq6(uint8_t *buf, size_t len, const struct qnet_bsd_sys *sys, const char *ifname,
		       const struct in6_addr *addr, unsigned prefix);

#endif
