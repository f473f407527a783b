/* SPDX-License-Identifier: MIT */
/*
 * Test helper: run the built qmiusb (or qmicli) as a child, the way a user does, and read its
 * output while it runs; kept in a header so every connect test shares it. Poll timeouts only
 * keep a hung child from hanging the suite: no assertion depends on time.
 */
#ifndef TESTS_NET_CHILD_H
#define TESTS_NET_CHILD_H

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct child {
	pid_t pid;
	int fd; /* the child's stdout (and stderr unless it went to a file) */
	char out[32768];
	size_t len;
};

/* Starts argv[0] (searched in PATH). errfile NULL: stderr joins stdout in c->out. */
static inline void child_start(struct child *c, const char *const *argv, const char *errfile)
{
	int p[2];

	memset(c, 0, sizeof(*c));
	cr_assert_eq(pipe(p), 0);
	fflush(NULL);
	c->pid = fork();
	cr_assert_geq(c->pid, 0);
	if (c->pid == 0) {
		int e = errfile ? open(errfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)
				: p[1];

		/* A failed assertion ends the test's process before it stops us: go with it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(p[1], 1);
		dup2(e < 0 ? p[1] : e, 2);
		close(p[0]);
		close(p[1]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	c->fd = p[0];
}

/* Reads what the child wrote so far (waiting for some); false at its end. */
static inline bool child_read(struct child *c)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	ssize_t n;

	if (c->len + 1 >= sizeof(c->out) || poll(&pfd, 1, 60000) <= 0)
		return false;
	n = read(c->fd, c->out + c->len, sizeof(c->out) - 1 - c->len);
	if (n <= 0)
		return false;
	c->len += (size_t)n;
	c->out[c->len] = '\0';
	return true;
}

/* Reads output until want appears (true) or the child's output ends (false). */
static inline bool child_wait_for(struct child *c, const char *want)
{
	while (!strstr(c->out, want))
		if (!child_read(c))
			return false;
	return true;
}

/* Reads to the end of its output and reaps it: its exit code (128 + signal if killed). */
static inline int child_finish(struct child *c)
{
	int status;

	while (child_read(c))
		;
	cr_assert_eq(waitpid(c->pid, &status, 0), c->pid);
	close(c->fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Like child_finish(), for a child that must exit by itself: being killed fails the test. */
static inline int child_exit(struct child *c)
{
	int status;

	while (child_read(c)) /* to the end of its output */
		;
	cr_assert_eq(waitpid(c->pid, &status, 0), c->pid);
	close(c->fd);
	cr_assert(WIFEXITED(status), "killed by signal %d\n%s", WTERMSIG(status), c->out);
	return WEXITSTATUS(status);
}

/* Sends sig (SIGTERM: the way a user stops a connection) and reaps it as child_exit() does. */
static inline int child_stop(struct child *c, int sig)
{
	kill(c->pid, sig);
	return child_exit(c);
}

static inline unsigned child_count(const char *hay, const char *needle)
{
	unsigned n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* Like child_wait_for(), until want appeared n times. */
static inline bool child_wait_for_n(struct child *c, const char *want, unsigned n)
{
	while (child_count(c->out, want) < n)
		if (!child_read(c))
			return false;
	return true;
}

/* Runs argv to its end; its exit code, output in c->out. */
static inline int child_run(struct child *c, const char *const *argv)
{
	child_start(c, argv, NULL);
	return child_finish(c);
}

#endif
