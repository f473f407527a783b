/* SPDX-License-Identifier: MIT */
/*
 * The software modem's operator network end to end: `qmiusb -d sim --sim-fault
 * data=forward,opnet=NS connect` in the test's own network namespace (the subscriber), a peer
 * in a second namespace (the operator network) that only the modem's TUN reaches, and real TCP
 * and UDP between them through qmiusb's TUN and the modem, every byte compared
 * (tests/net/opnet_peer.c does the talking).
 */
#include "connect_harness.h"
#include "netns.h"

#if !defined(QMIUSB_BIN) || !defined(OPNET_PEER_BIN)
#error QMIUSB_BIN and OPNET_PEER_BIN must name the binaries
#endif

#define PORT "5201"

static char opns[64]; /* the operator namespace's name, "" when there is none */
static char rundir[64];

static void opns_del(void)
{
	char cmd[128];

	if (opns[0]) {
		snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null", opns);
		system(cmd);
	}
	if (rundir[0])
		rundir_remove(rundir);
}

/* Runs argv to its end; its exit code, output in c. */
static int run(struct child *c, const char *const *argv)
{
	child_start(c, argv, NULL);
	return child_exit(c);
}

/* "ip -n OPNS ARGS" output into buf; its exit code. */
static int ip_op(char *buf, size_t cap, const char *args)
{
	char cmd[256];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "ip -n %s %s 2>&1", opns, args);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	n = fread(buf, 1, cap - 1, p);
	buf[n] = '\0';
	return pclose(p);
}

static void setup(void)
{
	char cmd[128];

	enter_new_netns(); /* the subscriber: qmiusb's TUN and default route live here */
	if (system("ip -V >/dev/null 2>&1") != 0)
		cr_skip_test("iproute2 (ip) is missing");
	snprintf(opns, sizeof(opns), "qmiusb-op%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "ip netns add %s", opns);
	cr_assert_eq(system(cmd), 0, "ip netns add failed");
	/* A private state directory: this test's connection only. */
	rundir_make(rundir, sizeof(rundir), "/tmp/qmiusb-opnet-XXXXXX", "QMIUSB_TEST_RUNDIR");
}

TestSuite(opnet, .init = setup, .fini = opns_del);

/* Dual stack: the IPv4 peer gets 1 MiB over TCP and UDP, the IPv6 one a TCP stream too. */
Test(opnet, tcp_and_udp_through_connect_reach_a_peer_in_the_operator_namespace, .timeout = 240)
{
	char fault[128], addrs[2048];
	struct child conn, peer, cl;
	const char *const peer_argv[] = { OPNET_PEER_BIN, "serve", PORT, opns, NULL };
	const char *const tcp4[] = { OPNET_PEER_BIN, "tcp", "10.64.255.1", PORT,
				     "1048576",      "7",   NULL };
	const char *const udp4[] = { OPNET_PEER_BIN, "udp",  "10.64.255.1", PORT,
				     "200",          "1400", "9",           NULL };
	const char *const tcp6[] = { OPNET_PEER_BIN, "tcp", "2001:db8:ffff::1", PORT, "262144",
				     "11",           NULL };
	const char *const udp6[] = { OPNET_PEER_BIN, "udp", "2001:db8:ffff::1", PORT, "50", "1200",
				     "13",           NULL };
	int rc;

	snprintf(fault, sizeof(fault), "data=forward,opnet=%s", opns);
	{
		const char *const argv[] = { QMIUSB_BIN,  "-d",      "sim",   "--sim-fault",
					     fault,       "connect", "--apn", "internet",
					     "--ip-type", "4v6",     NULL };

		child_start(&conn, argv, NULL);
	}
	cr_assert(child_wait_for(&conn, "data path:"), "no connection summary:\n%s", conn.out);

	/* The modem configured its end in the operator namespace: nothing was set by hand. */
	cr_assert_eq(ip_op(addrs, sizeof(addrs), "addr show dev qsimop0"), 0, "%s", addrs);
	cr_assert(strstr(addrs, "inet 10.64.255.1/16"), "%s", addrs);
	cr_assert(strstr(addrs, "inet6 2001:db8:ffff::1/32"), "%s", addrs);

	child_start(&peer, peer_argv, NULL);
	cr_assert(child_wait_for(&peer, "listening on " PORT), "peer: %s", peer.out);

	rc = run(&cl, tcp4);
	cr_expect_eq(rc, 0, "TCP over IPv4: %s\nconnect:\n%s", cl.out, conn.out);
	cr_expect(strstr(cl.out, "tcp: 1048576 bytes echoed byte-exact"), "%s", cl.out);
	rc = run(&cl, udp4);
	cr_expect_eq(rc, 0, "UDP over IPv4: %s", cl.out);
	cr_expect(strstr(cl.out, "udp: 200 datagrams of 1400 bytes echoed byte-exact"), "%s",
		  cl.out);
	rc = run(&cl, tcp6);
	cr_expect_eq(rc, 0, "TCP over IPv6: %s", cl.out);
	rc = run(&cl, udp6);
	cr_expect_eq(rc, 0, "UDP over IPv6: %s", cl.out);

	cr_expect_eq(child_stop(&peer, SIGTERM), 0, "peer: %s", peer.out);
	cr_assert_eq(child_stop(&conn, SIGTERM), 0, "connect after SIGTERM:\n%s", conn.out);
	/* The modem's TUN went with the modem: nothing is left in the operator namespace. */
	cr_assert_neq(ip_op(addrs, sizeof(addrs), "link show dev qsimop0"), 0, "%s", addrs);
}

/* A namespace that does not exist is a clear failure at open, not a modem without a network. */
Test(opnet, missing_operator_namespace_fails_clearly)
{
	struct child c;
	const char *const argv[] = { QMIUSB_BIN,
				     "-d",
				     "sim",
				     "--sim-fault",
				     "data=forward,opnet=qmiusb-no-such-ns",
				     "connect",
				     "--apn",
				     "internet",
				     NULL };
	int rc = run(&c, argv);

	cr_assert_neq(rc, 0, "%s", c.out);
	cr_assert(strstr(c.out, "No such file"), "%s", c.out);
}

/* The client must be able to fail, or a passing transfer proves nothing: with no peer
 * listening, the operator namespace's kernel refuses the connection through the modem. */
Test(opnet, client_fails_without_a_peer)
{
	char fault[128];
	struct child conn, cl;
	const char *const tcp4[] = { OPNET_PEER_BIN, "tcp", "10.64.255.1", PORT, "65536", NULL };
	int rc;

	snprintf(fault, sizeof(fault), "data=forward,opnet=%s", opns);
	{
		const char *const argv[] = { QMIUSB_BIN, "-d",    "sim",      "--sim-fault", fault,
					     "connect",  "--apn", "internet", NULL };

		child_start(&conn, argv, NULL);
	}
	cr_assert(child_wait_for(&conn, "data path:"), "no connection summary:\n%s", conn.out);
	rc = run(&cl, tcp4);
	cr_expect_eq(rc, 1, "%s", cl.out);
	cr_expect(strstr(cl.out, "Connection refused"), "%s", cl.out);
	cr_assert_eq(child_stop(&conn, SIGTERM), 0, "%s", conn.out);
}

/* A persistent TUN the user made in the operator namespace is used, and left as it was found:
 * up, with the operator addresses while the modem runs, without them afterwards. */
Test(opnet, persistent_tun_keeps_only_what_the_user_set)
{
	char fault[128], cmd[128], addrs[2048];
	struct child conn;

	snprintf(cmd, sizeof(cmd), "ip -n %s tuntap add mode tun name qsimop7", opns);
	cr_assert_eq(system(cmd), 0);
	snprintf(fault, sizeof(fault), "data=forward,opnet=/run/netns/%s:qsimop7", opns);
	{
		const char *const argv[] = { QMIUSB_BIN, "-d",    "sim",      "--sim-fault", fault,
					     "connect",  "--apn", "internet", NULL };

		child_start(&conn, argv, NULL);
	}
	cr_assert(child_wait_for(&conn, "data path:"), "no connection summary:\n%s", conn.out);
	cr_assert_eq(ip_op(addrs, sizeof(addrs), "addr show dev qsimop7"), 0, "%s", addrs);
	cr_assert(strstr(addrs, "inet 10.64.255.1/16"), "%s", addrs);
	cr_assert_eq(child_stop(&conn, SIGTERM), 0, "%s", conn.out);
	cr_assert_eq(ip_op(addrs, sizeof(addrs), "addr show dev qsimop7"), 0, "%s", addrs);
	cr_assert_null(strstr(addrs, "10.64.255.1"), "%s", addrs);
	cr_assert_null(strstr(addrs, "2001:db8:ffff::1"), "%s", addrs);
}

/* A counter from `qmiusb status` ("Label: N"); -1 when it is not there. */
static long long status_count(const char *status, const char *label)
{
	const char *at = strstr(status, label);
	long long v;

	return at && sscanf(at + strlen(label), ": '%lld'", &v) == 1 ? v : -1;
}

/*
 * TUN offloads on and off, QMAP (MAP v5) and raw-IP: TCP streams echoed byte-exact over IPv4
 * and IPv6 while the modem's network loses one packet in 61 each way, so TCP retransmits and
 * the receiver sees segments after a hole before the one that fills it, and swaps one
 * downlink packet in 29 with the next, so segments also arrive out of order (in one aggregate
 * under QMAP, where the coalescing must not merge them). The kernel's TUN
 * counters show what the offloads did: with them, fewer (larger) packets cross the TUN than
 * the modem carries, each way where the path merges; without them, one for one.
 */
static void offload_stream(const char *format, const char *offload)
{
	char fault[160], up[4096];
	struct child conn, peer, cl, st;
	const char *const peer_argv[] = { OPNET_PEER_BIN, "serve", PORT, opns, NULL };
	const char *const tcp4[] = { OPNET_PEER_BIN, "tcp", "10.64.255.1", PORT,
				     "4194304",      "21",  NULL };
	const char *const tcp6[] = { OPNET_PEER_BIN, "tcp", "2001:db8:ffff::1", PORT, "2097152",
				     "23",           NULL };
	const char *const status[] = { QMIUSB_BIN, "status", NULL };
	bool on = !strcmp(offload, "on"), qmap = !strcmp(format, "qmap");
	long long rd, wr, k_queued, k_sent;
	int rc;

	snprintf(fault, sizeof(fault),
		 "data=forward,opnet=%s,data-loss-every=61,data-reorder-every=29", opns);
	{
		const char *const argv[] = {
			QMIUSB_BIN,      "-d",    "sim",       "--sim-fault", fault,
			"connect",       "--apn", "internet",  "--ip-type",   "4v6",
			"--data-format", format,  "--offload", offload,       NULL
		};

		child_start(&conn, argv, NULL);
	}
	cr_assert(child_wait_for(&conn, "data path:"), "no connection summary:\n%s", conn.out);
	cr_assert(child_wait_for(&conn, "data format:"), "%s", conn.out);
	snprintf(up, sizeof(up), "%s", strstr(conn.out, "data path:"));
	cr_assert_eq(strstr(up, "offloads csum tso4 tso6") != NULL, on, "%s", up);
	cr_assert_eq(strstr(up, "qmap v5") != NULL, qmap, "%s", up);

	child_start(&peer, peer_argv, NULL);
	cr_assert(child_wait_for(&peer, "listening on " PORT), "peer: %s", peer.out);
	rc = run(&cl, tcp4);
	cr_expect_eq(rc, 0, "TCP over IPv4: %s\nconnect:\n%s", cl.out, conn.out);
	cr_expect(strstr(cl.out, "tcp: 4194304 bytes echoed byte-exact"), "%s", cl.out);
	rc = run(&cl, tcp6);
	cr_expect_eq(rc, 0, "TCP over IPv6: %s\nconnect:\n%s", cl.out, conn.out);
	cr_expect(strstr(cl.out, "tcp: 2097152 bytes echoed byte-exact"), "%s", cl.out);

	/* The state file is published once a second: let it catch up with the streams. */
	sleep(2);
	cr_assert_eq(run(&st, status), 0, "%s", st.out);
	rd = status_count(st.out, "TUN packets read");
	wr = status_count(st.out, "TUN packets written");
	k_queued = status_count(st.out, "Kernel: packets queued to the TUN");
	k_sent = status_count(st.out, "Kernel: packets sent into the TUN");
	cr_assert(rd > 0 && wr > 0 && k_queued > 0 && k_sent > 0, "%s", st.out);
	/* How much merges depends on timing: how many segments the sender's kernel put in one
	 * super-packet, and how many the modem had ready for one aggregate (under load, fewer).
	 * Without offloads the counts are equal, so any fewer proves the offload ran; net_gso and
	 * net_gro pin the exact splitting and merging. */
	if (on) {
		cr_expect_lt(k_queued, rd, "no TSO super-packets read:\n%s", st.out);
		if (qmap)
			cr_expect_lt(k_sent, wr, "no TCP segments merged:\n%s", st.out);
	} else {
		cr_expect_eq(k_sent, wr, "%s", st.out);
	}
	cr_expect_eq(status_count(st.out, "Drops"), 0, "%s", st.out);

	cr_expect_eq(child_stop(&peer, SIGTERM), 0, "peer: %s", peer.out);
	cr_assert_eq(child_stop(&conn, SIGTERM), 0, "connect after SIGTERM:\n%s", conn.out);
}

Test(opnet, offloads_on_qmap_v5_with_loss, .timeout = 240)
{
	offload_stream("qmap", "on");
}

Test(opnet, offloads_off_qmap_v5_with_loss, .timeout = 240)
{
	offload_stream("qmap", "off");
}

Test(opnet, offloads_on_raw_ip_with_loss, .timeout = 240)
{
	offload_stream("raw-ip", "on");
}

Test(opnet, offloads_off_raw_ip_with_loss, .timeout = 240)
{
	offload_stream("raw-ip", "off");
}
