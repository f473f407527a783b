/* SPDX-License-Identifier: MIT */
/*
 * Signals as readable events on a file descriptor, so a loop watches them like any fd and
 * nothing of ours runs in signal context. Linux uses a signalfd (the signals are blocked while
 * it is open); elsewhere a self-pipe written by a handler (the signals stay unblocked, our
 * handler replaces the previous one until close).
 */
#ifndef QB_SIGNALS_H
#define QB_SIGNALS_H

#include <signal.h>

/* Starts catching the n signals in signos; *old_mask receives what close restores. Returns the
 * fd to watch for POLLIN (the caller owns it until close), or -errno (then nothing changed). */
int qb_signals_open(const int *signos, unsigned n, sigset_t *old_mask);
/* The next caught signal, 0 when none is pending (non-blocking). */
int qb_signals_next(int fd);
/* Stops catching and closes fd, restoring what open changed. fd < 0 is ignored. */
void qb_signals_close(int fd, const sigset_t *old_mask);

#endif
