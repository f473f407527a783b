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
#include <time.h>
#include <unistd.h>

#include "base/errors.h"
#include "cli/cli.h"
#include "cli/connect_share.h"
#include "cli/connect_state.h"
#include "cli/optparse.h"
#include "base/loop.h"
#include "conn/conn.h"
#include "net/netconf.h"
#include "qmi/device.h"
#include "qmi/messages.h"

enum { O_HELP = 1, O_APN, O_IPTYPE, O_AUTH, O_USER, O_PASSWORD, O_PROFILE, O_IFNAME, O_NOROUTES,
       O_DNSFILE, O_SIMTIMEOUT, O_REGTIMEOUT, O_SOCKET, O_NOSHARE,
       O_DATAFORMAT };

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
	{ 0, NULL, false, 0 },
};

static const char help[] =
	"Usage: %s [global options] connect [--apn APN] [options]\n"
	"\n"
	"Sets the raw-IP data format, waits for the SIM and for packet-domain registration,\n"
	"starts the data call (one WDS client per IP family), configures a TUN device with the\n"
	"modem's addresses, MTU and default routes, and moves packets until interrupted.\n"
	"When the network drops the call it reconnects with backoff. SIGINT/SIGTERM stop the\n"
	"call, undo the interface configuration and release the client ids.\n"
	"\n"
	"  --apn APN            access point name (default: the one in the modem's profile,\n"
	"                       --profile or its default one)\n"
	"  --ip-type 4|6|4v6    IP families (default 4)\n"
	"  --auth none|pap|chap|both   authentication (default: the modem's)\n"
	"  --user U, --password P      credentials\n"
	"  --profile N          3GPP profile index\n"
	"  --ifname NAME        TUN name; an existing persistent TUN you own is attached\n"
	"  --no-routes          no default routes\n"
	"  --dns-file PATH      write the DNS servers to PATH (resolv.conf format)\n"
	"  --sim-timeout S      wait at most S seconds for the SIM (default 30)\n"
	"  --reg-timeout S      wait at most S seconds for registration (default 60)\n"
	"  --data-format raw-ip|qmap   raw-ip (default), or QMAP aggregation (raw-ip if refused)\n"
	"  --socket NAME        share the modem on this abstract socket (default:\n"
	"                       $QMIUSB_PROXY_SOCKET, else qmi-proxy)\n"
	"  --no-share           don't share the modem\n"
	"\n"
	"While it runs, connect serves the modem it owns as `qmiusb proxy` does, so\n"
	"`qmiusb -p info` and `qmicli -p --device-open-qmi -d PATH` (PATH as printed) reach it.\n"
	"A device already served by a proxy can't be connected: connect must own the data path.\n"
	"\n"
	"With --json, stdout gets one JSON object per line: {\"event\":\"up\",...} each time the\n"
	"connection is up (interface, ipv4/ipv6 address, prefix and gateway, dns, mtu, routes,\n"
	"data_path, shared) and {\"event\":\"exit\",...} at the end (outcome, exit_code, error).\n"
	"Progress lines go to stderr then.\n"
	"\n"
	"Without CAP_NET_ADMIN, pass --ifname of a TUN created with\n"
	"'ip tuntap add dev NAME mode tun user $USER': the addresses and routes to set are\n"
	"printed as ip commands.\n"
	"\n"
	"Example: qmiusb -d sim connect --apn internet\n";

/* Sharing the modem while connected (connect_share.c). */
struct share_opts {
	const char *socket; /* NULL: $QMIUSB_PROXY_SOCKET or qmi-proxy */
	bool off;
};

static int parse(struct qcli *cli, int argc, char **argv, struct qconn_opts *o,
		 struct share_opts *sh)
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
			o->apn = s.arg;
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
			o->ifname = s.arg;
			break;
		case O_NOROUTES:
			o->no_routes = true;
			break;
		case O_DNSFILE:
			o->dns_file = s.arg;
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
		case O_DATAFORMAT:
			if (!strcmp(s.arg, "raw-ip"))
				o->qmap = false;
			else if (!strcmp(s.arg, "qmap"))
				o->qmap = true;
			else
				return qcli_usage_error(cli, "connect: --data-format is raw-ip or qmap");
			break;
		default:
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
	return QCLI_EXIT_OK;
}

struct front {
	struct qcli *cli;
	struct qcli_connect_json js;
	struct qcli_statefile sf;
	const char *dns_file;
	bool over; /* the manager gave up */
	int rc;
};

static int exit_for(const struct qconn_event *ev)
{
	if (ev->local || ev->err == -ECONNRESET)
		return QCLI_EXIT_FAILURE;
	if (ev->err == -QB_EMODEM || ev->err == -EPROTO)
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

static void print_summary(struct front *fr, const struct qconn_up *up)
{
	const struct qnet_ipconf *ip = up->ip;
	FILE *o = fr->cli->out;
	char a[INET6_ADDRSTRLEN];
	unsigned i;

	fprintf(o, "[%s] connected: interface %s\n", fr->cli->devname, up->ifname);
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
	fprintf(o, "\troutes: %s\n", ip->routes ? "default via the interface" : "none (--no-routes)");
	if (fr->dns_file)
		fprintf(o, "\tDNS written to %s\n", fr->dns_file);
	if (up->needs_root)
		fprintf(o, "\tconfiguration: to be applied by root (see above)\n");
	fprintf(o, "\tdata path: %s\n", up->data_path);
	fprintf(o, "\tdata format: %s\n", up->data_format);
	fflush(o);
}

static void on_event(void *user, struct qconn *c, const struct qconn_event *ev)
{
	struct front *fr = user;
	struct qcli *cli = fr->cli;

	switch (ev->kind) {
	case QCONN_EV_PROGRESS:
		fprintf(cli->out, "[%s] %s\n", cli->devname, ev->text);
		fflush(cli->out);
		break;
	case QCONN_EV_WARNING:
		fprintf(cli->err, "warning: %s\n", ev->text);
		break;
	case QCONN_EV_ERROR:
		fr->rc = qcli_fail(cli, exit_for(ev), "%s", ev->text);
		/* After qcli_fail(): recording the failure resets the JSON error's QMI part. */
		if (ev->err == -QB_EMODEM) {
			cli->error.has_qmi = true;
			cli->error.qmi_error = ev->qmi.error;
		}
		break;
	case QCONN_EV_UP:
		print_summary(fr, ev->up);
		if (cli->json)
			qcli_connect_json_up(&fr->js, ev->up);
		break;
	case QCONN_EV_STATE:
		if (ev->state == QCONN_FAILED)
			fr->over = true;
		break;
	case QCONN_EV_DOWN:
	case QCONN_EV_TICK:
		break;
	}
	if (ev->state != QCONN_STOPPED) /* the state file goes with the run */
		qcli_publish(&fr->sf, c, cli->devname);
}

static void set_opts(struct qconn_opts *o, struct front *fr)
{
	o->cb = on_event;
	o->cb_user = fr;
	o->timeout_ms = fr->cli->timeout_ms;
	o->advice = fr->cli->err;
	/* qmicli's --client-no-release-cid: the ids stay, and the session says which. */
	o->keep_cids = fr->cli->no_release_cid;
	fr->dns_file = o->dns_file;
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

int qcli_cmd_connect(struct qcli *cli, int argc, char **argv)
{
	struct qconn_opts o;
	struct share_opts sho = { 0 };
	struct front fr = { .cli = cli, .js = { .cli = cli, .out = cli->out } };
	struct qconn_cid ids[QCLI_MAX_CLIENTS];
	struct qcli_share *share = NULL;
	struct qconn *c = NULL;
	const char *sock;
	int rc;

	qconn_opts_init(&o);
	qcli_statefile_init(&fr.sf);
	rc = parse(cli, argc, argv, &o, &sho);
	if (rc == QCLI_EXIT_OK)
		return rc; /* --help */
	if (cli->json) {
		/* stdout carries only the JSON objects; the progress lines go to stderr, for
		 * the rest of the run (the session's teardown messages too). */
		cli->out = cli->err;
	}
	set_opts(&o, &fr);
	sock = qcli_share_socket(sho.socket);
	if (rc < 0)
		rc = qcli_session_open(cli);
	if (!rc)
		rc = refuse_proxy(cli, sock);
	if (!rc)
		rc = open_statefile(cli, &fr.sf);
	if (!rc && qconn_start(&c, cli->dev, &o) < 0)
		rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "out of memory");
	if (!rc)
		rc = fr.rc;
	/* After the start: the manager's client ids exist by now and are reserved from the
	 * clients. */
	if (!rc && !sho.off)
		qcli_share_start(&share, cli, sock, ids, qconn_cids(c, ids, QCLI_MAX_CLIENTS),
				 &fr.sf);
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
	if (c && cli->no_release_cid)
		report_kept(cli, c);
	qconn_stop(c);
	qcli_statefile_close(&fr.sf);
	/* Stopped by a signal is the normal end of a connection. */
	if (cli->interrupted && !rc)
		rc = QCLI_EXIT_OK;
	if (cli->json)
		qcli_connect_json_exit(&fr.js, rc);
	return rc;
}

/* `qmiusb disconnect`: asks the running `connect` to stop, as SIGTERM does, and waits until it
 * has undone everything. The process signalled is the one the kernel says holds the state
 * file's lock, never a pid read from a file. */
int qcli_cmd_disconnect(struct qcli *cli, int argc, char **argv)
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
	fprintf(cli->out, "[%s] disconnected (%s)\n", qcli_name(qcli_state_get(&st, "device")),
		qcli_name(qcli_state_get(&st, "interface")));
	return QCLI_EXIT_OK;
}
