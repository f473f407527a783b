/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb sim --gadget`: the software modem served as a real USB device through configfs +
 * FunctionFS until SIGINT/SIGTERM, after which the gadget is torn down again.
 */
#include "cli/cli.h"
#include "cli/optparse.h"
#include "net/loop.h"
#include "sim/gadget.h"
#include "sim/sim.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

static const char sim_usage[] =
	"Usage: %s [-d sim] [--sim-fault SPEC] sim --gadget [--udc NAME] [--vid V --pid P]\n"
	"               [--data-mode gateway|reflect]\n"
	"Serves the software modem as a USB gadget (configfs + FunctionFS): one ff/ff/ff QMI\n"
	"interface with interrupt IN, bulk IN and bulk OUT. Runs until SIGINT or SIGTERM, then\n"
	"removes the gadget. Needs root, configfs on /sys/kernel/config, libcomposite and usb_f_fs.\n"
	"  --gadget          serve over USB (the only mode; -d sim is the in-process modem)\n"
	"  --udc NAME        the device controller (default: the first in /sys/class/udc)\n"
	"  --vid V --pid P   USB identity (default 2c7c:0125, which qmi_wwan binds)\n"
	"  --data-mode M     gateway (default: answer pings to the gateway and DNS addresses)\n"
	"                    or reflect (send every packet back with addresses swapped)\n";

enum { OPT_HELP = 1, OPT_GADGET, OPT_UDC, OPT_VID, OPT_PID, OPT_DATA_MODE };

struct sim_run {
	struct qnet_loop *loop;
	int signo;
};

static void on_signal(void *user, int fd, unsigned revents)
{
	struct sim_run *run = user;
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		run->signo = (int)si.ssi_signo;
	qnet_loop_stop(run->loop);
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

static int serve(struct qcli *cli, const struct qsim_gadget_opts *gopts, int data_mode)
{
	struct sim_run run = { 0 };
	struct qsim *sim = NULL;
	struct qsim_gadget *g = NULL;
	struct qnet_watch *sw = NULL;
	struct qsim_gadget_stats st;
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old_int, old_term;
	sigset_t mask, old;
	char err[256] = "";
	int sfd = -1, ret, rc = QCLI_EXIT_OK;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	/* Signals become loop events, so teardown runs on the loop thread like everything else.
	 * A shell starts background jobs with SIGINT ignored, and an ignored signal never reaches
	 * a signalfd: take it back so `kill -INT` also removes the gadget. (SIGHUP stays as given,
	 * so nohup keeps working.) */
	sigprocmask(SIG_BLOCK, &mask, &old);
	sigaction(SIGINT, &dfl, &old_int);
	sigaction(SIGTERM, &dfl, &old_term);

	/* poll(), not io_uring: io_uring's task work interrupts the gadget's blocking ep0 data
	 * stages (src/sim/gadget.h), and a gadget gains nothing from io_uring. */
	ret = qnet_loop_new(&run.loop, QNET_LOOP_POLL);
	if (ret < 0) {
		rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "cannot create the event loop: %s",
			       strerror(-ret));
		goto out;
	}
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0 || qnet_loop_watch(run.loop, sfd, POLLIN, on_signal, &run, &sw) < 0) {
		rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "cannot watch signals: %s", strerror(errno));
		goto out;
	}
	ret = qsim_new(&sim, run.loop, &cli->faults);
	if (ret < 0) {
		rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "cannot create the software modem: %s",
			       strerror(-ret));
		goto out;
	}
	qsim_set_data_mode(sim, (enum qsim_data_mode)data_mode);
	ret = qsim_gadget_new(&g, run.loop, sim, gopts, err, sizeof(err));
	if (ret < 0) {
		rc = qcli_fail(cli, QCLI_EXIT_DEVICE, "cannot start the USB gadget: %s", err);
		goto out;
	}
	fprintf(cli->out, "gadget ready: %04x:%04x on %s\n",
		gopts->vid ? gopts->vid : QSIM_GADGET_VID, gopts->pid ? gopts->pid : QSIM_GADGET_PID,
		qsim_gadget_udc(g));
	fflush(cli->out);

	ret = qnet_loop_run(run.loop);
	if (ret < 0)
		rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "event loop: %s", strerror(-ret));
	qsim_gadget_get_stats(g, &st);
	fprintf(cli->err,
		"qmiusb sim: gadget stopped%s%s: %llu commands, %llu responses (%llu empty), "
		"%llu notifications, %llu packets out, %llu in, %llu dropped\n",
		run.signo ? " by " : "", run.signo ? strsignal(run.signo) : "",
		(unsigned long long)st.commands, (unsigned long long)st.responses,
		(unsigned long long)st.empty_responses, (unsigned long long)st.notifications,
		(unsigned long long)st.data_out, (unsigned long long)st.data_in,
		(unsigned long long)st.data_dropped);
out:
	qsim_gadget_free(g);
	qsim_free(sim);
	qnet_watch_remove(sw);
	if (sfd >= 0)
		close(sfd);
	qnet_loop_free(run.loop);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int qcli_cmd_sim(struct qcli *cli, int argc, char **argv)
{
	static const struct qcli_optdef opts[] = {
		{ 'h', "help", false, OPT_HELP },
		{ 0, "gadget", false, OPT_GADGET },
		{ 0, "udc", true, OPT_UDC },
		{ 0, "vid", true, OPT_VID },
		{ 0, "pid", true, OPT_PID },
		{ 0, "data-mode", true, OPT_DATA_MODE },
		{ 0, NULL, false, 0 },
	};
	struct qsim_gadget_opts gopts = { .log = cli->err };
	struct qcli_optscan s;
	bool gadget = false;
	int id, rc, data_mode = QSIM_DATA_GATEWAY;

	qcli_opt_init(&s, argc, argv, 1);
	while ((id = qcli_opt_next(&s, opts)) != 0) {
		switch (id) {
		case OPT_HELP:
			fprintf(cli->out, sim_usage, cli->prog);
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
			else
				return qcli_usage_error(cli, "sim: --data-mode is gateway or reflect, "
							"not '%s'", s.arg);
			break;
		default:
			return qcli_usage_error(cli, "sim: %s option '%s'",
						id == -2 ? "missing value for" : "unknown", s.bad);
		}
	}
	if (s.i < argc)
		return qcli_usage_error(cli, "sim: unexpected argument '%s'", argv[s.i]);
	if (!gadget)
		return qcli_usage_error(cli, "sim: only --gadget is available (the in-process modem "
					     "is -d sim with any command)");
	return serve(cli, &gopts, data_mode);
}
