/* SPDX-License-Identifier: MIT */
/*
 * What `qmiusb connect` adds around the connection manager: sharing the modem it owns with
 * other tools over the qmi-proxy protocol, and its --json objects.
 */
#ifndef QCLI_CONNECT_SHARE_H
#define QCLI_CONNECT_SHARE_H

#include <stdbool.h>
#include <stdio.h>

struct qcli;
struct qcli_share;
struct qcli_statefile;
struct qconn;
struct qconn_cid;
struct qconn_link;
struct qconn_up;

/* The proxy socket name: name if given, else $QMIUSB_PROXY_SOCKET, else "qmi-proxy". */
const char *qcli_share_socket(const char *name);

/* Serves cli->dev on cli->loop over the qmi-proxy protocol on the abstract socket sock,
 * publishing the path `qmiusb proxy` would (qprx_publish_path), under which the state file sf
 * gets an alias. The client ids in cids (connect's own) are reserved: proxy clients can't
 * release them. A socket that is taken, or any other failure, is reported as a note and leaves
 * *out NULL: the connection goes on unshared. */
void qcli_share_start(struct qcli_share **out, struct qcli *cli, const char *sock,
		      const struct qconn_cid *cids, unsigned ncids, struct qcli_statefile *sf);
/* Closes every proxy client, releases the ids they still hold as the proxy's rules say
 * (not those that own a data call), removes the socket and the published path. Accepts NULL. */
void qcli_share_stop(struct qcli_share *sh);
/* For reports: the socket name and the published path ("" when none). */
const char *qcli_share_name(const struct qcli_share *sh);
const char *qcli_share_path(const struct qcli_share *sh);

/* connect --json: one object per line on out. */
struct qcli_connect_json {
	struct qcli *cli;
	FILE *out;                      /* the real stdout (cli->out goes to stderr meanwhile) */
	const struct qcli_share *share; /* borrowed; NULL when not sharing */
	unsigned ups;                   /* "up" objects written */
};
/* {"command":"connect","event":"up",...}, each time a session is up: session is its number
 * (1 for the first), apn its APN (NULL: the profile's), mux_id its QMAP mux id (0: raw-IP). */
void qcli_connect_json_up(struct qcli_connect_json *j, const struct qconn_up *up, unsigned session,
			  const char *apn, unsigned mux_id);
/* {"command":"connect","event":"state","state":NAME[,"reason":TEXT]} on every transition;
 * reason may be NULL. */
void qcli_connect_json_state(struct qcli_connect_json *j, const char *state, const char *reason);
/* The same for state "backoff": "reason" (the failure) and "delay_ms" (the next attempt's). */
void qcli_connect_json_backoff(struct qcli_connect_json *j, const char *reason, unsigned delay_ms);
/* {"command":"connect","event":"exit","outcome":...,"exit_code":N[,"error":{...}]}. */
void qcli_connect_json_exit(struct qcli_connect_json *j, int exit_code);

/* connect's log lines (connect_log.c): progress, warnings and errors, timestamped on a stream,
 * and to syslog (LOG_DAEMON, which the journal reads) when stderr is not a terminal or with
 * --syslog. Under systemd with stderr already in the journal, or with --syslog, they go to
 * syslog only. */
struct qcli_connect_log {
	FILE *out; /* the stream for progress lines (warnings and errors: cli->err) */
	bool to_stream, to_syslog, opened;
	bool journal; /* stderr is the journal already */
};
void qcli_connect_log_init(struct qcli_connect_log *l, FILE *out, bool syslog_only);
/* prio: LOG_INFO (progress, on l->out), LOG_WARNING or LOG_ERR (on err, "warning: "/"error: "
 * prefixed). The device's name goes in front. */
void qcli_connect_log(struct qcli_connect_log *l, FILE *err, int prio, const char *devname,
		      const char *text);
void qcli_connect_log_close(struct qcli_connect_log *l);

/* The summary of session idx (0 for the first) that is up, on o (connect_summary.c); several:
 * the connection has more than one, so its APN (NULL: the profile's) is said too. */
void qcli_connect_summary(FILE *o, const char *label, unsigned idx, bool several, const char *apn,
			  const struct qconn_up *up);

/* One session (PDN) of a connect. */
struct qcli_pdn {
	struct qconn *c;
	const char *apn; /* NULL: the profile's */
};
#define QCLI_STATE_BODY 16384 /* the state file's largest size */
/* The state file's contents from the sessions' state and counters (connect_publish.c). */
void qcli_publish(struct qcli_statefile *sf, const struct qcli_pdn *s, unsigned n,
		  const struct qconn_link *link, const char *devname);

#endif
