/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb connect`: options, then the connection manager (src/conn) on the session's loop until
 * it gives up or a signal asks to stop. SIGINT/SIGTERM end the calls, undo the TUN configuration
 * and release the client ids, then exit 0. This file is the manager's front end: its events
 * become progress lines, the summary, --json objects, the state file and the exit code.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "base/errors.h"
#include "cli/cli.h"
#include "cli/connect_conf.h"
#include "cli/connect_parse.h"
#include "cli/connect_share.h"
#include "cli/connect_state.h"
#include "cli/notify.h"
#include "cli/optparse.h"
#include "base/loop.h"
#include "base/wipe.h"
#include "conn/conn.h"
#include "net/netconf.h"
#include "qmi/device.h"
#include "qmi/messages.h"

/* The data path can't cross a proxy (the proxy's process owns the bulk endpoints), so a
 * device reached through one is refused before anything starts. */
static int refuse_proxy(struct qcli *cli, const char *share_sock)
{
	const struct qmi_transport *tr = qmi_dev_transport(cli->dev);
	const char *sock = qcli_share_socket(NULL); /* the one open_proxy.c used */
	struct qcli_state st;
	pid_t pid;

	if (!tr || !tr->ops || !tr->ops->name || strcmp(tr->ops->name, "proxy"))
		return QCLI_EXIT_OK;
	/* The proxy may be another `connect` sharing its modem (its state file says so). */
	if (qcli_state_read(cli->devname, &st, &pid) == 0)
		return qcli_fail(cli, QCLI_EXIT_DEVICE,
				 "%s is already connected by `qmiusb connect` (pid %ld), which "
				 "shares it on @%s: use that connection, or `qmiusb disconnect` "
				 "first",
				 cli->devname, (long)pid, sock);
	return qcli_fail(cli, QCLI_EXIT_DEVICE,
			 "%s is served by the proxy on @%s, and connect must own the device for "
			 "its data path: stop the proxy and run connect alone (it shares the "
			 "modem on @%s itself)",
			 cli->devname, sock, share_sock);
}

/* The state file, locked for the whole run: a live connection on the device (USB modems cannot
 * be opened twice, but every process has its own `-d sim`) holds it already, and a second
 * connect must not take over the first one's `status` and `disconnect`. */
static int open_statefile(struct qcli *cli, struct qcli_statefile *sf)
{
	char err[384];
	pid_t holder = 0;
	int ret = qcli_statefile_open(sf, cli->devname, &holder, err, sizeof(err));

	if (ret == -EBUSY)
		return qcli_fail(cli, QCLI_EXIT_DEVICE,
				 "%s is already connected by `qmiusb connect` (pid %ld): use that "
				 "connection, or `qmiusb disconnect` first",
				 cli->devname, (long)holder);
	if (ret)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "%s", err);
	/* The lock is ours, so the connect that left records for this device is dead. */
	ret = qnet_netconf_recover(cli->devname, cli->err);
	if (ret < 0)
		fprintf(cli->err, "warning: couldn't undo a previous connect's leftovers: %s\n",
			qb_strerror(-ret));
	return QCLI_EXIT_OK;
}

struct front;

/* One session: its manager and how its lines are labelled. */
struct pdn {
	struct front *fr;
	unsigned idx;
	char label[96]; /* "sim", or "sim pdn2" for the second of several */
	char ifname[64];
};

struct front {
	struct qcli *cli;
	struct qcli_connect_json js;
	struct qcli_statefile sf;
	struct qcli_connect_log log;
	char down[160]; /* why the connection went down last, for the state that follows */
	struct qconn_link *link;
	struct pdn pdn[QCLI_MAX_PDN];
	struct qcli_pdn pub[QCLI_MAX_PDN]; /* what the state file shows */
	unsigned n;
	bool over; /* a manager gave up */
	int rc;
};

static int exit_for(const struct qconn_event *ev)
{
	if (ev->sim)
		return QCLI_EXIT_SIM;
	if (ev->local || ev->err == -ECONNRESET)
		return QCLI_EXIT_FAILURE;
	if (ev->err == -QB_EMODEM || ev->err == -EPROTO || ev->err == -EOPNOTSUPP)
		return QCLI_EXIT_QMI;
	return qcli_exit_for_errno(ev->err);
}

static void print_addr(FILE *o, int family, const void *addr, unsigned prefix, const void *gw)
{
	int af = family == 4 ? AF_INET : AF_INET6;
	char a[INET6_ADDRSTRLEN];

	fprintf(o, "\tIPv%d address: %s/%u\n", family, inet_ntop(af, addr, a, sizeof(a)), prefix);
	if (gw)
		fprintf(o, "\tIPv%d gateway: %s\n", family, inet_ntop(af, gw, a, sizeof(a)));
}

static void print_summary(struct pdn *p, const struct qconn_up *up)
{
	struct front *fr = p->fr;
	const struct qnet_ipconf *ip = up->ip;
	FILE *o = fr->cli->out;
	char a[INET6_ADDRSTRLEN];
	unsigned i;

	fprintf(o, "[%s] connected: interface %s\n", p->label, up->ifname);
	if (fr->n > 1)
		fprintf(o, "\tAPN: %s\n",
			fr->pub[p->idx].apn ? fr->pub[p->idx].apn : "(the profile's)");
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
			p->idx ? "none (only the first session's are default routes)"
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

static void on_event(void *user, struct qconn *c, const struct qconn_event *ev)
{
	struct pdn *p = user;
	struct front *fr = p->fr;
	struct qcli *cli = fr->cli;

	(void)c;
	switch (ev->kind) {
	case QCONN_EV_PROGRESS:
		qcli_connect_log(&fr->log, cli->err, LOG_INFO, p->label, ev->text);
		break;
	case QCONN_EV_WARNING:
		qcli_connect_log(&fr->log, cli->err, LOG_WARNING, p->label, ev->text);
		break;
	case QCONN_EV_ERROR:
		if (fr->log.to_syslog && !fr->log.journal) /* qcli_fail() writes stderr */
			syslog(LOG_DAEMON | LOG_ERR, "[%s] %s", p->label, ev->text);
		if (fr->n > 1)
			fr->rc = qcli_fail(cli, exit_for(ev), "%s: %s", p->label, ev->text);
		else
			fr->rc = qcli_fail(cli, exit_for(ev), "%s", ev->text);
		/* After qcli_fail(): recording the failure resets the JSON error's QMI part. */
		if (ev->err == -QB_EMODEM) {
			cli->error.has_qmi = true;
			cli->error.qmi_error = ev->qmi.error;
		}
		break;
	case QCONN_EV_UP: {
		char line[64];

		snprintf(line, sizeof(line), "up on %s", ev->up->ifname);
		qcli_notify_ready(line);
		print_summary(p, ev->up);
		if (cli->json)
			qcli_connect_json_up(&fr->js, ev->up);
		break;
	}
	case QCONN_EV_STATE:
		qcli_notify_status(qconn_state_name(ev->state));
		if (cli->json && ev->state == QCONN_BACKOFF)
			qcli_connect_json_backoff(&fr->js, ev->text, ev->delay_ms);
		else if (cli->json)
			qcli_connect_json_state(&fr->js, qconn_state_name(ev->state), NULL);
		if (ev->state == QCONN_UP)
			fr->down[0] = '\0';
		if (ev->state == QCONN_FAILED)
			fr->over = true;
		break;
	case QCONN_EV_DOWN:
		snprintf(fr->down, sizeof(fr->down), "%s", ev->text);
		break;
	case QCONN_EV_TICK:
		break;
	}
	/* The state file goes with the run; a session still starting is not shown yet. */
	if (ev->state != QCONN_STOPPED && fr->pub[fr->n ? fr->n - 1 : 0].c)
		qcli_publish(&fr->sf, fr->pub, fr->n, fr->link, cli->devname);
}

static void set_opts(struct qconn_opts *o, struct front *fr)
{
	o->cb = on_event;
	o->timeout_ms = fr->cli->timeout_ms;
	o->advice = fr->cli->err;
	/* qmicli's --client-no-release-cid: the ids stay, and the session says which. */
	o->keep_cids = fr->cli->no_release_cid;
	o->record_owner = fr->cli->devname;
}

/* With --client-no-release-cid the session reports the ids the manager kept. */
static void report_kept(struct qcli *cli, const struct qconn *c)
{
	struct qconn_cid ids[QCLI_MAX_CLIENTS];
	unsigned n = qconn_cids(c, ids, QCLI_MAX_CLIENTS);

	for (unsigned i = 0; i < n && i < QCLI_MAX_CLIENTS && cli->n_clients < QCLI_MAX_CLIENTS;
	     i++)
		cli->clients[cli->n_clients++] = (struct qcli_client){ .svc = ids[i].svc,
								       .cid = ids[i].cid };
}

/* Session i's TUN name: the i-th of --ifname's comma-separated names, NULL when unsaid. */
static const char *ifname_at(const char *list, unsigned i, char *buf, size_t len)
{
	const char *p = list;

	for (; p && i; i--) {
		p = strchr(p, ',');
		if (p)
			p++;
	}
	if (!p || !*p || *p == ',')
		return NULL;
	snprintf(buf, len, "%.*s", (int)strcspn(p, ","), p);
	return buf;
}

/* Starts every session on one link; 0, or the exit code of the failure. */
static int start_sessions(struct front *fr, const struct qconn_opts *o,
			  const struct qcli_pdn_opts *pdn)
{
	struct qcli *cli = fr->cli;
	struct qconn_link_opts lo = { .format = o->data_format };
	unsigned n = pdn->n ? pdn->n : 1;

	if (qconn_link_new(&fr->link, cli->dev, &lo) < 0)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "out of memory");
	for (unsigned i = 0; i < n && !fr->rc && !fr->over; i++) {
		struct pdn *p = &fr->pdn[i];
		struct qconn_opts so = *o;

		p->fr = fr;
		p->idx = i;
		if (n > 1)
			snprintf(p->label, sizeof(p->label), "%.80s pdn%u", cli->devname, i + 1);
		else
			snprintf(p->label, sizeof(p->label), "%.90s", cli->devname);
		so.cb_user = p;
		so.link = fr->link;
		/* Without --apn / --ifname the configuration file's (in o) stand. */
		so.apn = pdn->n ? pdn->apn[i] : o->apn;
		if (pdn->ifnames)
			so.ifname = ifname_at(pdn->ifnames, i, p->ifname, sizeof(p->ifname));
		if (i) { /* one default route, one resolv.conf: the first session's */
			so.no_routes = true;
			so.dns_file = NULL;
			so.dns_mode = QNET_DNS_NONE;
		}
		fr->pub[i].apn = so.apn;
		fr->n = i + 1;
		if (qconn_start(&fr->pub[i].c, cli->dev, &so) < 0)
			return qcli_fail(cli, QCLI_EXIT_FAILURE, "out of memory");
	}
	return fr->rc;
}

int qcli_cmd_connect(struct qcli *cli, int argc, char **argv)
{
	struct qconn_opts o;
	struct qcli_share_opts sho = { 0 };
	struct qcli_pdn_opts pdn = { .n = 0 };
	struct front fr = { .cli = cli, .js = { .cli = cli, .out = cli->out } };
	struct qconn_cid ids[QCLI_MAX_CLIENTS * 2];
	struct qcli_share *share = NULL;
	struct qcli_conf conf = { 0 };
	const char *sock, *conf_name = qcli_connect_conf_name(argc, argv);
	unsigned nids = 0;
	int rc = QCLI_EXIT_OK;

	qconn_opts_init(&o);
	qcli_statefile_init(&fr.sf);
	if (conf_name)
		rc = qcli_connect_conf_apply(cli, &conf, conf_name, &o);
	if (rc == QCLI_EXIT_OK)
		rc = qcli_connect_parse(cli, argc, argv, &o, &sho, &pdn);
	if (rc == QCLI_EXIT_OK)
		return rc; /* --help */
	if (cli->json) {
		/* stdout carries only the JSON objects; the progress lines go to stderr, for
		 * the rest of the run (the session's teardown messages too). */
		cli->out = cli->err;
	}
	set_opts(&o, &fr);
	qcli_connect_log_init(&fr.log, cli->out, sho.syslog_only);
	sock = qcli_share_socket(sho.socket);
	if (rc < 0)
		rc = qcli_session_open(cli);
	if (!rc)
		rc = refuse_proxy(cli, sock);
	if (!rc)
		rc = open_statefile(cli, &fr.sf);
	if (!rc)
		rc = start_sessions(&fr, &o, &pdn);
	if (!rc)
		rc = fr.rc;
	/* After the start: the managers' client ids exist by now and are reserved from the
	 * clients. */
	for (unsigned i = 0; !rc && i < fr.n; i++) {
		unsigned room = (unsigned)(sizeof(ids) / sizeof(ids[0])) - nids;
		unsigned got = qconn_cids(fr.pub[i].c, ids + nids, room);

		nids += got < room ? got : room;
	}
	if (!rc && !sho.off)
		qcli_share_start(&share, cli, sock, ids, nids, &fr.sf);
	fr.js.share = share;
	while (!rc && !cli->interrupted && !fr.over) {
		int n = qb_loop_run_once(cli->loop, -1);

		if (n < 0 && n != -EINTR) {
			rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "event loop: %s", qb_strerror(-n));
			break;
		}
	}
	if (!rc)
		rc = fr.rc;
	/* The clients go first: their ids are released while the modem still answers. */
	qcli_share_stop(share);
	fr.js.share = NULL;
	/* In order: the first one's synchronous teardown must not let the others go on. */
	for (unsigned i = 0; i < fr.n; i++) {
		if (fr.pub[i].c && cli->no_release_cid)
			report_kept(cli, fr.pub[i].c);
		qconn_stop(fr.pub[i].c);
		fr.pub[i].c = NULL;
	}
	qconn_link_free(fr.link);
	qcli_statefile_close(&fr.sf);
	/* Stopped by a signal is the normal end of a connection. */
	if (cli->interrupted && !rc)
		rc = QCLI_EXIT_OK;
	qcli_notify_stopping(NULL);
	qcli_connect_log_close(&fr.log);
	if (cli->json)
		qcli_connect_json_exit(&fr.js, rc);
	if (cli->device && cli->device == conf.device)
		cli->device = NULL; /* it goes with conf */
	qcli_conf_clear(&conf);
	qb_wipe(sho.pin, sizeof(sho.pin));
	return rc;
}

/* `qmiusb disconnect`: asks the running `connect` to stop, as SIGTERM does, and waits until it
 * has undone everything. The process signalled is the one the kernel says holds the state
 * file's lock, never a pid read from a file. */
static int disconnect(struct qcli *cli, int argc, char **argv, struct qcli_state *out)
{
	struct qcli_state st;
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	char name[128];
	unsigned waited = 0;
	pid_t pid;
	int rc, err;

	rc = qcli_command_noargs(cli, argc, argv);
	if (rc >= 0)
		return rc;
	err = qcli_state_find(cli->device, name, sizeof(name), &st, &pid);
	if (err == -EEXIST)
		return qcli_usage_error(cli, "several connections run: name one with -d");
	if (err)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "no qmiusb connection is running%s%s",
				 cli->device ? " on " : "", cli->device ? cli->device : "");
	if (pid <= 0 || kill(pid, SIGTERM) < 0)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "couldn't stop process %ld: %s", (long)pid,
				 qb_strerror(pid <= 0 ? ESRCH : errno));
	/* Done when its state is gone (it removes it after undoing the TUN setup). */
	while (qcli_state_live(name, pid) && waited < cli->timeout_ms) {
		nanosleep(&nap, NULL);
		waited += 50;
	}
	if (qcli_state_live(name, pid))
		return qcli_fail(cli, QCLI_EXIT_TIMEOUT, "process %ld is still stopping",
				 (long)pid);
	*out = st;
	return QCLI_EXIT_OK;
}

int qcli_cmd_disconnect(struct qcli *cli, int argc, char **argv)
{
	struct qcli_state st = { 0 };
	struct qcli_json j;
	int rc = disconnect(cli, argc, argv, &st);

	if (rc || !st.n) /* a failure, or --help */
		return qcli_daemon_exit(cli, rc);
	if (!cli->json) {
		fprintf(cli->out, "[%s] disconnected (%s)\n",
			qcli_name(qcli_state_get(&st, "device")),
			qcli_name(qcli_state_get(&st, "interface")));
		return rc;
	}
	qcli_json_init(&j, cli->out);
	qcli_json_obj_begin(&j, NULL);
	qcli_json_str(&j, "command", "disconnect");
	qcli_json_str(&j, "device", qcli_state_get(&st, "device"));
	qcli_json_str(&j, "interface", qcli_state_get(&st, "interface"));
	qcli_json_obj_end(&j);
	if (qcli_json_finish(&j) == 0)
		fputc('\n', cli->out);
	fflush(cli->out);
	return rc;
}
