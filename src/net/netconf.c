/* SPDX-License-Identifier: MIT */
#include "net/netconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct qnet_netconf {
	struct nl_sock *sock;
	int ifindex;
	bool set_up;            /* we brought the link up */
	bool set_mtu;
	unsigned old_mtu;
	struct rtnl_addr *addr[2];   /* added by us: v4, v6 */
	struct rtnl_route *route[2]; /* added by us: v4, v6 */
};

static int nlerr(int e)
{
	switch (-e) {
	case NLE_PERM:
		return -EPERM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_NODEV:
	case NLE_OBJ_NOTFOUND:
		return -ENODEV;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_NOADDR:
		return -EADDRNOTAVAIL;
	default:
		return -EIO;
	}
}

static unsigned metric(const struct qnet_ipconf *cfg)
{
	return cfg->route_metric ? cfg->route_metric : QNET_ROUTE_METRIC;
}

void qnet_netconf_print_commands(FILE *out, const char *ifname, const struct qnet_ipconf *cfg)
{
	char a[INET6_ADDRSTRLEN];

	if (cfg->mtu)
		fprintf(out, "ip link set dev %s mtu %u up\n", ifname, cfg->mtu);
	else
		fprintf(out, "ip link set dev %s up\n", ifname);
	if (cfg->has_v4)
		fprintf(out, "ip addr add %s/%u dev %s\n",
			inet_ntop(AF_INET, &cfg->v4_addr, a, sizeof(a)), cfg->v4_prefix, ifname);
	if (cfg->has_v6)
		fprintf(out, "ip -6 addr add %s/%u dev %s nodad\n",
			inet_ntop(AF_INET6, &cfg->v6_addr, a, sizeof(a)), cfg->v6_prefix, ifname);
	if (cfg->routes && cfg->has_v4)
		fprintf(out, "ip route add default dev %s metric %u\n", ifname, metric(cfg));
	if (cfg->routes && cfg->has_v6)
		fprintf(out, "ip -6 route add default dev %s metric %u\n", ifname, metric(cfg));
}

static int link_setup(struct qnet_netconf *nc, const struct qnet_ipconf *cfg, char *err,
		      size_t errlen)
{
	struct rtnl_link *link = NULL, *change = NULL;
	int ret;

	ret = rtnl_link_get_kernel(nc->sock, nc->ifindex, NULL, &link);
	if (ret < 0) {
		snprintf(err, errlen, "reading the link: %s", nl_geterror(ret));
		ret = nlerr(ret);
		goto out;
	}
	change = rtnl_link_alloc();
	if (!change) {
		ret = -ENOMEM;
		goto out;
	}
	if (cfg->mtu && rtnl_link_get_mtu(link) != cfg->mtu)
		rtnl_link_set_mtu(change, cfg->mtu);
	if (!(rtnl_link_get_flags(link) & IFF_UP))
		rtnl_link_set_flags(change, IFF_UP);
	ret = rtnl_link_change(nc->sock, link, change, 0);
	if (ret < 0) {
		int nle = ret;

		ret = nlerr(ret);
		snprintf(err, errlen, "setting MTU %u and link up: %s", cfg->mtu, nl_geterror(nle));
		goto out;
	}
	if (cfg->mtu && rtnl_link_get_mtu(link) != cfg->mtu) {
		nc->set_mtu = true;
		nc->old_mtu = rtnl_link_get_mtu(link);
	}
	nc->set_up = !(rtnl_link_get_flags(link) & IFF_UP);
out:
	rtnl_link_put(change);
	rtnl_link_put(link);
	return ret;
}

static int add_addr(struct qnet_netconf *nc, int family, const void *ip, unsigned prefix,
		    struct rtnl_addr **rec, char *err, size_t errlen)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_addr *local = NULL;
	char txt[INET6_ADDRSTRLEN];
	int ret;

	if (!a)
		return -ENOMEM;
	local = nl_addr_build(family, ip, family == AF_INET ? 4 : 16);
	if (!local) {
		ret = -ENOMEM;
		goto out;
	}
	nl_addr_set_prefixlen(local, (int)prefix);
	rtnl_addr_set_ifindex(a, nc->ifindex);
	rtnl_addr_set_family(a, family);
	rtnl_addr_set_local(a, local);
	rtnl_addr_set_prefixlen(a, (int)prefix);
	if (family == AF_INET6)
		rtnl_addr_set_flags(a, IFA_F_NODAD); /* the modem assigned it: nobody else has it */
	ret = rtnl_addr_add(nc->sock, a, NLM_F_EXCL);
	if (ret < 0) {
		int nle = ret;

		ret = nlerr(ret);
		if (ret == -EEXIST) {
			ret = 0; /* already there: not ours to remove later */
			goto out;
		}
		snprintf(err, errlen, "adding address %s/%u: %s",
			 inet_ntop(family, ip, txt, sizeof(txt)), prefix, nl_geterror(nle));
		goto out;
	}
	*rec = a;
	a = NULL;
out:
	nl_addr_put(local);
	rtnl_addr_put(a);
	return ret;
}

static int add_default_route(struct qnet_netconf *nc, int family, unsigned prio,
			     struct rtnl_route **rec, char *err, size_t errlen)
{
	static const uint8_t zero[16];
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = NULL;
	struct nl_addr *dst = NULL;
	int ret;

	if (!r)
		return -ENOMEM;
	dst = nl_addr_build(family, zero, family == AF_INET ? 4 : 16);
	nh = rtnl_route_nh_alloc();
	if (!dst || !nh) {
		ret = -ENOMEM;
		goto out;
	}
	nl_addr_set_prefixlen(dst, 0);
	rtnl_route_set_family(r, (uint8_t)family);
	rtnl_route_set_dst(r, dst);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_protocol(r, RTPROT_STATIC);
	/* A TUN has no link layer: the route names the device, no gateway is needed. */
	rtnl_route_set_scope(r, family == AF_INET ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
	rtnl_route_set_priority(r, prio);
	rtnl_route_nh_set_ifindex(nh, nc->ifindex);
	rtnl_route_add_nexthop(r, nh);
	nh = NULL;
	ret = rtnl_route_add(nc->sock, r, NLM_F_EXCL);
	if (ret < 0) {
		int nle = ret;

		ret = nlerr(ret);
		if (ret == -EEXIST) {
			ret = 0;
			goto out;
		}
		snprintf(err, errlen, "adding the IPv%c default route: %s",
			 family == AF_INET ? '4' : '6', nl_geterror(nle));
		goto out;
	}
	*rec = r;
	r = NULL;
out:
	if (nh)
		rtnl_route_nh_free(nh);
	nl_addr_put(dst);
	rtnl_route_put(r);
	return ret;
}

int qnet_netconf_apply(struct qnet_netconf **out, int ifindex, const char *ifname,
		       const struct qnet_ipconf *cfg, FILE *advice, char *err, size_t errlen)
{
	struct qnet_netconf *nc = calloc(1, sizeof(*nc));
	int ret;

	if (!nc)
		return -ENOMEM;
	nc->ifindex = ifindex;
	nc->sock = nl_socket_alloc();
	if (!nc->sock) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = nl_connect(nc->sock, NETLINK_ROUTE);
	if (ret < 0) {
		snprintf(err, errlen, "rtnetlink: %s", nl_geterror(ret));
		ret = nlerr(ret);
		goto fail;
	}
	ret = link_setup(nc, cfg, err, errlen);
	if (ret == 0 && cfg->has_v4)
		ret = add_addr(nc, AF_INET, &cfg->v4_addr, cfg->v4_prefix, &nc->addr[0], err, errlen);
	if (ret == 0 && cfg->has_v6)
		ret = add_addr(nc, AF_INET6, &cfg->v6_addr, cfg->v6_prefix, &nc->addr[1], err,
			       errlen);
	if (ret == 0 && cfg->routes && cfg->has_v4)
		ret = add_default_route(nc, AF_INET, metric(cfg), &nc->route[0], err, errlen);
	if (ret == 0 && cfg->routes && cfg->has_v6)
		ret = add_default_route(nc, AF_INET6, metric(cfg), &nc->route[1], err, errlen);
	if (ret == -EPERM) {
		/* rtnetlink refuses changes without CAP_NET_ADMIN; the first step fails, so
		 * nothing was changed. The user applies the settings instead. */
		fprintf(advice,
			"qmiusb may not configure %s (needs CAP_NET_ADMIN); as root, run:\n", ifname);
		qnet_netconf_print_commands(advice, ifname, cfg);
		*out = nc;
		return 1;
	}
	if (ret < 0)
		goto fail;
	*out = nc;
	return 0;
fail:
	qnet_netconf_undo(nc);
	return ret;
}

void qnet_netconf_undo(struct qnet_netconf *nc)
{
	int i;

	if (!nc)
		return;
	for (i = 1; i >= 0; i--) {
		if (nc->route[i]) {
			rtnl_route_delete(nc->sock, nc->route[i], 0);
			rtnl_route_put(nc->route[i]);
		}
	}
	for (i = 1; i >= 0; i--) {
		if (nc->addr[i]) {
			rtnl_addr_delete(nc->sock, nc->addr[i], 0);
			rtnl_addr_put(nc->addr[i]);
		}
	}
	if (nc->set_mtu || nc->set_up) {
		struct rtnl_link *link = NULL, *change = rtnl_link_alloc();

		if (change && rtnl_link_get_kernel(nc->sock, nc->ifindex, NULL, &link) == 0) {
			if (nc->set_mtu)
				rtnl_link_set_mtu(change, nc->old_mtu);
			if (nc->set_up)
				rtnl_link_unset_flags(change, IFF_UP);
			rtnl_link_change(nc->sock, link, change, 0);
		}
		rtnl_link_put(change);
		rtnl_link_put(link);
	}
	nl_socket_free(nc->sock);
	free(nc);
}
