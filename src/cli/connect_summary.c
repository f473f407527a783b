/* SPDX-License-Identifier: MIT */
/* `qmiusb connect`'s summary of a session that is up, in words. */
#include <arpa/inet.h>

#include "cli/connect_share.h"
#include "conn/conn.h"
#include "net/netconf.h"

static void print_addr(FILE *o, int family, const void *addr, unsigned prefix, const void *gw)
{
	int af = family == 4 ? AF_INET : AF_INET6;
	char a[INET6_ADDRSTRLEN];

	fprintf(o, "\tIPv%d address: %s/%u\n", family, inet_ntop(af, addr, a, sizeof(a)), prefix);
	if (gw)
		fprintf(o, "\tIPv%d gateway: %s\n", family, inet_ntop(af, gw, a, sizeof(a)));
}

void qcli_connect_summary(FILE *o, const char *label, unsigned idx, bool several, const char *apn,
			  const struct qconn_up *up)
{
	const struct qnet_ipconf *ip = up->ip;
	char a[INET6_ADDRSTRLEN];
	unsigned i;

	fprintf(o, "[%s] connected: interface %s\n", label, up->ifname);
	if (several)
		fprintf(o, "\tAPN: %s\n", apn ? apn : "(the profile's)");
	if (ip->has_v4)
		print_addr(o, 4, &ip->v4_addr, ip->v4_prefix, ip->v4_gw.s_addr ? &ip->v4_gw : NULL);
	if (ip->has_v6)
		print_addr(o, 6, &ip->v6_addr, ip->v6_prefix,
			   IN6_IS_ADDR_UNSPECIFIED(&ip->v6_gw) ? NULL : &ip->v6_gw);
	for (i = 0; i < ip->n_dns4; i++)
		fprintf(o, "\tDNS: %s\n", inet_ntop(AF_INET, &ip->dns4[i], a, sizeof(a)));
	for (i = 0; i < ip->n_dns6; i++)
		fprintf(o, "\tDNS: %s\n", inet_ntop(AF_INET6, &ip->dns6[i], a, sizeof(a)));
	fprintf(o, "\tMTU: %u\n", ip->mtu);
	if (!ip->routes)
		fprintf(o, "\troutes: %s\n",
			idx ? "none (only the first session's are default routes)"
			    : "none (--no-routes)");
	else if (ip->routes_added)
		fprintf(o, "\troutes: default via the interface (%s), metric %u\n",
			ip->routes_added == (QNET_ROUTE_V4 | QNET_ROUTE_V6) ? "IPv4 and IPv6"
			: ip->routes_added == QNET_ROUTE_V4                 ? "IPv4"
									    : "IPv6",
			ip->route_metric ? ip->route_metric : QNET_ROUTE_METRIC);
	if (ip->routes && ip->routes_existed)
		fprintf(o,
			"\troutes: NOT added: the same %s default route was already there "
			"(not ours: left alone)\n",
			ip->routes_existed == QNET_ROUTE_V6   ? "IPv6"
			: ip->routes_existed == QNET_ROUTE_V4 ? "IPv4"
							      : "IPv4 and IPv6");
	else if (ip->routes && !ip->routes_added && !up->needs_root)
		fprintf(o, "\troutes: none added\n");
	if (ip->dns_done && ip->dns_mode == QNET_DNS_FILE)
		fprintf(o, "\tDNS written to %s\n", ip->dns_path);
	else if (ip->dns_done)
		fprintf(o, "\tDNS handed to %s\n",
			ip->dns_mode == QNET_DNS_RESOLVCONF ? "resolvconf" : "systemd-resolved");
	if (up->needs_root)
		fprintf(o, "\tconfiguration: to be applied by root (see above)\n");
	fprintf(o, "\tdata path: %s\n", up->data_path);
	fprintf(o, "\tdata format: %s\n", up->data_format);
	fflush(o);
}
