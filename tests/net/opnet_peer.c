/* SPDX-License-Identifier: MIT */
/*
 * qmiusb-opnet-peer: the far end of a data path test, and the client that checks it.
 *
 *   serve PORT [NETNS]            TCP and UDP echo on [::]:PORT (IPv4 too), inside NETNS (a
 *                                 path, or a name under /run/netns) when given; prints
 *                                 "listening on PORT" once ready; runs until SIGTERM/SIGINT.
 *   tcp ADDR PORT BYTES [SEED]    sends BYTES of a pseudo-random stream over one connection
 *                                 and checks that every echoed byte matches.
 *   udp ADDR PORT COUNT SIZE [SEED]   COUNT datagrams of SIZE bytes, one at a time, each
 *                                 echo checked byte by byte (a lost one is sent again).
 *
 * Exit 0 with one summary line on success; 1 with the reason (first wrong byte, stall) on
 * stderr; 2 for bad usage. Used by tests/net/test_opnet.c and tests/vm/guest.d/65-operator-net.sh;
 * the time limits only keep a broken path from hanging a test, nothing measures speed.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define STALL_MS 10000   /* no progress for this long: the path is broken */
#define UDP_WAIT_MS 1000 /* a datagram not echoed by then is sent again */
#define UDP_TRIES 5
#define MAX_CONNS 16
#define CONN_BUF 65536

/* xorshift64: the same seed gives the same stream on both sides of the comparison. */
struct prng {
	uint64_t s;
};

static void prng_init(struct prng *r, uint64_t seed)
{
	r->s = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
	if (!r->s)
		r->s = 1;
}

static void prng_fill(struct prng *r, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		r->s ^= r->s << 13;
		r->s ^= r->s >> 7;
		r->s ^= r->s << 17;
		p[i] = (uint8_t)(r->s >> 32);
	}
}

static int parse_u(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	return (errno || end == s || *end || *out > max) ? -1 : 0;
}

static int enter_netns(const char *ns)
{
	char path[256];
	int fd, ret;

	snprintf(path, sizeof(path), strchr(ns, '/') ? "%s" : "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "opnet-peer: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ret = setns(fd, CLONE_NEWNET);
	if (ret < 0)
		fprintf(stderr, "opnet-peer: setns %s: %s\n", path, strerror(errno));
	close(fd);
	return ret;
}

/* ---- serve ---- */

struct conn {
	int fd; /* -1: free slot */
	uint8_t buf[CONN_BUF];
	size_t off, len; /* echo bytes not yet written back */
	bool eof;
};

static int listen_on(int type, unsigned port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons((uint16_t)port),
				  .sin6_addr = IN6ADDR_ANY_INIT };
	int one = 1, zero = 0;
	int fd = socket(AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 8) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
}

/* Reads what the peer sent when the echo buffer is empty, writes it back; a full send buffer
 * pauses reading (poll waits for POLLOUT), so nothing is queued without bound. */
static void conn_service(struct conn *c)
{
	ssize_t n;

	if (c->len == 0 && !c->eof) {
		n = read(c->fd, c->buf, sizeof(c->buf));
		if (n == 0)
			c->eof = true;
		else if (n < 0 && errno != EAGAIN && errno != EINTR)
			c->eof = true;
		else if (n > 0) {
			c->off = 0;
			c->len = (size_t)n;
		}
	}
	while (c->len) {
		n = write(c->fd, c->buf + c->off, c->len);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				conn_close(c);
			return;
		}
		c->off += (size_t)n;
		c->len -= (size_t)n;
	}
	if (c->eof && c->fd >= 0)
		conn_close(c); /* everything echoed: the client sees EOF after its last byte */
}

static int serve(unsigned port)
{
	static struct conn conns[MAX_CONNS];
	struct pollfd pfd[3 + MAX_CONNS];
	sigset_t mask;
	int lfd, ufd, sfd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	lfd = listen_on(SOCK_STREAM, port);
	ufd = listen_on(SOCK_DGRAM, port);
	if (sfd < 0 || lfd < 0 || ufd < 0) {
		fprintf(stderr, "opnet-peer: cannot listen on port %u: %s\n", port,
			strerror(errno));
		return 1;
	}
	for (int i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	printf("listening on %u\n", port);
	fflush(stdout);
	for (;;) {
		int n = 0;

		pfd[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = ufd, .events = POLLIN };
		for (int i = 0; i < MAX_CONNS; i++)
			pfd[n++] = (struct pollfd){ .fd = conns[i].fd,
						    .events = conns[i].len ? POLLOUT : POLLIN };
		if (poll(pfd, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (pfd[0].revents)
			break;
		if (pfd[1].revents) {
			int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
			int i;

			for (i = 0; fd >= 0 && i < MAX_CONNS && conns[i].fd >= 0; i++)
				;
			if (fd >= 0 && i == MAX_CONNS)
				close(fd);
			else if (fd >= 0)
				conns[i] = (struct conn){ .fd = fd };
		}
		if (pfd[2].revents) {
			struct sockaddr_storage from;
			socklen_t flen = sizeof(from);
			uint8_t dg[65536];
			ssize_t len = recvfrom(ufd, dg, sizeof(dg), 0, (struct sockaddr *)&from,
					       &flen);

			if (len >= 0)
				sendto(ufd, dg, (size_t)len, 0, (struct sockaddr *)&from, flen);
		}
		for (int i = 0; i < MAX_CONNS; i++)
			if (conns[i].fd >= 0 && pfd[3 + i].revents)
				conn_service(&conns[i]);
	}
	for (int i = 0; i < MAX_CONNS; i++)
		if (conns[i].fd >= 0)
			conn_close(&conns[i]);
	close(lfd);
	close(ufd);
	close(sfd);
	return 0;
}

/* ---- clients ---- */

static int connect_to(const char *addr, const char *port, int type)
{
	struct addrinfo hints = { .ai_socktype = type,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *ai;
	int fd, ret;

	ret = getaddrinfo(addr, port, &hints, &ai);
	if (ret) {
		fprintf(stderr, "opnet-peer: %s port %s: %s\n", addr, port, gai_strerror(ret));
		return -1;
	}
	fd = socket(ai->ai_family, type | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		fprintf(stderr, "opnet-peer: connect to %s port %s: %s\n", addr, port,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static int tcp_client(const char *addr, const char *port, size_t total, uint64_t seed)
{
	struct prng tx, rx;
	uint8_t out[16384], in[16384], want[16384];
	size_t sent = 0, got = 0, out_off = 0, out_len = 0;
	int fd = connect_to(addr, port, SOCK_STREAM), rc = 1;

	if (fd < 0)
		return 1;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	prng_init(&tx, seed);
	prng_init(&rx, seed);
	while (got < total) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (sent < total || out_len)
			pfd.events |= POLLOUT;
		n = poll(&pfd, 1, STALL_MS);
		if (n == 0) {
			fprintf(stderr,
				"opnet-peer: tcp stalled: %zu of %zu bytes sent, %zu echoed\n",
				sent, total, got);
			goto out;
		}
		if (n < 0)
			continue;
		if (pfd.revents & POLLOUT) {
			if (!out_len && sent < total) {
				out_len = total - sent < sizeof(out) ? total - sent : sizeof(out);
				prng_fill(&tx, out, out_len);
				out_off = 0;
			}
			n = write(fd, out + out_off, out_len);
			if (n > 0) {
				out_off += (size_t)n;
				out_len -= (size_t)n;
				sent += (size_t)n;
				if (sent == total && !out_len)
					shutdown(fd, SHUT_WR);
			}
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(fd, in, sizeof(in));
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				fprintf(stderr,
					"opnet-peer: tcp connection ended after %zu of %zu "
					"echoed bytes: %s\n",
					got, total, n ? strerror(errno) : "EOF");
				goto out;
			}
			if (n > 0) {
				if (got + (size_t)n > total) {
					fprintf(stderr,
						"opnet-peer: tcp: more bytes echoed than sent\n");
					goto out;
				}
				prng_fill(&rx, want, (size_t)n);
				for (ssize_t i = 0; i < n; i++)
					if (in[i] != want[i]) {
						fprintf(stderr,
							"opnet-peer: tcp: byte %zu differs: 0x%02x, "
							"sent 0x%02x\n",
							got + (size_t)i, in[i], want[i]);
						goto out;
					}
				got += (size_t)n;
			}
		}
	}
	printf("tcp: %zu bytes echoed byte-exact\n", got);
	rc = 0;
out:
	close(fd);
	return rc;
}

static int udp_client(const char *addr, const char *port, unsigned long count, size_t size,
		      uint64_t seed)
{
	uint8_t dg[65536], in[65536];
	unsigned long resent = 0;
	int fd = connect_to(addr, port, SOCK_DGRAM), rc = 1;

	if (fd < 0)
		return 1;
	for (unsigned long i = 0; i < count; i++) {
		struct prng r;
		int tries = 0;
		bool echoed = false;

		/* Each datagram starts with its number, so a late echo of an earlier one is
		 * recognised and skipped, not mistaken for corruption. */
		prng_init(&r, seed + i);
		prng_fill(&r, dg, size);
		for (int b = 0; b < 4 && (size_t)b < size; b++)
			dg[b] = (uint8_t)(i >> (8 * b));
		while (!echoed && tries < UDP_TRIES) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };

			if (send(fd, dg, size, 0) != (ssize_t)size) {
				fprintf(stderr, "opnet-peer: udp send: %s\n", strerror(errno));
				goto out;
			}
			if (tries++)
				resent++;
			while (!echoed && poll(&pfd, 1, UDP_WAIT_MS) > 0) {
				ssize_t n = recv(fd, in, sizeof(in), 0);

				if (n < 0) {
					fprintf(stderr, "opnet-peer: udp recv: %s\n",
						strerror(errno));
					goto out;
				}
				if (size >= 4 && (size_t)n >= 4 && memcmp(in, dg, 4))
					continue; /* an earlier datagram's late echo */
				if ((size_t)n != size || memcmp(in, dg, size)) {
					size_t at = 0;

					while (at < size && at < (size_t)n && in[at] == dg[at])
						at++;
					fprintf(stderr,
						"opnet-peer: udp datagram %lu: %zd bytes back for "
						"%zu sent, first difference at byte %zu\n",
						i, n, size, at);
					goto out;
				}
				echoed = true;
			}
		}
		if (!echoed) {
			fprintf(stderr, "opnet-peer: udp datagram %lu never echoed (%d tries)\n", i,
				tries);
			goto out;
		}
	}
	printf("udp: %lu datagrams of %zu bytes echoed byte-exact (%lu sent again)\n", count, size,
	       resent);
	rc = 0;
out:
	close(fd);
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: qmiusb-opnet-peer serve PORT [NETNS]\n"
			"       qmiusb-opnet-peer tcp ADDR PORT BYTES [SEED]\n"
			"       qmiusb-opnet-peer udp ADDR PORT COUNT SIZE [SEED]\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long port, a, b, seed = 1;

	signal(SIGPIPE, SIG_IGN);
	if (argc >= 3 && argc <= 4 && !strcmp(argv[1], "serve")) {
		if (parse_u(argv[2], 65535, &port) < 0 || port == 0)
			return usage();
		if (argc == 4 && enter_netns(argv[3]) < 0)
			return 1;
		return serve((unsigned)port);
	}
	if (argc >= 5 && argc <= 6 && !strcmp(argv[1], "tcp")) {
		if (parse_u(argv[3], 65535, &port) < 0 || parse_u(argv[4], 1ul << 34, &a) < 0 ||
		    a == 0 || (argc == 6 && parse_u(argv[5], ~0ul, &seed) < 0))
			return usage();
		return tcp_client(argv[2], argv[3], a, seed);
	}
	if (argc >= 6 && argc <= 7 && !strcmp(argv[1], "udp")) {
		if (parse_u(argv[3], 65535, &port) < 0 || parse_u(argv[4], 1ul << 24, &a) < 0 ||
		    parse_u(argv[5], 65507, &b) < 0 || b < 4 ||
		    (argc == 7 && parse_u(argv[6], ~0ul, &seed) < 0))
			return usage();
		return udp_client(argv[2], argv[3], a, (size_t)b, seed);
	}
	return usage();
}
