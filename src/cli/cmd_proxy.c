/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb proxy`: own the device and share it with unmodified libqmi clients (qmicli -p,
 * ModemManager) and with qmiusb's own commands, over qmi-proxy's socket protocol.
 *
 * Unlike qmi-proxy, which libqmi spawns on demand and which therefore exits after 300 s
 * without clients, this proxy is started on purpose and holds the USB claim: exiting when
 * idle would leave the next client with a device nobody serves. So it stays by default;
 * --empty-timeout S gives qmi-proxy's behaviour (the timer runs at start and whenever the
 * last client leaves; 0 = never exit).
 */
#include "base/errors.h"
#include "cli/cli.h"
#include "cli/optparse.h"
#include "base/loop.h"
#include "proxy/proxy.h"
#include "proxy/sock.h"
#include "qmi/device.h"
#include "sim/sim.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	OPT_HELP = 1,
	OPT_DEV,
	OPT_SOCKET,
	OPT_USER,
	OPT_GROUP,
	OPT_EMPTY,
	OPT_NO_EXIT,
	OPT_GRACE,
	OPT_KEEP,
	OPT_PUBLISH,
	OPT_VERBOSE,
};

static const struct qcli_optdef proxy_opts[] = {
	{ 'h', "help", false, OPT_HELP },       { 'd', "device", true, OPT_DEV },
	{ 0, "socket", true, OPT_SOCKET },      { 0, "allow-user", true, OPT_USER },
	{ 0, "allow-group", true, OPT_GROUP },  { 0, "empty-timeout", true, OPT_EMPTY },
	{ 0, "no-exit", false, OPT_NO_EXIT },   { 0, "cid-grace", true, OPT_GRACE },
	{ 0, "keep-cids", false, OPT_KEEP },    { 0, "publish", true, OPT_PUBLISH },
	{ 'v', "verbose", false, OPT_VERBOSE }, { 0, NULL, false, 0 },
};

/* "5", "0.2": seconds with up to millisecond precision. */
static int parse_secs_ms(const char *s, unsigned *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	/* Bounded by what fits in milliseconds (49 days): beyond, the conversion is undefined. */
	if (errno || end == s || *end || !(v >= 0) || v * 1000.0 + 0.5 >= (double)UINT_MAX)
		return -EINVAL;
	*ms = (unsigned)(v * 1000.0 + 0.5);
	if (v > 0 && !*ms) /* "0.0001" asks for a timeout, not for none */
		*ms = 1;
	return 0;
}

static int serve(struct qcli *cli, struct qprx_server_opts *o, const char *publish)
{
	struct qcli_sigstop sig = { 0 };
	struct qb_loop *loop = NULL;
	struct qmi_dev *dev = NULL;
	struct qprx_server *srv = NULL;
	char path[PATH_MAX] = "";
	int ret, rc = QCLI_EXIT_OK;

	ret = qb_loop_new(&loop, QB_LOOP_AUTO);
	if (ret < 0) {
		rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "proxy: no event loop: %s",
			       qb_strerror(-ret));
		goto out;
	}
	/* Signals become loop events, so the releases at exit run like everything else. */
	ret = qcli_sigstop_start(&sig, loop);
	if (ret < 0) {
		rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "proxy: cannot watch signals: %s",
			       qb_strerror(-ret));
		goto out;
	}
	/* The proxy is the device's owner: never go through another proxy to reach it. */
	cli->proxy = QCLI_PROXY_OFF;
	ret = qcli_open(cli, loop, &dev);
	if (ret < 0) {
		/* As every command that opens the device: a -d value that names nothing usable is
		 * a usage error, a modem that is not there a device error (not "unplugged"). */
		rc = qcli_fail(cli,
			       ret == -ETIMEDOUT ? QCLI_EXIT_TIMEOUT
			       : ret == -EINVAL  ? QCLI_EXIT_USAGE
						 : QCLI_EXIT_DEVICE,
			       "proxy: couldn't open %s: %s",
			       cli->device ? cli->device : "a QMI modem",
			       cli->open_err[0] ? cli->open_err : qb_strerror(-ret));
		goto out;
	}
	if (publish)
		snprintf(path, sizeof(path), "%s", publish);
	else if (qprx_publish_path(o->socket_name, path, sizeof(path)) < 0)
		path[0] = 0;
	/* The server publishes only once the socket is ours, so a second proxy that loses the
	 * bind never replaces the first one's file. */
	o->device_path = path[0] ? path : NULL;
	o->publish = true;
	o->device_names[0] = cli->devname;
	o->device_names[1] = cli->device;
	o->log = cli->err;
	ret = qprx_server_new(&srv, loop, dev, o);
	if (ret < 0) {
		rc = qcli_fail(cli, ret == -EADDRINUSE ? QCLI_EXIT_DEVICE : QCLI_EXIT_FAILURE,
			       "proxy: couldn't listen on @%s: %s%s", o->socket_name,
			       qb_strerror(-ret),
			       ret == -EADDRINUSE ? " (another proxy runs)" : "");
		goto out;
	}
	fprintf(cli->err, "qmiusb proxy: serving %s on @%s%s%s\n", cli->devname, o->socket_name,
		*qprx_server_path(srv) ? ", device path " : "", qprx_server_path(srv));
	fflush(cli->err);
	ret = qb_loop_run(loop);
	if (qmi_dev_closed(dev))
		rc = qcli_fail(cli, qcli_exit_for_errno(qmi_dev_closed(dev)),
			       "proxy: device lost: %s", qb_strerror(-qmi_dev_closed(dev)));
	else if (ret < 0)
		rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "proxy: event loop: %s", qb_strerror(-ret));
	else if (sig.signo)
		fprintf(cli->err, "qmiusb proxy: %s: releasing client ids and exiting\n",
			strsignal(sig.signo));
	qprx_server_shutdown(srv, true, 2000);
out:
	qprx_server_free(srv);
	qmi_dev_free(dev);
	qsim_free(cli->sim);
	cli->sim = NULL;
	qcli_sigstop_end(&sig);
	qb_loop_free(loop);
	return rc;
}

static int proxy_main(struct qcli *cli, int argc, char **argv)
{
	struct qprx_server_opts o = { .socket_name = QPRX_DEFAULT_SOCKET };
	struct qcli_optscan s;
	const char *publish = NULL;
	unsigned ms;
	int id;

	qcli_opt_init(&s, argc, argv, 1);
	while ((id = qcli_opt_next(&s, proxy_opts)) != 0) {
		switch (id) {
		case OPT_HELP:
			qcli_print_command_help(cli->out, cli->prog, cli->cmd);
			return QCLI_EXIT_OK;
		case OPT_DEV:
			cli->device = s.arg;
			break;
		case OPT_SOCKET:
			if (!*s.arg || strlen(s.arg) > 100)
				return qcli_usage_error(cli, "proxy: bad socket name '%s'", s.arg);
			o.socket_name = s.arg;
			break;
		case OPT_USER:
			if (qprx_parse_user(s.arg, &o.allow_user) < 0)
				return qcli_usage_error(cli, "proxy: unknown user '%s'", s.arg);
			o.has_allow_user = true;
			break;
		case OPT_GROUP:
			if (qprx_parse_group(s.arg, &o.allow_group) < 0)
				return qcli_usage_error(cli, "proxy: unknown group '%s'", s.arg);
			o.has_allow_group = true;
			break;
		case OPT_EMPTY:
			if (parse_secs_ms(s.arg, &ms) < 0)
				return qcli_usage_error(cli, "proxy: bad --empty-timeout '%s'",
							s.arg);
			o.empty_timeout_ms = ms;
			break;
		case OPT_NO_EXIT:
			o.empty_timeout_ms = 0;
			break;
		case OPT_GRACE:
			if (parse_secs_ms(s.arg, &ms) < 0)
				return qcli_usage_error(cli, "proxy: bad --cid-grace '%s'", s.arg);
			o.cid_grace_ms = ms;
			o.release_immediately = ms == 0;
			break;
		case OPT_KEEP:
			o.keep_cids = true;
			break;
		case OPT_PUBLISH:
			publish = s.arg;
			break;
		case OPT_VERBOSE:
			o.verbose = true;
			break;
		case -2:
			return qcli_usage_error(cli, "proxy: option '%s' needs a value", s.bad);
		default:
			return qcli_usage_error(cli, "proxy: unknown option '%s'", s.bad);
		}
	}
	if (s.i < argc)
		return qcli_usage_error(cli, "proxy: unexpected argument '%s'", argv[s.i]);
	return serve(cli, &o, publish);
}

int qcli_cmd_proxy(struct qcli *cli, int argc, char **argv)
{
	return qcli_daemon_exit(cli, proxy_main(cli, argc, argv));
}
