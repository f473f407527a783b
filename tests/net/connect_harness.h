/* SPDX-License-Identifier: MIT */
/*
 * Test helpers shared by the connect tests (which run the real qmiusb with child.h): a private
 * runtime directory, so `status`/`disconnect` and the published proxy path see this test's
 * connection only, and an ICMP echo through the routing table (so through qmiusb's TUN).
 */
#ifndef TESTS_NET_CONNECT_HARNESS_H
#define TESTS_NET_CONNECT_HARNESS_H

#include "child.h"
#include "ippkt.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>

/* Makes a fresh directory from tmpl ("/tmp/NAME-XXXXXX") into dir and points var and
 * QMIUSB_RUNDIR (state files, the proxy's published path) at it. */
static inline void rundir_make(char *dir, size_t cap, const char *tmpl, const char *var)
{
	snprintf(dir, cap, "%s", tmpl);
	cr_assert_not_null(mkdtemp(dir));
	setenv(var, dir, 1);
	setenv("QMIUSB_RUNDIR", dir, 1);
}

/* Removes what rundir_make() made, once qmiusb has removed its files from it. */
static inline void rundir_remove(const char *dir)
{
	rmdir(dir);
}

/* A runtime directory of the test's own (what it planted included), removed at exit. */
static char test_rundir[64];

static void test_rundir_remove_all(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", test_rundir);
	if (system(cmd) != 0)
		fprintf(stderr, "couldn't remove %s\n", test_rundir);
}

static inline void test_rundir_make(const char *tmpl)
{
	rundir_make(test_rundir, sizeof(test_rundir), tmpl, "QMIUSB_TEST_RUNDIR");
	atexit(test_rundir_remove_all);
}

/* Starts `qmiusb -d sim ARGS...` (args NULL-terminated) as child c, its stderr into errfile
 * unless that is NULL (see child_start()). */
static inline void child_start_sim_err(struct child *c, const char *const *args,
				       const char *errfile)
{
	const char *argv[24] = { QMIUSB_BIN, "-d", "sim" };
	int n = 3;

	while (*args && n < 23)
		argv[n++] = *args++;
	argv[n] = NULL;
	child_start(c, argv, errfile);
}

static inline void child_start_sim(struct child *c, const char *const *args)
{
	child_start_sim_err(c, args, NULL);
}

/* The runtime directory child_start_own() made, removed at exit once qmiusb emptied it. */
static char own_rundir[64];

static void own_rundir_remove(void)
{
	rundir_remove(own_rundir);
}

/* Starts `qmiusb ARGS...` (args NULL-terminated) as child c. Unless QMIUSB_TEST_RUNDIR is set,
 * makes a runtime directory from tmpl first, so `status` finds this test's connection only. */
static inline void child_start_own(struct child *c, const char *tmpl, const char *const *args)
{
	const char *argv[40];
	int n = 0;

	if (!getenv("QMIUSB_TEST_RUNDIR")) {
		rundir_make(own_rundir, sizeof(own_rundir), tmpl, "QMIUSB_TEST_RUNDIR");
		atexit(own_rundir_remove);
	}
	argv[n++] = QMIUSB_BIN;
	while (*args && n < 39)
		argv[n++] = *args++;
	argv[n] = NULL;
	child_start(c, argv, NULL);
}

/* The text of the file at path, which must exist, into buf (NUL-terminated); returns buf. */
static inline char *file_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	cr_assert_not_null(f, "no file %s", path);
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* The state file `status` reads, as the running connect published it in QMIUSB_TEST_RUNDIR,
 * into buf (NUL-terminated). */
static inline void read_state(char *buf, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/sim.conn", getenv("QMIUSB_TEST_RUNDIR"));
	file_text(path, buf, len);
}

/* Waits until the connect child c printed its summary ("data path:" ends it), i.e. it is up. */
static inline void child_wait_up(struct child *c)
{
	cr_assert(child_wait_for(c, "data path:"), "%s", c->out);
}

/* One ICMP echo carrying payload to dst through the routing table; true when answered with the
 * same id and payload. The poll timeout only keeps a lost reply from hanging the suite. */
static inline bool ping4(const char *dst, uint16_t id, const char *payload)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t pkt[64] = { ICMP_ECHO, 0 }, in[256];
	size_t plen = strlen(payload);
	int s = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	uint16_t c;

	cr_assert_geq(s, 0, "raw socket: %s", strerror(errno));
	inet_pton(AF_INET, dst, &to.sin_addr);
	pkt[4] = (uint8_t)(id >> 8);
	pkt[5] = (uint8_t)id;
	memcpy(pkt + 8, payload, plen);
	c = htons(ippkt_csum(pkt, sizeof(pkt)));
	memcpy(pkt + 2, &c, 2);
	cr_assert_eq(sendto(s, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)),
		     (ssize_t)sizeof(pkt));
	for (int tries = 0; tries < 20; tries++) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 3000) <= 0)
			break;
		n = recv(s, in, sizeof(in), 0);
		/* Raw sockets see every ICMP packet, our own request included. */
		if (n >= 20 + 8 && in[20] == ICMP_ECHOREPLY && in[24] == (uint8_t)(id >> 8) &&
		    in[25] == (uint8_t)id && !memcmp(in + 20 + 8, pkt + 8, plen)) {
			close(s);
			return true;
		}
	}
	close(s);
	return false;
}

/* What the shell command cmd printed on stdout (up to cap - 1 bytes) into buf. */
static inline const char *cmd_output(char *buf, size_t cap, const char *cmd)
{
	FILE *p = popen(cmd, "r");
	size_t n;

	cr_assert_not_null(p);
	n = fread(buf, 1, cap - 1, p);
	buf[n] = '\0';
	pclose(p);
	return buf;
}

#endif
