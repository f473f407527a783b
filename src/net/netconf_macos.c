/* SPDX-License-Identifier: MIT */
/*
 * Interface configuration on macOS: MTU and link up through ifreq ioctls, addresses through
 * SIOCAIFADDR / SIOCAIFADDR_IN6, routes through a PF_ROUTE socket. The requests are built by
 * bsd_msg.c; the asserts below hold its layout to the SDK's structures. What was applied is
 * recorded so undo removes exactly that. macOS has no route metrics: a default route is added
 * only where none exists (EEXIST is reported, not overridden).
 */
#include "net/netconf.h"
#include "net/netconf_int.h"
#include "net/bsd_msg.h"
#include "net/macos_sdk.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <net/route.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <unistd.h>

_Static_assert(sizeof(struct rt_msghdr) == QNET_RTM_HDR_LEN, "rt_msghdr layout");
_Static_assert(offsetof(struct rt_msghdr, rtm_seq) == 20, "rt_msghdr layout");
_Static_assert(sizeof(struct ifaliasreq) == QNET_IFALIASREQ_LEN, "ifaliasreq layout");
_Static_assert(sizeof(struct qnet_in6_aliasreq) == QNET_IN6_ALIASREQ_LEN, "in6_aliasreq layout");
_Static_assert(offsetof(struct qnet_in6_aliasreq, ifra_prefixmask) == 72, "in6_aliasreq layout");
_Static_assert(offsetof(struct qnet_in6_aliasreq, ifra_lifetime) == 104, "in6_aliasreq layout");
_Static_assert(AF_INET6 == 30 && AF_LINK == 18 && RTM_VERSION == 5, "qnet_bsd_macos numbering");

struct qnet_netconf {
	char ifname[IFNAMSIZ];
	unsigned ifindex;
	int seq;
	bool mtu_set, up_set, v4_added, v6_added, route4, route6;
	unsigned old_mtu;
	struct in_addr v4;
	struct qnet_dns_state dns; /* installed when dns_set */
	bool dns_set;
};

/* The DNS servers as cfg->dns_mode says (portable: netconf_resolv.c). */
static void install_dns(struct qnet_netconf *nc, const char *ifname, struct qnet_ipconf *cfg)
{
	if (cfg->dns_mode == QNET_DNS_NONE)
		return;
	if (qnet_dns_prepare(&nc->dns, ifname, cfg) < 0) {
		snprintf(cfg->dns_note, sizeof(cfg->dns_note), "unusable DNS file name");
		return;
	}
	if (qnet_dns_install(&nc->dns, cfg->dns_force, cfg->dns_note, sizeof(cfg->dns_note)) == 0)
		nc->dns_set = cfg->dns_done = true;
}

static int ifreq_ioctl(unsigned long req, struct ifreq *ifr)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, req, ifr) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int addr_ioctl(int family, unsigned long req, void *arg)
{
	int fd = socket(family, SOCK_DGRAM, 0), ret = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, req, arg) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int route(struct qnet_netconf *nc, int type, bool v6)
{
	static const struct in6_addr any6;
	static const struct in_addr any4;
	uint8_t msg[QNET_RTM_MAX];
	int fd, n, ret = 0;

	n = qnet_bsd_route_msg(msg, sizeof(msg), &qnet_bsd_macos, type, v6,
			       v6 ? (const void *)&any6 : (const void *)&any4, 0, nc->ifindex,
			       ++nc->seq);
	if (n < 0)
		return n;
	fd = socket(PF_ROUTE, SOCK_RAW, 0);
	if (fd < 0)
		return -errno;
	if (write(fd, msg, (size_t)n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

void qnet_netconf_undo(struct qnet_netconf *nc)
{
	struct ifreq ifr;

	if (!nc)
		return;
	if (nc->dns_set)
		qnet_dns_remove(&nc->dns);
	if (nc->route6)
		route(nc, QNET_RTM_DELETE, true);
	if (nc->route4)
		route(nc, QNET_RTM_DELETE, false);
	/* An IPv6 address goes with the utun interface, which closes with the session. */
	if (nc->v4_added) {
		struct sockaddr_in sin = { .sin_len = sizeof(sin),
					   .sin_family = AF_INET,
					   .sin_addr = nc->v4 };
		memset(&ifr, 0, sizeof(ifr));
		memcpy(ifr.ifr_name, nc->ifname, sizeof(ifr.ifr_name));
		memcpy(&ifr.ifr_addr, &sin, sizeof(sin));
		ifreq_ioctl(SIOCDIFADDR, &ifr);
	}
	if (nc->up_set) {
		memset(&ifr, 0, sizeof(ifr));
		memcpy(ifr.ifr_name, nc->ifname, sizeof(ifr.ifr_name));
		if (ifreq_ioctl(SIOCGIFFLAGS, &ifr) == 0) {
			ifr.ifr_flags &= ~IFF_UP;
			ifreq_ioctl(SIOCSIFFLAGS, &ifr);
		}
	}
	if (nc->mtu_set) {
		memset(&ifr, 0, sizeof(ifr));
		memcpy(ifr.ifr_name, nc->ifname, sizeof(ifr.ifr_name));
		ifr.ifr_mtu = (int)nc->old_mtu;
		ifreq_ioctl(SIOCSIFMTU, &ifr);
	}
	free(nc);
}

static int apply(struct qnet_netconf *nc, struct qnet_ipconf *cfg, char *err, size_t errlen)
{
	uint8_t req[QNET_IN6_ALIASREQ_LEN];
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, nc->ifname, sizeof(ifr.ifr_name));
	if (cfg->mtu) {
		if ((ret = ifreq_ioctl(SIOCGIFMTU, &ifr)) < 0)
			return snprintf(err, errlen, "reading the MTU"), ret;
		nc->old_mtu = (unsigned)ifr.ifr_mtu;
		ifr.ifr_mtu = (int)cfg->mtu;
		if ((ret = ifreq_ioctl(SIOCSIFMTU, &ifr)) < 0)
			return snprintf(err, errlen, "setting MTU %u", cfg->mtu), ret;
		nc->mtu_set = true;
	}
	if ((ret = ifreq_ioctl(SIOCGIFFLAGS, &ifr)) < 0)
		return snprintf(err, errlen, "reading the link flags"), ret;
	if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if ((ret = ifreq_ioctl(SIOCSIFFLAGS, &ifr)) < 0)
			return snprintf(err, errlen, "setting the link up"), ret;
		nc->up_set = true;
	}
	if (cfg->has_v4) {
		struct in_addr peer = cfg->v4_gw.s_addr ? cfg->v4_gw : cfg->v4_addr;
		struct ifaliasreq ifra;
		ret = qnet_bsd_aliasreq4(req, sizeof(req), &qnet_bsd_macos, nc->ifname,
					 cfg->v4_addr, cfg->v4_prefix, peer);
		if (ret < 0)
			return snprintf(err, errlen, "IPv4 address request"), ret;
		memcpy(&ifra, req, sizeof(ifra));
		if ((ret = addr_ioctl(AF_INET, SIOCAIFADDR, &ifra)) < 0)
			return snprintf(err, errlen, "adding the IPv4 address"), ret;
		nc->v4 = cfg->v4_addr;
		nc->v4_added = true;
	}
	if (cfg->has_v6) {
		struct qnet_in6_aliasreq ifra6;
		ret = qnet_bsd_aliasreq6(req, sizeof(req), &qnet_bsd_macos, nc->ifname,
					 &cfg->v6_addr, cfg->v6_prefix);
		if (ret < 0)
			return snprintf(err, errlen, "IPv6 address request"), ret;
		memcpy(&ifra6, req, sizeof(ifra6));
		if ((ret = addr_ioctl(AF_INET6, QNET_SIOCAIFADDR_IN6, &ifra6)) < 0)
			return snprintf(err, errlen, "adding the IPv6 address"), ret;
		nc->v6_added = true;
	}
	if (cfg->routes && cfg->has_v4) {
		if ((ret = route(nc, QNET_RTM_ADD, false)) < 0)
			return snprintf(err, errlen, "adding the IPv4 default route"), ret;
		nc->route4 = true;
		cfg->routes_added |= QNET_ROUTE_V4;
	}
	if (cfg->routes && cfg->has_v6) {
		if ((ret = route(nc, QNET_RTM_ADD, true)) < 0)
			return snprintf(err, errlen, "adding the IPv6 default route"), ret;
		nc->route6 = true;
		cfg->routes_added |= QNET_ROUTE_V6;
	}
	return 0;
}

int qnet_netconf_apply(struct qnet_netconf **out, int ifindex, const char *ifname,
		       struct qnet_ipconf *cfg, FILE *advice, char *err, size_t errlen)
{
	struct qnet_netconf *nc;
	char what[128] = "";
	int ret;

	cfg->routes_added = cfg->routes_existed = 0;
	cfg->dns_done = false;
	cfg->dns_note[0] = '\0';
	if (strlen(ifname) >= IFNAMSIZ || ifindex <= 0) {
		snprintf(err, errlen, "bad interface '%s'", ifname);
		return -EINVAL;
	}
	nc = calloc(1, sizeof(*nc));
	if (!nc) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	memcpy(nc->ifname, ifname, strlen(ifname) + 1);
	nc->ifindex = (unsigned)ifindex;
	ret = apply(nc, cfg, what, sizeof(what));
	if (ret == -EPERM || ret == -EACCES) {
		qnet_netconf_undo(nc);
		if (advice)
			qnet_netconf_print_commands(advice, ifname, cfg);
		*out = calloc(1, sizeof(**out));
		if (*out)
			install_dns(*out, ifname, cfg);
		return *out ? 1 : -ENOMEM;
	}
	if (ret < 0) {
		snprintf(err, errlen, "%s on %s: %s%s", what, ifname, strerror(-ret),
			 ret == -EEXIST ? " (macOS has no route metrics: remove the other default "
					  "route or run without routes)"
					: "");
		qnet_netconf_undo(nc);
		return ret;
	}
	install_dns(nc, ifname, cfg);
	*out = nc;
	return 0;
}

void qnet_netconf_print_commands(FILE *out, const char *ifname, const struct qnet_ipconf *cfg)
{
	char a[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];

	if (cfg->mtu)
		fprintf(out, "ifconfig %s mtu %u\n", ifname, cfg->mtu);
	fprintf(out, "ifconfig %s up\n", ifname);
	if (cfg->has_v4) {
		struct in_addr peer = cfg->v4_gw.s_addr ? cfg->v4_gw : cfg->v4_addr;
		fprintf(out, "ifconfig %s inet %s/%u %s alias\n", ifname,
			inet_ntop(AF_INET, &cfg->v4_addr, a, sizeof(a)), cfg->v4_prefix,
			inet_ntop(AF_INET, &peer, p, sizeof(p)));
	}
	if (cfg->has_v6)
		fprintf(out, "ifconfig %s inet6 %s prefixlen %u alias\n", ifname,
			inet_ntop(AF_INET6, &cfg->v6_addr, a, sizeof(a)), cfg->v6_prefix);
	if (cfg->routes && cfg->has_v4)
		fprintf(out, "route -n add -inet default -interface %s\n", ifname);
	if (cfg->routes && cfg->has_v6)
		fprintf(out, "route -n add -inet6 default -interface %s\n", ifname);
}

/* No record is written here (qnet_ipconf's record_owner is ignored): nothing to recover. */
int qnet_netconf_recover(const char *owner, FILE *report)
{
	(void)owner;
	(void)report;
	return 0;
}
