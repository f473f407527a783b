/* SPDX-License-Identifier: MIT */
/*
 * connect and its modem, with the real binary: a modem that is not there is waited for (never
 * the software modem in its place), a modem that goes away while connected is waited for and
 * every session comes back up on the fresh one, and a session that fails for good ends only
 * itself while the others pass traffic.
 */
#include "connect_harness.h"
#include "netns.h"

#include <net/if.h>
#include <sys/stat.h>

#ifndef QMIUSB_BIN
#error QMIUSB_BIN must name the qmiusb binary
#endif

TestSuite(device, .timeout = 120);

/* A private runtime directory and proxy socket: another test's connect or proxy is not ours. */
static void isolate(void)
{
	char sock[64];

	test_rundir_make("/tmp/qmiusb-dev-XXXXXX");
	snprintf(sock, sizeof(sock), "qmiusb-test-dev-%d", (int)getpid());
	setenv("QMIUSB_PROXY_SOCKET", sock, 1);
}

/* `qmiusb ARGS`, after isolate() (whose directory child_start_own() then keeps). */
static void start(struct child *c, const char *const *args)
{
	child_start_own(c, "/tmp/qmiusb-dev-XXXXXX", args);
}

/* The test needs a bus without a QMI modem: no -d would find that one. */
static void need_no_modem(void)
{
	static const char *const args[] = { QMIUSB_BIN, "--json", "list", NULL };
	struct child l;

	cr_assert_eq(child_run(&l, args), 0, "%s", l.out);
	if (!strstr(l.out, "\"modems\":[]"))
		cr_skip_test("a QMI modem is plugged in here: %s", l.out);
}

Test(device, missing_modem_is_waited_for)
{
	static const char *const args[] = { "-d",       "usb:1234:5678", "--no-proxy",
					    "--json",   "connect",       "--apn",
					    "internet", "--no-share",    NULL };
	struct child r;

	isolate();
	start(&r, args);
	cr_assert(child_wait_for(&r, "\"event\":\"state\",\"state\":\"waiting-modem\"}"), "%s",
		  r.out);
	cr_assert(child_wait_for(&r, "waiting for a modem matching usb:1234:5678 ("), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert(strstr(r.out, "\"event\":\"exit\",\"outcome\":\"stopped\""), "%s", r.out);
	cr_assert_not(strstr(r.out, "couldn't open"), "%s", r.out);
}

/* Without -d, no modem: connect waits; the software modem is never taken in its place (it
 * would install a fake address and a default route and look successful). */
Test(device, no_modem_never_means_the_software_modem)
{
	static const char *const args[] = { "--no-proxy", "connect", "--apn",      "internet",
					    "--ifname",   "wwdev9",  "--no-share", NULL };
	struct child r;

	need_no_modem();
	enter_new_netns();
	isolate();
	start(&r, args);
	cr_assert(child_wait_for(&r, "waiting for a QMI modem ("), "%s", r.out);
	cr_assert_not(strstr(r.out, "software modem"), "%s", r.out);
	cr_assert_eq(if_nametoindex("wwdev9"), 0, "a TUN came up without a modem");
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert_not(strstr(r.out, "connected:"), "%s", r.out);
}

/* --once keeps the single attempt: a missing modem is the end (exit 3, as before). */
Test(device, missing_modem_with_once_fails)
{
	static const char *const args[] = { "-d",       "usb:1234:5678", "--no-proxy",
					    "connect",  "--once",        "--apn",
					    "internet", "--no-share",    NULL };
	struct child r;

	isolate();
	start(&r, args);
	cr_assert_eq(child_exit(&r), 3, "%s", r.out);
	cr_assert(strstr(r.out, "couldn't open usb:1234:5678: "), "%s", r.out);
	cr_assert_not(strstr(r.out, "waiting for"), "%s", r.out);
}

/* The software modem is unplugged while connected and comes back half a second later: connect
 * says the modem went away, waits, and is up again by itself on the fresh modem, with traffic. */
Test(device, unplugged_modem_comes_back)
{
	static const char *const args[] = {
		"-d",       "sim",     "--sim-fault", "unplug=2500,replug=500",
		"--json",   "connect", "--apn",       "internet",
		"--ifname", "wwdev0",  "--no-share",  NULL
	};
	struct child r;

	enter_new_netns();
	isolate();
	start(&r, args);
	cr_assert(child_wait_for(&r, "data path:"), "%s", r.out);
	cr_assert(ping4("10.64.0.2", 0x7100, "before the unplug"), "%s", r.out);
	cr_assert(child_wait_for(&r, "\"state\":\"waiting-modem\",\"reason\":\"the modem went "
				     "away: No such device\"}"),
		  "%s", r.out);
	cr_assert(child_wait_for_n(&r, "data path:", 2), "%s", r.out);
	cr_assert(ping4("10.64.0.2", 0x7200, "after the replug"), "%s", r.out);
	cr_assert_neq(if_nametoindex("wwdev0"), 0);
	/* The state file follows: `status` and `disconnect` find the connection again. */
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/sim.conn", test_rundir);
		for (int i = 0; i < 50 && access(path, R_OK) != 0; i++)
			usleep(100000); /* republished within a second of the next event */
		cr_assert_eq(access(path, R_OK), 0, "no state file after the replug\n%s", r.out);
	}
	cr_assert(child_wait_for_n(&r,
				   "\"event\":\"up\",\"session\":1,\"apn\":\"internet\","
				   "\"mux_id\":1,\"interface\":\"wwdev0\"",
				   2),
		  "%s", r.out);
	/* It went away once: the modem that came back stays. */
	cr_assert_eq(child_count(r.out, "waiting-modem"), 1, "%s", r.out);
	cr_assert_not(strstr(r.out, "\"state\":\"failed\""), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert_eq(if_nametoindex("wwdev0"), 0, "the TUN is gone");
}

/* The same with two sessions: both come back, each on its own interface and mux id. */
Test(device, unplugged_modem_comes_back_with_every_session)
{
	static const char *const args[] = { "-d",      "sim",      "--sim-fault",   "unplug=2500",
					    "connect", "--apn",    "internet",      "--apn",
					    "ims",     "--ifname", "wwdev1,wwdev2", "--no-share",
					    NULL };
	struct child r;

	enter_new_netns();
	isolate();
	start(&r, args);
	cr_assert(child_wait_for_n(&r, "data path:", 2), "%s", r.out);
	cr_assert(child_wait_for(&r, "the modem went away"), "%s", r.out);
	cr_assert(child_wait_for_n(&r, "data path:", 4), "%s", r.out);
	cr_assert_eq(child_count(r.out, "[sim pdn1] connected: interface wwdev1"), 2, "%s", r.out);
	cr_assert_eq(child_count(r.out, "[sim pdn2] connected: interface wwdev2"), 2, "%s", r.out);
	cr_assert(ping4("10.64.0.2", 0x7300, "session 1"), "%s", r.out);
	cr_assert(ping4("10.64.0.6", 0x7400, "session 2"), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}

/* Every session failing for good ends the run, each failure said with its session's label. */
Test(device, run_ends_when_every_session_failed)
{
	static const char *const args[] = {
		"-d",    "sim", "--sim-fault", "sim-absent",    "connect", "--apn", "a",
		"--apn", "b",   "--no-share",  "--sim-timeout", "2",       NULL
	};
	struct child r;

	enter_new_netns();
	isolate();
	start(&r, args);
	cr_assert_neq(child_exit(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, "error: sim pdn1: "), "%s", r.out);
	cr_assert(strstr(r.out, "error: sim pdn2: "), "%s", r.out);
}

/* Two [pdn] sections in the configuration file bring up two sessions, each with its own keys:
 * its APN, interface and IP type; the second asks for no routes of its own. */
Test(device, pdn_sections_of_the_configuration)
{
	static const char *const args[] = { "-d",  "sim",        "connect", "--config",
					    "two", "--no-share", NULL };
	char path[128];
	struct child r;
	FILE *f;

	enter_new_netns();
	isolate();
	snprintf(path, sizeof(path), "%s/two.conf", test_rundir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("ip-type = 4\n"
	      "[pdn]\napn = internet\nifname = wwconf1\n"
	      "[pdn]\napn = ims\nifname = wwconf2\nroutes = no\n",
	      f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, 0600), 0);
	setenv("QMIUSB_CONFDIR", test_rundir, 1);
	start(&r, args);
	cr_assert(child_wait_for(&r, "[sim pdn1] connected: interface wwconf1"), "%s", r.out);
	cr_assert(child_wait_for(&r, "[sim pdn2] connected: interface wwconf2\n\tAPN: ims\n"), "%s",
		  r.out);
	cr_assert(strstr(r.out, "\tAPN: internet\n"), "%s", r.out);
	cr_assert(ping4("10.64.0.2", 0x7500, "session 1"), "%s", r.out);
	cr_assert(ping4("10.64.0.6", 0x7600, "session 2"), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}
