/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb connect` as a process among others. Each child runs in its own network namespace
 * with a private runtime directory and no proxy socket, so the tests touch nothing of the host;
 * its address showing up in /proc/PID/net/fib_trie says the call is up.
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

static const char *const connect_args[] = { QMIUSB_BIN, "-d",       "sim",        "connect",
					    "--apn",    "internet", "--no-share", NULL };

static char rundir[] = "/tmp/qmiusb-cli-XXXXXX";

static void remove_rundir(void)
{
	rmdir(rundir); /* empty again once every connect has exited */
}

static void private_rundir(void)
{
	if (geteuid() != 0)
		cr_skip_test("needs root for network namespaces and TUN devices");
	cr_assert_not_null(mkdtemp(rundir));
	setenv("QMIUSB_RUNDIR", rundir, 1);
	atexit(remove_rundir);
}

/* stdout_fd: where the child's stdout goes (-1: keep ours). */
static pid_t spawn_in_netns(int stdout_fd, int stderr_fd)
{
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) != 0)
			_exit(126);
		signal(SIGPIPE, SIG_DFL); /* as a shell would start it */
		if (stdout_fd >= 0)
			dup2(stdout_fd, 1);
		if (stderr_fd >= 0)
			dup2(stderr_fd, 2);
		execv(QMIUSB_BIN, (char *const *)connect_args);
		_exit(127);
	}
	return pid;
}

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

static void wait_connected(pid_t pid)
{
	struct timespec tick = { .tv_nsec = 50 * 1000 * 1000 };
	int status;

	for (int i = 0; i < 400 && !has_address(pid, "10.64.0.1"); i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			cr_assert_fail("qmiusb died before connecting: %s %d",
				       WIFSIGNALED(status) ? "signal" : "exit",
				       WIFSIGNALED(status) ? WTERMSIG(status)
							   : WEXITSTATUS(status));
		nanosleep(&tick, NULL);
	}
	cr_assert(has_address(pid, "10.64.0.1"), "no connection within 20 s");
}

static void terminate_ok(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "killed by signal %d",
		  WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	cr_assert_eq(WEXITSTATUS(status), 0, "SIGTERM teardown exits 0");
}

/* A reader that goes away (`qmiusb connect | head -1`) must not kill qmiusb with SIGPIPE: a
 * killed connect leaves the call up and its client ids allocated on a real modem. */
Test(connect_proc, survives_a_closed_stdout)
{
	int po[2];
	pid_t pid;

	private_rundir();
	cr_assert_eq(pipe(po), 0);
	pid = spawn_in_netns(po[1], -1);
	close(po[1]);
	close(po[0]); /* the reader is gone before the first line */
	wait_connected(pid);
	terminate_ok(pid);
}

/* Every process has its own software modem, but `status` and `disconnect` find a connection
 * by device name: a second `-d sim connect` must not take the first one's place. */
Test(connect_proc, a_second_sim_connect_is_refused)
{
	struct timespec tick = { .tv_nsec = 50 * 1000 * 1000 };
	char err[4096] = "";
	int pe[2], status = 0;
	ssize_t n;
	pid_t first, second, done = 0;

	private_rundir();
	first = spawn_in_netns(-1, -1);
	wait_connected(first);
	cr_assert_eq(pipe(pe), 0);
	second = spawn_in_netns(-1, pe[1]);
	close(pe[1]);
	for (int i = 0; i < 400 && done != second; i++) {
		done = waitpid(second, &status, WNOHANG);
		if (done != second)
			nanosleep(&tick, NULL);
	}
	if (done != second) {
		kill(second, SIGTERM);
		waitpid(second, &status, 0);
		kill(first, SIGTERM);
		waitpid(first, &status, 0);
		cr_assert_fail("the second connect ran alongside the first");
	}
	n = read(pe[0], err, sizeof(err) - 1);
	close(pe[0]);
	err[n > 0 ? n : 0] = '\0';
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 3, "second connect: status %#x",
		  status);
	cr_assert(strstr(err, "already connected"), "stderr: %s", err);
	cr_assert_eq(kill(first, 0), 0, "the first connection lives on");
	terminate_ok(first);
}
