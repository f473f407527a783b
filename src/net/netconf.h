/* SPDX-License-Identifier: MIT */
/*
 * IP configuration of the data interface through rtnetlink (libnl-route-3): MTU, link up,
 * addresses, default routes. Everything applied is recorded so teardown removes exactly that and
 * nothing the user or another program set.
 */
#ifndef QNET_NETCONF_H
#define QNET_NETCONF_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define QNET_DNS_MAX 2

/* Where the modem's DNS servers go (besides the report). */
enum qnet_dns_mode {
	QNET_DNS_NONE,       /* only reported */
	QNET_DNS_FILE,       /* our own resolv.conf-format file, dns_path */
	QNET_DNS_RESOLVCONF, /* resolvconf -a IF.qmiusb / -d IF.qmiusb */
	QNET_DNS_RESOLVED,   /* resolvectl dns IF ... / resolvectl revert IF */
};

#define QNET_ROUTE_V4 1u
#define QNET_ROUTE_V6 2u

struct qnet_ipconf {
	bool has_v4;
	struct in_addr v4_addr, v4_gw;
	uint8_t v4_prefix;
	bool has_v6;
	struct in6_addr v6_addr, v6_gw;
	uint8_t v6_prefix;
	struct in_addr dns4[QNET_DNS_MAX];
	unsigned n_dns4;
	struct in6_addr dns6[QNET_DNS_MAX];
	unsigned n_dns6;
	unsigned mtu;          /* 0: leave the interface's MTU alone */
	bool routes;           /* add default routes through the interface */
	unsigned route_metric; /* 0: QNET_ROUTE_METRIC */
	enum qnet_dns_mode dns_mode;
	const char *dns_path; /* QNET_DNS_FILE */
	bool dns_force;       /* QNET_DNS_FILE: an existing file may be replaced */
	/* When set, what is about to change is first recorded in <record_owner>.<ifname>.net in
	 * the runtime directory, so qnet_netconf_recover() can undo it after a crash. */
	const char *record_owner;

	/* Set by qnet_netconf_apply(): what it did. */
	unsigned routes_added;   /* QNET_ROUTE_*: the default routes that are ours */
	unsigned routes_existed; /* QNET_ROUTE_*: already there, so not added (nor removed) */
	bool dns_done;           /* the servers were installed as dns_mode says */
	char dns_note[192];      /* why not, when !dns_done and dns_mode is not NONE */
};

/* Less preferred than Ethernet and Wi-Fi defaults, like NetworkManager's wwan. */
#define QNET_ROUTE_METRIC 700

struct qnet_netconf;

/*
 * Applies cfg to the interface. Returns 0 when everything is in place, 1 when the process may not
 * change it (no CAP_NET_ADMIN; typical for a user-owned persistent TUN): then the `ip` commands
 * the user must run were written to advice and nothing was changed. -errno on another failure,
 * after undoing what this call applied, with err set. *out (set on 0 and 1) records the changes.
 */
int qnet_netconf_apply(struct qnet_netconf **out, int ifindex, const char *ifname,
		       struct qnet_ipconf *cfg, FILE *advice, char *err, size_t errlen);
/* Removes what apply added (DNS, routes, addresses, MTU, link up), in reverse order, removes the
 * record, and frees nc. When apply could only advise (it returned 1), the `ip` commands that
 * undo the advice go to its advice stream, which must still be open then. Accepts NULL. */
void qnet_netconf_undo(struct qnet_netconf *nc);
/* Undoes what a dead connect recorded for owner (see record_owner) and removes its records.
 * Call it only while holding the owner's lock. One line per record undone goes to report.
 * Returns how many records were undone, or -errno. */
int qnet_netconf_recover(const char *owner, FILE *report);
/* The text of a DNS mode ("none", "file:PATH"...) parsed into *mode and *path (pointing into
 * text). 0 or -EINVAL. */
int qnet_dns_mode_parse(const char *text, enum qnet_dns_mode *mode, const char **path);
/* The `ip` commands that would apply cfg, one per line. */
void qnet_netconf_print_commands(FILE *out, const char *ifname, const struct qnet_ipconf *cfg);
/* resolv.conf lines ("nameserver A") for the DNS servers in cfg, written to path (replaced
 * atomically). 0 or -errno. */
int qnet_netconf_write_dns(const char *path, const struct qnet_ipconf *cfg);

#endif
