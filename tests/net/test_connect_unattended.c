/* SPDX-License-Identifier: MIT */
/*
 * connect left unattended, with the real binary against -d sim: a default route that was already
 * there is reported as not ours and survives; a SIGKILLed connect's routes and DNS on a persistent
 * TUN are undone by the next connect on the device, which says so; two connects started together
 * on one device: exactly one runs.
 */
#include "../cli/jsonschema.h"
#include "connect_harness.h"
#include "netns.h"

#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#ifndef QMIUSB_BIN
#error QMIUSB_BIN must name the qmiusb binary
#endif

TestSuite(unattended, .timeout = 120);

Test(unattended, existing_route_reported_and_kept)
{
	static const char *const args[] = { "connect", "--ifname", "wwex0", "--no-share", NULL };
	struct child r;
	char out[512];

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-unatt-XXXXXX");
	/* The user's route and address (the kernel drops a device's IPv4 routes with its last
	 * address, whoever removes it). */
	cr_assert_eq(system("ip tuntap add dev wwex0 mode tun && ip link set dev wwex0 up && "
			    "ip addr add 192.0.2.9/32 dev wwex0 && "
			    "ip route add default dev wwex0 metric 700"),
		     0);
	child_start_sim(&r, args);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "routes: NOT added: the same IPv4 default route was already "
				"there"),
		  "%s", r.out);
	cr_assert_not(strstr(r.out, "routes: default via the interface"), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert(strstr(cmd_output(out, sizeof(out), "ip route show default dev wwex0"),
			 "metric 700"),
		  "the user's route went with the connection");
}

Test(unattended, metric_option)
{
	static const char *const args[] = { "connect",  "--ifname", "wwmet0", "--no-share",
					    "--metric", "4242",     NULL };
	struct child r;
	char out[512];

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-unatt-XXXXXX");
	child_start_sim(&r, args);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "routes: default via the interface (IPv4), metric 4242"), "%s",
		  r.out);
	cr_assert(strstr(cmd_output(out, sizeof(out), "ip route show default"), "metric 4242"),
		  "%s", out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}

Test(unattended, sigkill_leftovers_undone_by_next_connect)
{
	char dns[128], dnsopt[160], out[512];
	const char *args[] = {
		"connect", "--ifname", "wwkill0", "--no-share", "--dns", dnsopt, NULL
	};
	struct child r;

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-unatt-XXXXXX");
	snprintf(dns, sizeof(dns), "%s/resolv.conf", test_rundir);
	snprintf(dnsopt, sizeof(dnsopt), "file:%s", dns);
	cr_assert_eq(system("ip tuntap add dev wwkill0 mode tun"), 0);
	child_start_sim(&r, args);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "DNS written to"), "%s", r.out);
	kill(r.pid, SIGKILL);
	child_finish(&r);
	cr_assert(strstr(cmd_output(out, sizeof(out), "ip route show default dev wwkill0"),
			 "metric 700"));
	cr_assert_eq(access(dns, F_OK), 0);

	/* Not in the way of the next one (its own file is refused otherwise), and said. */
	child_start_sim(&r, args);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "undoing what a previous connect left on wwkill0: default routes "
				"addresses link settings DNS"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "DNS written to"), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert_str_eq(cmd_output(out, sizeof(out), "ip route show default dev wwkill0"), "");
	cr_assert_neq(access(dns, F_OK), 0, "the DNS file stayed");
}

/* The lock decides, atomically: of two connects started together, one runs, one is refused. */
Test(unattended, two_connects_at_once)
{
	static const char *const args[] = { "connect", "--no-share", NULL };

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-unatt-XXXXXX");
	for (int round = 0; round < 4; round++) {
		struct child a, b, *loser;
		bool a_up, b_up;

		child_start_sim(&a, args);
		child_start_sim(&b, args);
		/* The refused one ends by itself; the one that runs gets up. */
		a_up = child_wait_for(&a, "data path:") ||
		       !strstr(a.out, "already connected by `qmiusb connect`");
		b_up = child_wait_for(&b, "data path:") ||
		       !strstr(b.out, "already connected by `qmiusb connect`");
		cr_assert(a_up != b_up, "round %d\nA: %s\nB: %s", round, a.out, b.out);
		loser = a_up ? &b : &a;
		cr_assert_eq(child_finish(loser), 3, "round %d: %s", round, loser->out);
		cr_assert_eq(child_stop(a_up ? &a : &b, SIGTERM), 0, "round %d", round);
	}
}

static void write_conf(const char *name, const char *body)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.conf", test_rundir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(body, f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, 0600), 0);
	setenv("QMIUSB_CONFDIR", test_rundir, 1);
}

/* Everything the manager was told so far, datagrams joined by '|'. */
static void notified(int sock, char *buf, size_t cap)
{
	size_t len = strlen(buf);
	ssize_t n;

	while (len + 1 < cap && (n = recv(sock, buf + len, cap - len - 2, MSG_DONTWAIT)) > 0) {
		len += (size_t)n;
		buf[len++] = '|';
		buf[len] = '\0';
	}
}

/* The file's settings are connect's defaults, the command line overrides them; a service
 * manager hears READY=1 once up, the states before, and STOPPING=1 at the end. */
Test(unattended, config_file_and_service_manager)
{
	static const char *const args[] = { "connect",  "--config", "home", "--no-share",
					    "--metric", "555",      NULL };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char out[512], told[2048] = "";
	struct child r;
	int sock;

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-unatt-XXXXXX");
	write_conf("home", "ifname = wwconf0\nmetric = 333\nip-type = 4\n");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", test_rundir);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(sock, 0);
	cr_assert_eq(bind(sock, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);
	child_start_sim(&r, args);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "connected: interface wwconf0"), "%s", r.out);
	cr_assert(strstr(cmd_output(out, sizeof(out), "ip route show default dev wwconf0"),
			 "metric 555"),
		  "%s", out);
	notified(sock, told, sizeof(told));
	cr_assert(strstr(told, "READY=1\nSTATUS=up on wwconf0|"), "%s", told);
	cr_assert(strstr(told, "STATUS=registering|"), "%s", told);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	notified(sock, told, sizeof(told));
	cr_assert(strstr(told, "STOPPING=1"), "%s", told);
	close(sock);
}

/* The configuration file's pin-file unlocks the SIM. */
Test(unattended, config_pin_file_unlocks)
{
	static const char *const args[] = { "--sim-fault", "pin=2468",   "connect", "--config",
					    "pin",         "--no-share", NULL };
	char conf[256];
	struct child r;

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-unatt-XXXXXX");
	snprintf(conf, sizeof(conf), "%s/pin", test_rundir);
	{
		FILE *f = fopen(conf, "w");

		cr_assert_not_null(f);
		fputs("2468\n", f);
		fclose(f);
		chmod(conf, 0600);
	}
	snprintf(conf, sizeof(conf), "pin-file = %s/pin\n", test_rundir);
	write_conf("pin", conf);
	child_start_sim(&r, args);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "SIM: PIN verified"), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}

/* --json: a "state" event on every transition besides "up" and "exit"; the progress lines on
 * stderr carry a timestamp; --syslog takes them off the stream. */
Test(unattended, json_state_events_and_timestamps)
{
	static const char *const args[] = { "--json", "connect", "--no-share", NULL };
	static const char *const quiet[] = { "connect", "--no-share", "--syslog", NULL };
	static const char *const order[] = {
		"\"state\":\"format\"",     "\"state\":\"sim\"", "\"state\":\"registering\"",
		"\"state\":\"connecting\"", "\"state\":\"up\"",  "\"event\":\"up\""
	};
	const char *p;
	struct child r;
	unsigned i;
	int y, mo, d, h, mi, s;

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-unatt-XXXXXX");
	child_start_sim(&r, args);
	cr_assert(child_wait_for(&r, "\"event\":\"up\""), "%s", r.out);
	for (i = 0, p = r.out; i < sizeof(order) / sizeof(order[0]); i++) {
		p = strstr(p, order[i]);
		cr_assert_not_null(p, "%s missing or out of order:\n%s", order[i], r.out);
	}
	p = strstr(r.out, "[sim] SIM: ready\n");
	cr_assert_not_null(p, "%s", r.out);
	while (p > r.out && p[-1] != '\n')
		p--;
	cr_assert_eq(sscanf(p, "%4d-%2d-%2d %2d:%2d:%2d [sim]", &y, &mo, &d, &h, &mi, &s), 6,
		     "no timestamp: %.60s", p);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert(strstr(r.out, "\"event\":\"state\",\"state\":\"stopped\""), "%s", r.out);
	cr_assert(strstr(r.out, "\"event\":\"exit\""), "%s", r.out);

	child_start_sim(&r, quiet);
	child_wait_up(&r);
	cr_assert_not(strstr(r.out, "SIM: ready"), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}

/* The running connection's JSON against the one schema: connect's events (a reconnect's
 * included), status with a connection, disconnect; stdout only. */
Test(unattended, json_schema_of_a_connection)
{
	static const char *const args[] = { "--sim-fault", "call-drop=400", "--json", "connect",
					    NULL };
	static const char *const status[] = { "--json", "status", NULL };
	static const char *const disc[] = { "--json", "disconnect", NULL };
	char errfile[160];
	struct child r, s;

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-unatt-XXXXXX");
	snprintf(errfile, sizeof(errfile), "%s/stderr", test_rundir);
	{
		const char *argv[] = { QMIUSB_BIN, "-d",    "sim",   args[0],
				       args[1],    args[2], args[3], NULL };

		child_start(&r, argv, errfile);
	}
	cr_assert(child_wait_for_n(&r, "\"event\":\"up\"", 2), "%s", r.out);
	{
		const char *argv[] = { QMIUSB_BIN, "-d", "sim", status[0], status[1], NULL };

		child_start(&s, argv, errfile);
	}
	cr_assert_eq(child_exit(&s), 0, "%s", s.out);
	cr_assert(strstr(s.out, "\"connection\":{"), "%s", s.out);
	cr_assert(strstr(s.out, "\"ipv4\":{\"address\":\"10.64.0.1\",\"prefix\":30"), "%s", s.out);
	schema_check(QMIUSB_JSON_SCHEMA, "status with a connection", s.out);
	{
		const char *argv[] = { QMIUSB_BIN, "-d", "sim", disc[0], disc[1], NULL };

		child_start(&s, argv, errfile);
	}
	cr_assert_eq(child_exit(&s), 0, "%s", s.out);
	cr_assert(strstr(s.out, "\"command\":\"disconnect\""), "%s", s.out);
	schema_check(QMIUSB_JSON_SCHEMA, "disconnect", s.out);
	cr_assert_eq(child_exit(&r), 0, "%s", r.out);
	/* The drop: the link goes down (why), then the next attempt is announced. */
	cr_assert(strstr(r.out, "\"state\":\"down\",\"reason\":"), "%s", r.out);
	cr_assert(strstr(strstr(r.out, "\"state\":\"down\""),
			 "\"state\":\"reconnecting\",\"reason\":"),
		  "%s", r.out);
	schema_check(QMIUSB_JSON_SCHEMA, "connect", r.out);
}
