/* SPDX-License-Identifier: MIT */
/*
 * What `status` and `disconnect` trust, with the real binary: the state file lives in a
 * verified runtime directory and is never written through a planted symlink; a state file
 * alone (a SIGKILLed connect's, or one naming an unrelated process) finds no connection and
 * signals nobody; the TUN's kernel counters reach `status`. Also connect's option surface.
 */
#include "connect_harness.h"
#include "netns.h"

#include <fcntl.h>
#include <net/if.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#ifndef QMIUSB_BIN
#error QMIUSB_BIN must name the qmiusb binary
#endif

TestSuite(connect_state, .timeout = 60);

static void write_file(const char *path, const char *body)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(body, f);
	cr_assert_eq(fclose(f), 0);
}

static bool file_is(const char *path, const char *want)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return !strcmp(buf, want);
}

static pid_t spawn_sleep(void)
{
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		execlp("sleep", "sleep", "60", (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* A SIGKILLed connect's file, or a reused pid: disconnect must not signal that process, and
 * status must not show a connection. */
Test(connect_state, stale_file_naming_a_live_process)
{
	static const char *const disc[] = { "disconnect", NULL };
	static const char *const status[] = { "status", NULL };
	char path[128], body[256];
	struct child d, s;
	pid_t victim, w;
	int st;

	test_rundir_make("/tmp/qmiusb-state-XXXXXX");
	victim = spawn_sleep();
	snprintf(path, sizeof(path), "%s/sim.conn", test_rundir);
	snprintf(body, sizeof(body), "pid=%ld\ndevice=sim\ninterface=wwghost\nstate=up\n",
		 (long)victim);
	write_file(path, body);
	child_start_sim(&d, disc);
	cr_assert_eq(child_exit(&d), 1, "%s", d.out);
	cr_assert(strstr(d.out, "no qmiusb connection is running"), "%s", d.out);
	w = waitpid(victim, &st, WNOHANG);
	cr_assert_eq(w, 0, "disconnect killed an unrelated process");
	cr_assert_eq(access(path, F_OK), -1, "the stale file stays");

	write_file(path, body);
	child_start_sim(&s, status);
	cr_assert_eq(child_exit(&s), 0, "%s", s.out);
	cr_assert(strstr(s.out, "No qmiusb connection running on this device"), "%s", s.out);
	cr_assert_not(strstr(s.out, "wwghost"), "%s", s.out);
	kill(victim, SIGKILL);
	waitpid(victim, &st, 0);
}

/* Beside a stale file, a live connection is still found, by disconnect without -d too, and
 * stopped; the process the stale file names is left alone. */
Test(connect_state, live_connection_found_beside_a_stale_file)
{
	static const char *const args[] = { "connect", "--ifname", "wwlive0", "--no-share", NULL };
	static const char *const disc[] = { QMIUSB_BIN, "disconnect", NULL };
	char path[128], body[256];
	struct child r, d;
	pid_t victim;
	int st;

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-state-XXXXXX");
	victim = spawn_sleep();
	snprintf(path, sizeof(path), "%s/usb_1-1_4.conn", test_rundir);
	snprintf(body, sizeof(body), "pid=%ld\ndevice=usb:1-1:4\ninterface=wwghost\n",
		 (long)victim);
	write_file(path, body);
	child_start_sim(&r, args);
	child_wait_up(&r);
	child_start(&d, disc, NULL);
	cr_assert_eq(child_exit(&d), 0, "%s", d.out);
	cr_assert(strstr(d.out, "disconnected (wwlive0)"), "%s", d.out);
	cr_assert_eq(child_exit(&r), 0, "%s", r.out);
	cr_assert_eq(if_nametoindex("wwlive0"), 0);
	cr_assert_eq(waitpid(victim, &st, WNOHANG), 0, "the stale file's pid was signalled");
	kill(victim, SIGKILL);
	waitpid(victim, &st, 0);
}

/* Symlinks planted at the file's final and temporary names: the connection publishes anyway,
 * and what they point to is untouched. */
Test(connect_state, planted_symlinks_are_not_followed)
{
	static const char *const args[] = { "connect", "--ifname", "wwsym0", "--no-share", NULL };
	static const char *const status[] = { "status", NULL };
	char victim[] = "/tmp/qmiusb-victim-XXXXXX", link1[128], link2[128];
	struct child r, s;
	int fd;

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-state-XXXXXX");
	fd = mkstemp(victim);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "precious\n", 9), 9);
	close(fd);
	snprintf(link1, sizeof(link1), "%s/sim.conn", test_rundir);
	snprintf(link2, sizeof(link2), "%s/sim.conn.tmp", test_rundir);
	cr_assert_eq(symlink(victim, link1), 0);
	cr_assert_eq(symlink(victim, link2), 0);
	child_start_sim(&r, args);
	child_wait_up(&r);
	child_start_sim(&s, status);
	cr_assert_eq(child_exit(&s), 0, "%s", s.out);
	cr_assert(strstr(s.out, "Interface: 'wwsym0'"), "%s", s.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert(file_is(victim, "precious\n"), "the symlink's target was overwritten");
	unlink(victim);
}

Test(connect_state, foreign_runtime_directory_is_refused)
{
	static const char *const args[] = { "connect", "--no-share", NULL };
	struct child r;

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-state-XXXXXX");
	cr_assert_eq(chown(test_rundir, 65534, 65534), 0, "%s", strerror(errno));
	child_start_sim(&r, args);
	cr_assert_eq(child_exit(&r), 1, "%s", r.out);
	cr_assert(strstr(r.out, "unusable runtime directory") &&
			  strstr(r.out, "owned by another user"),
		  "%s", r.out);
	cr_assert_not(strstr(r.out, "TUN device"), "it went on: %s", r.out);
}

/* Packets the kernel drops in the TUN's queue (the reader stalled) show in status. */
Test(connect_state, kernel_drops_reach_status)
{
	static const char *const args[] = { "connect", "--ifname", "wwdrop0", "--no-share", NULL };
	static const char *const status[] = { "status", NULL };
	static const char *const json_status[] = { "--json", "status", NULL };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct timespec second = { 1, 200 * 1000 * 1000 };
	struct child r, s;
	char payload[64] = "x";
	unsigned long long drops = 0;
	const char *p;
	int sk;

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-state-XXXXXX");
	child_start_sim(&r, args);
	child_wait_up(&r);
	cr_assert_eq(system("ip link set dev wwdrop0 txqueuelen 8"), 0);
	inet_pton(AF_INET, "10.64.0.2", &to.sin_addr);
	sk = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	cr_assert_geq(sk, 0);
	kill(r.pid, SIGSTOP); /* the pump stops reading the TUN */
	for (int i = 0; i < 2000; i++)
		sendto(sk, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to));
	close(sk);
	kill(r.pid, SIGCONT);
	nanosleep(&second, NULL); /* the state file is rewritten every second */
	child_start_sim(&s, status);
	cr_assert_eq(child_exit(&s), 0, "%s", s.out);
	p = strstr(s.out, "Kernel: TX drops (TUN queue full): '");
	cr_assert_not_null(p, "%s", s.out);
	drops = strtoull(p + strlen("Kernel: TX drops (TUN queue full): '"), NULL, 10);
	cr_assert_gt(drops, 0, "%s", s.out);
	child_start_sim(&s, json_status);
	cr_assert_eq(child_exit(&s), 0, "%s", s.out);
	cr_assert(strstr(s.out, "\"kernel_tx_dropped\":") && strstr(s.out, "\"drops\":"), "%s",
		  s.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}

Test(connect_state, proxy_and_no_proxy_exclude_each_other)
{
	static const char *const argv[] = { QMIUSB_BIN, "-p", "--no-proxy", "info", NULL };
	static const char *const argv2[] = { QMIUSB_BIN, "--no-proxy", "-p", "info", NULL };
	struct child r;

	child_start(&r, argv, NULL);
	cr_assert_eq(child_exit(&r), 2, "%s", r.out);
	cr_assert(strstr(r.out, "-p/--proxy and --no-proxy exclude each other"), "%s", r.out);
	child_start(&r, argv2, NULL);
	cr_assert_eq(child_exit(&r), 2, "%s", r.out);
}

/* --apn is optional: the usage line says so, and without it the profile's APN is used. */
Test(connect_state, apn_is_optional)
{
	static const char *const help[] = { "connect", "--help", NULL };
	static const char *const args[] = { "connect", "--ifname", "wwapn0", "--no-share", NULL };
	struct child r;

	child_start_sim(&r, help);
	cr_assert_eq(child_exit(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, "connect [--apn APN] [options]"), "%s", r.out);
	cr_assert(strstr(r.out, "default: the one in the modem's profile"), "%s", r.out);
	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-state-XXXXXX");
	child_start_sim(&r, args);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "(the profile's APN)"), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}
