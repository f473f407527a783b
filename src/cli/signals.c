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
#include "base/loop.h"

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
	err = qb_loop_watch(cli->loop, cli->sigfd, POLLIN, on_signal, cli, &cli->sigwatch);
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
	qb_watch_remove(cli->sigwatch);
	cli->sigwatch = NULL;
	close(cli->sigfd);
	cli->sigfd = -1;
	/* Signals read from the fd are consumed; the command ends with exit 1 ("interrupted"). */
	sigprocmask(SIG_SETMASK, &cli->old_sigmask, NULL);
}

static void on_stop_signal(void *user, int fd, unsigned revents)
{
	struct qcli_sigstop *s = user;
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		s->signo = (int)si.ssi_signo;
	qb_loop_stop(s->loop);
}

int qcli_sigstop_start(struct qcli_sigstop *s, struct qb_loop *loop)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;
	int err;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, &s->old_mask) < 0)
		return -errno;
	/* A shell starts background jobs with SIGINT ignored, and an ignored signal never reaches
	 * a signalfd: take SIGINT and SIGTERM back so `kill -INT` still tears down. SIGHUP stays
	 * as given, so nohup keeps working. */
	sigaction(SIGINT, &dfl, &s->old_int);
	sigaction(SIGTERM, &dfl, &s->old_term);
	s->started = true;
	s->loop = loop;
	s->signo = 0;
	s->fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->fd < 0)
		return -errno;
	err = qb_loop_watch(loop, s->fd, POLLIN, on_stop_signal, s, &s->watch);
	return err;
}

void qcli_sigstop_end(struct qcli_sigstop *s)
{
	if (!s->started)
		return;
	qb_watch_remove(s->watch);
	if (s->fd >= 0)
		close(s->fd);
	sigaction(SIGINT, &s->old_int, NULL);
	sigaction(SIGTERM, &s->old_term, NULL);
	sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
	s->started = false;
}
