/* SPDX-License-Identifier: MIT */
/*
 * UDP echo load for the VM benchmark: keeps N datagrams in flight toward a reflector (the
 * software modem in data=reflect mode swaps addresses and ports), checks every answer byte for
 * byte, and prints packets per second and the whole machine's CPU microseconds per echo
 * (/proc/stat), so the kernel path and qmiusb's path can be compared on the same load.
 *
 * Usage: udp_load SRC_IP DST_IP SIZE INFLIGHT SECONDS
 * Prints one line: "pps=N cpu_us=N echoes=N lost=N corrupt=N".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Busy and total jiffies over all CPUs. */
static void cpu_jiffies(unsigned long long *busy, unsigned long long *total)
{
	unsigned long long v[10] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int i;

	*busy = *total = 0;
	if (!f)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]) >= 4) {
		for (i = 0; i < 8; i++)
			*total += v[i];
		*busy = *total - v[3] - v[4]; /* minus idle and iowait */
	}
	fclose(f);
}

/* Payloads are a per-sequence window into one precomputed pattern: every datagram differs and
 * every answer is checked byte for byte, yet building one costs a copy, not a loop per byte. A
 * byte loop here cost a quarter of the VM's CPU and would dilute the very ratio being measured. */
#define PATTERN_SPAN 251 /* a prime, so the window's offset cycles through every residue */
static unsigned char pattern[65536 + PATTERN_SPAN];

static void pattern_init(void)
{
	size_t i;

	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (unsigned char)(i * 31 + (i >> 8));
}

static void fill(unsigned char *p, size_t n, unsigned seq)
{
	memcpy(p, &seq, 4);
	memcpy(p + 4, pattern + seq % PATTERN_SPAN, n - 4);
}

int main(int argc, char **argv)
{
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(5000) };
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(9) };
	unsigned char out[65536], in[65536];
	unsigned long long b0, t0j, b1, t1j, echoes = 0, lost = 0, corrupt = 0;
	unsigned seq = 0, inflight, i;
	size_t size, payload;
	double secs, t0, t;
	long hz = sysconf(_SC_CLK_TCK);
	int s;

	if (argc != 6) {
		fprintf(stderr, "usage: %s SRC_IP DST_IP SIZE INFLIGHT SECONDS\n", argv[0]);
		return 2;
	}
	size = (size_t)atoi(argv[3]);
	inflight = (unsigned)atoi(argv[4]);
	secs = atof(argv[5]);
	if (size < 32 || size > 65000 || !inflight || inflight > 1024 ||
	    inet_pton(AF_INET, argv[1], &src.sin_addr) != 1 ||
	    inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1) {
		fprintf(stderr, "udp_load: bad arguments\n");
		return 2;
	}
	payload = size - 28; /* IPv4 + UDP headers */
	pattern_init();
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&src, sizeof(src)) < 0 ||
	    connect(s, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		perror("udp_load: socket");
		return 1;
	}
	for (i = 0; i < inflight; i++) {
		fill(out, payload, seq++);
		send(s, out, payload, 0);
	}
	cpu_jiffies(&b0, &t0j);
	t0 = now_s();
	while ((t = now_s()) - t0 < secs) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		ssize_t n;
		unsigned got;

		if (poll(&pfd, 1, 500) <= 0) {
			/* A lost datagram would shrink the window for good: refill it. */
			lost++;
			fill(out, payload, seq++);
			send(s, out, payload, 0);
			continue;
		}
		n = recv(s, in, sizeof(in), 0);
		if (n < 4)
			continue;
		memcpy(&got, in, 4);
		if ((size_t)n != payload ||
		    memcmp(in + 4, pattern + got % PATTERN_SPAN, payload - 4))
			corrupt++;
		echoes++;
		fill(out, payload, seq++);
		send(s, out, payload, 0);
	}
	cpu_jiffies(&b1, &t1j);
	printf("pps=%.0f cpu_us=%.1f echoes=%llu lost=%llu corrupt=%llu\n",
	       (double)echoes / (t - t0),
	       echoes ? (double)(b1 - b0) * 1e6 / (double)hz / (double)echoes : 0.0, echoes, lost,
	       corrupt);
	return corrupt ? 1 : 0;
}
