/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb -d sim connect` end to end, as a user runs it: the real binary in a child process,
 * inside the test's own network namespace, with traffic through its TUN to the software modem's
 * gateway, fault knobs for the failure paths, and SIGTERM for the teardown.
 */
#include "ippkt.h"
#include "netns.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
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
	int fd; /* the child's stdout and stderr */
	char out[16384];
	size_t len;
};

static void remove_rundir(void)
{
	const char *dir = getenv("QMIUSB_TEST_RUNDIR");
	char sub[256];

	if (!dir)
		return;
	snprintf(sub, sizeof(sub), "%s/qmiusb", dir);
	rmdir(sub);
	rmdir(dir);
}

static void start_with(struct run *r, const char *const *prefix, const char *const *args)
{
	const char *argv[40];
	int p[2], n = 0;

	memset(r, 0, sizeof(*r));
	/* A private state directory: `status`/`disconnect` find this test's connection only. */
	if (!getenv("QMIUSB_TEST_RUNDIR")) {
		char dir[] = "/tmp/qmiusb-test-XXXXXX";

		cr_assert_not_null(mkdtemp(dir));
		setenv("QMIUSB_TEST_RUNDIR", dir, 1);
		setenv("XDG_RUNTIME_DIR", dir, 1);
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
	cr_assert_eq(pipe(p), 0);
	fflush(NULL);
	r->pid = fork();
	cr_assert_geq(r->pid, 0);
	if (r->pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	r->fd = p[0];
}

static void start(struct run *r, const char *const *args)
{
	start_with(r, NULL, args);
}

/* Reads what the child wrote so far (waiting for some); false at its end. The poll timeout only
 * keeps a hung child from hanging the suite; no assertion depends on time. */
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

/* Reads output until want appears (true) or the child's output ends (false). */
static bool wait_for(struct run *r, const char *want)
{
	while (!strstr(r->out, want))
		if (!read_some(r))
			return false;
	return true;
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* Like wait_for(), until want appeared n times. */
static bool wait_for_n(struct run *r, const char *want, unsigned n)
{
	while (count(r->out, want) < n)
		if (!read_some(r))
			return false;
	return true;
}

static int finish(struct run *r)
{
	int status;

	while (read_some(r)) /* to the end of its output */
		;
	cr_assert_eq(waitpid(r->pid, &status, 0), r->pid);
	close(r->fd);
	cr_assert(WIFEXITED(status), "killed by signal %d\n%s", WTERMSIG(status), r->out);
	return WEXITSTATUS(status);
}

static uint16_t icmp_csum(const uint8_t *p, size_t len)
{
	return htons(ippkt_csum(p, len));
}

/* One ICMP echo to dst through the routing table (so through the TUN); true when answered. */
static bool ping4(const char *dst, uint16_t id)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t pkt[64] = { ICMP_ECHO, 0 }, in[256];
	int s = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP), tries;
	uint16_t c;

	cr_assert_geq(s, 0, "raw socket: %s", strerror(errno));
	inet_pton(AF_INET, dst, &to.sin_addr);
	pkt[4] = (uint8_t)(id >> 8);
	pkt[5] = (uint8_t)id;
	memcpy(pkt + 8, "qmiusb-test-payload", 19);
	c = icmp_csum(pkt, sizeof(pkt));
	memcpy(pkt + 2, &c, 2);
	cr_assert_eq(sendto(s, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)),
		     (ssize_t)sizeof(pkt));
	for (tries = 0; tries < 20; tries++) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 3000) <= 0)
			break;
		n = recv(s, in, sizeof(in), 0);
		/* Raw sockets see every ICMP packet, our own request included. */
		if (n >= 20 + 8 && in[20] == ICMP_ECHOREPLY && in[24] == (uint8_t)(id >> 8) &&
		    in[25] == (uint8_t)id && !memcmp(in + 20 + 8, pkt + 8, 19)) {
			close(s);
			return true;
		}
	}
	close(s);
	return false;
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
		a = family == AF_INET ? (const void *)&((struct sockaddr_in *)i->ifa_addr)->sin_addr :
					(const void *)&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		inet_ntop(family, a, buf, sizeof(buf));
		if (!strncmp(buf, prefix, strlen(prefix)))
			found = true;
	}
	freeifaddrs(ifa);
	return found;
}

Test(connect, ping_then_sigterm_tears_down)
{
	static const char *const args[] = { "connect", "--apn", "internet", "--ifname", "wwtest0",
					    NULL };
	struct run r;

	enter_new_netns();
	start(&r, args);
	cr_assert(wait_for(&r, "data path:"), "%s", r.out);
	cr_assert(strstr(r.out, "IPv4 address: 10.64.0.1/30"), "%s", r.out);
	cr_assert(strstr(r.out, "IPv4 gateway: 10.64.0.2"), "%s", r.out);
	cr_assert(strstr(r.out, "DNS: 10.64.255.53"), "%s", r.out);
	cr_assert(strstr(r.out, "MTU: 1500"), "%s", r.out);
	cr_assert(has_addr("wwtest0", AF_INET, "10.64.0.1"));
	cr_assert(ping4("10.64.0.2", 0x4242), "no echo reply through the TUN\n%s", r.out);
	/* An address on the far side of the default route goes through the TUN too; the modem's
	 * gateway mode answers at its DNS addresses. */
	cr_assert(ping4("10.64.255.53", 0x4243), "no echo reply via the default route\n%s", r.out);
	kill(r.pid, SIGTERM);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, "IPv4 call stopped"), "%s", r.out);
	cr_assert_eq(if_nametoindex("wwtest0"), 0, "the TUN is gone");
}

Test(connect, dual_stack)
{
	static const char *const args[] = { "connect", "--apn", "internet", "--ip-type", "4v6",
					    "--ifname", "wwtest1", NULL };
	struct run r;

	enter_new_netns();
	start(&r, args);
	cr_assert(wait_for(&r, "data path:"), "%s", r.out);
	cr_assert(strstr(r.out, "IPv6 address: 2001:db8:1:"), "%s", r.out);
	cr_assert(has_addr("wwtest1", AF_INET, "10.64."));
	cr_assert(has_addr("wwtest1", AF_INET6, "2001:db8:1:"));
	cr_assert(ping4("10.64.0.2", 7), "%s", r.out);
	kill(r.pid, SIGINT);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, "IPv4 call stopped"), "%s", r.out);
	cr_assert(strstr(r.out, "IPv6 call stopped"), "%s", r.out);
}

Test(connect, ipv6_only)
{
	static const char *const args[] = { "connect", "--apn", "internet", "--ip-type", "6",
					    "--ifname", "wwtest2", "--no-routes", NULL };
	struct run r;

	enter_new_netns();
	start(&r, args);
	cr_assert(wait_for(&r, "data path:"), "%s", r.out);
	cr_assert(has_addr("wwtest2", AF_INET6, "2001:db8:1:"));
	cr_assert_not(has_addr("wwtest2", AF_INET, "10.64."));
	cr_assert(strstr(r.out, "routes: none"), "%s", r.out);
	kill(r.pid, SIGTERM);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
}

Test(connect, network_drop_and_reconnect)
{
	static const char *const args[] = { "--sim-fault", "call-drop=300", "connect", "--apn",
					    "internet", "--ifname", "wwtest3", NULL };
	struct run r;

	enter_new_netns();
	start(&r, args);
	cr_assert(wait_for(&r, "the network ended the IPv4 call"), "%s", r.out);
	cr_assert(wait_for(&r, "reconnecting"), "%s", r.out);
	/* The second summary: connected again after the drop. */
	cr_assert(wait_for_n(&r, "connected: interface wwtest3", 2), "%s", r.out);
	kill(r.pid, SIGTERM);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	cr_assert_eq(if_nametoindex("wwtest3"), 0);
}

Test(connect, sim_not_ready_times_out)
{
	static const char *const args[] = { "--sim-fault", "sim-absent", "connect", "--apn",
					    "internet", "--sim-timeout", "1", NULL };
	struct run r;

	enter_new_netns();
	start(&r, args);
	cr_assert_eq(finish(&r), 5, "%s", r.out);
	cr_assert(strstr(r.out, "waiting for the SIM: absent"), "%s", r.out);
	cr_assert(strstr(r.out, "the SIM is not ready after 1 s"), "%s", r.out);
}

Test(connect, registration_times_out)
{
	static const char *const args[] = { "--sim-fault", "reg-denied", "connect", "--apn",
					    "internet", "--reg-timeout", "1", NULL };
	struct run r;

	enter_new_netns();
	start(&r, args);
	cr_assert_eq(finish(&r), 5, "%s", r.out);
	cr_assert(strstr(r.out, "registration-denied"), "%s", r.out);
}

Test(connect, call_failure_names_the_reason)
{
	static const char *const args[] = { "--sim-fault", "apn=corporate", "connect", "--apn",
					    "internet", NULL };
	struct run r;

	enter_new_netns();
	start(&r, args);
	cr_assert_eq(finish(&r), 4, "%s", r.out);
	cr_assert(strstr(r.out, "the IPv4 call failed: call end reason 'generic-unspecified' (1)"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "'unknown-apn' (27)"), "%s", r.out);
}

Test(connect, usage_errors)
{
	static const char *const args[] = { "connect", "--ip-type", "5", NULL };
	struct run r;

	start(&r, args);
	cr_assert_eq(finish(&r), 2, "%s", r.out);
	cr_assert(strstr(r.out, "--ip-type is 4, 6 or 4v6"), "%s", r.out);
}

Test(connect, status_and_disconnect_from_another_process)
{
	static const char *const args[] = { "connect", "--apn", "internet", "--ifname", "wwtest4",
					    NULL };
	static const char *const status_args[] = { "status", NULL };
	static const char *const disc_args[] = { "disconnect", NULL };
	struct run r, s, d;

	enter_new_netns();
	start(&r, args);
	cr_assert(wait_for(&r, "data path:"), "%s", r.out);
	cr_assert(ping4("10.64.0.2", 99), "%s", r.out);
	start(&s, status_args);
	cr_assert_eq(finish(&s), 0, "%s", s.out);
	cr_assert(strstr(s.out, "Connection (qmiusb connect, pid"), "%s", s.out);
	cr_assert(strstr(s.out, "State: 'up'"), "%s", s.out);
	cr_assert(strstr(s.out, "Interface: 'wwtest4'"), "%s", s.out);
	cr_assert(strstr(s.out, "IPv4 address: '10.64.0.1/30'"), "%s", s.out);
	cr_assert(strstr(s.out, "Drops: '0'"), "%s", s.out);
	start(&d, disc_args);
	cr_assert_eq(finish(&d), 0, "%s", d.out);
	cr_assert(strstr(d.out, "disconnected (wwtest4)"), "%s", d.out);
	cr_assert_eq(if_nametoindex("wwtest4"), 0, "torn down before disconnect returned");
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, "IPv4 call stopped"), "%s", r.out);
	/* Nothing runs now. */
	start(&d, disc_args);
	cr_assert_eq(finish(&d), 1, "%s", d.out);
	cr_assert(strstr(d.out, "no qmiusb connection is running"), "%s", d.out);
}

/* A user-owned persistent TUN and no CAP_NET_ADMIN: the connection still runs, and the ip
 * commands to apply are printed instead of applied. */
Test(connect, without_net_admin_prints_the_settings)
{
	static const char *const nocap[] = { "setpriv", "--inh-caps=-net_admin",
					     "--bounding-set=-net_admin", NULL };
	static const char *const args[] = { "connect", "--apn", "internet", "--ifname", "wwuser0",
					    NULL };
	struct run r;

	enter_new_netns();
	if (access("/usr/bin/setpriv", X_OK) && access("/bin/setpriv", X_OK))
		cr_skip_test("setpriv (util-linux) is not installed");
	cr_assert_eq(system("ip tuntap add dev wwuser0 mode tun user 0"), 0);
	start_with(&r, nocap, args);
	cr_assert(wait_for(&r, "data path:"), "%s", r.out);
	cr_assert(strstr(r.out, "TUN device wwuser0 attached"), "%s", r.out);
	cr_assert(strstr(r.out, "needs CAP_NET_ADMIN"), "%s", r.out);
	cr_assert(strstr(r.out, "ip addr add 10.64.0.1/30 dev wwuser0\n"), "%s", r.out);
	cr_assert(strstr(r.out, "ip route add default dev wwuser0 metric 700\n"), "%s", r.out);
	cr_assert_not(has_addr("wwuser0", AF_INET, "10.64."), "nothing was applied");
	kill(r.pid, SIGTERM);
	cr_assert_eq(finish(&r), 0, "%s", r.out);
	cr_assert(strstr(r.out, "wwuser0 unconfigured"), "%s", r.out);
	cr_assert_neq(if_nametoindex("wwuser0"), 0, "the user's TUN stays");
}
