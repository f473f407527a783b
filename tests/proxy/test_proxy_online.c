/* SPDX-License-Identifier: MIT */
/*
 * `pin`, `mode`, `profile` and `radio` through `qmiusb proxy -d sim`, with unmodified qmicli
 * seeing the state they leave (and the other way round): one modem, shared. Each test runs in
 * its own network namespace, since qmicli always uses the abstract socket "qmi-proxy".
 */
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

#define QMICLI "/usr/bin/qmicli"
#define GUARD_MS 30000

static char out[32768];

struct px {
	pid_t pid;
	char rundir[96], dev[128], log[128];
};

static void enter_netns(void)
{
	if (access(QMICLI, X_OK) < 0)
		cr_skip_test("%s is missing (libqmi-utils)", QMICLI);
	if (unshare(CLONE_NEWNET) < 0) {
		if (errno == EPERM)
			cr_skip_test("no CAP_SYS_ADMIN for a network namespace");
		cr_assert_fail("unshare(CLONE_NEWNET): %s", strerror(errno));
	}
}

/* Runs argv with stdout+stderr into out; returns the exit status. */
static int run(const char *const argv[])
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
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], out + len, sizeof(out) - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(out) - 1)
			len = 0;
	}
	out[len] = 0;
	close(p[0]);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void px_start(struct px *px, const char *faults, const char *extra)
{
	uint64_t until = qb_now_ms() + GUARD_MS;

	snprintf(px->rundir, sizeof(px->rundir), "/tmp/qmiusb-online-test-%d", (int)getpid());
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
		execl(QMIUSB_BIN, "qmiusb", "--sim-fault", faults, "proxy", "--no-exit", extra,
		      (char *)NULL);
		_exit(127);
	}
	/* qmicli spawns libqmi's own qmi-proxy when nobody listens: never start it early. */
	while (!qprx_serving(QPRX_DEFAULT_SOCKET, px->dev)) {
		int st;

		cr_assert_eq(waitpid(px->pid, &st, WNOHANG), 0, "qmiusb proxy exited (see %s)",
			     px->log);
		cr_assert(qb_now_ms() < until, "qmiusb proxy never came up (see %s)", px->log);
		usleep(10000);
	}
}

static void px_stop(struct px *px)
{
	int st = 0;

	kill(px->pid, SIGTERM);
	cr_assert_eq(waitpid(px->pid, &st, 0), px->pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "qmiusb proxy failed (see %s)", px->log);
	unlink(px->log);
	rmdir(px->rundir);
}

/* qmicli -d DEV -p --device-open-qmi A1 [A2] (a2 may be NULL). */
static int qmicli(struct px *px, const char *a1, const char *a2)
{
	const char *argv[] = { QMICLI, "-d", px->dev, "-p", "--device-open-qmi", a1, a2, NULL };

	return run(argv);
}

#define QMIUSB(...) run((const char *const[]){ QMIUSB_BIN, "-p", __VA_ARGS__, NULL })
#define HAS(needle) cr_assert(strstr(out, (needle)), "missing <%s> in:\n%s", (needle), out)

Test(online, pin_state_is_the_modems)
{
	struct px px;

	enter_netns();
	px_start(&px, "pin=2468", NULL);
	cr_assert_eq(qmicli(&px, "--uim-get-card-status", NULL), 0, "%s", out);
	HAS("PIN1 state: 'enabled-not-verified'");
	cr_assert_eq(QMIUSB("pin", "verify", "1111"), 4, "%s", out);
	HAS("Verify: 2");
	cr_assert_eq(QMIUSB("pin", "verify", "2468"), 0, "%s", out);
	HAS("PIN verified successfully");
	cr_assert_eq(qmicli(&px, "--uim-get-card-status", NULL), 0, "%s", out);
	HAS("PIN1 state: 'enabled-verified'");
	/* The other way round: qmicli changes the PIN protection, qmiusb sees it. */
	cr_assert_eq(qmicli(&px, "--uim-set-pin-protection=PIN1,disable,2468", NULL), 0, "%s", out);
	cr_assert_eq(QMIUSB("--json", "pin", "status"), 0, "%s", out);
	HAS("\"state\":\"disabled\"");
	px_stop(&px);
}

Test(online, mode_profiles_and_radio_are_shared)
{
	struct px px;

	enter_netns();
	px_start(&px, "seed=1", NULL);
	cr_assert_eq(QMIUSB("mode", "low-power"), 0, "%s", out);
	cr_assert_eq(qmicli(&px, "--dms-get-operating-mode", NULL), 0, "%s", out);
	HAS("Mode: 'low-power'");
	cr_assert_eq(qmicli(&px, "--dms-set-operating-mode=offline", NULL), 0, "%s", out);
	cr_assert_eq(QMIUSB("mode", "online"), 4, "offline is left only by reset: %s", out);
	HAS("InvalidTransition");
	cr_assert_eq(QMIUSB("mode", "reset"), 0, "%s", out);
	cr_assert_eq(QMIUSB("--json", "mode"), 0, "%s", out);
	HAS("\"mode\":\"online\"");

	cr_assert_eq(QMIUSB("profile", "create", "--name", "corp", "--apn", "corp.example",
			    "--password", "hunter2", "--auth", "pap"),
		     0, "%s", out);
	HAS("Profile index: '3'");
	cr_assert_eq(qmicli(&px, "--wds-get-profile-list=3gpp", NULL), 0, "%s", out);
	HAS("[3] 3gpp - corp");
	HAS("APN: 'corp.example'");
	cr_assert_eq(QMIUSB("profile", "list"), 0, "%s", out);
	HAS("[3] 3gpp - corp");
	cr_assert(!strstr(out, "hunter2"), "the password was printed: %s", out);
	cr_assert_eq(QMIUSB("profile", "delete", "3"), 0, "%s", out);
	cr_assert_eq(qmicli(&px, "--wds-get-profile-list=3gpp", NULL), 0, "%s", out);
	cr_assert(!strstr(out, "corp"), "%s", out);

	cr_assert_eq(QMIUSB("radio", "set", "--modes", "lte,5g", "--lte-bands", "1,3,7,20"), 0,
		     "%s", out);
	cr_assert_eq(qmicli(&px, "--nas-get-system-selection-preference", NULL), 0, "%s", out);
	HAS("Mode preference: 'lte, 5gnr'");
	HAS("LTE band preference: '1, 3, 7, 20'");
	cr_assert_eq(QMIUSB("radio"), 0, "%s", out);
	HAS("Mode preference: 'lte, 5gnr'");
	px_stop(&px);
}

/* A modem whose UIM service gives no client: qmicli holds the only UIM client id (the proxy
 * keeps it), so `pin` must go through DMS and still see the same card. */
Test(online, pin_falls_back_to_dms_without_uim)
{
	struct px px;

	enter_netns();
	px_start(&px, "pin=2468,cid-limit=1", "--keep-cids");
	cr_assert_eq(qmicli(&px, "--uim-get-card-status", "--client-no-release-cid"), 0, "%s", out);
	cr_assert_eq(QMIUSB("--json", "pin", "status"), 0, "%s", out);
	HAS("\"source\":\"dms\"");
	HAS("\"state\":\"enabled-not-verified\"");
	cr_assert_eq(QMIUSB("pin", "verify", "2468"), 0, "%s", out);
	HAS("PIN verified successfully");
	cr_assert_eq(QMIUSB("pin", "status"), 0, "%s", out);
	HAS("Status: enabled-verified");
	cr_assert_eq(QMIUSB("pin", "change", "2468", "1357"), 4, "%s", out);
	HAS("the modem has no UIM service");
	px_stop(&px);
}
