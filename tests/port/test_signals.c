/* SPDX-License-Identifier: MIT */
/* The self-pipe signal source (base/signals_pipe.c), the one used where signalfd is missing. */
#include "base/signals.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <unistd.h>

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, 0) == 1;
}

static void (*handler_of(int signo))(int)
{
	struct sigaction sa;
	cr_assert_eq(sigaction(signo, NULL, &sa), 0);
	return sa.sa_handler;
}

Test(signals_pipe, a_signal_becomes_a_readable_event)
{
	int sig[] = { SIGUSR1, SIGHUP };
	sigset_t old;
	int fd = qb_signals_open(sig, 2, &old);

	cr_assert_geq(fd, 0);
	cr_assert_not(readable(fd));
	cr_assert_eq(qb_signals_next(fd), 0);
	kill(getpid(), SIGHUP);
	kill(getpid(), SIGUSR1);
	cr_assert(readable(fd));
	cr_assert_eq(qb_signals_next(fd), SIGHUP);
	cr_assert_eq(qb_signals_next(fd), SIGUSR1);
	cr_assert_eq(qb_signals_next(fd), 0);
	qb_signals_close(fd, &old);
	cr_assert_eq(handler_of(SIGUSR1), SIG_DFL, "the previous action is back");
}

Test(signals_pipe, two_sources_both_see_it_and_the_last_restores)
{
	int sig[] = { SIGUSR1 };
	sigset_t o1, o2;
	int a = qb_signals_open(sig, 1, &o1), b = qb_signals_open(sig, 1, &o2);

	cr_assert_geq(a, 0);
	cr_assert_geq(b, 0);
	kill(getpid(), SIGUSR1);
	cr_assert_eq(qb_signals_next(a), SIGUSR1);
	cr_assert_eq(qb_signals_next(b), SIGUSR1);
	qb_signals_close(a, &o1);
	cr_assert_neq(handler_of(SIGUSR1), SIG_DFL, "b still catches it");
	kill(getpid(), SIGUSR1);
	cr_assert_eq(qb_signals_next(b), SIGUSR1);
	qb_signals_close(b, &o2);
	cr_assert_eq(handler_of(SIGUSR1), SIG_DFL);
}

Test(signals_pipe, an_ignored_signal_stays_ignored)
{
	int sig[] = { SIGUSR2 };
	sigset_t old;
	int fd;

	signal(SIGUSR2, SIG_IGN);
	fd = qb_signals_open(sig, 1, &old);
	cr_assert_geq(fd, 0);
	cr_assert_eq(handler_of(SIGUSR2), SIG_IGN, "like nohup's SIGHUP with a signalfd");
	kill(getpid(), SIGUSR2);
	cr_assert_eq(qb_signals_next(fd), 0);
	qb_signals_close(fd, &old);
	cr_assert_eq(handler_of(SIGUSR2), SIG_IGN);
}

Test(signals_pipe, closing_minus_one_is_harmless)
{
	sigset_t old;
	sigemptyset(&old);
	qb_signals_close(-1, &old);
	cr_assert_eq(qb_signals_open((int[]){ 99 }, 1, &old), -EINVAL);
}
