/* SPDX-License-Identifier: MIT */
/* Readiness (cli/notify.c) against a datagram socket standing in for the service manager. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/notify.h"

static char dir[] = "/tmp/qmiusb-notify-XXXXXX";
static char path[64];
static int sock = -1;

static void init(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notify", dir);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(sock, 0);
	cr_assert_eq(bind(sock, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setenv("NOTIFY_SOCKET", path, 1);
}

static void fini(void)
{
	unsetenv("NOTIFY_SOCKET");
	if (sock >= 0)
		close(sock);
	unlink(path);
	rmdir(dir);
}

TestSuite(notify, .init = init, .fini = fini);

/* The next datagram the "manager" got; the calls are synchronous, so it is there already. */
static void expect(const char *want)
{
	char buf[512];
	ssize_t n = recv(sock, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	cr_assert_gt(n, 0, "nothing was sent (wanted \"%s\")", want);
	buf[n] = '\0';
	/* A trailing newline is allowed by the protocol; compare without it. */
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	cr_assert_str_eq(buf, want);
}

Test(notify, ready_with_a_status_line)
{
	cr_assert_eq(qcli_notify_ready("up on wwan0: 10.64.0.2/30"), 1);
	expect("READY=1\nSTATUS=up on wwan0: 10.64.0.2/30");
	cr_assert_eq(qcli_notify_ready(NULL), 1);
	expect("READY=1");
	/* The variable stays for the next notification (reconnects send READY=1 again). */
	cr_assert_str_eq(getenv("NOTIFY_SOCKET"), path);
}

Test(notify, status_and_stopping)
{
	cr_assert_eq(qcli_notify_status("registering"), 1);
	expect("STATUS=registering");
	cr_assert_eq(qcli_notify_stopping("stopping: SIGTERM"), 1);
	expect("STOPPING=1\nSTATUS=stopping: SIGTERM");
	cr_assert_eq(qcli_notify_stopping(NULL), 1);
	expect("STOPPING=1");
	cr_assert_lt(qcli_notify_status(NULL), 0);
}

Test(notify, a_newline_in_the_status_cannot_add_a_variable)
{
	cr_assert_eq(qcli_notify_status("reason\nREADY=1\rX"), 1);
	expect("STATUS=reason READY=1 X");
}

Test(notify, a_long_status_is_cut_not_dropped)
{
	char big[1000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert_eq(qcli_notify_status(big), 1);
	{
		char buf[2048];
		ssize_t n = recv(sock, buf, sizeof(buf), MSG_DONTWAIT);

		cr_assert_eq(n, (ssize_t)strlen("STATUS=") + 256);
	}
}

Test(notify, without_a_manager_nothing_happens)
{
	char buf[64];

	unsetenv("NOTIFY_SOCKET");
	cr_assert_eq(qcli_notify_ready("up"), 0);
	cr_assert_eq(qcli_notify_stopping(NULL), 0);
	cr_assert_lt(recv(sock, buf, sizeof(buf), MSG_DONTWAIT), 0);
}

Test(notify, a_manager_that_is_gone_is_an_error_not_a_crash)
{
	setenv("NOTIFY_SOCKET", "/nonexistent/qmiusb-notify", 1);
	cr_assert_lt(qcli_notify_ready("up"), 0);
}
