/* SPDX-License-Identifier: MIT */
/*
 * The measuring half of bench/soak (the script drives `qmiusb`; this program counts).
 *
 *   soak_tool load -4 ADDR [-6 ADDR] [-r PPS] [-s BYTES] -t SECONDS [-l LOSTFILE]
 *     ICMP/ICMPv6 echo to the software modem's gateways at a fixed rate per family, every
 *     answer checked byte for byte. Prints per family: sent, answered, lost, send errors,
 *     corrupt and duplicate answers. Every request without an answer goes to LOSTFILE as
 *     "FAMILY REALTIME SEQ lost|senderr" so that the script can tell the ones sent while the
 *     network had dropped the call from real losses. Needs raw sockets (root).
 *
 *   soak_tool cids [-S SOCKET] DEVICE_PATH
 *     Which client ids the modem behind a qmi-proxy has allocated, per service: one request
 *     on every id 1..254 of wds, dms, nas, uim and wda through the proxy; the software modem
 *     answers InvalidClientId exactly for ids it has not allocated. Prints
 *     "wds=N dms=N nas=N uim=N wda=N total=N" and the ids. The proxy adopts every id this
 *     connection touched and, after its grace period, releases the ones nobody holds: run it
 *     when nothing else allocates ids.
 */
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/loop.h"
#include "proxy/proxy.h"
#include "qmi/device.h"
#include "qmi/messages.h"
#include "qmi/qmux.h"
#include "qmi/tlv.h"
#include "qmi/errors.h"

#define MAGIC 0x51534f4bu /* "QSOK" */
#define HDR 8             /* magic + sequence number at the start of every payload */
#define DRAIN_MS 2000     /* answers later than this after the last request count as lost */

enum {
	ST_NONE,
	ST_SENT,
	ST_ANSWERED,
	ST_SENDERR
};

struct flow {
	int family, fd;
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} to;
	socklen_t tolen;
	uint8_t *state;   /* per sequence number */
	int64_t *sent_us; /* CLOCK_REALTIME of each request, for LOSTFILE */
	uint32_t next, cap;
	uint64_t answered, senderr, corrupt, dups, foreign;
};

static volatile sig_atomic_t stop_now;

static void on_signal(int sig)
{
	(void)sig;
	stop_now = 1;
}

static int64_t now_us(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint16_t csum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;

	for (; n > 1; n -= 2, b += 2)
		s += (uint32_t)b[0] << 8 | b[1];
	if (n)
		s += (uint32_t)b[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)~s);
}

/* The payload after the header: a function of the sequence number, so a corrupted or
 * misdelivered answer is caught. */
static void fill(uint8_t *p, size_t n, uint32_t seq)
{
	uint32_t v[2] = { htonl(MAGIC), htonl(seq) };

	memcpy(p, v, HDR);
	for (size_t i = HDR; i < n; i++)
		p[i] = (uint8_t)(seq * 31u + i);
}

static int flow_open(struct flow *f, int family, const char *addr, uint32_t cap)
{
	f->family = family;
	f->cap = cap;
	f->state = calloc(cap, 1);
	f->sent_us = calloc(cap, sizeof(*f->sent_us));
	if (!f->state || !f->sent_us)
		return -ENOMEM;
	if (family == AF_INET) {
		f->to.v4.sin_family = AF_INET;
		f->tolen = sizeof(f->to.v4);
		if (inet_pton(AF_INET, addr, &f->to.v4.sin_addr) != 1)
			return -EINVAL;
		f->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
	} else {
		f->to.v6.sin6_family = AF_INET6;
		f->tolen = sizeof(f->to.v6);
		if (inet_pton(AF_INET6, addr, &f->to.v6.sin6_addr) != 1)
			return -EINVAL;
		f->fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	}
	return f->fd < 0 ? -errno : 0;
}

static void flow_send(struct flow *f, uint16_t ident, size_t size)
{
	uint8_t pkt[2048];
	uint32_t seq = f->next++;
	struct icmphdr *h = (struct icmphdr *)pkt; /* same first 8 bytes for ICMPv6 echo */

	if (seq >= f->cap)
		return;
	memset(h, 0, sizeof(*h));
	h->type = f->family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	h->un.echo.id = htons(ident);
	h->un.echo.sequence = htons((uint16_t)seq);
	fill(pkt + sizeof(*h), size, seq);
	if (f->family == AF_INET)
		h->checksum = csum(pkt, sizeof(*h) + size); /* the kernel does ICMPv6's */
	f->sent_us[seq] = now_us(CLOCK_REALTIME);
	if (sendto(f->fd, pkt, sizeof(*h) + size, 0, (struct sockaddr *)&f->to, f->tolen) < 0) {
		f->state[seq] = ST_SENDERR;
		f->senderr++;
	} else {
		f->state[seq] = ST_SENT;
	}
}

static void flow_recv(struct flow *f, uint16_t ident, size_t size)
{
	uint8_t buf[4096], want[2048];
	ssize_t n;

	while ((n = recv(f->fd, buf, sizeof(buf), 0)) > 0) {
		const uint8_t *p = buf;
		size_t len = (size_t)n;
		const struct icmphdr *h;
		uint32_t v[2], seq;

		if (f->family == AF_INET) { /* raw IPv4 sockets see the IP header */
			size_t ihl = (size_t)(buf[0] & 0x0f) * 4;

			if (len < ihl)
				continue;
			p += ihl;
			len -= ihl;
		}
		if (len < sizeof(*h) + HDR)
			continue;
		h = (const struct icmphdr *)p;
		if (h->type != (f->family == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY) ||
		    ntohs(h->un.echo.id) != ident)
			continue;
		memcpy(v, p + sizeof(*h), HDR);
		seq = ntohl(v[1]);
		if (ntohl(v[0]) != MAGIC || seq >= f->next) {
			f->foreign++;
			continue;
		}
		fill(want, size, seq);
		if (len != sizeof(*h) + size || memcmp(want, p + sizeof(*h), size) != 0) {
			f->corrupt++;
			continue;
		}
		if (f->state[seq] == ST_ANSWERED) {
			f->dups++;
			continue;
		}
		f->state[seq] = ST_ANSWERED;
		f->answered++;
	}
}

static void flow_report(const struct flow *f, FILE *lost)
{
	uint64_t nlost = 0;

	for (uint32_t s = 0; s < f->next && s < f->cap; s++) {
		if (f->state[s] != ST_SENT && f->state[s] != ST_SENDERR)
			continue;
		if (f->state[s] == ST_SENT)
			nlost++;
		if (lost)
			fprintf(lost, "%d %lld.%06lld %u %s\n", f->family == AF_INET ? 4 : 6,
				(long long)(f->sent_us[s] / 1000000),
				(long long)(f->sent_us[s] % 1000000), s,
				f->state[s] == ST_SENT ? "lost" : "senderr");
	}
	printf("IPv%d: sent %u answered %llu lost %llu send_errors %llu corrupt %llu "
	       "duplicates %llu\n",
	       f->family == AF_INET ? 4 : 6, f->next < f->cap ? f->next : f->cap,
	       (unsigned long long)f->answered, (unsigned long long)nlost,
	       (unsigned long long)f->senderr, (unsigned long long)f->corrupt,
	       (unsigned long long)f->dups);
}

static int cmd_load(int argc, char **argv)
{
	const char *a4 = NULL, *a6 = NULL, *lostpath = NULL;
	unsigned rate = 200, secs = 0;
	size_t size = 512;
	struct flow fl[2];
	struct pollfd pfd[2];
	FILE *lost = NULL;
	uint16_t ident = (uint16_t)getpid();
	int nf = 0, opt, ret = 1;
	int64_t start, next, end, period;

	memset(fl, 0, sizeof(fl));
	fl[0].fd = fl[1].fd = -1;
	while ((opt = getopt(argc, argv, "4:6:r:s:t:l:")) != -1) {
		switch (opt) {
		case '4':
			a4 = optarg;
			break;
		case '6':
			a6 = optarg;
			break;
		case 'r':
			rate = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 's':
			size = strtoul(optarg, NULL, 10);
			break;
		case 't':
			secs = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'l':
			lostpath = optarg;
			break;
		default:
			return 2;
		}
	}
	if ((!a4 && !a6) || !rate || rate > 100000 || !secs || size < HDR || size > 1400) {
		fprintf(stderr,
			"soak_tool load: -4/-6 ADDR, -r 1..100000, -s 8..1400, -t SECONDS\n");
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	for (int i = 0; i < 2; i++) {
		const char *a = i ? a6 : a4;
		int err;

		if (!a)
			continue;
		err = flow_open(&fl[nf], i ? AF_INET6 : AF_INET, a, rate * secs + 1);
		if (err < 0) {
			fprintf(stderr, "soak_tool load: %s: %s\n", a, strerror(-err));
			goto out;
		}
		pfd[nf].fd = fl[nf].fd;
		pfd[nf].events = POLLIN;
		nf++;
	}
	period = 1000000 / rate;
	start = next = now_us(CLOCK_MONOTONIC);
	end = start + (int64_t)secs * 1000000;
	while (!stop_now) {
		int64_t now = now_us(CLOCK_MONOTONIC);
		int64_t until = next < end ? next : end + DRAIN_MS * 1000;

		if (now >= end + DRAIN_MS * 1000)
			break;
		if (now >= next && next < end) {
			/* Behind schedule (a busy host) sends at most a few at once, no burst. */
			for (int k = 0; k < 4 && now >= next && next < end; k++, next += period)
				for (int i = 0; i < nf; i++)
					flow_send(&fl[i], ident, size);
			if (now - next > period * 4)
				next = now;
			continue;
		}
		if (poll(pfd, (nfds_t)nf, (int)((until - now + 999) / 1000)) > 0)
			for (int i = 0; i < nf; i++)
				if (pfd[i].revents)
					flow_recv(&fl[i], ident, size);
	}
	if (lostpath && !(lost = fopen(lostpath, "w"))) {
		fprintf(stderr, "soak_tool load: %s: %s\n", lostpath, strerror(errno));
		goto out;
	}
	for (int i = 0; i < nf; i++)
		flow_report(&fl[i], lost);
	ret = 0;
out:
	if (lost)
		fclose(lost);
	for (int i = 0; i < 2; i++) {
		if (fl[i].fd >= 0)
			close(fl[i].fd);
		free(fl[i].state);
		free(fl[i].sent_us);
	}
	return ret;
}

static int cmd_cids(int argc, char **argv)
{
	static const struct {
		uint8_t svc;
		uint16_t msg;
	} probes[] = {
		{ QMI_SVC_WDS, QMI_WDS_GET_PACKET_SERVICE_STATUS },
		{ QMI_SVC_DMS, QMI_DMS_GET_IDS },
		{ QMI_SVC_NAS, QMI_NAS_GET_SERVING_SYSTEM },
		{ QMI_SVC_UIM, QMI_UIM_GET_CARD_STATUS },
		{ QMI_SVC_WDA, QMI_WDA_GET_DATA_FORMAT },
	};
	const char *sock = NULL;
	struct qb_loop *loop = NULL;
	struct qmi_dev *dev = NULL;
	struct qmi_transport tr;
	struct qmi_dev_opts o = { .timeout_ms = 3000 };
	unsigned total = 0;
	char ids[5][1024];
	int opt, err, ret = 1;

	while ((opt = getopt(argc, argv, "S:")) != -1) {
		if (opt != 'S')
			return 2;
		sock = optarg;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: soak_tool cids [-S SOCKET] DEVICE_PATH\n");
		return 2;
	}
	err = qb_loop_new(&loop, QB_LOOP_POLL);
	if (err == 0)
		err = qprx_client_transport_open(&tr, sock, argv[optind], NULL, NULL);
	if (err == 0)
		err = qmi_dev_new(&dev, loop, tr, &o);
	if (err < 0) {
		fprintf(stderr, "soak_tool cids: %s: %s\n", argv[optind], strerror(-err));
		goto out;
	}
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		unsigned n = 0;
		size_t at = 0;

		ids[i][0] = '\0';
		for (unsigned cid = 1; cid <= 254; cid++) {
			uint8_t buf[QMI_FRAME_MAX];
			struct qmi_frame resp;
			struct qmi_result r;

			err = qmi_dev_call_raw(dev, probes[i].svc, (uint8_t)cid, probes[i].msg,
					       NULL, 0, 0, buf, sizeof(buf), &resp);
			if (err == 0)
				err = qmi_result_get(&resp, &r);
			if (err) {
				fprintf(stderr, "soak_tool cids: %s/%u: %s\n",
					qmi_service_name(probes[i].svc), cid, strerror(-err));
				goto out;
			}
			if (r.status != 0 && r.error == QMI_ERR_INVALID_CLIENT_ID)
				continue;
			n++;
			at += (size_t)snprintf(ids[i] + at, sizeof(ids[i]) - at, " %u", cid);
		}
		total += n;
		printf("%s%s=%u", i ? " " : "", qmi_service_name(probes[i].svc), n);
	}
	printf(" total=%u\n", total);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		if (ids[i][0])
			printf("  %s ids:%s\n", qmi_service_name(probes[i].svc), ids[i]);
	ret = 0;
out:
	qmi_dev_free(dev);
	qb_loop_free(loop);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "load"))
		return cmd_load(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "cids"))
		return cmd_cids(argc - 1, argv + 1);
	fprintf(stderr, "usage: soak_tool load|cids ...\n");
	return 2;
}
