/* SPDX-License-Identifier: MIT */
/*
 * The record of what a connect is about to change on its interface, one "key value" line per
 * item, so that the next connect can undo a killed one's leftovers.
 */
#include "net/netconf_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAGIC "qmiusb-netconf 1\n"

int qnet_netrec_prefix(char *buf, size_t cap, const char *owner)
{
	size_t i;

	for (i = 0; owner[i] && i + 2 < cap; i++)
		buf[i] = strchr("/: .", owner[i]) ? '_' : owner[i];
	if (owner[i] || !i)
		return -ENAMETOOLONG;
	buf[i++] = '.';
	buf[i] = '\0';
	return 0;
}

int qnet_netrec_name(char *buf, size_t cap, const char *owner, const char *ifname)
{
	size_t n;

	if (qnet_netrec_prefix(buf, cap, owner) < 0 || strchr(ifname, '/') || !ifname[0])
		return -ENAMETOOLONG;
	n = strlen(buf);
	if ((size_t)snprintf(buf + n, cap - n, "%s.net", ifname) >= cap - n)
		return -ENAMETOOLONG;
	return 0;
}

int qnet_netrec_format(const struct qnet_netrec *r, unsigned items, char *buf, size_t cap)
{
	const struct qnet_dns_state *d = &r->dns;
	static const char *const modes[] = { "none", "file", "resolvconf", "resolved" };
	char a[INET6_ADDRSTRLEN];
	size_t len = 0;
	unsigned i;
	int n;

#define PUT(...)                                                                                   \
	do {                                                                                       \
		n = snprintf(buf + len, cap - len, __VA_ARGS__);                                   \
		if (n < 0 || (size_t)n >= cap - len)                                               \
			return -ENOSPC;                                                            \
		len += (size_t)n;                                                                  \
	} while (0)
	PUT(MAGIC "ifname %s\n", r->ifname);
	if (items & QNET_REC_UP)
		PUT("up\n");
	if (items & QNET_REC_MTU)
		PUT("mtu %u\n", r->old_mtu);
	if (items & QNET_REC_ADDR4)
		PUT("addr4 %s %u\n", inet_ntop(AF_INET, &r->v4, a, sizeof(a)), r->p4);
	if (items & QNET_REC_ADDR6)
		PUT("addr6 %s %u\n", inet_ntop(AF_INET6, &r->v6, a, sizeof(a)), r->p6);
	if (items & QNET_REC_ROUTE4)
		PUT("route4 %u\n", r->metric);
	if (items & QNET_REC_ROUTE6)
		PUT("route6 %u\n", r->metric);
	if (items & QNET_REC_DNS) {
		PUT("dns %s %d\n", modes[d->mode], d->created);
		if (d->mode == QNET_DNS_FILE)
			PUT("dnsfile %s\n", d->path);
		for (i = 0; i < d->n_dns4; i++)
			PUT("ns %s\n", inet_ntop(AF_INET, &d->dns4[i], a, sizeof(a)));
		for (i = 0; i < d->n_dns6; i++)
			PUT("ns %s\n", inet_ntop(AF_INET6, &d->dns6[i], a, sizeof(a)));
	}
#undef PUT
	return (int)len;
}

static int parse_line(struct qnet_netrec *r, const char *key, char *val)
{
	struct qnet_dns_state *d = &r->dns;
	char *sp = strchr(val, ' ');
	unsigned long u = 0;

	if (sp)
		*sp++ = '\0';
	if (!strcmp(key, "ifname")) {
		if (!val[0] || strlen(val) >= sizeof(r->ifname) || strchr(val, '/'))
			return -EINVAL;
		strcpy(r->ifname, val);
		strcpy(d->ifname, val);
	} else if (!strcmp(key, "up")) {
		r->items |= QNET_REC_UP;
	} else if (!strcmp(key, "mtu")) {
		r->old_mtu = (unsigned)strtoul(val, NULL, 10);
		if (r->old_mtu < 68 || r->old_mtu > 65535)
			return -EINVAL;
		r->items |= QNET_REC_MTU;
	} else if (!strcmp(key, "addr4") || !strcmp(key, "addr6")) {
		bool six = key[4] == '6';

		if (!sp || inet_pton(six ? AF_INET6 : AF_INET, val,
				     six ? (void *)&r->v6 : (void *)&r->v4) != 1)
			return -EINVAL;
		u = strtoul(sp, NULL, 10);
		if (u > (six ? 128u : 32u))
			return -EINVAL;
		*(six ? &r->p6 : &r->p4) = (unsigned)u;
		r->items |= six ? QNET_REC_ADDR6 : QNET_REC_ADDR4;
	} else if (!strcmp(key, "route4") || !strcmp(key, "route6")) {
		r->metric = (unsigned)strtoul(val, NULL, 10);
		r->items |= key[5] == '6' ? QNET_REC_ROUTE6 : QNET_REC_ROUTE4;
	} else if (!strcmp(key, "dns")) {
		if (!strcmp(val, "file"))
			d->mode = QNET_DNS_FILE;
		else if (!strcmp(val, "resolvconf"))
			d->mode = QNET_DNS_RESOLVCONF;
		else if (!strcmp(val, "resolved"))
			d->mode = QNET_DNS_RESOLVED;
		else
			return -EINVAL;
		d->created = sp && *sp == '1';
		r->items |= QNET_REC_DNS;
	} else if (!strcmp(key, "dnsfile")) {
		if (sp)
			sp[-1] = ' '; /* a path may hold spaces */
		if (val[0] != '/' || strlen(val) >= sizeof(d->path))
			return -EINVAL;
		strcpy(d->path, val);
	} else if (!strcmp(key, "ns")) {
		if (d->n_dns4 < QNET_DNS_MAX && inet_pton(AF_INET, val, &d->dns4[d->n_dns4]) == 1)
			d->n_dns4++;
		else if (d->n_dns6 < QNET_DNS_MAX &&
			 inet_pton(AF_INET6, val, &d->dns6[d->n_dns6]) == 1)
			d->n_dns6++;
		else
			return -EINVAL;
	}
	/* Unknown keys are a newer writer's: what we know of the record still stands. */
	return 0;
}

int qnet_netrec_parse(struct qnet_netrec *r, const char *text)
{
	char line[320];
	const char *p, *end;
	size_t n;
	int ret;

	memset(r, 0, sizeof(*r));
	if (strncmp(text, MAGIC, strlen(MAGIC)))
		return -EINVAL;
	for (p = text + strlen(MAGIC); *p; p = *end ? end + 1 : end) {
		char *sp;

		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		n = (size_t)(end - p);
		if (n == 0)
			continue;
		if (n >= sizeof(line))
			return -EINVAL;
		memcpy(line, p, n);
		line[n] = '\0';
		sp = strchr(line, ' ');
		if (sp)
			*sp++ = '\0';
		ret = parse_line(r, line, sp ? sp : line + n);
		if (ret < 0)
			return ret;
	}
	if (!r->ifname[0] ||
	    (r->items & QNET_REC_DNS && r->dns.mode == QNET_DNS_FILE && !r->dns.path[0]))
		return -EINVAL;
	return 0;
}
