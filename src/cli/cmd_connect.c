/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb connect`: options, then the connection manager (connect_conn.c) on the session's loop
 * until it gives up or a signal asks to stop. SIGINT/SIGTERM end the calls, undo the TUN
 * configuration and release the client ids, then exit 0.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/connect_state.h"
#include "cli/optparse.h"
#include "net/loop.h"
#include "qmi/messages.h"

enum { O_HELP = 1, O_APN, O_IPTYPE, O_AUTH, O_USER, O_PASSWORD, O_PROFILE, O_IFNAME, O_NOROUTES,
       O_DNSFILE, O_SIMTIMEOUT, O_REGTIMEOUT };

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
	{ 0, NULL, false, 0 },
};

static const char help[] =
	"Usage: %s [global options] connect --apn APN [options]\n"
	"\n"
	"Sets the raw-IP data format, waits for the SIM and for packet-domain registration,\n"
	"starts the data call (one WDS client per IP family), configures a TUN device with the\n"
	"modem's addresses, MTU and default routes, and moves packets until interrupted.\n"
	"When the network drops the call it reconnects with backoff. SIGINT/SIGTERM stop the\n"
	"call, undo the interface configuration and release the client ids.\n"
	"\n"
	"  --apn APN            access point name\n"
	"  --ip-type 4|6|4v6    IP families (default 4)\n"
	"  --auth none|pap|chap|both   authentication (default: the modem's)\n"
	"  --user U, --password P      credentials\n"
	"  --profile N          3GPP profile index\n"
	"  --ifname NAME        TUN name; an existing persistent TUN you own is attached\n"
	"  --no-routes          no default routes\n"
	"  --dns-file PATH      write the DNS servers to PATH (resolv.conf format)\n"
	"  --sim-timeout S      wait at most S seconds for the SIM (default 30)\n"
	"  --reg-timeout S      wait at most S seconds for registration (default 60)\n"
	"\n"
	"Without CAP_NET_ADMIN, pass --ifname of a TUN created with\n"
	"'ip tuntap add dev NAME mode tun user $USER': the addresses and routes to set are\n"
	"printed as ip commands.\n"
	"\n"
	"Example: qmiusb -d sim connect --apn internet\n";

static int parse(struct qcli *cli, int argc, char **argv, struct qconn_opts *o)
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
		default:
			break;
		}
	}
	if (s.i < argc)
		return qcli_usage_error(cli, "connect: unexpected argument '%s'", argv[s.i]);
	return -1;
}

int qcli_cmd_connect(struct qcli *cli, int argc, char **argv)
{
	struct qconn_opts o = {
		.families = QCONN_V4,
		.auth = -1,
		.profile = -1,
		.sim_timeout_ms = 30000,
		.reg_timeout_ms = 60000,
		.backoff_min_ms = 1000,
		.backoff_max_ms = 60000,
	};
	struct qconn *c = NULL;
	int rc;

	rc = parse(cli, argc, argv, &o);
	if (rc >= 0)
		return rc;
	rc = qcli_session_open(cli);
	if (rc)
		return rc;
	rc = qconn_start(&c, cli, &o);
	while (!rc && !cli->interrupted && !qconn_failed(c, &rc)) {
		int n = qnet_loop_run_once(cli->loop, -1);

		if (n < 0 && n != -EINTR) {
			rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "event loop: %s", strerror(-n));
			break;
		}
	}
	qconn_stop(c);
	/* Stopped by a signal is the normal end of a connection. */
	if (cli->interrupted && !rc)
		rc = QCLI_EXIT_OK;
	return rc;
}

/* `qmiusb disconnect`: asks the running `connect` (found through its state file) to stop, as
 * SIGTERM does, and waits until it has undone everything. */
int qcli_cmd_disconnect(struct qcli *cli, int argc, char **argv)
{
	struct qconn_state st;
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	char path[600];
	unsigned waited = 0;
	pid_t pid;
	int rc, err;

	rc = qcli_command_noargs(cli, argc, argv);
	if (rc >= 0)
		return rc;
	err = qconn_state_find(cli->device, path, sizeof(path), &st, &pid);
	if (err == -EEXIST)
		return qcli_usage_error(cli, "several connections run: name one with -d");
	if (err)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "no qmiusb connection is running%s%s",
				 cli->device ? " on " : "", cli->device ? cli->device : "");
	if (kill(pid, SIGTERM) < 0)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "couldn't stop process %ld: %s", (long)pid,
				 strerror(errno));
	/* Done when its state file is gone (it removes it after undoing the TUN setup). */
	while (kill(pid, 0) == 0 && access(path, F_OK) == 0 && waited < cli->timeout_ms) {
		nanosleep(&nap, NULL);
		waited += 50;
	}
	if (kill(pid, 0) == 0 && access(path, F_OK) == 0)
		return qcli_fail(cli, QCLI_EXIT_TIMEOUT, "process %ld is still stopping", (long)pid);
	fprintf(cli->out, "[%s] disconnected (%s)\n", qcli_name(qconn_state_get(&st, "device")),
		qcli_name(qconn_state_get(&st, "interface")));
	return QCLI_EXIT_OK;
}
