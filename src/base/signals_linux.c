/* SPDX-License-Identifier: MIT */
#include "base/signals.h"

#include <errno.h>
#include <sys/signalfd.h>
#include <unistd.h>

int qb_signals_open(const int *signos, unsigned n, sigset_t *old_mask)
{
	sigset_t set;
	int fd, err;

	sigemptyset(&set);
	for (unsigned i = 0; i < n; i++)
		sigaddset(&set, signos[i]);
	/* A signalfd only sees signals that are blocked, or the default action would run first. */
	if (sigprocmask(SIG_BLOCK, &set, old_mask) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		sigprocmask(SIG_SETMASK, old_mask, NULL);
		return err;
	}
	return fd;
}

int qb_signals_next(int fd)
{
	struct signalfd_siginfo si;

	if (fd < 0 || read(fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return 0;
	return (int)si.ssi_signo;
}

void qb_signals_close(int fd, const sigset_t *old_mask)
{
	if (fd < 0)
		return;
	close(fd);
	/* Signals read from the fd are consumed; ones still pending arrive under the old mask. */
	sigprocmask(SIG_SETMASK, old_mask, NULL);
}
