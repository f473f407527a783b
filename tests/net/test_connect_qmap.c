/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb -d sim connect --data-format qmap` end to end: the real binary in a child process, in
 * the test's own network namespace. The software modem grants QMAP both ways; ping and a UDP
 * burst (reflected by the modem, checked byte for byte) go through the TUN, packed into MAP
 * aggregates and unpacked again; `status` shows the format and the aggregate counters.
 */
#include "netns.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>

#ifndef QMIUSB_BIN
#error QMIUSB_BIN must name the qmiusb binary
#endif

struct run {
	pid_t pid;
	int fd;
	char out[16384];
	size_t len;
};

static void start(struct run *r, const char *const *args)
{
	const char *argv[40];
	int p[2], n = 0;

	memset(r, 0, sizeof(*r));
	if (!getenv("QMIUSB_TEST_RUNDIR")) { /* `status` must find this test's connection only */
		char dir[] = "/tmp/qmiusb-qmap-XXXXXX";

		cr_assert_not_null(mkdtemp(dir));
		setenv("QMIUSB_TEST_RUNDIR", dir, 1);
		setenv("XDG_RUNTIME_DIR", dir, 1);
	}
	argv[n++] = QMIUSB_BIN;
	while (*args && n < 39)
		argv[n++] = *args++;
	argv[n] = NULL;
	cr_assert_eq(pipe(p), 0);
	fflush(NULL);
	r->pid = fork();
	cr_assert_geq(r->pid, 0);
	if (r->pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	r->fd = p[0];
}

/* The poll timeout only keeps a hung child from hanging the suite. */
static bool read_some(struct run *r)
{
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	ssize_t n;

	if (r->len + 1 >= sizeof(r->out) || poll(&pfd, 1, 60000) <= 0)
		return false;
	n = read(r->fd, r->out + r->len, sizeof(r->out) - 1 - r->len);
	if (n <= 0)
		return false;
	r->len += (size_t)n;
	r->out[r->len] = '\0';
	return true;
}

static bool wait_for(struct run *r, const char *want)
{
	while (!strstr(r->out, want))
		if (!read_some(r))
			return false;
	return true;
}

static int finish(struct run *r)
{
	int status;

	while (read_some(r))
		;
	cr_assert_eq(waitpid(r->pid, &status, 0), r->pid);
	close(r->fd);
	cr_assert(WIFEXITED(status), "killed by signal %d\n%s", WTERMSIG(status), r->out);
	return WEXITSTATUS(status);
}

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static bool ping4(const char *dst, uint16_t id)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t pkt[64] = { ICMP_ECHO, 0 }, in[256];
	int s = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	uint16_t c;

	cr_assert_geq(s, 0, "raw socket: %s", strerror(errno));
	inet_pton(AF_INET, dst, &to.sin_addr);
	pkt[4] = (uint8_t)(id >> 8);
	pkt[5] = (uint8_t)id;
	memcpy(pkt + 8, "qmap-test-payload", 17);
	c = csum(pkt, sizeof(pkt));
	memcpy(pkt + 2, &c, 2);
	cr_assert_eq(sendto(s, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)),
		     (ssize_t)sizeof(pkt));
	for (int tries = 0; tries < 20; tries++) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 3000) <= 0)
			break;
		n = recv(s, in, sizeof(in), 0);
		if (n >= 28 && in[20] == ICMP_ECHOREPLY && in[24] == (uint8_t)(id >> 8) &&
		    in[25] == (uint8_t)id && !memcmp(in + 28, pkt + 8, 17)) {
			close(s);
			return true;
		}
	}
	close(s);
	return false;
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

/* The state file `status` reads, as published by the running connect. */
static void read_state(char *buf, size_t len)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/qmiusb/sim.conn", getenv("QMIUSB_TEST_RUNDIR"));
	f = fopen(path, "r");
	cr_assert_not_null(f, "no state file %s", path);
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
}

Test(connect_qmap, ping_and_udp_burst_through_aggregates)
{
	static const char *const args[] = { "-d", "sim", "--sim-fault", "data=reflect", "connect",
					    "--apn", "internet", "--ifname", "wwqmap0", "--no-routes",
					    "--data-format", "qmap", NULL };
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(40000) };
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(40001) };
	enum { N = 24, SIZE = 1400 };
	uint8_t out[SIZE], in[2048];
	bool got[N] = { false };
	char state[4096], v[64];
	unsigned received = 0;
	struct run r;
	int s;

	enter_new_netns();
	start(&r, args);
	cr_assert(wait_for(&r, "data path:"), "%s", r.out);
	cr_assert(wait_for(&r, "data format: qmap, mux id 0 (UL aggregated"), "%s", r.out);
	cr_assert(ping4("10.64.0.2", 0x5151), "no echo reply through QMAP\n%s", r.out);

	/* A burst: the pump packs what one wakeup reads, the modem what one pass produced. */
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
	cr_assert_eq(received, N, "only %u of %u echoes came back\n%s", received, N, r.out);

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

	kill(r.pid, SIGTERM);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	cr_assert_eq(if_nametoindex("wwqmap0"), 0, "the TUN is gone");
}

/* A modem that refuses QMAP: connect says so, falls back to raw-IP, and traffic flows. */
Test(connect_qmap, falls_back_to_raw_ip_when_refused)
{
	static const char *const args[] = { "-d", "sim", "--sim-fault", "no-qmap", "connect",
					    "--apn", "internet", "--ifname", "wwqmap1", "--no-routes",
					    "--data-format", "qmap", NULL };
	struct run r;

	enter_new_netns();
	start(&r, args);
	cr_assert(wait_for(&r, "data path:"), "%s", r.out);
	cr_assert(strstr(r.out, "the modem refused QMAP (QMI error"), "%s", r.out);
	cr_assert(strstr(r.out, "data format: raw-ip (WDA Set Data Format)"), "%s", r.out);
	cr_assert(ping4("10.64.0.2", 0x5252), "no echo reply after the fallback\n%s", r.out);
	kill(r.pid, SIGTERM);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
}

Test(connect_qmap, usage_error_for_an_unknown_format)
{
	static const char *const args[] = { "-d", "sim", "connect", "--apn", "internet",
					    "--data-format", "mbim", NULL };
	struct run r;

	start(&r, args);
	cr_assert_eq(finish(&r), 2, "%s", r.out);
	cr_assert(strstr(r.out, "--data-format is raw-ip or qmap"), "%s", r.out);
}
