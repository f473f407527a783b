/* SPDX-License-Identifier: MIT */
/* Between the interface configuration and the DNS installation it undoes with it. */
#ifndef QNET_NETCONF_INT_H
#define QNET_NETCONF_INT_H

#include "net/netconf.h"

/* What qnet_dns_install() put in place, enough to take it away again (also from a record). */
struct qnet_dns_state {
	enum qnet_dns_mode mode;
	char ifname[32];
	char path[256]; /* QNET_DNS_FILE */
	bool created;   /* QNET_DNS_FILE: the file did not exist before */
	struct in_addr dns4[QNET_DNS_MAX];
	unsigned n_dns4;
	struct in6_addr dns6[QNET_DNS_MAX];
	unsigned n_dns6;
};

/* Fills st from cfg (before anything changes, so a record can name it). 0, or -EINVAL when
 * the mode needs what cfg lacks (a path, a usable interface name). */
int qnet_dns_prepare(struct qnet_dns_state *st, const char *ifname, const struct qnet_ipconf *cfg);
/* Installs the servers. 0, or -errno with note saying why in words; nothing changed then.
 * For QNET_DNS_FILE sets st->created. */
int qnet_dns_install(struct qnet_dns_state *st, bool force, char *note, size_t len);
/* Takes away what install put in place: for a file, only our lines (the file goes when nothing
 * else is left in a file we created). */
void qnet_dns_remove(const struct qnet_dns_state *st);
/* The command that undoes it, for a user without the rights. */
void qnet_dns_print_undo(FILE *out, const struct qnet_dns_state *st);

/* What one connect changed on one interface: the record's content. */
#define QNET_REC_UP 1u
#define QNET_REC_MTU 2u
#define QNET_REC_ADDR4 4u
#define QNET_REC_ADDR6 8u
#define QNET_REC_ROUTE4 16u
#define QNET_REC_ROUTE6 32u
#define QNET_REC_DNS 64u

struct qnet_netrec {
	char ifname[32];
	unsigned items; /* QNET_REC_* */
	unsigned old_mtu;
	struct in_addr v4;
	struct in6_addr v6;
	unsigned p4, p6, metric;
	struct qnet_dns_state dns;
};

/* The record's text for r's items. Its length, or -ENOSPC. */
int qnet_netrec_format(const struct qnet_netrec *r, unsigned items, char *buf, size_t cap);
/* 0, or -EINVAL for text that is not a record (then r is unusable). */
int qnet_netrec_parse(struct qnet_netrec *r, const char *text);
/* "<owner>.<ifname>.net", the owner made a plain file name. 0 or -ENAMETOOLONG. */
int qnet_netrec_name(char *buf, size_t cap, const char *owner, const char *ifname);
/* "<owner>." with the same mapping: the prefix of owner's records. */
int qnet_netrec_prefix(char *buf, size_t cap, const char *owner);

#endif
