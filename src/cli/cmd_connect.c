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

#include "cli/cli.h"
#include "cli/connect_conf.h"
#include "cli/connect_share.h"
#include "cli/connect_state.h"
#include "cli/notify.h"
#include "cli/optparse.h"
#include "base/loop.h"
#include "conn/conn.h"
#include "net/netconf.h"
#include "qmi/device.h"
#include "qmi/messages.h"

enum { O_HELP = 1, O_APN, O_IPTYPE, O_AUTH, O_USER, O_PASSWORD, O_PROFILE, O_IFNAME, O_NOROUTES,
       O_DNSFILE, O_SIMTIMEOUT, O_REGTIMEOUT, O_SOCKET, O_NOSHARE,
       O_DATAFORMAT, O_METRIC, O_DNS, O_DNSFORCE, O_CONFIG,
       O_SYSLOG };

static const struct qcli_optdef defs[] = {
	{ 'h', "help", false, O_HELP },
	{ 0, "apn", true, O_APN },
	{ 0, "ip-type", true, O_IPTYPE },
	{ 0, "auth", true, O_AUTH },
	{ 0, "user", true, O_USER },
	{ 0, "password", true, O_PASSWORD },
	{ 0, "profile", true, O_PROFILE },
	{ 0, "ifname", true, O_IFNAME },
	{ 0, "no-routes", false, O_NOROUTES },
	{ 0, "dns-file", true, O_DNSFILE },
	{ 0, "sim-timeout", true, O_SIMTIMEOUT },
	{ 0, "reg-timeout", true, O_REGTIMEOUT },
	{ 0, "socket", true, O_SOCKET },
	{ 0, "no-share", false, O_NOSHARE },
	{ 0, "data-format", true, O_DATAFORMAT },
	{ 0, "metric", true, O_METRIC },
	{ 0, "dns", true, O_DNS },
	{ 0, "dns-force", false, O_DNSFORCE },
	{ 0, "config", true, O_CONFIG },
	{ 0, "syslog", false, O_SYSLOG },
	{ 0, NULL, false, 0 },
};

static const char help[] =
	"Usage: %s [global options] connect [--apn APN] [options]\n"
	"\n"
	"Sets the data format (QMAP when the modem grants it, else raw-IP), waits for the SIM\n"
	"and for packet-domain registration, starts the data call (one WDS client per IP family),\n"
	"configures a TUN device with the modem's addresses, MTU and default routes, and moves\n"
	"packets until interrupted. Each --apn is a session (PDN) of its own: its WDS clients,\n"
	"QMAP mux id, TUN interface and counters; only the first one gets default routes.\n"
	"When the network drops the call it reconnects with backoff. SIGINT/SIGTERM stop the\n"
	"call, undo the interface configuration and release the client ids.\n"
	"\n"
	"  --config NAME        read the settings of /etc/qmiusb/NAME.conf (qmiusb.conf(5))\n"
	"                       first; the command line overrides them\n"
	"  --apn APN            access point name (default: the one in the modem's profile,\n"
	"                       --profile or its default one); repeat for several PDNs (QMAP)\n"
	"  --ip-type 4|6|4v6    IP families (default 4), for every session\n"
	"  --auth none|pap|chap|both   authentication (default: the modem's)\n"
	"  --user U, --password P      credentials\n"
	"  --profile N          3GPP profile index\n"
	"  --ifname NAME[,NAME...]  TUN name per session; an existing persistent TUN you own\n"
	"                       is attached\n"
	"  --no-routes          no default routes\n"
	"  --metric N           the default routes' metric (default 700); a default route\n"
	"                       already there is left alone, and not removed at the end\n"
	"  --dns resolvconf|resolved|file:PATH|none   where the modem's DNS servers go:\n"
	"                       resolvconf's IF.qmiusb record, systemd-resolved's per-link\n"
	"                       servers, a resolv.conf-format file, or nowhere (default);\n"
	"                       removed again at the end\n"
	"  --dns-file PATH      the same as --dns file:PATH\n"
	"  --dns-force          --dns file:PATH may add to an existing file (the modem's\n"
	"                       servers are removed from it at the end)\n"
	"  --sim-timeout S      wait at most S seconds for the SIM (default 30)\n"
	"  --reg-timeout S      wait at most S seconds for registration (default 60)\n"
	"  --data-format auto|qmap|raw-ip   auto (default): QMAP (MAP v5, else v1) if the modem\n"
	"                       grants it, else raw-IP; qmap: fail instead; raw-ip: never QMAP\n"
	"  --socket NAME        share the modem on this abstract socket (default:\n"
	"                       $QMIUSB_PROXY_SOCKET, else qmi-proxy)\n"
	"  --no-share           don't share the modem\n"
	"  --syslog             progress, warnings and errors go to syslog (LOG_DAEMON) only;\n"
	"                       they go there too whenever stderr is not a terminal\n"
	"\n"
	"While it runs, connect serves the modem it owns as `qmiusb proxy` does, so\n"
	"`qmiusb -p info` and `qmicli -p --device-open-qmi -d PATH` (PATH as printed) reach it.\n"
	"A device already served by a proxy can't be connected: connect must own the data path.\n"
	"\n"
	"With --json, stdout gets one JSON object per line: {\"event\":\"state\",\"state\":S}\n"
	"on every transition (S: format, sim, registration, call, up, backoff with \"reason\",\n"
	"failed, stopped), {\"event\":\"up\",...} each time the\n"
	"connection is up (interface, ipv4/ipv6 address, prefix and gateway, dns, mtu, routes,\n"
	"data_path, shared) and {\"event\":\"exit\",...} at the end (outcome, exit_code, error).\n"
	"Progress lines go to stderr then.\n"
	"\n"
	"Without CAP_NET_ADMIN, pass --ifname of a TUN created with\n"
	"'ip tuntap add dev NAME mode tun user $USER': the addresses and routes to set are\n"
	"printed as ip commands.\n"
	"\n"
	"Example: qmiusb -d sim connect --apn internet\n";

/* Sharing the modem while connected (connect_share.c), and where the log lines go. */
struct share_opts {
	const char *socket; /* NULL: $QMIUSB_PROXY_SOCKET or qmi-proxy */
	bool off;
	bool syslog_only;
};

#define MAX_PDN 8

/* The sessions asked for: one per --apn (one with the profile's APN without any). */
struct pdn_opts {
	const char *apn[MAX_PDN];
	unsigned n;
	const char *ifnames; /* --ifname, comma-separated */
};

static int parse(struct qcli *cli, int argc, char **argv, struct qconn_opts *o,
		 struct share_opts *sh, struct pdn_opts *pdn)
{
	struct qcli_optscan s;
	unsigned long v;
	int id;

	qcli_opt_init(&s, argc, argv, 1);
	while ((id = qcli_opt_next(&s, defs)) != 0) {
		switch (id) {
		case -1:
			return qcli_usage_error(cli, "connect: unknown option '%s'", s.bad);
		case -2:
			return qcli_usage_error(cli, "connect: option '%s' needs a value", s.bad);
		case -3:
			return qcli_usage_error(cli, "connect: option '%s' takes no value", s.bad);
		case O_HELP:
			fprintf(cli->out, help, cli->prog);
			return QCLI_EXIT_OK;
		case O_APN:
			if (pdn->n == MAX_PDN)
				return qcli_usage_error(cli, "connect: at most %d --apn", MAX_PDN);
			pdn->apn[pdn->n++] = s.arg;
			break;
		case O_IPTYPE:
			if (!strcmp(s.arg, "4"))
				o->families = QCONN_V4;
			else if (!strcmp(s.arg, "6"))
				o->families = QCONN_V6;
			else if (!strcmp(s.arg, "4v6"))
				o->families = QCONN_V4 | QCONN_V6;
			else
				return qcli_usage_error(cli, "connect: --ip-type is 4, 6 or 4v6");
			break;
		case O_AUTH:
			if (!strcmp(s.arg, "none"))
				o->auth = QMI_WDS_AUTH_NONE;
			else if (!strcmp(s.arg, "pap"))
				o->auth = QMI_WDS_AUTH_PAP;
			else if (!strcmp(s.arg, "chap"))
				o->auth = QMI_WDS_AUTH_CHAP;
			else if (!strcmp(s.arg, "both"))
				o->auth = QMI_WDS_AUTH_PAP | QMI_WDS_AUTH_CHAP;
			else
				return qcli_usage_error(cli, "connect: --auth is none, pap, chap or both");
			break;
		case O_USER:
			o->user = s.arg;
			break;
		case O_PASSWORD:
			o->password = s.arg;
			break;
		case O_PROFILE:
			if (qcli_parse_uint(s.arg, 255, &v))
				return qcli_usage_error(cli, "connect: --profile is 0..255");
			o->profile = (int)v;
			break;
		case O_IFNAME:
			pdn->ifnames = s.arg;
			break;
		case O_NOROUTES:
			o->no_routes = true;
			break;
		case O_DNSFILE:
			if (!*s.arg)
				return qcli_usage_error(cli, "connect: --dns-file needs a PATH");
			o->dns_mode = QNET_DNS_FILE;
			o->dns_file = s.arg;
			break;
		case O_DNS: {
			enum qnet_dns_mode mode;

			if (qnet_dns_mode_parse(s.arg, &mode, &o->dns_file) < 0)
				return qcli_usage_error(cli, "connect: --dns is resolvconf, resolved, "
						       "file:PATH or none");
			o->dns_mode = (int)mode;
			break;
		}
		case O_DNSFORCE:
			o->dns_force = true;
			break;
		case O_METRIC:
			if (qcli_parse_uint(s.arg, 0xffffffffu, &v) || v == 0)
				return qcli_usage_error(cli, "connect: --metric is 1..4294967295");
			o->route_metric = (unsigned)v;
			break;
		case O_SIMTIMEOUT:
		case O_REGTIMEOUT:
			if (qcli_parse_uint(s.arg, 86400, &v))
				return qcli_usage_error(cli, "connect: timeouts are 0..86400 seconds");
			if (id == O_SIMTIMEOUT)
				o->sim_timeout_ms = (unsigned)v * 1000u;
			else
				o->reg_timeout_ms = (unsigned)v * 1000u;
			break;
		case O_SOCKET:
			if (!*s.arg || strlen(s.arg) > 100 || strchr(s.arg, '/'))
				return qcli_usage_error(cli, "connect: bad socket name '%s'", s.arg);
			sh->socket = s.arg;
			break;
		case O_NOSHARE:
			sh->off = true;
			break;
		case O_SYSLOG:
			sh->syslog_only = true;
			break;
		case O_DATAFORMAT:
			if (!strcmp(s.arg, "raw-ip"))
				o->data_format = QCONN_FMT_RAW_IP;
			else if (!strcmp(s.arg, "qmap"))
				o->data_format = QCONN_FMT_QMAP;
			else if (!strcmp(s.arg, "auto"))
				o->data_format = QCONN_FMT_AUTO;
			else
				return qcli_usage_error(cli, "connect: --data-format is auto, qmap or "
							     "raw-ip");
			break;
		default: /* O_CONFIG: read before the command line */
			break;
		}
	}
	if (s.i < argc)
		return qcli_usage_error(cli, "connect: unexpected argument '%s'", argv[s.i]);
	return -1;
}


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
				 "first", cli->devname, (long)pid, sock);
	return qcli_fail(cli, QCLI_EXIT_DEVICE,
			 "%s is served by the proxy on @%s, and connect must own the device for "
			 "its data path: stop the proxy and run connect alone (it shares the "
			 "modem on @%s itself)", cli->devname, sock, share_sock);
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
				 "connection, or `qmiusb disconnect` first", cli->devname, (long)holder);
	if (ret)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "%s", err);
	/* The lock is ours, so the connect that left records for this device is dead. */
	ret = qnet_netconf_recover(cli->devname, cli->err);
	if (ret < 0)
		fprintf(cli->err, "warning: couldn't undo a previous connect's leftovers: %s\n",
			strerror(-ret));
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
	char down[160];  /* why the connection went down last, for the state that follows */
	struct qconn_link *link;
	struct pdn pdn[MAX_PDN];
	struct qcli_pdn pub[MAX_PDN]; /* what the state file shows */
	unsigned n;
	bool over; /* a manager gave up */
	int rc;
};

static int exit_for(const struct qconn_event *ev)
{
	if (ev->local || ev->err == -ECONNRESET)
		return QCLI_EXIT_FAILURE;
	if (ev->err == -EREMOTEIO || ev->err == -EPROTO || ev->err == -EOPNOTSUPP)
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
		fprintf(o, "\tAPN: %s\n", fr->pub[p->idx].apn ? fr->pub[p->idx].apn :
								   "(the profile's)");
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
		fprintf(o, "\troutes: %s\n", p->idx ? "none (only the first session's are default routes)" :
						    "none (--no-routes)");
	else if (ip->routes_added)
		fprintf(o, "\troutes: default via the interface (%s), metric %u\n",
			ip->routes_added == (QNET_ROUTE_V4 | QNET_ROUTE_V6) ? "IPv4 and IPv6" :
			ip->routes_added == QNET_ROUTE_V4 ? "IPv4" : "IPv6",
			ip->route_metric ? ip->route_metric : QNET_ROUTE_METRIC);
	if (ip->routes && ip->routes_existed)
		fprintf(o, "\troutes: NOT added: the same %s default route was already there "
			"(not ours: left alone)\n", ip->routes_existed == QNET_ROUTE_V6 ? "IPv6" :
			ip->routes_existed == QNET_ROUTE_V4 ? "IPv4" : "IPv4 and IPv6");
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
		if (ev->err == -EREMOTEIO) {
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
		if (cli->json)
			qcli_connect_json_state(&fr->js, qconn_state_name(ev->state),
						ev->state == QCONN_BACKOFF && fr->down[0] ? fr->down
											  : NULL);
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

	for (unsigned i = 0; i < n && i < QCLI_MAX_CLIENTS && cli->n_clients < QCLI_MAX_CLIENTS; i++)
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
			  const struct pdn_opts *pdn)
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
		so.apn = pdn->n ? pdn->apn[i] : NULL;
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
	struct share_opts sho = { 0 };
	struct pdn_opts pdn = { .n = 0 };
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
		rc = parse(cli, argc, argv, &o, &sho, &pdn);
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
			rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "event loop: %s", strerror(-n));
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
				 strerror(pid <= 0 ? ESRCH : errno));
	/* Done when its state is gone (it removes it after undoing the TUN setup). */
	while (qcli_state_live(name, pid) && waited < cli->timeout_ms) {
		nanosleep(&nap, NULL);
		waited += 50;
	}
	if (qcli_state_live(name, pid))
		return qcli_fail(cli, QCLI_EXIT_TIMEOUT, "process %ld is still stopping", (long)pid);
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
