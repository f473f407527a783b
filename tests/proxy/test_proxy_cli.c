/* SPDX-License-Identifier: MIT */
/* `qmiusb proxy` and the proxy clients from the command line: exit codes, JSON on failure,
 * messages, the proxy's own user as the clients check it, SIGTERM with ids held. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/loop.h"
#include "cli/cli_run.h"
#include "proxy/proxy.h"
#include "proxy/px_harness.h"
#include "proxy/sock.h"
#include "qmi/messages.h"
#include "qmi/qmux.h"
#include "qmi/tlv.h"

#define GUARD_MS 20000
#define HAS(hay, needle) cr_assert(strstr(hay, needle), "'%s' not in: %s", needle, hay)

static char sockname[64];

static void unique_socket(void)
{
	static unsigned seq;

	snprintf(sockname, sizeof(sockname), "qmiusb-test-cli-%d-%u", (int)getpid(), seq++);
}

/* ---- exit codes and JSON on failure ---- */

Test(proxy_cli, usb_without_a_modem_is_a_device_error_like_info)
{
	struct run r;

	unique_socket();
	r = RUN("-d", "usb", "proxy", "--socket", sockname);
	cr_assert_eq(r.rc, QCLI_EXIT_DEVICE, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "couldn't open usb");
	run_free(&r);
}

Test(proxy_cli, unknown_device_is_a_usage_error_like_info)
{
	struct run r;

	unique_socket();
	r = RUN("-d", "bogus", "proxy", "--socket", sockname);
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "unknown device 'bogus'");
	run_free(&r);
}

Test(proxy_cli, json_proxy_failure_prints_one_error_object)
{
	struct run r;
	double code;

	unique_socket();
	r = RUN_JSON("-d", "bogus", "proxy", "--socket", sockname);
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	cr_assert(r.json, "not JSON (%s): '%s'", r.why ? r.why : "", r.out);
	cr_assert_str_eq(jq_str(r.json, "command"), "proxy");
	cr_assert_str_eq(jq_str(r.json, "error.kind"), "usage");
	cr_assert(jq_num(r.json, "error.exit_code", &code) && code == QCLI_EXIT_USAGE);
	HAS(jq_str(r.json, "error.message"), "bogus");
	run_free(&r);
}

Test(proxy_cli, json_sim_failure_prints_one_error_object)
{
	struct run r = RUN_JSON("sim", "--no-such-option");
	double code;

	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	cr_assert(r.json, "not JSON (%s): '%s'", r.why ? r.why : "", r.out);
	cr_assert_str_eq(jq_str(r.json, "command"), "sim");
	cr_assert_str_eq(jq_str(r.json, "error.kind"), "usage");
	cr_assert(jq_num(r.json, "error.exit_code", &code) && code == QCLI_EXIT_USAGE);
	run_free(&r);
}

Test(proxy_cli, fractional_empty_timeout_is_logged_as_given)
{
	char dir[64];
	struct run r;

	unique_socket();
	snprintf(dir, sizeof(dir), "/tmp/qmiusb-test-cli-%d", (int)getpid());
	setenv("QMIUSB_RUNDIR", dir, 1);
	r = RUN("-d", "sim", "proxy", "--socket", sockname, "--empty-timeout", "0.3");
	cr_assert_eq(r.rc, QCLI_EXIT_OK, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "no clients for 0.3 s");
	run_free(&r);
	rmdir(dir);
}

Test(proxy_cli, empty_timeout_out_of_range_is_a_usage_error)
{
	struct run r;

	unique_socket();
	r = RUN("-d", "sim", "proxy", "--socket", sockname, "--empty-timeout", "1e12");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "--empty-timeout");
	run_free(&r);
}

/* ---- which proxies a client believes ---- */

/* A stand-in proxy run by uid 65534: it reports, per connection, the bytes it received, and
 * answers a proxy open with success. */
struct fake {
	pid_t pid;
	int rfd;
};

static void fake_serve(int lfd, int wfd)
{
	for (;;) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };
		uint8_t in[1024], out[64];
		struct qmi_frame f;
		struct qmi_writer w;
		size_t len;
		int fd, got = 0;
		ssize_t n;

		if (poll(&p, 1, GUARD_MS) != 1)
			_exit(3);
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		n = recv(fd, in, sizeof(in), 0);
		got = n > 0 ? (int)n : 0;
		if (n > 0 && qmi_frame_parse(in, (size_t)n, &f, NULL) == 0) {
			qmi_writer_init(&w, out, sizeof(out), QMI_SVC_CTL, 0, QMI_KIND_RESPONSE,
					f.txn, QMI_CTL_INTERNAL_PROXY_OPEN);
			qmi_writer_set_qmux_flags(&w, QMI_QMUX_FLAG_SERVICE);
			qmi_writer_result(&w, 0, 0);
			if (qmi_writer_finish(&w, &len) == 0 &&
			    send(fd, out, len, MSG_NOSIGNAL) < 0)
				_exit(4);
		}
		if (write(wfd, &got, sizeof(got)) != (ssize_t)sizeof(got))
			_exit(5);
		/* Held open until the client closes: the client decides. */
		while (recv(fd, in, sizeof(in), 0) > 0)
			;
		close(fd);
	}
}

static void fake_start(struct fake *fk)
{
	int p[2];
	char ready;

	if (geteuid() != 0)
		cr_skip_test("needs root to run a proxy as another user");
	/* A socket file lives in a directory only its owner (or root) may write in, and a client
	 * looks in no other: another user cannot stand in for the proxy there. */
	if (!qprx_abstract)
		cr_skip_test("the proxy's name is a file in our runtime directory, not abstract");
	unique_socket();
	cr_assert_eq(pipe(p), 0);
	fk->pid = fork();
	cr_assert(fk->pid >= 0);
	if (fk->pid == 0) {
		int lfd;

		close(p[0]);
		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
			_exit(2);
		lfd = qprx_listen(sockname, 8);
		if (lfd < 0)
			_exit(2);
		fcntl(lfd, F_SETFL, 0);
		if (write(p[1], "r", 1) != 1)
			_exit(2);
		fake_serve(lfd, p[1]);
	}
	close(p[1]);
	fk->rfd = p[0];
	cr_assert_eq(read(fk->rfd, &ready, 1), 1, "the stand-in proxy did not start");
}

static int fake_report(struct fake *fk)
{
	struct pollfd p = { .fd = fk->rfd, .events = POLLIN };
	int got = -1;

	cr_assert_eq(poll(&p, 1, GUARD_MS), 1, "the stand-in proxy never saw the client");
	cr_assert_eq(read(fk->rfd, &got, sizeof(got)), (ssize_t)sizeof(got));
	return got;
}

static void fake_stop(struct fake *fk)
{
	kill(fk->pid, SIGKILL);
	waitpid(fk->pid, NULL, 0);
	close(fk->rfd);
}

Test(proxy_cli, a_proxy_of_another_user_is_refused_before_anything_is_sent)
{
	struct qprx_trust nobody = { true, 65534 };
	struct qmi_transport tr;
	struct fake fk;
	uid_t uid = 0;
	struct run r;

	fake_start(&fk);
	cr_assert_eq(qprx_client_transport_open(&tr, sockname, "sim", NULL, &uid), -EPERM);
	cr_assert_eq(uid, 65534);
	cr_assert_eq(fake_report(&fk), 0, "bytes reached an untrusted proxy");
	cr_assert_not(qprx_serving(sockname, "sim"));
	cr_assert_eq(fake_report(&fk), 0, "the serving check talked to an untrusted proxy");

	/* What `qmiusb -p` says. */
	setenv("QMIUSB_PROXY_SOCKET", sockname, 1);
	r = RUN("-p", "-d", "sim", "info");
	cr_assert_eq(r.rc, QCLI_EXIT_DEVICE, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "not trusted");
	HAS(r.err, "--trust-proxy-user");
	run_free(&r);
	cr_assert_eq(fake_report(&fk), 0, "qmiusb -p talked to an untrusted proxy");
	/* Without -p, the automatic look for a proxy checks it the same way. */
	r = RUN("-d", "/dev/cdc-wdm-none", "info");
	cr_assert_eq(r.rc, QCLI_EXIT_DEVICE, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "not trusted");
	run_free(&r);
	cr_assert_eq(fake_report(&fk), 0, "the automatic proxy use talked to an untrusted proxy");

	/* Named with --trust-proxy-user (here its struct): believed. */
	cr_assert_eq(qprx_client_transport_open(&tr, sockname, "sim", &nobody, NULL), 0);
	cr_assert_gt(fake_report(&fk), 0);
	qmi_transport_destroy(&tr);
	unsetenv("QMIUSB_PROXY_SOCKET");
	fake_stop(&fk);
}

Test(proxy_cli, trust_proxy_user_names_a_user)
{
	struct fake fk;
	struct run r;

	fake_start(&fk);
	setenv("QMIUSB_PROXY_SOCKET", sockname, 1);
	/* Past the check, the stand-in answers nothing else: a timeout, not a refusal. */
	r = RUN("--trust-proxy-user", "nobody", "--timeout", "0.3", "-p", "-d", "sim", "info");
	cr_assert_neq(r.rc, QCLI_EXIT_OK);
	cr_assert_null(strstr(r.err, "not trusted"), "stderr: %s", r.err);
	cr_assert_gt(fake_report(&fk), 0, "the trusted proxy was never asked");
	run_free(&r);
	r = RUN("--trust-proxy-user", "no-such-user-here", "-p", "-d", "sim", "info");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	run_free(&r);
	unsetenv("QMIUSB_PROXY_SOCKET");
	fake_stop(&fk);
}

/* ---- SIGTERM while a client id is held ---- */

static char *slurp(const char *path)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

Test(proxy_cli, sigterm_with_a_client_id_held_releases_it_and_exits_cleanly)
{
	char dir[64], log[96], out[8192];
	uint64_t until = qb_now_ms() + GUARD_MS;
	const char *raw[] = { QMIUSB_BIN, "-p",  "-d",   "sim", "--client-no-release-cid",
			      "raw",      "dms", "0x25", NULL };
	pid_t pid;
	int st = 0, rc;

	unique_socket();
	snprintf(dir, sizeof(dir), "/tmp/qmiusb-test-cli-%d", (int)getpid());
	snprintf(log, sizeof(log), "%s.log", dir);
	setenv("QMIUSB_RUNDIR", dir, 1);
	setenv("QMIUSB_PROXY_SOCKET", sockname, 1);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(QMIUSB_BIN, "qmiusb", "-d", "sim", "proxy", "-v", "--socket", sockname,
		      (char *)NULL);
		_exit(127);
	}
	while (!qprx_serving(sockname, "sim")) {
		cr_assert_eq(waitpid(pid, &st, WNOHANG), 0, "the proxy exited: %s", slurp(log));
		cr_assert(qb_now_ms() < until, "the proxy never came up: %s", slurp(log));
		usleep(10000);
	}
	rc = px_run(raw, out, sizeof(out));
	cr_assert_eq(rc, 0, "raw dms 0x25 through the proxy: %s", out);
	kill(pid, SIGTERM);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the proxy failed (status %d): %s", st,
		  slurp(log));
	HAS(slurp(log), "releasing client ids");
	cr_assert_null(strstr(slurp(log), "unanswered"), "%s", slurp(log));
	cr_assert_null(strstr(slurp(log), "AddressSanitizer"), "%s", slurp(log));
	unlink(log);
	rmdir(dir);
	unsetenv("QMIUSB_PROXY_SOCKET");
}
