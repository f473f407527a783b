/* SPDX-License-Identifier: MIT */
/*
 * Host pump benchmark, no USB: the pump between a real TUN (in a private network namespace) and
 * an in-memory modem endpoint, on the io_uring loop and on the poll() loop, for 64, 512 and
 * 1500-byte packets, uplink, downlink and both. Prints packets/s, Gbit/s and CPU microseconds per
 * packet of this process (getrusage), and the io_uring/poll ratios. Asserts nothing.
 *
 * Uplink load comes from a child process sending UDP through the TUN (its CPU is not counted);
 * downlink packets are injected by the endpoint, in bursts of 32 per loop iteration as bulk IN
 * completions would arrive, toward a UDP socket nobody reads (the kernel drops them after
 * delivery, without ICMP). The endpoint copies every uplink packet into its own slot, as a
 * transport does, and holds 64: a full endpoint answers -ENOBUFS.
 *
 * Each figure is the best of RUNS runs (default 3), the pump pinned to CPU 0 and the uplink load
 * to CPU 1.
 *
 * Usage: bench_pump [-t SECONDS] [-r RUNS] [-s SIZE] [-d up|down|both] [-n READS] [-o FILE]
 * (-s/-d run one size/direction; -n sets the pump's uplink buffer count)
 */
#include "bench_util.h"
#include "ippkt.h"
#include "base/loop.h"
#include "net/netconf.h"
#include "net/pump.h"
#include "net/tun.h"

#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 64
#define BURST 32

enum dir {
	UP = 1,
	DOWN = 2,
	BOTH = 3
};

struct endpoint {
	uint8_t slot[SLOTS][2048];
	unsigned used;
	bool refused;
	struct qnet_pump *pump;
	const uint8_t *down_pkt;
	size_t down_len;
	bool down;
};

struct result {
	double pps_up, pps_down, gbit, us_per_pkt;
	uint64_t drops;
};

static int ep_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct endpoint *ep = ctx;

	if (ep->used == SLOTS && !ep->down)
		ep->used = 0; /* uplink only: the endpoint completes transfers at once */
	if (ep->used == SLOTS) {
		ep->refused = true;
		return -ENOBUFS;
	}
	memcpy(ep->slot[ep->used++], pkt, len);
	return 0;
}

/* One "USB" iteration: the bulk OUT transfers of the last round completed, a burst of bulk IN
 * packets arrived. The eventfd stays readable, so this runs on every loop iteration. */
static void ep_service(void *user, int fd, unsigned revents)
{
	struct endpoint *ep = user;
	unsigned i;

	ep->used = 0;
	if (ep->refused) {
		ep->refused = false;
		qnet_pump_data_tx_ready(ep->pump);
	}
	for (i = 0; ep->down && i < BURST; i++)
		qnet_pump_data_rx(ep->pump, ep->down_pkt, ep->down_len);
}

/* The uplink load: UDP through the TUN as fast as the kernel takes it, until killed. */
static pid_t start_sender(struct in_addr dst, size_t pkt_len)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sockaddr_in to = { .sin_family = AF_INET,
					  .sin_port = htons(9),
					  .sin_addr = dst };
		static uint8_t payload[2048];
		struct mmsghdr msgs[64];
		struct iovec iov = { payload, pkt_len - 28 };
		int s = socket(AF_INET, SOCK_DGRAM, 0), i;

		if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof(to)) < 0)
			_exit(1);
		/* The load on its own CPU, away from the pump's (CPU 0). */
		pin_cpu(1);
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < 64; i++) {
			msgs[i].msg_hdr.msg_iov = &iov;
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		for (;;)
			sendmmsg(s, msgs, 64, 0);
	}
	return pid;
}

static unsigned reads; /* -n: the pump's uplink buffers; 0 = its default */

enum variant {
	V_MULTISHOT,
	V_FIXED,
	V_POLL,
	NVARIANT
};
static const char *const variant_name[] = { "uring-ms", "uring-fix", "poll" };

static int run_one(enum variant v, enum dir dir, size_t size, double secs, struct qnet_tun *tun,
		   struct in_addr local, struct in_addr peer, struct result *res)
{
	static struct endpoint ep;
	static uint8_t down_pkt[2048];
	struct qb_loop *loop = NULL;
	struct qb_watch *w = NULL;
	const struct qnet_pump_stats *st;
	double t0, c0, t1, c1;
	pid_t sender = -1;
	int efd = -1, ret;

	memset(&ep, 0, sizeof(ep));
	ret = qb_loop_new(&loop, v == V_POLL ? QB_LOOP_POLL : QB_LOOP_URING);
	if (ret < 0)
		return ret;
	struct qnet_pump_opts po = { .fixed_reads = v == V_FIXED, .reads = reads };

	ret = qnet_pump_new(&ep.pump, loop, tun->fd, ep_send, &ep, &po);
	if (ret == 0 && v == V_MULTISHOT &&
	    strcmp(qnet_pump_backend(ep.pump), "io_uring multishot"))
		ret = -ENOSYS; /* kernel before 6.7 */
	if (ret < 0)
		goto out;
	ippkt_udp4(down_pkt, size, peer, 9999, local, 5555, 1);
	ep.down_pkt = down_pkt;
	ep.down_len = size;
	ep.down = dir & DOWN;
	efd = eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK);
	if (dir & DOWN) {
		ret = qb_loop_watch(loop, efd, 0x001 /* POLLIN */, ep_service, &ep, &w);
		if (ret < 0)
			goto out;
	}
	if (dir & UP)
		sender = start_sender(peer, size);
	/* Warm up (and let the sender fill the TUN queue), then measure. */
	t0 = now_s();
	while (now_s() - t0 < 0.2)
		qb_loop_run_once(loop, 10);
	st = qnet_pump_stats(ep.pump);
	uint64_t up0 = st->up_pkts, down0 = st->down_pkts;
	t0 = now_s();
	c0 = cpu_s();
	while ((t1 = now_s()) - t0 < secs) {
		int i;

		for (i = 0; i < 64; i++)
			qb_loop_run_once(loop, 10);
	}
	c1 = cpu_s();
	res->pps_up = (double)(st->up_pkts - up0) / (t1 - t0);
	res->pps_down = (double)(st->down_pkts - down0) / (t1 - t0);
	res->gbit = (res->pps_up + res->pps_down) * (double)size * 8 / 1e9;
	res->us_per_pkt = (c1 - c0) * 1e6 / (double)((st->up_pkts - up0) + (st->down_pkts - down0));
	res->drops = qnet_pump_drops(st);
	ret = 0;
out:
	end_run(sender, w, ep.pump, loop, efd);
	return ret;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 64, 512, 1500 };
	static const enum dir dirs[] = { UP, DOWN, BOTH };
	static const char *const dir_name[] = { "", "up", "down", "both" };
	const char *out_path = NULL;
	struct qnet_ipconf c = { .has_v4 = true, .v4_prefix = 24, .mtu = 1500 };
	struct qnet_tun *tun = NULL;
	struct qnet_netconf *nc = NULL;
	struct in_addr local, peer;
	char err[256], *text = NULL;
	size_t text_len = 0;
	double secs = 1.0;
	unsigned reps = 3;
	size_t only_size = 0;
	const char *only_dir = NULL;
	struct utsname u;
	FILE *o;
	int opt, rx, ret;
	unsigned si, di;

	while ((opt = getopt(argc, argv, "t:o:r:s:d:n:")) != -1) {
		if (opt == 's')
			only_size = (size_t)atoi(optarg);
		else if (opt == 'd')
			only_dir = optarg;
		else if (opt == 'n')
			reads = (unsigned)atoi(optarg);
		else if (opt == 't')
			secs = atof(optarg);
		else if (opt == 'r')
			reps = (unsigned)atoi(optarg) ? (unsigned)atoi(optarg) : 1;
		else if (opt == 'o')
			out_path = optarg;
		else {
			fprintf(stderr,
				"usage: %s [-t SECONDS] [-r RUNS] [-s SIZE] [-d up|down|both] "
				"[-n READS] [-o FILE]\n",
				argv[0]);
			return 2;
		}
	}
	pin_cpu(0);
	if (private_netns("bench_pump"))
		return 77;
	inet_pton(AF_INET, "10.99.0.1", &local);
	inet_pton(AF_INET, "10.99.0.2", &peer);
	c.v4_addr = local;
	ret = qnet_tun_open(&tun, "qbench0", err, sizeof(err));
	if (ret == 0)
		ret = qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err,
					 sizeof(err));
	if (ret != 0) {
		fprintf(stderr, "bench_pump: %s\n", err);
		return 1;
	}
	/* The downlink's destination: bound, never read, so the kernel drops after delivery. */
	rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	{
		struct sockaddr_in me = { .sin_family = AF_INET,
					  .sin_port = htons(5555),
					  .sin_addr = local };
		int small = 4096;

		setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
		if (bind(rx, (struct sockaddr *)&me, sizeof(me)) < 0)
			perror("bind");
	}
	o = open_memstream(&text, &text_len);
	uname(&u);
	fprintf(o, "qmiusb host pump benchmark: in-memory endpoint + real TUN, no USB\n");
	fprintf(o,
		"kernel %s, %ld CPUs, best of %u runs of %.1f s, endpoint %d slots, downlink "
		"bursts of %d\n",
		u.release, sysconf(_SC_NPROCESSORS_ONLN), reps, secs, SLOTS, BURST);
	fprintf(o,
		"uring-ms: io_uring, multishot TUN read on a provided-buffer ring (Linux 6.7+);\n"
		"uring-fix: io_uring, %u fixed reads in flight on registered buffers; poll: poll()\n",
		reads ? reads : 16);
	fprintf(o,
		""
		"uplink load: a separate process sending UDP through the TUN (its CPU not counted)\n"
		"cpu us/pkt: user+system time of the pump process per packet moved\n");
	{
		double la[1];

		if (getloadavg(la, 1) == 1)
			fprintf(o,
				"load average at start: %.2f (other work on the machine lowers the "
				"figures)\n",
				la[0]);
	}
#if defined(__SANITIZE_ADDRESS__)
	fprintf(o, "WARNING: built with AddressSanitizer; figures are not representative\n");
#endif
	fprintf(o, "\n%5s %-5s %-9s %12s %12s %8s %11s %8s\n", "size", "dir", "loop", "up pkt/s",
		"down pkt/s", "Gbit/s", "cpu us/pkt", "drops");
	for (si = 0; si < 3; si++) {
		for (di = 0; di < 3; di++) {
			struct result r[NVARIANT];
			int k;

			if ((only_size && only_size != sizes[si]) ||
			    (only_dir && strcmp(only_dir, dir_name[dirs[di]])))
				continue;
			for (k = 0; k < NVARIANT; k++) {
				unsigned rep;

				memset(&r[k], 0, sizeof(r[k]));
				/* Best of `reps`: other load on the machine only ever slows a run. */
				for (rep = 0, ret = 0; rep < reps && ret == 0; rep++) {
					struct result one;

					memset(&one, 0, sizeof(one));
					ret = run_one((enum variant)k, dirs[di], sizes[si], secs,
						      tun, local, peer, &one);
					if (ret == 0 &&
					    one.pps_up + one.pps_down > r[k].pps_up + r[k].pps_down)
						r[k] = one;
				}
				if (ret < 0) {
					fprintf(o, "%5zu %-5s %-9s not run: %s\n", sizes[si],
						dir_name[dirs[di]], variant_name[k],
						strerror(-ret));
					continue;
				}
				fprintf(o, "%5zu %-5s %-9s %12.0f %12.0f %8.3f %11.3f %8llu\n",
					sizes[si], dir_name[dirs[di]], variant_name[k], r[k].pps_up,
					r[k].pps_down, r[k].gbit, r[k].us_per_pkt,
					(unsigned long long)r[k].drops);
				fflush(o);
			}
			for (k = 0; k < V_POLL; k++) {
				double pu = r[k].pps_up + r[k].pps_down;
				double pp = r[V_POLL].pps_up + r[V_POLL].pps_down;

				if (pu > 0 && pp > 0)
					fprintf(o,
						"%5s %-5s %-9s  %s/poll: x%.2f pkt/s, x%.2f cpu/pkt\n",
						"", "", "", variant_name[k], pu / pp,
						r[k].us_per_pkt / r[V_POLL].us_per_pkt);
			}
		}
	}
	fclose(o);
	fputs(text, stdout);
	if (out_path)
		write_report("bench_pump", out_path, "w", text);
	free(text);
	close(rx);
	qnet_netconf_undo(nc);
	qnet_tun_close(tun);
	return 0;
}
