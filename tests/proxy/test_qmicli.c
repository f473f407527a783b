/* SPDX-License-Identifier: MIT */
/*
 * Unmodified qmicli (libqmi-utils) through `qmiusb proxy -d sim`. qmicli always uses the
 * abstract socket "qmi-proxy", so each test runs in its own network namespace (abstract
 * sockets are per namespace): tests run in parallel and never meet a real qmi-proxy.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proxy/px_harness.h"
#include "proxy/sock.h"

static void enter_netns(void)
{
	/* qmicli -p knows only the abstract name, and a network namespace keeps only abstract
	 * names apart. */
	if (!qprx_abstract)
		cr_skip_test("this build's proxy name is a socket file, which qmicli cannot reach");
	px_enter_netns();
}

static void proxy_start(struct px *px, const char *extra)
{
	const char *argv[] = { "qmiusb", "-d", "sim", "proxy", "-v", extra, NULL };

	px_start(px, "qmiusb-proxy-test", argv);
}

/* The proxy also takes back the device file it published. */
static void proxy_stop(struct px *px)
{
	px_stop(px);
	cr_assert_neq(access(px->dev, F_OK), 0, "the published device file was left behind");
	px_clean(px);
}

/* qmicli -d DEV -p --device-open-qmi ARGS...: libqmi cannot guess QMI vs MBIM for a path
 * outside sysfs (a FIFO here), exactly as for MHI ports; -p alone would not open. */
static int qmicli(struct px *px, char *out, size_t cap, const char *a1, const char *a2,
		  const char *a3)
{
	const char *argv[] = { QMICLI, "-d", px->dev, "-p", "--device-open-qmi", a1, a2, a3, NULL };

	return px_run(argv, out, cap);
}

Test(qmicli, service_versions_ids_signal_packet_status)
{
	static char out[16384];
	struct px px;

	enter_netns();
	proxy_start(&px, "--no-exit");
	cr_assert_eq(qmicli(&px, out, sizeof(out), "--get-service-version-info", NULL, NULL), 0,
		     "%s", out);
	cr_assert(strstr(out, "Supported versions:") && strstr(out, "\tdms ("), "%s", out);
	cr_assert_eq(qmicli(&px, out, sizeof(out), "--dms-get-ids", NULL, NULL), 0, "%s", out);
	cr_assert(strstr(out, "IMEI: '352099001761481'"), "%s", out);
	cr_assert_eq(qmicli(&px, out, sizeof(out), "--nas-get-signal-strength", NULL, NULL), 0,
		     "%s", out);
	cr_assert(strstr(out, "Successfully got signal strength"), "%s", out);
	cr_assert_eq(qmicli(&px, out, sizeof(out), "--wds-get-packet-service-status", NULL, NULL),
		     0, "%s", out);
	cr_assert(strstr(out, "Connection status: 'disconnected'"), "%s", out);
	/* libqmi's open with Sync: answered by the proxy, the modem keeps everybody's ids. */
	cr_assert_eq(qmicli(&px, out, sizeof(out), "--device-open-sync", "--dms-get-ids", NULL), 0,
		     "%s", out);
	proxy_stop(&px);
}

Test(qmicli, start_network_no_release_then_stop_with_client_cid)
{
	static char out[16384];
	char cidopt[32], stopopt[64];
	const char *p;
	unsigned long cid, pdh;
	struct px px;

	enter_netns();
	proxy_start(&px, "--no-exit");
	cr_assert_eq(qmicli(&px, out, sizeof(out), "--wds-start-network=apn=internet",
			    "--client-no-release-cid", NULL),
		     0, "%s", out);
	p = strstr(out, "Packet data handle: '");
	cr_assert(p, "%s", out);
	pdh = strtoul(p + strlen("Packet data handle: '"), NULL, 10);
	p = strstr(out, "CID: '");
	cr_assert(p, "no 'Client ID not released' block: %s", out);
	cid = strtoul(p + strlen("CID: '"), NULL, 10);
	cr_assert(cid > 0 && cid < 255);
	snprintf(cidopt, sizeof(cidopt), "--client-cid=%lu", cid);
	/* Well past the default 5 s grace would also work: the id owns a data session. */
	cr_assert_eq(qmicli(&px, out, sizeof(out), "--wds-get-packet-service-status", cidopt,
			    "--client-no-release-cid"),
		     0, "%s", out);
	cr_assert(strstr(out, "Connection status: 'connected'"), "%s", out);
	snprintf(stopopt, sizeof(stopopt), "--wds-stop-network=%lu", pdh);
	cr_assert_eq(qmicli(&px, out, sizeof(out), stopopt, cidopt, NULL), 0, "%s", out);
	cr_assert(strstr(out, "Network stopped"), "%s", out);
	proxy_stop(&px);
}

Test(qmicli, twenty_at_once)
{
	enum {
		N = 20
	};
	struct px px;
	pid_t pids[N];
	char path[N][160];

	enter_netns();
	proxy_start(&px, "--no-exit");
	for (int i = 0; i < N; i++) {
		snprintf(path[i], sizeof(path[i]), "%s.out%d", px.rundir, i);
		pids[i] = fork();
		cr_assert(pids[i] >= 0);
		if (pids[i] == 0) {
			int fd = open(path[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);

			dup2(fd, 1);
			dup2(fd, 2);
			execl(QMICLI, QMICLI, "-d", px.dev, "-p", "--device-open-qmi",
			      i % 2 ? "--dms-get-ids" : "--nas-get-signal-strength", (char *)NULL);
			_exit(127);
		}
	}
	for (int i = 0; i < N; i++) {
		static char out[8192];
		FILE *f;
		size_t n;
		int st;

		cr_assert_eq(waitpid(pids[i], &st, 0), pids[i]);
		f = fopen(path[i], "r");
		cr_assert(f);
		n = fread(out, 1, sizeof(out) - 1, f);
		out[n] = 0;
		fclose(f);
		unlink(path[i]);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "qmicli %d failed: %s", i, out);
		cr_assert(strstr(out, i % 2 ? "IMEI: '352099001761481'" : "signal strength"), "%s",
			  out);
	}
	proxy_stop(&px);
}

Test(qmicli, qmiusb_commands_go_through_the_proxy)
{
	static char out[16384];
	const char *info[] = { QMIUSB_BIN, "info", NULL };
	const char *forced[] = { QMIUSB_BIN, "-p", "-d", "sim", "info", NULL };
	const char *refused[] = { QMIUSB_BIN, "-p", "-d", "usb:1234:5678", "info", NULL };
	struct px px;

	enter_netns();
	proxy_start(&px, "--no-exit");
	/* No -d: the proxy publishing on the default socket is found and used. */
	cr_assert_eq(px_run(info, out, sizeof(out)), 0, "%s", out);
	cr_assert(strstr(out, "[") && strstr(out, px.dev) && strstr(out, "352099001761481"),
		  "not through the proxy: %s", out);
	cr_assert_eq(px_run(forced, out, sizeof(out)), 0, "%s", out);
	cr_assert(strstr(out, "352099001761481"), "%s", out);
	cr_assert_neq(px_run(refused, out, sizeof(out)), 0, "%s", out);
	cr_assert(strstr(out, "does not serve"), "%s", out);
	proxy_stop(&px);
}

Test(qmicli, empty_timeout_exits_without_clients)
{
	struct px px;
	int st = 0;

	enter_netns();
	proxy_start(&px, "--empty-timeout=1");
	cr_assert_eq(waitpid(px.pid, &st, 0), px.pid); /* it goes by itself */
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	cr_assert_neq(access(px.dev, F_OK), 0);
	px_clean(&px);
}
