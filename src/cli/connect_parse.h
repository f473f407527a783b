/* SPDX-License-Identifier: MIT */
/* `qmiusb connect`'s command line: its options, help and the sessions it asks for. */
#ifndef QCLI_CONNECT_PARSE_H
#define QCLI_CONNECT_PARSE_H

#include <stdbool.h>

struct qcli;
struct qconn_opts;

struct qcli_share_opts {
	const char *socket; /* NULL: $QMIUSB_PROXY_SOCKET or qmi-proxy */
	bool off;
	bool syslog_only;
	char pin[9]; /* --pin-file's PIN (the session's opts point here): the caller wipes it */
};

#define QCLI_MAX_PDN 8

/* The sessions asked for: one per --apn (one with the profile's APN without any). */
struct qcli_pdn_opts {
	const char *apn[QCLI_MAX_PDN];
	unsigned n;
	const char *ifnames; /* --ifname, comma-separated */
};

/* Fills o, sh and pdn from argv (after the configuration file, which o may already hold).
 * -1 to go on, else the exit code (QCLI_EXIT_OK after --help). */
int qcli_connect_parse(struct qcli *cli, int argc, char **argv, struct qconn_opts *o,
		       struct qcli_share_opts *sh, struct qcli_pdn_opts *pdn);

#endif
