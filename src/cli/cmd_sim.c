/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb sim --gadget`: the software modem served as a real USB device through configfs +
 * FunctionFS until SIGINT/SIGTERM, after which the gadget is torn down again.
 */
#include "cli/cli.h"
#include "cli/optparse.h"
#include "base/loop.h"
#include "sim/gadget.h"
#include "sim/layout.h"
#include "sim/sim.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static const char sim_usage[] =
	"Usage: %s [-d sim] [--sim-fault SPEC] sim --gadget [--udc NAME] [--vid V --pid P]\n"
	"               [--layout NAME] [--data-mode gateway|reflect|forward] [--opnet NETNS[:IFNAME]]\n"
	"       %s sim --list-layouts\n"
	"Serves the software modem as a USB gadget (configfs + FunctionFS): one ff/ff/ff QMI\n"
	"interface with interrupt IN, bulk IN and bulk OUT. Runs until SIGINT or SIGTERM, then\n"
	"removes the gadget. Needs root, configfs on /sys/kernel/config, libcomposite and usb_f_fs.\n"
	"  --gadget          serve over USB (the only mode; -d sim is the in-process modem)\n"
	"  --udc NAME        the device controller (default: the first in /sys/class/udc)\n"
	"  --vid V --pid P   USB identity (default 2c7c:0125, which qmi_wwan binds)\n"
	"  --layout NAME     present a real modem's interfaces (its configuration holding QMI,\n"
	"                    with its VID:PID); the modem serves the QMI one, the others exist\n"
	"                    and never answer\n"
	"  --list-layouts    list the layouts and where their descriptors come from\n"
	"  --data-mode M     gateway (default: answer pings to the gateway and DNS addresses)\n"
	"                    reflect (send every packet back with addresses swapped), or\n"
	"                    forward (to the operator network: needs --opnet)\n"
	"  --opnet NETNS[:IFNAME]  forward into a TUN IFNAME (default qsimop0) created inside the\n"
	"                    network namespace NETNS (a path, or a name under /run/netns); it\n"
	"                    gets 10.64.255.1/16 and 2001:db8:ffff::1/32, so a server there is\n"
	"                    reachable from the host at those addresses. Implies forward.\n";

enum {
	OPT_HELP = 1,
	OPT_GADGET,
	OPT_UDC,
	OPT_VID,
	OPT_PID,
	OPT_DATA_MODE,
	OPT_OPNET,
	OPT_LAYOUT,
	OPT_LIST_LAYOUTS,
};

static int list_layouts(struct qcli *cli)
{
	size_t n;
	const struct qsim_layout *l = qsim_layouts(&n);

	for (size_t i = 0; i < n; i++) {
		fprintf(cli->out, "%-11s %04x:%04x  %s\n", l[i].name, l[i].vid, l[i].pid,
			l[i].title);
		if (l[i].qmi_iface < 0)
			fprintf(cli->out,
				"            (descriptors only: no QMI function to serve)\n");
		fprintf(cli->out, "            source: %s\n", l[i].source);
	}
	return QCLI_EXIT_OK;
}

static int parse_id(struct qcli *cli, const char *what, const char *s, uint16_t *out)
{
	unsigned long v;

	/* USB ids are hex by convention: "2c7c" and "0x2c7c" both mean 0x2c7c. */
	char buf[16];

	snprintf(buf, sizeof(buf), "%s%s", strncmp(s, "0x", 2) ? "0x" : "", s);
	if (qcli_parse_uint(buf, 0xffff, &v) < 0 || v == 0)
		return qcli_usage_error(cli, "sim: bad %s '%s' (hex, e.g. 2c7c)", what, s);
	*out = (uint16_t)v;
	return -1;
}

/* "NETNS[:IFNAME]" into the modem's settings, as the opnet= fault knob takes it. Returns -1
 * when parsed, else the usage error's exit code. */
static int parse_opnet(struct qcli *cli, const char *arg, struct qsim_faults *f)
{
	const char *colon = strchr(arg, ':');
	size_t nslen = colon ? (size_t)(colon - arg) : strlen(arg);

	if (nslen == 0 || nslen >= sizeof(f->opnet_ns))
		return qcli_usage_error(cli,
					"sim: --opnet needs a namespace (1..%zu characters): "
					"'%s'",
					sizeof(f->opnet_ns) - 1, arg);
	if (colon && (!colon[1] || strlen(colon + 1) >= sizeof(f->opnet_if)))
		return qcli_usage_error(cli,
					"sim: --opnet interface name must be 1..%zu "
					"characters: '%s'",
					sizeof(f->opnet_if) - 1, arg);
	memcpy(f->opnet_ns, arg, nslen);
	f->opnet_ns[nslen] = '\0';
	snprintf(f->opnet_if, sizeof(f->opnet_if), "%s", colon ? colon + 1 : "");
	return -1;
}

/* data_mode < 0: as the faults say (data=...). */
static int serve(struct qcli *cli, const struct qsim_gadget_opts *gopts,
		 const struct qsim_faults *faults, int data_mode)
{
	struct qsim *sim = NULL;
	struct qsim_gadget *g = NULL;
	struct qcli_sigstop sig = { 0 };
	struct qb_loop *loop = NULL;
	struct qsim_gadget_stats st;
	char err[256] = "";
	int ret, rc = QCLI_EXIT_OK;

	/* poll(), not io_uring: io_uring's task work interrupts the gadget's blocking ep0 data
	 * stages (src/sim/gadget.h), and a gadget gains nothing from io_uring. */
	ret = qb_loop_new(&loop, QB_LOOP_POLL);
	if (ret < 0) {
		rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "cannot create the event loop: %s",
			       strerror(-ret));
		goto out;
	}
	ret = qcli_sigstop_start(&sig, loop);
	if (ret < 0) {
		rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "cannot watch signals: %s", strerror(-ret));
		goto out;
	}
	/* The operator network opens here, inside qsim_new (a missing namespace fails now). */
	ret = qsim_new(&sim, loop, faults);
	if (ret < 0) {
		if (faults->opnet_ns[0])
			rc = qcli_fail(cli, QCLI_EXIT_FAILURE,
				       "cannot create the software modem with its operator network "
				       "in %s: %s",
				       faults->opnet_ns, strerror(-ret));
		else
			rc = qcli_fail(cli, QCLI_EXIT_FAILURE,
				       "cannot create the software modem: %s", strerror(-ret));
		goto out;
	}
	if (data_mode >= 0)
		qsim_set_data_mode(sim, (enum qsim_data_mode)data_mode);
	ret = qsim_gadget_new(&g, loop, sim, gopts, err, sizeof(err));
	if (ret < 0) {
		rc = qcli_fail(cli, QCLI_EXIT_DEVICE, "cannot start the USB gadget: %s", err);
		goto out;
	}
	fprintf(cli->out, "gadget ready: %04x:%04x on %s\n",
		gopts->vid      ? gopts->vid
		: gopts->layout ? gopts->layout->vid
				: QSIM_GADGET_VID,
		gopts->pid      ? gopts->pid
		: gopts->layout ? gopts->layout->pid
				: QSIM_GADGET_PID,
		qsim_gadget_udc(g));
	if (faults->opnet_ns[0]) {
		struct in_addr a4 = { .s_addr = htonl(QSIM_OPNET_ADDR4) };

		fprintf(cli->out,
			"operator network: %s in %s, %s/%d and %s/%d (routes back to every "
			"session)\n",
			faults->opnet_if[0] ? faults->opnet_if : "qsimop0", faults->opnet_ns,
			inet_ntoa(a4), QSIM_OPNET_PREFIX4, QSIM_OPNET_ADDR6, QSIM_OPNET_PREFIX6);
	}
	fflush(cli->out);

	ret = qb_loop_run(loop);
	if (ret < 0)
		rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "event loop: %s", strerror(-ret));
	qsim_gadget_get_stats(g, &st);
	fprintf(cli->err,
		"qmiusb sim: gadget stopped%s%s: %llu commands, %llu responses (%llu empty, "
		"%llu stalled), %llu notifications, %llu packets out, %llu in, %llu dropped\n",
		sig.signo ? " by " : "", sig.signo ? strsignal(sig.signo) : "",
		(unsigned long long)st.commands, (unsigned long long)st.responses,
		(unsigned long long)st.empty_responses, (unsigned long long)st.resp_stalls,
		(unsigned long long)st.notifications, (unsigned long long)st.data_out,
		(unsigned long long)st.data_in, (unsigned long long)st.data_dropped);
out:
	qsim_gadget_free(g);
	qsim_free(sim);
	qcli_sigstop_end(&sig);
	qb_loop_free(loop);
	return rc;
}

static int sim_main(struct qcli *cli, int argc, char **argv)
{
	static const struct qcli_optdef opts[] = {
		{ 'h', "help", false, OPT_HELP },
		{ 0, "gadget", false, OPT_GADGET },
		{ 0, "udc", true, OPT_UDC },
		{ 0, "vid", true, OPT_VID },
		{ 0, "pid", true, OPT_PID },
		{ 0, "data-mode", true, OPT_DATA_MODE },
		{ 0, "opnet", true, OPT_OPNET },
		{ 0, "layout", true, OPT_LAYOUT },
		{ 0, "list-layouts", false, OPT_LIST_LAYOUTS },
		{ 0, NULL, false, 0 },
	};
	struct qsim_gadget_opts gopts = { .log = cli->err };
	struct qsim_faults faults = cli->faults;
	struct qcli_optscan s;
	bool gadget = false;
	int id, rc, data_mode = -1;

	qcli_opt_init(&s, argc, argv, 1);
	while ((id = qcli_opt_next(&s, opts)) != 0) {
		switch (id) {
		case OPT_HELP:
			fprintf(cli->out, sim_usage, cli->prog, cli->prog);
			return QCLI_EXIT_OK;
		case OPT_GADGET:
			gadget = true;
			break;
		case OPT_UDC:
			gopts.udc = s.arg;
			break;
		case OPT_VID:
			rc = parse_id(cli, "--vid", s.arg, &gopts.vid);
			if (rc >= 0)
				return rc;
			break;
		case OPT_PID:
			rc = parse_id(cli, "--pid", s.arg, &gopts.pid);
			if (rc >= 0)
				return rc;
			break;
		case OPT_DATA_MODE:
			if (strcmp(s.arg, "gateway") == 0)
				data_mode = QSIM_DATA_GATEWAY;
			else if (strcmp(s.arg, "reflect") == 0)
				data_mode = QSIM_DATA_REFLECT;
			else if (strcmp(s.arg, "forward") == 0)
				data_mode = QSIM_DATA_FORWARD;
			else
				return qcli_usage_error(cli,
							"sim: --data-mode is gateway, reflect or "
							"forward, not '%s'",
							s.arg);
			break;
		case OPT_LIST_LAYOUTS:
			return list_layouts(cli);
		case OPT_LAYOUT:
			gopts.layout = qsim_layout_find(s.arg);
			if (!gopts.layout)
				return qcli_usage_error(cli,
							"sim: no layout '%s' (see sim "
							"--list-layouts)",
							s.arg);
			if (gopts.layout->qmi_iface < 0)
				return qcli_usage_error(cli,
							"sim: layout '%s' has no QMI function to "
							"serve",
							s.arg);
			break;
		case OPT_OPNET:
			rc = parse_opnet(cli, s.arg, &faults);
			if (rc >= 0)
				return rc;
			break;
		default:
			return qcli_usage_error(cli, "sim: %s option '%s'",
						id == -2 ? "missing value for" : "unknown", s.bad);
		}
	}
	if (s.i < argc)
		return qcli_usage_error(cli, "sim: unexpected argument '%s'", argv[s.i]);
	if (!gadget)
		return qcli_usage_error(cli,
					"sim: only --gadget is available (the in-process modem "
					"is -d sim with any command)");
	if (data_mode == QSIM_DATA_FORWARD && !faults.opnet_ns[0])
		return qcli_usage_error(cli, "sim: --data-mode forward needs --opnet NETNS (where "
					     "the packets go)");
	if (faults.opnet_ns[0] && data_mode >= 0 && data_mode != QSIM_DATA_FORWARD)
		return qcli_usage_error(cli,
					"sim: --opnet forwards; it cannot go with "
					"--data-mode %s",
					data_mode == QSIM_DATA_REFLECT ? "reflect" : "gateway");
	return serve(cli, &gopts, &faults, data_mode);
}

int qcli_cmd_sim(struct qcli *cli, int argc, char **argv)
{
	return qcli_daemon_exit(cli, sim_main(cli, argc, argv));
}
