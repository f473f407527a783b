/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb connect` shares the modem it owns (issue 5, item 4): while `qmiusb -d sim connect`
 * runs in the test's own network namespace (abstract sockets are per namespace, so tests never
 * meet each other's proxy), `qmiusb -p` and unmodified qmicli reach the same modem and ping
 * still goes through the TUN. Also: a device served by a standalone `qmiusb proxy` is refused
 * with exit 3, --no-share and a taken socket, and connect --json.
 */
#include "connect_harness.h"
#include "netns.h"
#include "cli/jsonq.h"
#include "proxy/sock.h"

#include <net/if.h>
#include <sys/stat.h>

#ifndef QMIUSB_BIN
#error QMIUSB_BIN must name the qmiusb binary
#endif

#define QMICLI "/usr/bin/qmicli"
#define IMEI "352099001761481" /* the software modem's */
#define PAYLOAD "qmiusb-share-test"

static char rundir[64], devpath[96];

static void cleanup_rundir(void)
{
	rundir_remove(rundir);
}

/* A private run directory: the published path and the connection state files of this test
 * only. Then a private network namespace. */
static void setup(void)
{
	rundir_make(rundir, sizeof(rundir), "/tmp/qmiusb-share-XXXXXX", "QMIUSB_RUNDIR");
	snprintf(devpath, sizeof(devpath), "%s/qmi-proxy", rundir);
	unsetenv("QMIUSB_PROXY_SOCKET");
	atexit(cleanup_rundir);
	enter_new_netns();
}

/* These tests find the shared proxy by its abstract name (qmicli knows no other), in a
 * network namespace of their own. */
static void need_abstract(void)
{
	if (!qprx_abstract)
		cr_skip_test("this build's proxy name is a socket file, not abstract");
}

static void need_qmicli(void)
{
	if (access(QMICLI, X_OK) < 0)
		cr_skip_test("%s is missing (libqmi-utils)", QMICLI);
}

/* Is "@name" listening in this namespace? */
static bool abstract_listening(const char *name)
{
	char line[512], want[128];
	bool found = false;
	FILE *f = fopen("/proc/net/unix", "r");

	cr_assert_not_null(f);
	snprintf(want, sizeof(want), " @%s\n", name);
	while (fgets(line, sizeof(line), f))
		if (strlen(line) >= strlen(want) &&
		    !strcmp(line + strlen(line) - strlen(want), want))
			found = true;
	fclose(f);
	return found;
}

static void start_connect(struct child *c, const char *ifname, const char *extra)
{
	const char *argv[] = { QMIUSB_BIN, "-d",       "sim",  "connect", "--apn",
			       "internet", "--ifname", ifname, extra,     NULL };

	child_start(c, argv, NULL);
	child_wait_up(c);
}

static int stop(struct child *c)
{
	kill(c->pid, SIGTERM);
	return child_finish(c);
}

Test(connect_share, other_tools_reach_the_modem_while_connected)
{
	const char *info[] = { QMIUSB_BIN, "-p", "-d", "sim", "info", NULL };
	const char *status_p[] = { QMIUSB_BIN, "-p", "-d", "sim", "status", NULL };
	const char *status_auto[] = { QMIUSB_BIN, "status", NULL };
	const char *private_info[] = { QMIUSB_BIN, "-d", "sim", "info", NULL };
	const char *again[] = { QMIUSB_BIN, "-p",       "-d",       "sim",      "connect",
				"--apn",    "internet", "--ifname", "wwshare9", NULL };
	const char *ids[] = { QMICLI,          "-p", "--device-open-qmi", "-d", devpath,
			      "--dms-get-ids", NULL };
	const char *pss[] = { QMICLI, "-p",    "--device-open-qmi",
			      "-d",   devpath, "--wds-get-packet-service-status",
			      NULL };
	/* connect's own WDS client (the modem's first): a client may use it, not release it. */
	const char *pss1[] = { QMICLI,
			       "-p",
			       "--device-open-qmi",
			       "-d",
			       devpath,
			       "--wds-get-packet-service-status",
			       "--client-cid=1",
			       NULL };
	struct child c, t;

	need_abstract();
	need_qmicli();
	setup();
	start_connect(&c, "wwshare0", NULL);
	cr_assert(strstr(c.out, "[sim] shared on @qmi-proxy"), "%s", c.out);
	cr_assert(strstr(c.out, devpath), "the published path is printed\n%s", c.out);
	cr_assert(abstract_listening("qmi-proxy"));

	cr_assert_eq(child_run(&t, info), 0, "%s", t.out);
	cr_assert(strstr(t.out, "IMEI: '" IMEI "'"), "%s", t.out);
	/* qmicli runs while packets go through the TUN. */
	child_start(&t, ids, NULL);
	cr_assert(ping4("10.64.0.2", 0x5150, PAYLOAD), "no echo reply through the TUN\n%s", c.out);
	cr_assert_eq(child_finish(&t), 0, "%s", t.out);
	cr_assert(strstr(t.out, "Device IDs retrieved") && strstr(t.out, IMEI), "%s", t.out);
	cr_assert_eq(child_run(&t, pss), 0, "%s", t.out);
	cr_assert(strstr(t.out, "Connection status: '"), "%s", t.out);
	cr_assert_eq(child_run(&t, pss1), 0, "%s", t.out);
	cr_assert(strstr(t.out, "Connection status: 'connected'"), "%s", t.out);
	cr_assert(strstr(t.out, "InvalidClientId"), "its release is refused\n%s", t.out);
	/* The data path is unaffected, and the call survived the attempted release. */
	cr_assert(ping4("10.64.0.2", 0x5151, PAYLOAD), "no echo reply through the TUN\n%s", c.out);

	/* status through the proxy: the shared modem and this connection's state. */
	cr_assert_eq(child_run(&t, status_p), 0, "%s", t.out);
	cr_assert(strstr(t.out, "Connection (qmiusb connect, pid"), "%s", t.out);
	/* Packet service status is per WDS client: status asks the one that holds the call. */
	cr_assert(strstr(t.out, "Connection status: 'connected'"), "%s", t.out);
	cr_assert(strstr(t.out, "State: 'up'") && strstr(t.out, "Interface: 'wwshare0'"), "%s",
		  t.out);
	/* Without -d the published path is used; the connection is found under it too. */
	cr_assert_eq(child_run(&t, status_auto), 0, "%s", t.out);
	cr_assert(strstr(t.out, devpath), "%s", t.out);
	cr_assert(strstr(t.out, "Interface: 'wwshare0'"), "%s", t.out);
	cr_assert(ping4("10.64.0.2", 0x5152, PAYLOAD), "%s", c.out);
	/* -d sim without -p is a private modem of that process: the shared one is pointed at. */
	cr_assert_eq(child_run(&t, private_info), 0, "%s", t.out);
	cr_assert(strstr(t.out, "note: a shared software modem is served on @qmi-proxy"), "%s",
		  t.out);
	/* A second connect can't take the modem over, and says who has it. */
	cr_assert_eq(child_run(&t, again), 3, "%s", t.out);
	cr_assert(strstr(t.out, "already connected by `qmiusb connect` (pid"), "%s", t.out);
	cr_assert_eq(if_nametoindex("wwshare9"), 0);
	cr_assert(ping4("10.64.0.2", 0x5156, PAYLOAD), "%s", c.out);

	cr_assert_eq(stop(&c), 0, "%s", c.out);
	cr_assert(strstr(c.out, "IPv4 call stopped"), "%s", c.out);
	cr_assert_not(abstract_listening("qmi-proxy"), "the socket is gone");
	cr_assert_neq(access(devpath, F_OK), 0, "the published path is gone");
	cr_assert_eq(if_nametoindex("wwshare0"), 0);
	/* Nobody serves the modem any more. */
	cr_assert_eq(child_run(&t, info), 3, "%s", t.out);
}

Test(connect_share, a_device_served_by_a_proxy_is_refused)
{
	const char *proxy[] = { QMIUSB_BIN, "-d", "sim", "proxy", NULL };
	const char *forced[] = { QMIUSB_BIN, "-p",       "-d",       "sim",      "connect",
				 "--apn",    "internet", "--ifname", "wwshare1", NULL };
	const char *autom[] = { QMIUSB_BIN, "connect",  "--apn", "internet",
				"--ifname", "wwshare1", NULL };
	const char *info[] = { QMIUSB_BIN, "-p", "-d", "sim", "info", NULL };
	struct child p, t;

	need_abstract();
	setup();
	child_start(&p, proxy, NULL);
	cr_assert(child_wait_for(&p, "serving sim on @qmi-proxy"), "%s", p.out);

	cr_assert_eq(child_run(&t, forced), 3, "%s", t.out);
	cr_assert(strstr(t.out, "is served by the proxy on @qmi-proxy"), "%s", t.out);
	cr_assert(strstr(t.out, "stop the proxy and run connect alone"), "%s", t.out);
	cr_assert_not(strstr(t.out, "TUN device"), "nothing was started\n%s", t.out);
	cr_assert_not(strstr(t.out, "starting the"), "%s", t.out);
	cr_assert_eq(if_nametoindex("wwshare1"), 0);
	/* Auto mode (no -d) finds the proxy by its published path: the same refusal. */
	cr_assert_eq(child_run(&t, autom), 3, "%s", t.out);
	cr_assert(strstr(t.out, "stop the proxy"), "%s", t.out);
	/* The proxy and its clients are unaffected. */
	cr_assert_eq(child_run(&t, info), 0, "%s", t.out);
	cr_assert(strstr(t.out, IMEI), "%s", t.out);
	cr_assert_eq(stop(&p), 0, "%s", p.out);
}

Test(connect_share, no_share_leaves_no_socket)
{
	const char *info[] = { QMIUSB_BIN, "-p", "-d", "sim", "info", NULL };
	struct child c, t;

	need_abstract();
	setup();
	start_connect(&c, "wwshare2", "--no-share");
	cr_assert_not(strstr(c.out, "shared on"), "%s", c.out);
	cr_assert_not(abstract_listening("qmi-proxy"));
	cr_assert_neq(access(devpath, F_OK), 0, "nothing published");
	cr_assert_eq(child_run(&t, info), 3, "%s", t.out);
	cr_assert(strstr(t.out, "no proxy is running on @qmi-proxy"), "%s", t.out);
	cr_assert(ping4("10.64.0.2", 0x5153, PAYLOAD), "%s", c.out);
	cr_assert_eq(stop(&c), 0, "%s", c.out);
}

/* Another proxy has the socket: connect says so and runs unshared, and leaves that proxy's
 * socket and published path alone. */
Test(connect_share, a_taken_socket_is_reported_and_left_alone)
{
	const char *proxy[] = { QMIUSB_BIN, "-d", "sim", "proxy", NULL };
	const char *info[] = { QMIUSB_BIN, "-p", "-d", "sim", "info", NULL };
	struct child p, c, t;

	need_abstract();
	setup();
	child_start(&p, proxy, NULL);
	cr_assert(child_wait_for(&p, "serving sim on @qmi-proxy"), "%s", p.out);
	/* -d sim without -p is a private modem of connect's own, so it may connect. */
	start_connect(&c, "wwshare3", NULL);
	cr_assert(strstr(c.out, "another proxy already listens on @qmi-proxy"), "%s", c.out);
	cr_assert(ping4("10.64.0.2", 0x5154, PAYLOAD), "%s", c.out);
	cr_assert_eq(stop(&c), 0, "%s", c.out);
	cr_assert(abstract_listening("qmi-proxy"));
	cr_assert_eq(access(devpath, F_OK), 0, "the proxy's published path stays");
	cr_assert_eq(child_run(&t, info), 0, "%s", t.out);
	cr_assert_eq(stop(&p), 0, "%s", p.out);
}

/* The socket name is an option. */
Test(connect_share, socket_option)
{
	char path[128];
	const char *info[] = { QMIUSB_BIN, "-p", "-d", "sim", "info", NULL };
	struct child c, t;

	need_abstract();
	setup();
	start_connect(&c, "wwshare4", "--socket=qmiusb-test");
	snprintf(path, sizeof(path), "%s/qmiusb-test", rundir);
	cr_assert(strstr(c.out, "shared on @qmiusb-test"), "%s", c.out);
	cr_assert(abstract_listening("qmiusb-test"));
	cr_assert_eq(access(path, F_OK), 0, "%s", c.out);
	setenv("QMIUSB_PROXY_SOCKET", "qmiusb-test", 1);
	cr_assert_eq(child_run(&t, info), 0, "%s", t.out);
	cr_assert_eq(stop(&c), 0, "%s", c.out);
	cr_assert_not(abstract_listening("qmiusb-test"));
	cr_assert_neq(access(path, F_OK), 0);
}

static struct jq *json_line(const char *s, const char **rest)
{
	const char *nl = strchr(s, '\n'), *why = "";
	char *line;
	struct jq *v;

	cr_assert_not_null(nl, "no complete line in: %s", s);
	line = strndup(s, (size_t)(nl - s));
	v = jq_parse(line, &why);
	cr_assert_not_null(v, "not JSON (%s): %s", why, line);
	free(line);
	*rest = nl + 1;
	return v;
}

/* The next object that is not a "state" event (those come on every transition). */
static struct jq *json_event(const char *text, const char **rest)
{
	struct jq *v = json_line(text, rest);

	while (jq_str(v, "event") && !strcmp(jq_str(v, "event"), "state")) {
		jq_free(v);
		v = json_line(*rest, rest);
	}
	return v;
}

Test(connect_share, json_objects)
{
	const char *argv[] = { QMIUSB_BIN, "--json",   "-d",       "sim",      "connect",
			       "--apn",    "internet", "--ifname", "wwshare5", NULL };
	char err[128];
	const char *rest;
	struct child c;
	struct jq *up, *end;
	double num;

	need_abstract();
	setup();
	snprintf(err, sizeof(err), "%s/stderr", rundir);
	child_start(&c, argv, err);
	cr_assert(child_wait_for(&c, "\"event\":\"up\""), "%s", c.out);
	while (!strchr(strstr(c.out, "\"event\":\"up\""), '\n')) /* the whole line */
		cr_assert(child_read(&c), "%s", c.out);
	up = json_event(c.out, &rest);
	cr_assert_str_eq(jq_str(up, "command"), "connect");
	cr_assert_str_eq(jq_str(up, "device"), "sim");
	cr_assert_str_eq(jq_str(up, "event"), "up");
	cr_assert_str_eq(jq_str(up, "interface"), "wwshare5");
	cr_assert_str_eq(jq_str(up, "ipv4.address"), "10.64.0.1");
	cr_assert(jq_num(up, "ipv4.prefix", &num) && num == 30);
	cr_assert_str_eq(jq_str(up, "ipv4.gateway"), "10.64.0.2");
	cr_assert_str_eq(jq_str(up, "dns.0"), "10.64.255.53");
	cr_assert(jq_num(up, "mtu", &num) && num == 1500);
	cr_assert_not_null(jq_str(up, "data_path"));
	/* The software modem lends its transfer buffers: the uplink is built in place. */
	cr_assert(strstr(jq_str(up, "data_path"), "in place"), "%s", jq_str(up, "data_path"));
	cr_assert_str_eq(jq_str(up, "shared.socket"), "qmi-proxy");
	cr_assert_str_eq(jq_str(up, "shared.device_path"), devpath);
	cr_assert(ping4("10.64.0.2", 0x5155, PAYLOAD));
	cr_assert_eq(stop(&c), 0, "%s", c.out);
	end = json_event(rest, &rest);
	cr_assert_eq(*rest, '\0', "nothing else on stdout: %s", c.out);
	cr_assert_str_eq(jq_str(end, "command"), "connect");
	cr_assert_str_eq(jq_str(end, "event"), "exit");
	cr_assert_str_eq(jq_str(end, "outcome"), "disconnected");
	cr_assert(jq_num(end, "exit_code", &num) && num == 0);
	cr_assert_null(jq_get(end, "error"));
	jq_free(up);
	jq_free(end);
	unlink(err);
}

Test(connect_share, json_failure)
{
	const char *argv[] = { QMIUSB_BIN,    "--json",        "-d",      "sim",
			       "--sim-fault", "apn=corporate", "connect", "--apn",
			       "internet",    "--once",        NULL };
	char err[128];
	const char *rest;
	struct child c;
	struct jq *end;
	double num;

	need_abstract();
	setup();
	snprintf(err, sizeof(err), "%s/stderr", rundir);
	child_start(&c, argv, err);
	cr_assert_eq(child_finish(&c), 4, "%s", c.out);
	end = json_event(c.out, &rest);
	cr_assert_eq(*rest, '\0', "one exit object, last: %s", c.out);
	cr_assert_str_eq(jq_str(end, "event"), "exit");
	cr_assert_str_eq(jq_str(end, "outcome"), "failed");
	cr_assert(jq_num(end, "exit_code", &num) && num == 4);
	cr_assert_str_eq(jq_str(end, "error.kind"), "qmi");
	cr_assert(jq_num(end, "error.exit_code", &num) && num == 4);
	cr_assert(strstr(jq_str(end, "error.message"), "call end reason"), "%s", c.out);
	cr_assert_str_eq(jq_str(end, "error.qmi_error.error_name"), "CallFailed");
	jq_free(end);
	unlink(err);
}
