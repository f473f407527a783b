/* SPDX-License-Identifier: MIT */
/*
 * The self-pipe: a handler writes the signal number to a pipe the loop watches. A handler gets
 * no user pointer, so the open sources live in one table for the process; signals are
 * process-wide anyway. Each source keeps its own pipe, so two open at once (a command and the
 * proxy it started) both see the signal, as with two signalfds.
 */
#include "base/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define SLOTS 8
#define MAX_SIGNO 64

static struct {
	volatile sig_atomic_t used;
	int rfd, wfd;
	uint64_t mask; /* bit signo-1 */
} slots[SLOTS];
static struct sigaction saved[MAX_SIGNO + 1]; /* the action before the first source took it */
static unsigned takers[MAX_SIGNO + 1];
static bool left_ignored[MAX_SIGNO + 1];

static void on_signal(int signo)
{
	int saved_errno = errno;
	unsigned char b = (unsigned char)signo;

	for (unsigned i = 0; i < SLOTS; i++)
		if (slots[i].used && (slots[i].mask & (UINT64_C(1) << (signo - 1))))
			(void)!write(slots[i].wfd, &b, 1); /* a full pipe already wakes the loop */
	errno = saved_errno;
}

static int set_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	return 0;
}

/* Our handler runs while a source wants the signal; the last one to leave puts the old one back.
 * An ignored signal stays ignored, as it never reaches a signalfd either (nohup keeps working). */
static void take(int signo)
{
	struct sigaction sa;

	if (takers[signo]++)
		return;
	left_ignored[signo] = sigaction(signo, NULL, &saved[signo]) == 0 &&
			      saved[signo].sa_handler == SIG_IGN;
	if (left_ignored[signo])
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(signo, &sa, &saved[signo]);
}

static void give_back(int signo)
{
	if (--takers[signo] == 0 && !left_ignored[signo])
		sigaction(signo, &saved[signo], NULL);
}

int qb_signals_open(const int *signos, unsigned n, sigset_t *old_mask)
{
	int fds[2], err, slot = -1;
	uint64_t mask = 0;

	/* Nothing is blocked here: the handler has to run. */
	sigemptyset(old_mask);
	for (unsigned i = 0; i < n; i++) {
		if (signos[i] < 1 || signos[i] > MAX_SIGNO)
			return -EINVAL;
		mask |= UINT64_C(1) << (signos[i] - 1);
	}
	for (int i = 0; i < SLOTS && slot < 0; i++)
		if (!slots[i].used)
			slot = i;
	if (slot < 0)
		return -EMFILE;
	if (pipe(fds) < 0)
		return -errno;
	err = set_flags(fds[0]);
	if (!err)
		err = set_flags(fds[1]);
	if (err) {
		close(fds[0]);
		close(fds[1]);
		return err;
	}
	slots[slot].rfd = fds[0];
	slots[slot].wfd = fds[1];
	slots[slot].mask = mask;
	slots[slot].used = 1; /* last: the handler reads the slot only once it is complete */
	for (int signo = 1; signo <= MAX_SIGNO; signo++)
		if (mask & (UINT64_C(1) << (signo - 1)))
			take(signo);
	return fds[0];
}

int qb_signals_next(int fd)
{
	unsigned char b;

	if (fd < 0 || read(fd, &b, 1) != 1)
		return 0;
	return b;
}

void qb_signals_close(int fd, const sigset_t *old_mask)
{
	if (fd < 0)
		return;
	for (int i = 0; i < SLOTS; i++) {
		if (!slots[i].used || slots[i].rfd != fd)
			continue;
		for (int signo = 1; signo <= MAX_SIGNO; signo++)
			if (slots[i].mask & (UINT64_C(1) << (signo - 1)))
				give_back(signo);
		slots[i].used = 0;
		close(slots[i].wfd);
	}
	close(fd);
}
