/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb -d sim connect --data-format qmap` end to end: the real binary in a child process, in
 * the test's own network namespace. The software modem grants QMAP both ways; ping and a UDP
 * burst (reflected by the modem, checked byte for byte) go through the TUN, packed into MAP
 * aggregates and unpacked again; `status` shows the format and the aggregate counters.
 */
#include "connect_harness.h"
#include "netns.h"

#include <net/if.h>

#ifndef QMIUSB_BIN
#error QMIUSB_BIN must name the qmiusb binary
#endif

#define PAYLOAD "qmap-test-payload"

static void start(struct child *c, const char *const *args)
{
	child_start_own(c, "/tmp/qmiusb-qmap-XXXXXX", args);
}

/* In a fresh network namespace: starts the connection and waits until it is up. */
static void start_up(struct child *c, const char *const *args)
{
	enter_new_netns();
	start(c, args);
	child_wait_up(c);
}

static void fill(uint8_t *p, size_t n, unsigned seq)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seq * 13 + i);
	memcpy(p, &seq, sizeof(seq));
}

static const char *status_value(const char *text, const char *key, char *buf, size_t len)
{
	const char *p = strstr(text, key);
	size_t n = 0;

	if (!p)
		return NULL;
	p += strlen(key);
	while (p[n] && p[n] != '\n' && n + 1 < len) {
		buf[n] = p[n];
		n++;
	}
	buf[n] = 0;
	return buf;
}

/* N packets of SIZE bytes at once to the modem, which reflects them: all come back intact. One
 * pass of the modem packs them into one downlink aggregate (N * 1408 bytes with MAP v5 headers:
 * more than 32 KB). */
enum {
	N = 32,
	SIZE = 1400
};

static void udp_burst(struct child *r)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(40000) };
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(40001) };
	uint8_t out[SIZE], in[2048];
	bool got[N] = { false };
	unsigned received = 0;
	int s;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(s, 0);
	inet_pton(AF_INET, "10.64.0.1", &me.sin_addr);
	inet_pton(AF_INET, "10.64.0.2", &peer.sin_addr);
	cr_assert_eq(bind(s, (struct sockaddr *)&me, sizeof(me)), 0, "%s", strerror(errno));
	for (unsigned i = 0; i < N; i++) {
		fill(out, sizeof(out), i);
		cr_assert_eq(sendto(s, out, sizeof(out), 0, (struct sockaddr *)&peer, sizeof(peer)),
			     SIZE);
	}
	while (received < N) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		unsigned seq;
		ssize_t n;

		if (poll(&pfd, 1, 5000) <= 0)
			break;
		n = recv(s, in, sizeof(in), 0);
		cr_assert_eq(n, SIZE);
		memcpy(&seq, in, sizeof(seq));
		cr_assert_lt(seq, N);
		cr_assert_not(got[seq], "duplicate %u", seq);
		fill(out, sizeof(out), seq);
		cr_assert_arr_eq(in, out, SIZE, "packet %u corrupted", seq);
		got[seq] = true;
		received++;
	}
	close(s);
	cr_assert_eq(received, N, "only %u of %u echoes came back\n%s", received, N, r->out);
}

Test(connect_qmap, ping_and_udp_burst_through_aggregates)
{
	static const char *const args[] = {
		"-d",       "sim",      "--sim-fault", "data=reflect", "connect",       "--apn",
		"internet", "--ifname", "wwqmap0",     "--no-routes",  "--data-format", "qmap",
		NULL
	};
	char state[4096], v[64];
	struct child r;

	start_up(&r, args);
	cr_assert(child_wait_for(&r, "data format: qmap v5 (UL aggregated: 32 x 32768 B, DL "
				     "aggregated: 32 x 32768 B, RX 16 x 32768 B), mux id 1"),
		  "%s", r.out);
	cr_assert(ping4("10.64.0.2", 0x5151, PAYLOAD), "no echo reply through QMAP\n%s", r.out);

	/* A burst: the pump packs what one wakeup reads, the modem what one pass produced. */
	udp_burst(&r);

	/* The connection publishes its state every second: wait for the counters to show. */
	for (int tries = 0; tries < 50; tries++) {
		read_state(state, sizeof(state));
		if (status_value(state, "qmap_down_transfers=", v, sizeof(v)))
			break;
		usleep(200000);
	}
	cr_assert(strstr(state, "data_format=qmap"), "%s", state);
	cr_assert_not_null(status_value(state, "qmap_up_transfers=", v, sizeof(v)), "%s", state);
	cr_assert_gt(strtoul(v, NULL, 10), 0);
	cr_assert_leq(strtoul(v, NULL, 10), N + 1, "%s", state);
	cr_assert(strstr(state, "drops=0\n"), "%s", state);

	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert_eq(if_nametoindex("wwqmap0"), 0, "the TUN is gone");
}

/* A modem that grants 64 KB downlink aggregates, twice what connect asks for: QMAP all the
 * same (no raw-IP fallback), the receive transfers resized to hold one, and traffic that fills
 * aggregates past 32 KB comes through intact. */
Test(connect_qmap, takes_a_64k_downlink_grant)
{
	static const char *const args[] = {
		"-d",      "sim",         "--sim-fault", "data=reflect,dl-agg=65536",
		"connect", "--apn",       "internet",    "--ifname",
		"wwqmap3", "--no-routes", NULL
	};
	struct child r;

	start_up(&r, args);
	cr_assert(child_wait_for(&r, "data format: qmap v5 (UL aggregated: 32 x 32768 B, DL "
				     "aggregated: 32 x 65536 B, RX 16 x 65536 B), mux id 1"),
		  "%s", r.out);
	cr_assert(ping4("10.64.0.2", 0x5353, PAYLOAD), "no echo reply through QMAP\n%s", r.out);
	udp_burst(&r);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}

/* A modem that refuses QMAP: connect (auto, the default) says so, falls back to raw-IP, and
 * traffic flows. */
Test(connect_qmap, falls_back_to_raw_ip_when_refused)
{
	static const char *const args[] = { "-d",      "sim",         "--sim-fault", "no-qmap",
					    "connect", "--apn",       "internet",    "--ifname",
					    "wwqmap1", "--no-routes", NULL };
	struct child r;

	start_up(&r, args);
	cr_assert(strstr(r.out, "the modem refused QMAP v5 (QMI error 48"), "%s", r.out);
	cr_assert(strstr(r.out, "the modem refused QMAP v1 (QMI error 48"), "%s", r.out);
	cr_assert(strstr(r.out, "data format: raw-ip (the modem refused QMAP: QMI error 48 "
				"(InvalidArgument)) (WDA Set Data Format)"),
		  "%s", r.out);
	cr_assert(ping4("10.64.0.2", 0x5252, PAYLOAD), "no echo reply after the fallback\n%s",
		  r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}

Test(connect_qmap, usage_error_for_an_unknown_format)
{
	static const char *const args[] = { "-d",       "sim",           "connect", "--apn",
					    "internet", "--data-format", "mbim",    NULL };
	struct child r;

	start(&r, args);
	cr_assert_eq(child_exit(&r), 2, "%s", r.out);
	cr_assert(strstr(r.out, "--data-format is auto, qmap or raw-ip"), "%s", r.out);
}

/* --data-format qmap insists: a modem that refuses it ends the run, saying why. */
Test(connect_qmap, qmap_required_fails_when_refused)
{
	static const char *const args[] = { "-d",          "sim",        "--sim-fault",
					    "no-qmap",     "connect",    "--apn",
					    "internet",    "--ifname",   "wwqmap2",
					    "--no-routes", "--no-share", "--data-format",
					    "qmap",        NULL };
	struct child r;

	enter_new_netns();
	start(&r, args);
	cr_assert_eq(child_exit(&r), 4, "%s", r.out);
	cr_assert(strstr(r.out, "error: the modem refused QMAP v1 (QMI error 48"), "%s", r.out);
	cr_assert_not(strstr(r.out, "connected"), "%s", r.out);
}

/* --data-format raw-ip never asks for aggregation, and says it was asked for. */
Test(connect_qmap, raw_ip_when_asked)
{
	static const char *const args[] = { "-d",         "sim",           "connect", "--apn",
					    "internet",   "--ifname",      "wwqmap3", "--no-routes",
					    "--no-share", "--data-format", "raw-ip",  NULL };
	struct child r;

	start_up(&r, args);
	cr_assert(strstr(r.out, "data format: raw-ip (--data-format raw-ip) (WDA Set Data Format)"),
		  "%s", r.out);
	cr_assert(ping4("10.64.0.2", 0x5353, PAYLOAD), "no echo reply in raw-IP\n%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}
