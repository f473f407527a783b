/* SPDX-License-Identifier: MIT */
/*
 * UDP echo load for the VM benchmarks, open loop (-r: datagrams sent at a fixed rate whatever
 * comes back, so the cost of a packet is measured below saturation) or closed loop (-i: a fixed
 * number in flight). Every answer from the reflector (the software modem in data=reflect mode)
 * is checked byte for byte, and carries its send time, so round trips are exact.
 *
 * Besides the whole machine's busy time (the window less /proc/stat's idle time, which NOHZ
 * keeps exact, if in 10 ms units) it accounts, over the same window, the processes named with
 * -p (run time from every thread's schedstat, exact where /proc/PID/stat's utime and stime
 * are samples of a 250 Hz tick that a paced load can beat against; context switches from every
 * thread's status; read- and write-class calls from /proc/PID/io), itself ("load"), and the
 * kernel's threads (children of kthreadd: ksoftirqd, kworkers).
 * With -s it also counts every system call of those processes, through a tracefs histogram on
 * raw_syscalls:sys_enter; that adds work to every system call, so the CPU of such a run is not
 * comparable and the caller runs it apart.
 *
 * Usage: udp_rate [-r RATE | -i INFLIGHT | -z] [-t SECONDS] [-p NAME=PID]... [-s] SRC DST SIZE
 * Prints one line of key=value: figures per echo (one datagram each way); with -z nothing is
 * sent and the figures are per second, the floor the machine costs with the path up and idle.
 */
#include "udp_rate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HDR 16 /* sequence number, 4 bytes of zero, send time in ns */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Payloads are windows into one precomputed pattern: each differs, checking costs a memcmp. */
#define PATTERN_SPAN 251
static unsigned char pattern[65536 + PATTERN_SPAN];

static void fill(unsigned char *p, size_t n, uint32_t seq)
{
	uint64_t t = now_ns();

	memset(p, 0, HDR);
	memcpy(p, &seq, 4);
	memcpy(p + 8, &t, 8);
	memcpy(p + HDR, pattern + seq % PATTERN_SPAN, n - HDR);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

struct run {
	int s;
	size_t payload;
	unsigned char out[65536], in[65536];
	uint32_t seq;
	uint64_t echoes, corrupt, send_errors;
	uint32_t *rtt; /* microseconds, one per echo, up to cap */
	size_t nrtt, cap;
};

static void send_one(struct run *r)
{
	fill(r->out, r->payload, r->seq++);
	if (send(r->s, r->out, r->payload, 0) < 0)
		r->send_errors++; /* counted: a refused or full path shows as a loss */
}

/* Takes every answer waiting; returns how many. */
static unsigned drain(struct run *r)
{
	unsigned got = 0;
	ssize_t n;

	while ((n = recv(r->s, r->in, sizeof(r->in), MSG_DONTWAIT)) >= 0) {
		uint32_t seq;
		uint64_t t;

		if ((size_t)n < HDR)
			continue;
		memcpy(&seq, r->in, 4);
		memcpy(&t, r->in + 8, 8);
		if ((size_t)n != r->payload ||
		    memcmp(r->in + HDR, pattern + seq % PATTERN_SPAN, r->payload - HDR))
			r->corrupt++;
		r->echoes++;
		got++;
		if (r->nrtt < r->cap)
			r->rtt[r->nrtt++] = (uint32_t)((now_ns() - t) / 1000);
	}
	return got;
}

static void wait_in(struct run *r, uint64_t until)
{
	struct pollfd pfd = { .fd = r->s, .events = POLLIN };
	uint64_t now = now_ns();
	struct timespec ts;

	if (until <= now)
		return;
	ts.tv_sec = (time_t)((until - now) / 1000000000u);
	ts.tv_nsec = (long)((until - now) % 1000000000u);
	ppoll(&pfd, 1, &ts, NULL);
}

int main(int argc, char **argv)
{
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(5000) };
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct udp_rate_opts o;
	struct ur_snap a, b;
	static struct run r;
	uint64_t t0, t1, end;
	size_t size;
	unsigned i;
	char err[128];

	if (udp_rate_parse(&o, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "udp_rate: %s\n", err);
		fprintf(stderr, "usage: udp_rate [-r RATE | -i INFLIGHT | -z] [-t SECONDS] "
				"[-p NAME=PID]... [-s] SRC DST SIZE\n");
		return 2;
	}
	size = o.size;
	if (inet_pton(AF_INET, o.src, &src.sin_addr) != 1 ||
	    inet_pton(AF_INET, o.dst, &dst.sin_addr) != 1) {
		fprintf(stderr, "udp_rate: bad address\n");
		return 2;
	}
	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (unsigned char)(i * 31 + (i >> 8));
	r.payload = size - 28; /* IPv4 + UDP headers */
	r.cap = o.rate ? (size_t)(o.rate * o.secs) + 1024 : 1u << 22;
	r.rtt = calloc(r.cap, sizeof(*r.rtt));
	r.s = socket(AF_INET, SOCK_DGRAM, 0);
	if (!r.rtt || r.s < 0 || bind(r.s, (struct sockaddr *)&src, sizeof(src)) < 0 ||
	    connect(r.s, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		perror("udp_rate: socket");
		return 1;
	}
	o.pids[o.npids].pid = getpid();
	snprintf(o.pids[o.npids].name, sizeof(o.pids[o.npids].name), "load");
	o.npids++;
	if (o.syscalls && ur_syscalls_start() < 0)
		o.syscalls = false;
	ur_snap_take(&a, &o);
	t0 = now_ns();
	end = t0 + (uint64_t)(o.secs * 1e9);
	if (o.idle) {
		wait_in(&r, end);
		drain(&r);
	} else if (o.rate) {
		uint64_t period = 1000000000u / o.rate, next = t0;

		while (next < end) {
			if (now_ns() >= next) {
				send_one(&r);
				next += period;
				continue;
			}
			wait_in(&r, next);
			drain(&r);
		}
		/* late answers are still answers: up to 300 ms more for them */
		while (r.echoes < r.seq && now_ns() < end + 300000000u) {
			wait_in(&r, now_ns() + 10000000u);
			drain(&r);
		}
	} else {
		uint64_t last = t0;

		for (i = 0; i < o.inflight; i++)
			send_one(&r);
		while (now_ns() < end) {
			unsigned got;

			wait_in(&r, now_ns() + 500000000u);
			got = drain(&r);
			if (got)
				last = now_ns();
			else if (now_ns() - last >= 500000000u) {
				send_one(&r); /* a lost one would shrink the window for good */
				last = now_ns();
			}
			while (got--)
				send_one(&r);
		}
	}
	t1 = now_ns();
	ur_snap_take(&b, &o);
	if (o.syscalls)
		ur_syscalls_stop(&b, &o);
	qsort(r.rtt, r.nrtt, sizeof(*r.rtt), cmp_u32);
	printf("%spps=%.0f sent=%u send_err=%llu echoes=%llu lost=%lld corrupt=%llu",
	       o.idle ? "idle=1 " : "", o.idle ? 0.0 : (double)r.echoes * 1e9 / (double)(t1 - t0),
	       r.seq, (unsigned long long)r.send_errors, (unsigned long long)r.echoes,
	       o.rate ? (long long)r.seq - (long long)r.echoes : 0LL,
	       (unsigned long long)r.corrupt);
	if (r.nrtt)
		printf(" rtt_p50_us=%u rtt_p99_us=%u", r.rtt[r.nrtt / 2], r.rtt[r.nrtt * 99 / 100]);
	ur_snap_print(&a, &b, &o, o.idle ? (double)(t1 - t0) / 1e9 : (double)r.echoes);
	printf("\n");
	free(r.rtt);
	close(r.s);
	return r.corrupt ? 1 : 0;
}
