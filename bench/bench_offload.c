/* SPDX-License-Identifier: MIT */
/*
 * Host pump benchmark, the offload path: TCP-like bulk flows through the pump between a real
 * TUN (private network namespace) and an in-memory MAP v5 modem endpoint, with the TUN's
 * offloads on (virtio-net header, checksum/TSO/USO, merged writes) and off, on the poll loop
 * (the offload path reads in passes). Prints Gbit/s and Gbit/s per core (bits moved per second
 * of the pump process's CPU time) and the on/off ratios, and the downlink figure against the
 * 10 Gbit/s per core target. Asserts nothing.
 *
 * Downlink: the endpoint hands the pump MAP v5 aggregates of 22 in-order TCP segments of one
 * flow (1448-byte payloads, the modem vouching for the checksums), 8 per loop iteration; the
 * namespace forwards them out of a veth pair (a router's WAN side), so the stack's cost per
 * TUN write is in the figure, and merged packets are forwarded whole. Uplink: a child process
 * (its CPU not counted) sends 64 KB UDP_SEGMENT super-datagrams (1400-byte segments) through
 * the TUN: with offloads the TUN hands them over whole (UDP segmentation, Linux 6.2+; the same
 * cut as a TSO super-packet) and the pump cuts them into the aggregate; without, the kernel
 * segments first. TCP's own TSO needs a TCP peer behind the TUN, which this benchmark has not.
 *
 * Usage: bench_offload [-t SECONDS] [-r RUNS] [-a FILE]  (-a appends the report to FILE)
 */
#include "bench_util.h"
#include "base/loop.h"
#include "net/netconf.h"
#include "net/offload.h"
#include "net/pump.h"
#include "net/tun.h"
#include "qmi/qmap.h"
#include "tcppkt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/udp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

#define AGG_SEGS 22
#define BURST 8
#define UL_SIZE 32768

struct endpoint {
	uint8_t slot[UL_SIZE]; /* the transport's copy of each uplink transfer */
	struct qnet_pump *pump;
	uint8_t agg[UL_SIZE];
	size_t agg_len;
	bool down;
	uint64_t up_bytes;
};

static int ep_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct endpoint *ep = ctx;

	memcpy(ep->slot, pkt, len);
	ep->up_bytes += len;
	return 0;
}

static void ep_service(void *user, int fd, unsigned revents)
{
	struct endpoint *ep = user;

	for (unsigned i = 0; ep->down && i < BURST; i++)
		qnet_pump_data_rx(ep->pump, ep->agg, ep->agg_len);
}

/* 22 segments of one flow toward 10.97.0.9 (behind the veth pair), in one aggregate. */
static size_t make_agg(uint8_t *out)
{
	static const uint8_t dst[4] = { 10, 97, 0, 9 }, src[4] = { 10, 98, 0, 2 };
	uint8_t seg[1600];
	struct qmi_qmap_agg a;

	qmi_qmap_agg_init(&a, out, UL_SIZE, AGG_SEGS, 0, true);
	qmi_qmap_agg_set_v5(&a, true, true);
	for (unsigned i = 0; i < AGG_SEGS; i++) {
		const struct tcppkt t = { .ipv = 4,
					  .proto = 6,
					  .flags = 0x10,
					  .frag = 0x4000,
					  .seq = i * 1448,
					  .pay = 1448,
					  .pay_off = i * 1448 };
		size_t len = tcppkt_build(seg, &t, false);

		memcpy(seg + 12, src, 4);
		memcpy(seg + 16, dst, 4);
		tcppkt_put16(seg + 10, 0);
		tcppkt_put16(seg + 10, (uint16_t)~tcppkt_fold(tcppkt_sum(0, seg, 20)));
		tcppkt_put16(seg + 36, 0);
		tcppkt_put16(seg + 36,
			     (uint16_t)~tcppkt_fold(
				     tcppkt_sum(tcppkt_pseudo(seg, len - 20), seg + 20, len - 20)));
		if (qmi_qmap_agg_add(&a, seg, len) < 0)
			break;
	}
	return a.len;
}

/* Super-datagrams through the TUN until killed, on the other CPU. */
static pid_t start_sender(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		static uint8_t payload[63000];
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
		int s = socket(AF_INET, SOCK_DGRAM, 0), gso = 1400;

		inet_pton(AF_INET, "10.98.0.2", &to.sin_addr);
		if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof(to)) < 0 ||
		    setsockopt(s, SOL_UDP, UDP_SEGMENT, &gso, sizeof(gso)) < 0)
			_exit(1);
		pin_cpu(1);
		for (;;)
			send(s, payload, sizeof(payload), 0);
	}
	return pid;
}

struct result {
	double gbit, gbit_core;
	uint64_t drops, merged_writes, segs, cuts;
};

/* bytes: IP bytes moved in the measured direction (segments, as the modem sees them). */
static int run_one(bool offload, bool down, double secs, struct result *res)
{
	static struct endpoint ep;
	const struct qnet_pump_qmap q = {
		.ul = true, .dl = true, .v5 = true, .ul_max_dgrams = 32, .ul_max_size = UL_SIZE
	};
	struct qnet_ipconf c = { .has_v4 = true, .v4_prefix = 24, .mtu = 1500 };
	struct qnet_tun *tun = NULL;
	struct qnet_netconf *nc = NULL;
	struct qb_loop *loop = NULL;
	struct qb_watch *w = NULL;
	const struct qnet_pump_stats *st;
	char err[256];
	double t0, c0, t1, c1, bytes;
	uint64_t b0;
	pid_t sender = -1;
	int efd = -1, ret;

	memset(&ep, 0, sizeof(ep));
	inet_pton(AF_INET, "10.98.0.1", &c.v4_addr);
	ret = qnet_tun_open_offload(&tun, "qboff0",
				    offload ? QNET_TUN_OFFLOAD_AUTO : QNET_TUN_OFFLOAD_OFF, err,
				    sizeof(err));
	if (ret == 0)
		ret = qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err,
					 sizeof(err));
	if (ret == 0)
		ret = qb_loop_new(&loop, QB_LOOP_POLL);
	if (ret == 0)
		ret = qnet_pump_new(&ep.pump, loop, tun->fd, ep_send, &ep,
				    &(struct qnet_pump_opts){ .offloads = tun->offloads });
	if (ret == 0)
		ret = qnet_pump_set_qmap(ep.pump, &q);
	if (ret < 0)
		goto out;
	ep.agg_len = make_agg(ep.agg);
	ep.down = down;
	efd = eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK);
	if (down)
		ret = qb_loop_watch(loop, efd, 0x001 /* POLLIN */, ep_service, &ep, &w);
	else
		sender = start_sender();
	if (ret < 0)
		goto out;
	t0 = now_s();
	while (now_s() - t0 < 0.2)
		qb_loop_run_once(loop, 10);
	st = qnet_pump_stats(ep.pump);
	b0 = down ? st->down_bytes : st->up_bytes;
	uint64_t m0 = st->down_gro_pkts, s0 = down ? st->down_pkts : st->up_pkts,
		 k0 = st->up_gso_pkts;
	t0 = now_s();
	c0 = cpu_s();
	while ((t1 = now_s()) - t0 < secs)
		for (int i = 0; i < 64; i++)
			qb_loop_run_once(loop, 10);
	c1 = cpu_s();
	bytes = (double)((down ? st->down_bytes : st->up_bytes) - b0);
	res->gbit = bytes * 8 / 1e9 / (t1 - t0);
	res->gbit_core = bytes * 8 / 1e9 / (c1 - c0);
	res->drops = qnet_pump_drops(st);
	res->merged_writes = st->down_gro_pkts - m0;
	res->segs = (down ? st->down_pkts : st->up_pkts) - s0;
	res->cuts = st->up_gso_pkts - k0;
out:
	if (ret < 0)
		fprintf(stderr, "bench_offload: %s\n", err[0] ? err : strerror(-ret));
	end_run(sender, w, ep.pump, loop, efd);
	qnet_netconf_undo(nc);
	qnet_tun_close(tun);
	return ret;
}

int main(int argc, char **argv)
{
	const char *out_path = NULL;
	char *text = NULL;
	size_t text_len = 0;
	double secs = 1.0;
	unsigned reps = 3;
	struct result r[2][2]; /* [down][offload] */
	struct utsname u;
	FILE *o;
	int opt;

	while ((opt = getopt(argc, argv, "t:r:a:")) != -1) {
		if (opt == 't')
			secs = atof(optarg);
		else if (opt == 'r')
			reps = (unsigned)atoi(optarg) ? (unsigned)atoi(optarg) : 1;
		else if (opt == 'a')
			out_path = optarg;
		else {
			fprintf(stderr, "usage: %s [-t SECONDS] [-r RUNS] [-a FILE]\n", argv[0]);
			return 2;
		}
	}
	pin_cpu(0);
	if (private_netns("bench_offload"))
		return 77;
	/* The far side: a veth pair whose other end drops frames for a neighbour it is not. */
	if (system("ip link set lo up && ip link add qbwan0 type veth peer name qbwan1 && "
		   "ip link set qbwan0 up && ip link set qbwan1 up && "
		   "ip addr add 10.97.0.1/24 dev qbwan0 && "
		   "ip neigh add 10.97.0.9 lladdr 02:00:00:00:00:09 dev qbwan0 && "
		   "echo 1 > /proc/sys/net/ipv4/ip_forward") != 0) {
		fprintf(stderr, "bench_offload: cannot set up the veth pair (iproute2)\n");
		return 1;
	}
	for (int d = 0; d < 2; d++)
		for (int off = 0; off < 2; off++) {
			memset(&r[d][off], 0, sizeof(r[d][off]));
			for (unsigned k = 0; k < reps; k++) {
				struct result one = { 0 };

				if (run_one(off, d, secs, &one) == 0 && one.gbit > r[d][off].gbit)
					r[d][off] = one;
			}
		}
	o = open_memstream(&text, &text_len);
	uname(&u);
	fprintf(o, "\nqmiusb host pump benchmark, offload path: TCP-like bulk flows, MAP v5\n");
	fprintf(o, "kernel %s, best of %u runs of %.1f s, poll loop, pump on CPU 0\n", u.release,
		reps, secs);
	fprintf(o,
		"down: aggregates of %d in-order TCP segments (1448 B payload), %d per loop "
		"iteration,\n      forwarded by the namespace out of a veth pair\n",
		AGG_SEGS, BURST);
	fprintf(o, "up:   64 KB UDP_SEGMENT super-datagrams (1400 B segments) from another "
		   "process (CPU not counted)\n");
	fprintf(o,
		"Gbit/s: IP bytes of the segments the modem side sees; per core: per second "
		"of the pump process's CPU\n(getrusage: forwarding inside its TUN writes is "
		"counted, softirq work the kernel defers, e.g. the veth's far end, may not be)\n");
	{
		double la[1];

		if (getloadavg(la, 1) == 1)
			fprintf(o,
				"load average at start: %.2f (other work on the machine lowers "
				"the wall-clock figures)\n",
				la[0]);
	}
#if defined(__SANITIZE_ADDRESS__)
	fprintf(o, "WARNING: built with AddressSanitizer; figures are not representative\n");
#endif
	fprintf(o, "\n%-5s %-9s %8s %14s %12s %14s %8s\n", "dir", "offloads", "Gbit/s",
		"Gbit/s/core", "segments", "merged/cut", "drops");
	for (int d = 1; d >= 0; d--) {
		for (int off = 1; off >= 0; off--) {
			const struct result *x = &r[d][off];

			fprintf(o, "%-5s %-9s %8.2f %14.2f %12llu %14llu %8llu\n",
				d ? "down" : "up", off ? "on" : "off", x->gbit, x->gbit_core,
				(unsigned long long)x->segs,
				(unsigned long long)(d ? x->merged_writes : x->cuts),
				(unsigned long long)x->drops);
		}
		if (r[d][0].gbit_core > 0)
			fprintf(o, "%-5s on/off: x%.2f Gbit/s per core\n", d ? "down" : "up",
				r[d][1].gbit_core / r[d][0].gbit_core);
	}
	fprintf(o, "target: 10 Gbit/s per core downlink with offloads: x%.2f of it\n",
		r[1][1].gbit_core / 10);
	fclose(o);
	fputs(text, stdout);
	if (out_path)
		write_report("bench_offload", out_path, "a", text);
	free(text);
	return 0;
}
