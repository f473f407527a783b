/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb -d sim connect` end to end, as a user runs it: the real binary in a child process,
 * inside the test's own network namespace, with traffic through its TUN to the software modem's
 * gateway, fault knobs for the failure paths, and SIGTERM for the teardown.
 */
#include "connect_harness.h"
#include "netns.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <time.h>

#ifndef QMIUSB_BIN
#error QMIUSB_BIN must name the qmiusb binary
#endif

#define PAYLOAD "qmiusb-test-payload"

static void remove_rundir(void)
{
	const char *dir = getenv("QMIUSB_TEST_RUNDIR");

	if (dir)
		rundir_remove(dir);
}

/* Runs prefix (e.g. setpriv ...), then qmiusb -d sim args. */
static void start_with(struct child *c, const char *const *prefix, const char *const *args)
{
	static char dir[64];
	const char *argv[40];
	int n = 0;

	/* A private state directory: `status`/`disconnect` find this test's connection only. */
	if (!getenv("QMIUSB_TEST_RUNDIR")) {
		rundir_make(dir, sizeof(dir), "/tmp/qmiusb-test-XXXXXX", "QMIUSB_TEST_RUNDIR");
		atexit(remove_rundir);
	}
	while (prefix && *prefix && n < 8)
		argv[n++] = *prefix++;
	argv[n++] = QMIUSB_BIN;
	argv[n++] = "-d";
	argv[n++] = "sim";
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	child_start(c, argv, NULL);
}

static void start(struct child *c, const char *const *args)
{
	start_with(c, NULL, args);
}

/* In a fresh network namespace: starts the connection and waits until it is up. */
static void start_up(struct child *c, const char *const *args)
{
	enter_new_netns();
	start(c, args);
	child_wait_up(c);
}

static bool has_addr(const char *ifname, int family, const char *prefix)
{
	struct ifaddrs *ifa, *i;
	char buf[INET6_ADDRSTRLEN];
	bool found = false;

	cr_assert_eq(getifaddrs(&ifa), 0);
	for (i = ifa; i; i = i->ifa_next) {
		const void *a;

		if (!i->ifa_addr || i->ifa_addr->sa_family != family || strcmp(i->ifa_name, ifname))
			continue;
		a = family == AF_INET
			    ? (const void *)&((struct sockaddr_in *)i->ifa_addr)->sin_addr
			    : (const void *)&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		inet_ntop(family, a, buf, sizeof(buf));
		if (!strncmp(buf, prefix, strlen(prefix)))
			found = true;
	}
	freeifaddrs(ifa);
	return found;
}

Test(connect, ping_then_sigterm_tears_down)
{
	static const char *const args[] = { "connect",  "--apn",   "internet",
					    "--ifname", "wwtest0", NULL };
	struct child r;

	start_up(&r, args);
	cr_assert(strstr(r.out, "IPv4 address: 10.64.0.1/30"), "%s", r.out);
	cr_assert(strstr(r.out, "IPv4 gateway: 10.64.0.2"), "%s", r.out);
	cr_assert(strstr(r.out, "DNS: 10.64.255.53"), "%s", r.out);
	cr_assert(strstr(r.out, "MTU: 1500"), "%s", r.out);
	cr_assert(has_addr("wwtest0", AF_INET, "10.64.0.1"));
	cr_assert(ping4("10.64.0.2", 0x4242, PAYLOAD), "no echo reply through the TUN\n%s", r.out);
	/* An address on the far side of the default route goes through the TUN too; the modem's
	 * gateway mode answers at its DNS addresses. */
	cr_assert(ping4("10.64.255.53", 0x4243, PAYLOAD), "no echo reply via the default route\n%s",
		  r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert(strstr(r.out, "IPv4 call stopped"), "%s", r.out);
	cr_assert_eq(if_nametoindex("wwtest0"), 0, "the TUN is gone");
}

Test(connect, dual_stack)
{
	static const char *const args[] = { "connect", "--apn",    "internet", "--ip-type",
					    "4v6",     "--ifname", "wwtest1",  NULL };
	struct child r;

	start_up(&r, args);
	cr_assert(strstr(r.out, "IPv6 address: 2001:db8:1:"), "%s", r.out);
	cr_assert(has_addr("wwtest1", AF_INET, "10.64."));
	cr_assert(has_addr("wwtest1", AF_INET6, "2001:db8:1:"));
	cr_assert(ping4("10.64.0.2", 7, PAYLOAD), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGINT), 0, "%s", r.out);
	cr_assert(strstr(r.out, "IPv4 call stopped"), "%s", r.out);
	cr_assert(strstr(r.out, "IPv6 call stopped"), "%s", r.out);
}

Test(connect, ipv6_only)
{
	static const char *const args[] = { "connect",  "--apn",   "internet",    "--ip-type", "6",
					    "--ifname", "wwtest2", "--no-routes", NULL };
	struct child r;

	start_up(&r, args);
	cr_assert(has_addr("wwtest2", AF_INET6, "2001:db8:1:"));
	cr_assert_not(has_addr("wwtest2", AF_INET, "10.64."));
	cr_assert(strstr(r.out, "routes: none"), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}

Test(connect, network_drop_and_reconnect)
{
	static const char *const args[] = { "--sim-fault", "call-drop=300", "connect", "--apn",
					    "internet",    "--ifname",      "wwtest3", NULL };
	struct child r;

	enter_new_netns();
	start(&r, args);
	cr_assert(child_wait_for(&r, "the network ended the IPv4 call"), "%s", r.out);
	cr_assert(child_wait_for(&r, "retrying in 1 s: the network ended the IPv4 call"), "%s",
		  r.out);
	/* The second summary: connected again after the drop. */
	cr_assert(child_wait_for_n(&r, "connected: interface wwtest3", 2), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert_eq(if_nametoindex("wwtest3"), 0);
}

/* With --once the SIM wait's timeout is final (without it, it is retried). */
Test(connect, sim_not_ready_times_out)
{
	static const char *const args[] = { "--sim-fault", "sim-delay=60000", "connect",
					    "--apn",       "internet",        "--sim-timeout",
					    "1",           "--once",          NULL };
	struct child r;

	enter_new_netns();
	start(&r, args);
	cr_assert_eq(child_exit(&r), 5, "%s", r.out);
	cr_assert(strstr(r.out, "waiting for the SIM: detected"), "%s", r.out);
	cr_assert(strstr(r.out, "the SIM is not ready after 1 s"), "%s", r.out);
}

Test(connect, sigterm_with_a_sim_question_in_flight)
{
	/* Answers take 1 s and the SIM is asked about every 1 s: from 1 s to 2 s after an answer
	 * the next question is in flight, and SIGTERM cancels it. Its callback must free what it
	 * allocated (LeakSanitizer turns a leak into a failed exit in the sanitizer build). */
	static const char *const args[] = { "--sim-fault", "sim-delay=60000,delay=1000",
					    "connect",     "--apn",
					    "internet",    "--sim-timeout",
					    "60",          NULL };
	struct timespec mid = { 1, 500000000 };
	struct child r;

	enter_new_netns();
	start(&r, args);
	cr_assert(child_wait_for(&r, "waiting for the SIM: detected"), "%s", r.out);
	nanosleep(&mid, NULL);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert(strstr(r.out, "interrupted"), "%s", r.out);
}

Test(connect, registration_times_out)
{
	static const char *const args[] = { "--sim-fault", "reg-denied", "connect",
					    "--apn",       "internet",   "--reg-timeout",
					    "1",           "--once",     NULL };
	struct child r;

	enter_new_netns();
	start(&r, args);
	cr_assert_eq(child_exit(&r), 5, "%s", r.out);
	cr_assert(strstr(r.out, "registration-denied"), "%s", r.out);
}

Test(connect, call_failure_names_the_reason)
{
	static const char *const args[] = { "--sim-fault", "apn=corporate", "connect", "--apn",
					    "internet",    "--once",        NULL };
	struct child r;

	enter_new_netns();
	start(&r, args);
	cr_assert_eq(child_exit(&r), 4, "%s", r.out);
	cr_assert(strstr(r.out, "the IPv4 call failed: call end reason 'generic-unspecified' (1)"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "'unknown-apn' (27)"), "%s", r.out);
}

Test(connect, usage_errors)
{
	static const char *const args[] = { "connect", "--ip-type", "5", NULL };
	struct child r;

	start(&r, args);
	cr_assert_eq(child_exit(&r), 2, "%s", r.out);
	cr_assert(strstr(r.out, "--ip-type is 4, 6 or 4v6"), "%s", r.out);
}

Test(connect, status_and_disconnect_from_another_process)
{
	static const char *const args[] = { "connect",  "--apn",   "internet",
					    "--ifname", "wwtest4", NULL };
	static const char *const status_args[] = { "status", NULL };
	static const char *const disc_args[] = { "disconnect", NULL };
	struct child r, s, d;

	start_up(&r, args);
	cr_assert(ping4("10.64.0.2", 99, PAYLOAD), "%s", r.out);
	start(&s, status_args);
	cr_assert_eq(child_exit(&s), 0, "%s", s.out);
	cr_assert(strstr(s.out, "Connection (qmiusb connect, pid"), "%s", s.out);
	cr_assert(strstr(s.out, "State: 'up'"), "%s", s.out);
	cr_assert(strstr(s.out, "Interface: 'wwtest4'"), "%s", s.out);
	cr_assert(strstr(s.out, "IPv4 address: '10.64.0.1/30'"), "%s", s.out);
	cr_assert(strstr(s.out, "Drops: '0'"), "%s", s.out);
	start(&d, disc_args);
	cr_assert_eq(child_exit(&d), 0, "%s", d.out);
	cr_assert(strstr(d.out, "disconnected (wwtest4)"), "%s", d.out);
	cr_assert_eq(if_nametoindex("wwtest4"), 0, "torn down before disconnect returned");
	cr_assert_eq(child_exit(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, "IPv4 call stopped"), "%s", r.out);
	/* Nothing runs now. */
	start(&d, disc_args);
	cr_assert_eq(child_exit(&d), 1, "%s", d.out);
	cr_assert(strstr(d.out, "no qmiusb connection is running"), "%s", d.out);
}

/* A user-owned persistent TUN and no CAP_NET_ADMIN: the connection still runs, and the ip
 * commands to apply are printed instead of applied. */
Test(connect, without_net_admin_prints_the_settings)
{
	static const char *const nocap[] = { "setpriv", "--inh-caps=-net_admin",
					     "--bounding-set=-net_admin", NULL };
	static const char *const args[] = { "connect",  "--apn",   "internet",
					    "--ifname", "wwuser0", NULL };
	struct child r;

	enter_new_netns();
	if (access("/usr/bin/setpriv", X_OK) && access("/bin/setpriv", X_OK))
		cr_skip_test("setpriv (util-linux) is not installed");
	cr_assert_eq(system("ip tuntap add dev wwuser0 mode tun user 0"), 0);
	start_with(&r, nocap, args);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "TUN device wwuser0 attached"), "%s", r.out);
	cr_assert(strstr(r.out, "needs CAP_NET_ADMIN"), "%s", r.out);
	cr_assert(strstr(r.out, "ip addr add 10.64.0.1/30 dev wwuser0\n"), "%s", r.out);
	cr_assert(strstr(r.out, "ip route add default dev wwuser0 metric 700\n"), "%s", r.out);
	cr_assert_not(has_addr("wwuser0", AF_INET, "10.64."), "nothing was applied");
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert(strstr(r.out, "wwuser0 unconfigured"), "%s", r.out);
	cr_assert_neq(if_nametoindex("wwuser0"), 0, "the user's TUN stays");
}
