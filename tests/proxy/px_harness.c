/* SPDX-License-Identifier: MIT */
#include "proxy/px_harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/loop.h"
#include "proxy/proxy.h"

#define PX_GUARD_MS 30000

int px_run(const char *const argv[], char *out, size_t cap)
{
	int p[2], st = 0;
	size_t len = 0;
	pid_t pid;

	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv(argv[0], (char *const *)argv); /* execv never writes to them */
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], out + len, cap - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == cap - 1) /* keep draining so the child never blocks */
			len = 0;
	}
	out[len] = 0;
	close(p[0]);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void px_enter_netns(void)
{
	if (access(QMICLI, X_OK) < 0)
		cr_skip_test("%s is missing (libqmi-utils)", QMICLI);
	if (unshare(CLONE_NEWNET) < 0) {
		if (errno == EPERM)
			cr_skip_test("no CAP_SYS_ADMIN for a network namespace");
		cr_assert_fail("unshare(CLONE_NEWNET): %s", strerror(errno));
	}
}

void px_start(struct px *px, const char *name, const char *const argv[])
{
	uint64_t until = qb_now_ms() + PX_GUARD_MS;

	snprintf(px->rundir, sizeof(px->rundir), "/tmp/%s-%d", name, (int)getpid());
	snprintf(px->dev, sizeof(px->dev), "%s/qmi-proxy", px->rundir);
	snprintf(px->log, sizeof(px->log), "%s.log", px->rundir);
	setenv("QMIUSB_RUNDIR", px->rundir, 1);
	px->pid = fork();
	cr_assert(px->pid >= 0);
	if (px->pid == 0) {
		int fd = open(px->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(QMIUSB_BIN, (char *const *)argv);
		_exit(127);
	}
	while (!qprx_serving(QPRX_DEFAULT_SOCKET, px->dev)) {
		int st;

		cr_assert_eq(waitpid(px->pid, &st, WNOHANG), 0, "qmiusb proxy exited (see %s)",
			     px->log);
		cr_assert(qb_now_ms() < until, "qmiusb proxy never came up (see %s)", px->log);
		usleep(10000);
	}
}

void px_stop(struct px *px)
{
	int st = 0;

	kill(px->pid, SIGTERM);
	cr_assert_eq(waitpid(px->pid, &st, 0), px->pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "qmiusb proxy failed (see %s)", px->log);
}

void px_clean(struct px *px)
{
	unlink(px->log);
	rmdir(px->rundir);
}
