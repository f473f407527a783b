/* SPDX-License-Identifier: MIT */
/*
 * Several PDNs on one modem, end to end: the real binary in a child process, in the test's own
 * network namespace. `connect --apn internet --apn ims` comes up in QMAP (MAP v5, 32 KB
 * aggregates, by default) with one TUN and mux id per session; each session pings its own
 * gateway and counts its own traffic; a session the network keeps dropping reconnects while
 * the other keeps passing traffic; a raw-IP modem refuses the second session, and the first
 * goes on; TCP and UDP
 * through each session reach a peer in the operator network, every byte compared.
 */
#include "connect_harness.h"
#include "netns.h"

#include <net/if.h>

#if !defined(QMIUSB_BIN) || !defined(OPNET_PEER_BIN)
#error QMIUSB_BIN and OPNET_PEER_BIN must name the binaries
#endif

#define PORT "5202"

static void start(struct child *c, const char *const *args)
{
	child_start_own(c, "/tmp/qmiusb-pdn-XXXXXX", args);
}

/* key's value in the state text (a whole line "key=value"), or -1. */
static long long state_num(const char *text, const char *key)
{
	char k[96];
	const char *p;

	snprintf(k, sizeof(k), "\n%s=", key);
	p = strstr(text, k);
	return p ? strtoll(p + strlen(k), NULL, 10) : -1;
}

/* Waits (the state is republished every second) until key reaches want; its last value. */
static long long wait_num(char *state, size_t len, const char *key, long long want)
{
	long long v = -1;

	for (int tries = 0; tries < 100; tries++) {
		read_state(state, len);
		v = state_num(state, key);
		if (v >= want)
			break;
		usleep(100000);
	}
	return v;
}

static unsigned pings(const char *dst, uint16_t id, unsigned n)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < n; i++)
		ok += ping4(dst, (uint16_t)(id + i), "pdn-test-payload");
	return ok;
}

Test(connect_pdn, qmap_v5_by_default)
{
	static const char *const args[] = { "-d",       "sim",    "connect",    "--apn", "internet",
					    "--ifname", "wwpdn9", "--no-share", NULL };
	struct child r;

	enter_new_netns();
	start(&r, args);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "data format: qmap v5 (UL aggregated: 32 x 32768 B, DL aggregated: "
				"32 x 32768 B, RX 16 x 32768 B), mux id 1"),
		  "%s", r.out);
	cr_assert(pings("10.64.0.2", 0x6000, 1) == 1, "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}

/* Two sessions, two interfaces, two mux ids: each pings its own gateway, and the counters say
 * which session carried what (the replies are the only downlink packets). */
Test(connect_pdn, two_pdns_each_with_its_own_traffic)
{
	static const char *const args[] = { "-d",         "sim",      "connect",
					    "--apn",      "internet", "--apn",
					    "ims",        "--ifname", "wwpdn0,wwpdn1",
					    "--no-share", NULL };
	static const char *const st_args[] = { "-d", "sim", "--json", "status", NULL };
	char state[16384];
	struct child r, s;

	enter_new_netns();
	start(&r, args);
	cr_assert(child_wait_for(&r, "[sim pdn2] connected: interface wwpdn1"), "%s", r.out);
	cr_assert(child_wait_for(&r, "[sim pdn1] connected: interface wwpdn0"), "%s", r.out);
	cr_assert(strstr(r.out, "mux id 1\n"), "%s", r.out);
	cr_assert(strstr(r.out, "mux id 2\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\tAPN: ims\n\tIPv4 address: 10.64.0.5/30"), "%s", r.out);
	cr_assert(strstr(r.out, "routes: none (only the first session's are default routes)"), "%s",
		  r.out);
	cr_assert_neq(if_nametoindex("wwpdn0"), 0);
	cr_assert_neq(if_nametoindex("wwpdn1"), 0);

	cr_assert_eq(pings("10.64.0.2", 0x6100, 3), 3, "session 1's gateway\n%s", r.out);
	cr_assert_eq(pings("10.64.0.6", 0x6200, 5), 5, "session 2's gateway\n%s", r.out);
	cr_assert_eq(wait_num(state, sizeof(state), "pdn2.tun_tx_packets", 5), 5, "%s", state);
	cr_assert_eq(wait_num(state, sizeof(state), "tun_tx_packets", 3), 3, "%s", state);
	cr_assert(strstr(state, "\nsessions=2\n"), "%s", state);
	cr_assert(strstr(state, "\napn=internet\n"), "%s", state);
	cr_assert(strstr(state, "\npdn2.apn=ims\n"), "%s", state);
	cr_assert_eq(state_num(state, "mux_id"), 1, "%s", state);
	cr_assert_eq(state_num(state, "pdn2.mux_id"), 2, "%s", state);
	cr_assert_geq(state_num(state, "down_csum_valid"), 3, "%s", state);
	cr_assert_eq(state_num(state, "mux_drop_unknown"), 0, "%s", state);

	start(&s, st_args);
	cr_assert_eq(child_exit(&s), 0, "%s", s.out);
	cr_assert(strstr(s.out, "\"sessions\":[{\"session\":1,"), "%s", s.out);
	cr_assert(strstr(s.out, "\"interface\":\"wwpdn1\",\"apn\":\"ims\""), "%s", s.out);
	cr_assert(strstr(s.out, "\"mux_id\":2"), "%s", s.out);

	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert_eq(if_nametoindex("wwpdn0"), 0, "the TUN is gone");
	cr_assert_eq(if_nametoindex("wwpdn1"), 0, "the TUN is gone");
}

/* The network drops every ims call shortly after it connects: that session reconnects on its
 * own, again and again, while the internet session stays up and passes traffic. */
Test(connect_pdn, one_dropped_the_other_goes_on)
{
	static const char *const args[] = {
		"-d",      "sim",      "--sim-fault",   "call-drop=1500,call-drop-apn=ims",
		"connect", "--apn",    "internet",      "--apn",
		"ims",     "--ifname", "wwpdn2,wwpdn3", "--no-share",
		NULL
	};
	unsigned ok = 0;
	struct child r;

	enter_new_netns();
	start(&r, args);
	cr_assert(child_wait_for(&r, "[sim pdn1] connected: interface wwpdn2"), "%s", r.out);
	cr_assert(child_wait_for(&r, "[sim pdn2] the network ended the IPv4 call"), "%s", r.out);
	cr_assert(child_wait_for_n(&r, "[sim pdn2] connected: interface wwpdn3", 2), "%s", r.out);
	cr_assert_eq(pings("10.64.0.2", 0x6300, 4), 4, "session 1 while 2 reconnects\n%s", r.out);
	/* Between its drops session 2 is up again: some of these find it so. */
	for (int i = 0; i < 10 && !ok; i++)
		ok = pings("10.64.0.6", (uint16_t)(0x6400 + i), 1);
	cr_assert_eq(ok, 1, "session 2 never passed traffic again\n%s", r.out);
	cr_assert(child_wait_for_n(&r, "[sim pdn2] the network ended the IPv4 call", 2), "%s",
		  r.out);
	cr_assert_eq(pings("10.64.0.2", 0x6500, 2), 2, "%s", r.out);
	cr_assert_not(strstr(r.out, "[sim pdn1] the network ended"), "%s", r.out);
	cr_assert_eq(child_count(r.out, "[sim pdn1] connected:"), 1, "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}

/* Without QMAP there is no muxing: the second session is a clear error, which ends that
 * session only; the first stays up and passes traffic until it is stopped. */
Test(connect_pdn, raw_ip_modem_refuses_a_second_pdn)
{
	static const char *const args[] = { "-d",      "sim",      "--sim-fault",   "no-qmap",
					    "connect", "--apn",    "internet",      "--apn",
					    "ims",     "--ifname", "wwpdn4,wwpdn5", "--no-share",
					    NULL };
	struct child r;

	enter_new_netns();
	start(&r, args);
	cr_assert(child_wait_for(&r, "error: sim pdn2: the modem's data format is raw-ip (the "
				     "modem refused QMAP: QMI error 48 (InvalidArgument)), which "
				     "carries one session: another PDN needs QMAP"),
		  "%s", r.out);
	cr_assert(child_wait_for(&r, "[sim pdn1] connected: interface wwpdn4"), "%s", r.out);
	cr_assert_eq(pings("10.64.0.2", 0x6600, 3), 3, "the first session\n%s", r.out);
	cr_assert_eq(if_nametoindex("wwpdn5"), 0);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert_eq(if_nametoindex("wwpdn4"), 0);
}

Test(connect_pdn, too_many_apns)
{
	static const char *const args[] = { "-d", "sim",   "connect", "--apn", "a", "--apn",
					    "b",  "--apn", "c",       "--apn", "d", "--apn",
					    "e",  "--apn", "f",       "--apn", "g", "--apn",
					    "h",  "--apn", "i",       NULL };
	struct child r;

	start(&r, args);
	cr_assert_eq(child_exit(&r), 2, "%s", r.out);
	cr_assert(strstr(r.out, "at most 8 --apn"), "%s", r.out);
}

static char opns[64];

static void opns_del(void)
{
	char cmd[128];

	if (opns[0]) {
		snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null", opns);
		system(cmd);
	}
}

/* Byte-exact TCP and UDP to the operator network's peer, through whichever session the route
 * to it names. */
static void transfer(const char *conn_out)
{
	const char *const tcp[] = {
		OPNET_PEER_BIN, "tcp", "10.64.255.1", PORT, "262144", "7", NULL
	};
	const char *const udp[] = { OPNET_PEER_BIN, "udp",  "10.64.255.1", PORT,
				    "50",           "1400", "9",           NULL };
	struct child cl;

	cr_assert_eq(child_run(&cl, tcp), 0, "TCP: %s\nconnect:\n%s", cl.out, conn_out);
	cr_assert(strstr(cl.out, "tcp: 262144 bytes echoed byte-exact"), "%s", cl.out);
	cr_assert_eq(child_run(&cl, udp), 0, "UDP: %s\nconnect:\n%s", cl.out, conn_out);
	cr_assert(strstr(cl.out, "udp: 50 datagrams of 1400 bytes echoed byte-exact"), "%s",
		  cl.out);
}

Test(connect_pdn, two_pdns_to_the_operator_network, .timeout = 240, .fini = opns_del)
{
	char fault[128], cmd[160], state[16384];
	const char *const peer_argv[] = { OPNET_PEER_BIN, "serve", PORT, opns, NULL };
	struct child conn, peer;
	long long one, two;

	enter_new_netns();
	if (system("ip -V >/dev/null 2>&1") != 0)
		cr_skip_test("iproute2 (ip) is missing");
	snprintf(opns, sizeof(opns), "qmiusb-pdn%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "ip netns add %s", opns);
	cr_assert_eq(system(cmd), 0, "ip netns add failed");
	snprintf(fault, sizeof(fault), "data=forward,opnet=%s", opns);
	{
		const char *const argv[] = { "-d",      "sim",      "--sim-fault",   fault,
					     "connect", "--apn",    "internet",      "--apn",
					     "ims",     "--ifname", "wwpdn6,wwpdn7", "--no-share",
					     NULL };

		start(&conn, argv);
	}
	cr_assert(child_wait_for(&conn, "[sim pdn1] connected"), "%s", conn.out);
	cr_assert(child_wait_for(&conn, "[sim pdn2] connected"), "%s", conn.out);
	child_start(&peer, peer_argv, NULL);
	cr_assert(child_wait_for(&peer, "listening on " PORT), "peer: %s", peer.out);

	transfer(conn.out); /* the default route: session 1 */
	one = wait_num(state, sizeof(state), "tun_rx_bytes", 262144 + 50 * 1400);
	cr_assert_geq(one, 262144 + 50 * 1400, "%s", state);
	cr_assert_lt(state_num(state, "pdn2.tun_rx_bytes"), 65536, "%s", state);

	cr_assert_eq(system("ip route add 10.64.255.1/32 dev wwpdn7"), 0);
	transfer(conn.out); /* session 2 */
	two = wait_num(state, sizeof(state), "pdn2.tun_rx_bytes", 262144 + 50 * 1400);
	cr_assert_geq(two, 262144 + 50 * 1400, "%s", state);
	cr_assert_lt(state_num(state, "tun_rx_bytes"), one + 65536, "%s", state);
	cr_assert_eq(state_num(state, "mux_drop_unknown"), 0, "%s", state);

	cr_expect_eq(child_stop(&peer, SIGTERM), 0, "peer: %s", peer.out);
	cr_assert_eq(child_stop(&conn, SIGTERM), 0, "%s", conn.out);
}
