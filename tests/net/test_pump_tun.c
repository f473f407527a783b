/* SPDX-License-Identifier: MIT */
/* The pump on a real, configured TUN inside the test's own network namespace, on both loops:
 * UDP from a socket reaches the modem side in order; packets from the modem side reach a
 * socket byte for byte. */
#include "fake_modem.h"
#include "ippkt.h"
#include "base/loop.h"
#include "net/netconf.h"
#include "net/pump.h"
#include "net/tun.h"
#include "netns.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#define N 40

struct tunrig {
	struct qb_loop *loop;
	struct qnet_tun *tun;
	struct qnet_netconf *nc;
	struct qnet_pump *pump;
	struct fake_modem modem;
	struct in_addr local, peer;
};

static void tunrig_up(struct tunrig *r, enum qb_loop_kind kind, bool fixed)
{
	const struct qnet_pump_opts po = { .fixed_reads = fixed };
	struct qnet_ipconf c = { .has_v4 = true, .v4_prefix = 24, .mtu = 1500 };
	char err[256] = "";
	int ret;

	memset(r, 0, sizeof(*r));
	enter_new_netns();
	ret = qb_loop_new(&r->loop, kind);
	if (ret == -ENOSYS)
		cr_skip_test("io_uring is not available here");
	cr_assert_eq(ret, 0);
	inet_pton(AF_INET, "10.77.0.1", &r->local);
	inet_pton(AF_INET, "10.77.0.2", &r->peer);
	c.v4_addr = r->local;
	cr_assert_eq(qnet_tun_open(&r->tun, "qpump0", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(qnet_netconf_apply(&r->nc, r->tun->ifindex, r->tun->name, &c, stderr, err,
					sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(qnet_pump_new(&r->pump, r->loop, r->tun->fd, fake_send, &r->modem, &po), 0);
}

static void tunrig_down(struct tunrig *r)
{
	qnet_pump_free(r->pump);
	qnet_netconf_undo(r->nc);
	qnet_tun_close(r->tun);
	qb_loop_free(r->loop);
}

/* The stack may send its own packets (IPv6 router solicitations, MLD): keep only IPv4. */
static unsigned udp_count(struct fake_modem *m)
{
	unsigned i, j = 0;

	for (i = 0; i < m->count; i++) {
		if ((m->pkt[i][0] >> 4) != 4)
			continue;
		if (i != j) {
			memcpy(m->pkt[j], m->pkt[i], m->len[i]);
			m->len[j] = m->len[i];
		}
		j++;
	}
	m->count = j;
	return j;
}

static void t_udp_both_ways(enum qb_loop_kind kind, bool fixed)
{
	struct tunrig r;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(7777) };
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(5555) };
	uint8_t pkt[1500], in[2048];
	unsigned i, guard = 0;
	int s, rx;

	tunrig_up(&r, kind, fixed);
	to.sin_addr = r.peer;
	me.sin_addr = r.local;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(s, 0);
	for (i = 0; i < N; i++) {
		uint32_t seq = htonl(i);

		memset(pkt, (int)i, 200);
		memcpy(pkt, &seq, 4);
		cr_assert_eq(sendto(s, pkt, 200, 0, (struct sockaddr *)&to, sizeof(to)), 200);
	}
	while (udp_count(&r.modem) < N && guard++ < 1000)
		cr_assert_geq(qb_loop_run_once(r.loop, 100), 0);
	cr_assert_eq(udp_count(&r.modem), N);
	for (i = 0; i < N; i++) {
		const uint8_t *p = r.modem.pkt[i];
		uint32_t seq;

		cr_assert_eq(r.modem.len[i], 228);
		cr_assert_eq(p[0], 0x45);
		cr_assert_eq(p[9], IPPROTO_UDP);
		cr_assert_eq(memcmp(p + 16, &r.peer, 4), 0);
		cr_assert_eq(p[22] << 8 | p[23], 7777);
		memcpy(&seq, p + 28, 4);
		cr_assert_eq(ntohl(seq), i);
	}
	close(s);

	rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	cr_assert_eq(bind(rx, (struct sockaddr *)&me, sizeof(me)), 0);
	for (i = 0; i < N; i++) {
		ippkt_udp4(pkt, 1400, r.peer, 9999, r.local, 5555, i);
		qnet_pump_data_rx(r.pump, pkt, 1400);
	}
	guard = 0;
	while (qnet_pump_stats(r.pump)->down_pkts < N && guard++ < 1000)
		cr_assert_geq(qb_loop_run_once(r.loop, 100), 0);
	for (i = 0; i < N; i++) {
		ssize_t n = recv(rx, in, sizeof(in), 0);

		cr_assert_eq(n, 1372, "packet %u: %zd %s", i, n, strerror(errno));
		ippkt_udp4(pkt, 1400, r.peer, 9999, r.local, 5555, i);
		cr_assert_eq(memcmp(in, pkt + 28, 1372), 0, "packet %u differs", i);
	}
	cr_assert_eq(qnet_pump_drops(qnet_pump_stats(r.pump)), 0);
	close(rx);
	tunrig_down(&r);
}

Test(pump_tun_poll, udp_both_ways)
{
	t_udp_both_ways(QB_LOOP_POLL, false);
}
Test(pump_tun_uring, udp_both_ways)
{
	t_udp_both_ways(QB_LOOP_URING, false);
}
Test(pump_tun_uring_fixed, udp_both_ways)
{
	t_udp_both_ways(QB_LOOP_URING, true);
}
