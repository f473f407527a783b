/* SPDX-License-Identifier: MIT */
#include "net/netconf.h"
#include "net/netconf_int.h"

#include "base/rundir.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
	struct qnet_netrec rec; /* what we changed: rec.items */
	int dirfd;              /* the runtime directory holding the record; -1: none */
	char record[160];
	FILE *advice;     /* set when we could only advise: the undo goes there too */
	unsigned advised; /* QNET_REC_*: what the advice said to add */
};

/* Writes the record for what is done plus what is about to be (items), before it is. A
 * record we cannot write stops nothing: the configuration works, only crash recovery is lost. */
static void record(struct qnet_netconf *nc, unsigned items)
{
	char text[1024];
	int n;

	if (nc->dirfd < 0)
		return;
	n = qnet_netrec_format(&nc->rec, nc->rec.items | items, text, sizeof(text));
	if (n > 0)
		qb_write_atomic(nc->dirfd, nc->record, text, (size_t)n, 0600);
}

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
	nc->rec.old_mtu = rtnl_link_get_mtu(link);
	record(nc, (cfg->mtu && rtnl_link_get_mtu(link) != cfg->mtu ? QNET_REC_MTU : 0) |
			   (rtnl_link_get_flags(link) & IFF_UP ? 0 : QNET_REC_UP));
	ret = rtnl_link_change(nc->sock, link, change, 0);
	if (ret < 0) {
		int nle = ret;

		ret = nlerr(ret);
		snprintf(err, errlen, "setting MTU %u and link up: %s", cfg->mtu, nl_geterror(nle));
		goto out;
	}
	if (cfg->mtu && rtnl_link_get_mtu(link) != cfg->mtu)
		nc->rec.items |= QNET_REC_MTU;
	if (!(rtnl_link_get_flags(link) & IFF_UP))
		nc->rec.items |= QNET_REC_UP;
out:
	rtnl_link_put(change);
	rtnl_link_put(link);
	return ret;
}

/* The address object for family's address of the record, for adding or deleting. */
static struct rtnl_addr *addr_obj(const struct qnet_netconf *nc, int family)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	const void *ip = family == AF_INET ? (const void *)&nc->rec.v4 : (const void *)&nc->rec.v6;
	int prefix = (int)(family == AF_INET ? nc->rec.p4 : nc->rec.p6);
	struct nl_addr *local = nl_addr_build(family, ip, family == AF_INET ? 4 : 16);

	if (!a || !local) {
		rtnl_addr_put(a);
		nl_addr_put(local);
		return NULL;
	}
	nl_addr_set_prefixlen(local, prefix);
	rtnl_addr_set_ifindex(a, nc->ifindex);
	rtnl_addr_set_family(a, family);
	rtnl_addr_set_local(a, local);
	rtnl_addr_set_prefixlen(a, prefix);
	if (family == AF_INET6)
		rtnl_addr_set_flags(a, IFA_F_NODAD); /* the modem assigned it: nobody else has it */
	nl_addr_put(local);
	return a;
}

static int add_addr(struct qnet_netconf *nc, int family, char *err, size_t errlen)
{
	unsigned item = family == AF_INET ? QNET_REC_ADDR4 : QNET_REC_ADDR6;
	struct rtnl_addr *a = addr_obj(nc, family);
	char txt[INET6_ADDRSTRLEN];
	int ret;

	if (!a)
		return -ENOMEM;
	record(nc, item);
	ret = rtnl_addr_add(nc->sock, a, NLM_F_EXCL);
	if (ret < 0) {
		int nle = ret;

		ret = nlerr(ret);
		if (ret == -EEXIST)
			ret = 0; /* already there: not ours to remove later */
		else
			snprintf(err, errlen, "adding address %s/%u: %s",
				 inet_ntop(family,
					   family == AF_INET ? (void *)&nc->rec.v4
							     : (void *)&nc->rec.v6,
					   txt, sizeof(txt)),
				 family == AF_INET ? nc->rec.p4 : nc->rec.p6, nl_geterror(nle));
		record(nc, 0);
	} else {
		nc->rec.items |= item;
	}
	rtnl_addr_put(a);
	return ret;
}

static struct rtnl_route *route_obj(const struct qnet_netconf *nc, int family)
{
	static const uint8_t zero[16];
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = nl_addr_build(family, zero, family == AF_INET ? 4 : 16);

	if (!r || !nh || !dst) {
		if (nh)
			rtnl_route_nh_free(nh);
		nl_addr_put(dst);
		rtnl_route_put(r);
		return NULL;
	}
	nl_addr_set_prefixlen(dst, 0);
	rtnl_route_set_family(r, (uint8_t)family);
	rtnl_route_set_dst(r, dst);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_protocol(r, RTPROT_STATIC);
	/* A TUN has no link layer: the route names the device, no gateway is needed. */
	rtnl_route_set_scope(r, family == AF_INET ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
	rtnl_route_set_priority(r, nc->rec.metric);
	rtnl_route_nh_set_ifindex(nh, nc->ifindex);
	rtnl_route_add_nexthop(r, nh);
	nl_addr_put(dst);
	return r;
}

/* A default route through the interface at our metric. One that is already there (the same
 * route, someone else's) is left alone: not added, so never removed by us. */
static int add_default_route(struct qnet_netconf *nc, int family, struct qnet_ipconf *cfg,
			     char *err, size_t errlen)
{
	unsigned item = family == AF_INET ? QNET_REC_ROUTE4 : QNET_REC_ROUTE6;
	unsigned bit = family == AF_INET ? QNET_ROUTE_V4 : QNET_ROUTE_V6;
	struct rtnl_route *r = route_obj(nc, family);
	int ret;

	if (!r)
		return -ENOMEM;
	record(nc, item);
	ret = rtnl_route_add(nc->sock, r, NLM_F_EXCL);
	if (ret < 0) {
		int nle = ret;

		ret = nlerr(ret);
		if (ret == -EEXIST) {
			cfg->routes_existed |= bit;
			ret = 0;
		} else {
			snprintf(err, errlen, "adding the IPv%c default route: %s",
				 family == AF_INET ? '4' : '6', nl_geterror(nle));
		}
		record(nc, 0);
	} else {
		nc->rec.items |= item;
		cfg->routes_added |= bit;
	}
	rtnl_route_put(r);
	return ret;
}

static void install_dns(struct qnet_netconf *nc, struct qnet_ipconf *cfg)
{
	int ret;

	if (cfg->dns_mode == QNET_DNS_NONE)
		return;
	record(nc, QNET_REC_DNS);
	ret = qnet_dns_install(&nc->rec.dns, cfg->dns_force, cfg->dns_note, sizeof(cfg->dns_note));
	if (ret == 0) {
		nc->rec.items |= QNET_REC_DNS;
		cfg->dns_done = true;
	}
	record(nc, 0); /* created is known now, or there is nothing to undo */
}

static void open_record(struct qnet_netconf *nc, const char *owner)
{
	int fd;

	if (!owner || qnet_netrec_name(nc->record, sizeof(nc->record), owner, nc->rec.ifname) < 0)
		return;
	fd = qb_rundir_open(true, NULL);
	if (fd >= 0)
		nc->dirfd = fd;
}

int qnet_netconf_apply(struct qnet_netconf **out, int ifindex, const char *ifname,
		       struct qnet_ipconf *cfg, FILE *advice, char *err, size_t errlen)
{
	struct qnet_netconf *nc = calloc(1, sizeof(*nc));
	int ret;

	cfg->routes_added = cfg->routes_existed = 0;
	cfg->dns_done = false;
	cfg->dns_note[0] = '\0';
	if (!nc)
		return -ENOMEM;
	nc->dirfd = -1;
	nc->ifindex = ifindex;
	if (strlen(ifname) >= sizeof(nc->rec.ifname) ||
	    qnet_dns_prepare(&nc->rec.dns, ifname, cfg) < 0) {
		snprintf(err, errlen, "bad interface name or DNS file for '%s'", ifname);
		free(nc);
		return -EINVAL;
	}
	strcpy(nc->rec.ifname, ifname);
	nc->rec.v4 = cfg->v4_addr;
	nc->rec.p4 = cfg->v4_prefix;
	nc->rec.v6 = cfg->v6_addr;
	nc->rec.p6 = cfg->v6_prefix;
	nc->rec.metric = metric(cfg);
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
	open_record(nc, cfg->record_owner);
	ret = link_setup(nc, cfg, err, errlen);
	if (ret == 0 && cfg->has_v4)
		ret = add_addr(nc, AF_INET, err, errlen);
	if (ret == 0 && cfg->has_v6)
		ret = add_addr(nc, AF_INET6, err, errlen);
	if (ret == 0 && cfg->routes && cfg->has_v4)
		ret = add_default_route(nc, AF_INET, cfg, err, errlen);
	if (ret == 0 && cfg->routes && cfg->has_v6)
		ret = add_default_route(nc, AF_INET6, cfg, err, errlen);
	if (ret == -EPERM) {
		/* rtnetlink refuses changes without CAP_NET_ADMIN; the first step fails, so
		 * nothing was changed. The user applies the settings instead. */
		fprintf(advice,
			"qmiusb may not configure %s (needs CAP_NET_ADMIN); as root, run:\n",
			ifname);
		qnet_netconf_print_commands(advice, ifname, cfg);
		nc->advice = advice;
		nc->advised = (cfg->has_v4 ? QNET_REC_ADDR4 : 0) |
			      (cfg->has_v6 ? QNET_REC_ADDR6 : 0);
		if (cfg->routes)
			nc->advised |= (cfg->has_v4 ? QNET_REC_ROUTE4 : 0) |
				       (cfg->has_v6 ? QNET_REC_ROUTE6 : 0);
		record(nc, 0); /* nothing was changed */
		install_dns(nc, cfg);
		*out = nc;
		return 1;
	}
	if (ret < 0)
		goto fail;
	install_dns(nc, cfg);
	*out = nc;
	return 0;
fail:
	cfg->routes_added = 0;
	qnet_netconf_undo(nc);
	return ret;
}

/* The commands that undo the advice apply printed. */
static void print_undo(FILE *out, const struct qnet_netconf *nc)
{
	const struct qnet_netrec *r = &nc->rec;
	char a[INET6_ADDRSTRLEN];

	fprintf(out, "qmiusb may not undo the configuration of %s; as root, run:\n", r->ifname);
	if (nc->advised & QNET_REC_ROUTE4)
		fprintf(out, "ip route del default dev %s metric %u\n", r->ifname, r->metric);
	if (nc->advised & QNET_REC_ROUTE6)
		fprintf(out, "ip -6 route del default dev %s metric %u\n", r->ifname, r->metric);
	if (nc->advised & QNET_REC_ADDR4)
		fprintf(out, "ip addr del %s/%u dev %s\n", inet_ntop(AF_INET, &r->v4, a, sizeof(a)),
			r->p4, r->ifname);
	if (nc->advised & QNET_REC_ADDR6)
		fprintf(out, "ip -6 addr del %s/%u dev %s\n",
			inet_ntop(AF_INET6, &r->v6, a, sizeof(a)), r->p6, r->ifname);
	if (r->items & QNET_REC_DNS)
		qnet_dns_print_undo(out, &r->dns);
}

void qnet_netconf_undo(struct qnet_netconf *nc)
{
	unsigned items;
	int i;

	if (!nc)
		return;
	items = nc->rec.items;
	if (nc->advice)
		print_undo(nc->advice, nc);
	if (items & QNET_REC_DNS)
		qnet_dns_remove(&nc->rec.dns);
	for (i = 1; i >= 0 && nc->ifindex > 0; i--) {
		struct rtnl_route *r;

		if (!(items & (i ? QNET_REC_ROUTE6 : QNET_REC_ROUTE4)))
			continue;
		r = route_obj(nc, i ? AF_INET6 : AF_INET);
		if (r)
			rtnl_route_delete(nc->sock, r, 0);
		rtnl_route_put(r);
	}
	for (i = 1; i >= 0 && nc->ifindex > 0; i--) {
		struct rtnl_addr *a;

		if (!(items & (i ? QNET_REC_ADDR6 : QNET_REC_ADDR4)))
			continue;
		a = addr_obj(nc, i ? AF_INET6 : AF_INET);
		if (a)
			rtnl_addr_delete(nc->sock, a, 0);
		rtnl_addr_put(a);
	}
	if (items & (QNET_REC_MTU | QNET_REC_UP) && nc->ifindex > 0) {
		struct rtnl_link *link = NULL, *change = rtnl_link_alloc();

		if (change && rtnl_link_get_kernel(nc->sock, nc->ifindex, NULL, &link) == 0) {
			if (items & QNET_REC_MTU)
				rtnl_link_set_mtu(change, nc->rec.old_mtu);
			if (items & QNET_REC_UP)
				rtnl_link_unset_flags(change, IFF_UP);
			rtnl_link_change(nc->sock, link, change, 0);
		}
		rtnl_link_put(change);
		rtnl_link_put(link);
	}
	if (nc->dirfd >= 0) {
		unlinkat(nc->dirfd, nc->record, 0);
		close(nc->dirfd);
	}
	nl_socket_free(nc->sock);
	free(nc);
}

/* Undoes one record (name in dirfd); a line about it goes to report. 1 when undone, 0 when it
 * was no record. */
static int recover_one(int dirfd, const char *name, FILE *report)
{
	struct qnet_netconf *nc;
	char text[1024];
	ssize_t n;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return 0;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	nc = calloc(1, sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	text[n > 0 ? n : 0] = '\0';
	nc->dirfd = -1;
	if (n <= 0 || qnet_netrec_parse(&nc->rec, text) < 0 || !(nc->sock = nl_socket_alloc()) ||
	    nl_connect(nc->sock, NETLINK_ROUTE) < 0) {
		nl_socket_free(nc->sock);
		free(nc);
		unlinkat(dirfd, name, 0); /* unreadable: nothing we could undo by it */
		return 0;
	}
	/* A non-persistent TUN went with its process, and its routes and addresses with it. */
	nc->ifindex = (int)if_nametoindex(nc->rec.ifname);
	if (report)
		fprintf(report, "undoing what a previous connect left on %s:%s%s%s%s\n",
			nc->rec.ifname,
			nc->rec.items & (QNET_REC_ROUTE4 | QNET_REC_ROUTE6) && nc->ifindex > 0
				? " default routes"
				: "",
			nc->rec.items & (QNET_REC_ADDR4 | QNET_REC_ADDR6) && nc->ifindex > 0
				? " addresses"
				: "",
			nc->rec.items & (QNET_REC_MTU | QNET_REC_UP) && nc->ifindex > 0
				? " link settings"
				: "",
			nc->rec.items & QNET_REC_DNS ? " DNS" : "");
	unlinkat(dirfd, name, 0);
	qnet_netconf_undo(nc);
	return 1;
}

int qnet_netconf_recover(const char *owner, FILE *report)
{
	char prefix[128];
	struct dirent *de;
	DIR *d;
	int dirfd, fd, ret = 0, n;

	if (qnet_netrec_prefix(prefix, sizeof(prefix), owner) < 0)
		return -ENAMETOOLONG;
	dirfd = qb_rundir_open(false, NULL);
	if (dirfd < 0)
		return dirfd == -ENOENT ? 0 : dirfd;
	fd = dup(dirfd);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		close(dirfd);
		return -errno;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (strncmp(de->d_name, prefix, strlen(prefix)) || len < 5 ||
		    strcmp(de->d_name + len - 4, ".net"))
			continue;
		n = recover_one(dirfd, de->d_name, report);
		if (n < 0) {
			ret = n;
			break;
		}
		ret += n;
	}
	closedir(d);
	close(dirfd);
	return ret;
}
