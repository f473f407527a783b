/* SPDX-License-Identifier: MIT */
/* `qmiusb disconnect`: the other end of a running `qmiusb connect`. */
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "base/errors.h"
#include "cli/cli.h"
#include "cli/connect_state.h"

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
