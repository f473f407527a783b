/* SPDX-License-Identifier: MIT */
/*
 * A reader that goes away (`qmiusb connect | head -1`) must not kill qmiusb with SIGPIPE: a
 * killed connect leaves the call up and its client ids allocated on a real modem. The child
 * runs in its own network namespace; its address showing up in /proc/PID/net/fib_trie proves
 * it wrote its first progress lines into the dead pipe and lived on.
 */
#include <criterion/criterion.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static bool has_address(pid_t pid, const char *addr)
{
	char path[64], line[256];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/fib_trie", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, addr) != NULL;
	fclose(f);
	return found;
}

Test(cli_sigpipe, connect_survives_a_closed_stdout)
{
	const char *const args[] = { QMIUSB_BIN, "-d", "sim", "connect", "--apn", "internet", NULL };
	struct timespec tick = { .tv_nsec = 50 * 1000 * 1000 };
	int po[2], status = 0;
	pid_t pid;

	if (geteuid() != 0)
		cr_skip_test("needs root for a network namespace and a TUN device");
	cr_assert_eq(pipe(po), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) != 0)
			_exit(126);
		signal(SIGPIPE, SIG_DFL); /* as a shell would start it */
		dup2(po[1], 1);
		close(po[0]);
		close(po[1]);
		execv(QMIUSB_BIN, (char *const *)args);
		_exit(127);
	}
	close(po[1]);
	close(po[0]); /* the reader is gone before the first line */

	for (int i = 0; i < 400 && !has_address(pid, "10.64.0.1"); i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			cr_assert_fail("qmiusb died before connecting: %s %d",
				 WIFSIGNALED(status) ? "signal" : "exit",
				 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		nanosleep(&tick, NULL);
	}
	cr_assert(has_address(pid, "10.64.0.1"), "no connection within 20 s");
	kill(pid, SIGTERM);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	cr_assert_eq(WEXITSTATUS(status), 0, "SIGTERM teardown exits 0");
}
