/* SPDX-License-Identifier: MIT */
/*
 * SIGINT/SIGTERM/SIGHUP during a command: stop waiting, then still release the client ids, as
 * qmicli does. A killed client that leaks its ids is how modems run out of them
 * (ClientIdsExhausted until reboot). The signals arrive through a signalfd watched by the
 * session's loop, so nothing runs in signal context.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli/cli.h"
#include "net/loop.h"

static void on_signal(void *user, int fd, unsigned revents)
{
	struct qcli *cli = user;
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		cli->interrupted++;
		if (cli->interrupted == 1)
			fprintf(cli->err, "%s: interrupted (%s); releasing the client ids\n",
				cli->prog, strsignal((int)si.ssi_signo));
	}
}

int qcli_signals_start(struct qcli *cli)
{
	sigset_t set;
	int err;

	if (!cli->handle_signals || cli->sigfd >= 0)
		return 0;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, &cli->old_sigmask) < 0)
		return -errno;
	cli->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (cli->sigfd < 0) {
		err = -errno;
		sigprocmask(SIG_SETMASK, &cli->old_sigmask, NULL);
		return err;
	}
	err = qnet_loop_watch(cli->loop, cli->sigfd, POLLIN, on_signal, cli, &cli->sigwatch);
	if (err) {
		close(cli->sigfd);
		cli->sigfd = -1;
		sigprocmask(SIG_SETMASK, &cli->old_sigmask, NULL);
	}
	return err;
}

void qcli_signals_stop(struct qcli *cli)
{
	if (cli->sigfd < 0)
		return;
	qnet_watch_remove(cli->sigwatch);
	cli->sigwatch = NULL;
	close(cli->sigfd);
	cli->sigfd = -1;
	/* Signals read from the fd are consumed; the command ends with exit 1 ("interrupted"). */
	sigprocmask(SIG_SETMASK, &cli->old_sigmask, NULL);
}
