/* SPDX-License-Identifier: MIT */
/*
 * SIGINT/SIGTERM/SIGHUP during a command: stop waiting, then still release the client ids, as
 * qmicli does. A killed client that leaks its ids is how modems run out of them
 * (ClientIdsExhausted until reboot). The signals arrive through an fd (base/signals.h) watched by
 * the session's loop, so nothing runs in signal context.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "cli/cli.h"
#include "base/loop.h"
#include "base/signals.h"

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void on_signal(void *user, int fd, unsigned revents)
{
	struct qcli *cli = user;
	int signo;

	while ((signo = qb_signals_next(fd)) > 0) {
		cli->interrupted++;
		if (cli->interrupted == 1)
			fprintf(cli->err, "%s: interrupted (%s); releasing the client ids\n",
				cli->prog, strsignal(signo));
	}
}

int qcli_signals_start(struct qcli *cli)
{
	int fd, err;

	if (!cli->handle_signals || cli->sigfd >= 0)
		return 0;
	fd = qb_signals_open(stop_signals, 3, &cli->old_sigmask);
	if (fd < 0)
		return fd;
	cli->sigfd = fd;
	err = qb_loop_watch(cli->loop, cli->sigfd, POLLIN, on_signal, cli, &cli->sigwatch);
	if (err) {
		qb_signals_close(cli->sigfd, &cli->old_sigmask);
		cli->sigfd = -1;
	}
	return err;
}

void qcli_signals_stop(struct qcli *cli)
{
	if (cli->sigfd < 0)
		return;
	qb_watch_remove(cli->sigwatch);
	cli->sigwatch = NULL;
	/* Signals read from the fd are consumed; the command ends with exit 1 ("interrupted"). */
	qb_signals_close(cli->sigfd, &cli->old_sigmask);
	cli->sigfd = -1;
}

static void on_stop_signal(void *user, int fd, unsigned revents)
{
	struct qcli_sigstop *s = user;
	int signo = qb_signals_next(fd);

	if (signo > 0)
		s->signo = signo;
	qb_loop_stop(s->loop);
}

int qcli_sigstop_start(struct qcli_sigstop *s, struct qb_loop *loop)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	int err;

	/* A shell starts background jobs with SIGINT ignored, and an ignored signal never reaches
	 * a signalfd: take SIGINT and SIGTERM back so `kill -INT` still tears down. SIGHUP stays
	 * as given, so nohup keeps working. */
	sigaction(SIGINT, &dfl, &s->old_int);
	sigaction(SIGTERM, &dfl, &s->old_term);
	s->started = true;
	s->loop = loop;
	s->signo = 0;
	s->fd = qb_signals_open(stop_signals, 3, &s->old_mask);
	if (s->fd < 0)
		return s->fd;
	err = qb_loop_watch(loop, s->fd, POLLIN, on_stop_signal, s, &s->watch);
	return err;
}

void qcli_sigstop_end(struct qcli_sigstop *s)
{
	if (!s->started)
		return;
	qb_watch_remove(s->watch);
	qb_signals_close(s->fd, &s->old_mask);
	sigaction(SIGINT, &s->old_int, NULL);
	sigaction(SIGTERM, &s->old_term, NULL);
	s->started = false;
}
