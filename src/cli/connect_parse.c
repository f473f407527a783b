/* SPDX-License-Identifier: MIT */
/* `qmiusb connect`'s options and help. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/conf.h"
#include "cli/connect_parse.h"
#include "cli/optparse.h"
#include "conn/conn.h"
#include "qmi/pin.h"
#include "net/netconf.h"
#include "net/tun.h"
#include "qmi/messages.h"

enum {
	O_HELP = 1,
	O_APN,
	O_IPTYPE,
	O_AUTH,
	O_USER,
	O_PASSWORD,
	O_PROFILE,
	O_IFNAME,
	O_NOROUTES,
	O_DNSFILE,
	O_SIMTIMEOUT,
	O_REGTIMEOUT,
	O_SOCKET,
	O_NOSHARE,
	O_DATAFORMAT,
	O_OFFLOAD,
	O_METRIC,
	O_DNS,
	O_DNSFORCE,
	O_CONFIG,
	O_SYSLOG,
	O_ONCE,
	O_PIN,
	O_PINFILE
};

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
	{ 0, "offload", true, O_OFFLOAD },
	{ 0, "metric", true, O_METRIC },
	{ 0, "dns", true, O_DNS },
	{ 0, "dns-force", false, O_DNSFORCE },
	{ 0, "config", true, O_CONFIG },
	{ 0, "syslog", false, O_SYSLOG },
	{ 0, "once", false, O_ONCE },
	{ 0, "pin", true, O_PIN },
	{ 0, "pin-file", true, O_PINFILE },
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
	"Any failure is retried after a pause that doubles up to 60 s, unless no retry helps\n"
	"(a wrong or missing PIN, a PUK-locked or absent SIM: exit code 7). SIGINT/SIGTERM\n"
	"stop the call, undo the interface configuration and release the client ids.\n"
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
	"  --once               one attempt: a failure before the first connection is final\n"
	"  --pin PIN            the SIM's PIN1, sent once if asked for (visible in ps)\n"
	"  --pin-file FILE      the PIN on FILE's first line (mode 600)\n"
	"  --sim-timeout S      wait at most S seconds for the SIM (default 30)\n"
	"  --reg-timeout S      wait at most S seconds for registration (default 60)\n"
	"  --data-format auto|qmap|raw-ip   auto (default): QMAP (MAP v5, else v1) if the modem\n"
	"                       grants it, else raw-IP; qmap: fail instead; raw-ip: never QMAP\n"
	"  --offload auto|on|off   TUN offloads (checksum, TCP/UDP segmentation, merged TCP\n"
	"                       writes): auto (default) takes what the kernel allows; on: fail\n"
	"                       without them\n"
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
	"on every transition (S: waiting-modem, setup, format, sim, registering, connecting,\n"
	"up, down with \"reason\", reconnecting with \"reason\" and \"delay_ms\", failed,\n"
	"stopped), {\"event\":\"up\",...} when up (interface, ipv4/ipv6 address, prefix and\n"
	"gateway, dns, mtu, routes, data_path, shared) and {\"event\":\"exit\",...} at the end\n"
	"(outcome, exit_code, error).\n"
	"Progress lines go to stderr then.\n"
	"\n"
	"Without CAP_NET_ADMIN, pass --ifname of a TUN created with\n"
	"'ip tuntap add dev NAME mode tun user $USER': the addresses and routes to set are\n"
	"printed as ip commands.\n"
	"\n"
	"Example: qmiusb -d sim connect --apn internet\n";

/* The PIN of --pin-file into sh->pin: -1, or the exit code of the failure. */
static int read_pin(struct qcli *cli, const char *path, struct qconn_opts *o,
		    struct qcli_share_opts *sh)
{
	char err[QCLI_CONF_ERRLEN], *pin = NULL;
	int r = qcli_pin_file_read(path, &pin, err, sizeof(err));

	if (r == -EINVAL)
		return qcli_usage_error(cli, "connect: %s", err);
	if (r)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "connect: %s", err);
	snprintf(sh->pin, sizeof(sh->pin), "%s", pin);
	qcli_secret_free(&pin);
	o->pin = sh->pin;
	return -1;
}

/* Sharing the modem while connected (connect_share.c), and where the log lines go. */
int qcli_connect_parse(struct qcli *cli, int argc, char **argv, struct qconn_opts *o,
		       struct qcli_share_opts *sh, struct qcli_pdn_opts *pdn)
{
	struct qcli_optscan s;
	const char *pin_file = NULL;
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
			if (pdn->n == QCLI_MAX_PDN)
				return qcli_usage_error(cli, "connect: at most %d --apn",
							QCLI_MAX_PDN);
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
				return qcli_usage_error(
					cli, "connect: --auth is none, pap, chap or both");
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
				return qcli_usage_error(cli,
							"connect: --dns is resolvconf, resolved, "
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
				return qcli_usage_error(cli,
							"connect: timeouts are 0..86400 seconds");
			if (id == O_SIMTIMEOUT)
				o->sim_timeout_ms = (unsigned)v * 1000u;
			else
				o->reg_timeout_ms = (unsigned)v * 1000u;
			break;
		case O_SOCKET:
			if (!*s.arg || strlen(s.arg) > 100 || strchr(s.arg, '/'))
				return qcli_usage_error(cli, "connect: bad socket name '%s'",
							s.arg);
			sh->socket = s.arg;
			break;
		case O_NOSHARE:
			sh->off = true;
			break;
		case O_SYSLOG:
			sh->syslog_only = true;
			break;
		case O_ONCE:
			o->once = true;
			break;
		case O_PIN:
			if (!qmi_pin_valid(s.arg))
				return qcli_usage_error(cli, "connect: --pin is 4 to 8 digits");
			o->pin = s.arg;
			pin_file = NULL;
			break;
		case O_PINFILE:
			pin_file = s.arg;
			break;
		case O_DATAFORMAT:
			if (!strcmp(s.arg, "raw-ip"))
				o->data_format = QCONN_FMT_RAW_IP;
			else if (!strcmp(s.arg, "qmap"))
				o->data_format = QCONN_FMT_QMAP;
			else if (!strcmp(s.arg, "auto"))
				o->data_format = QCONN_FMT_AUTO;
			else
				return qcli_usage_error(cli,
							"connect: --data-format is auto, qmap or "
							"raw-ip");
			break;
		case O_OFFLOAD:
			if (!strcmp(s.arg, "auto"))
				o->offload = QNET_TUN_OFFLOAD_AUTO;
			else if (!strcmp(s.arg, "on"))
				o->offload = QNET_TUN_OFFLOAD_ON;
			else if (!strcmp(s.arg, "off"))
				o->offload = QNET_TUN_OFFLOAD_OFF;
			else
				return qcli_usage_error(cli,
							"connect: --offload is auto, on or off");
			break;
		default: /* O_CONFIG: read before the command line */
			break;
		}
	}
	if (s.i < argc)
		return qcli_usage_error(cli, "connect: unexpected argument '%s'", argv[s.i]);
	return pin_file ? read_pin(cli, pin_file, o, sh) : -1;
}
