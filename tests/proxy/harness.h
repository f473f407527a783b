/* SPDX-License-Identifier: MIT */
/*
 * Test harness: a proxy serving an in-process sim on a unique socket name, and raw clients.
 * In-process clients are non-blocking and drive the proxy's loop while they wait; clients in
 * forked children block on their sockets (the parent drives the loop meanwhile).
 * Waits carry a hang guard (a test that hangs is a failure, not a timing assertion).
 */
#ifndef TESTS_PROXY_HARNESS_H
#define TESTS_PROXY_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "proxy/proxy.h"
#include "qmi/qmux.h"
#include "sim/sim.h"

#define HANG_GUARD_MS 20000

struct fx {
	struct qb_loop *loop;
	struct qsim *sim;
	struct qmi_dev *dev;
	struct qprx_server *srv;
	char sock[64];
	char pub[128]; /* published device file */
	FILE *log;     /* the proxy's log: /dev/null unless QMIUSB_TEST_LOG is set */
};

void fx_setup(struct fx *fx, struct qprx_server_opts *o, const char *sim_spec);
void fx_teardown(struct fx *fx);
/* Runs the loop until cond(user) or the hang guard (then fails the test). */
void fx_until(struct fx *fx, bool (*cond)(struct fx *fx, void *user), void *user, const char *what);
/* Runs the loop for about ms (for "nothing happens" checks). */
void fx_spin(struct fx *fx, unsigned ms);
struct qprx_stats fx_stats(struct fx *fx);

struct rc {
	int fd;
	uint8_t buf[1 << 16];
	size_t len;
	bool eof;
};

/* Connects (non-blocking); no handshake. */
void rc_connect(struct fx *fx, struct rc *c);
void rc_close(struct rc *c);
void rc_send(struct fx *fx, struct rc *c, const uint8_t *bytes, size_t len);
/* Next frame into out (copied; *f points into out). false if the proxy closed the socket. */
bool rc_recv(struct fx *fx, struct rc *c, uint8_t *out, size_t cap, struct qmi_frame *f);
/* Runs the loop until the proxy closed this connection. */
void rc_wait_closed(struct fx *fx, struct rc *c);
/* Proxy open naming path; returns the result status. */
uint16_t rc_open(struct fx *fx, struct rc *c, const char *path);
/* CTL Allocate CID with txn; returns the cid (0 on failure, *err the QMI error). */
uint8_t rc_alloc(struct fx *fx, struct rc *c, uint8_t svc, uint8_t txn, uint16_t *err);
/* CTL Release CID; returns the result status. */
uint16_t rc_release(struct fx *fx, struct rc *c, uint8_t svc, uint8_t cid, uint8_t txn);

/* Frame builders (into buf; return the length). */
size_t mk_open(uint8_t *buf, size_t cap, uint8_t txn, const char *path);
size_t mk_alloc(uint8_t *buf, size_t cap, uint8_t svc, uint8_t txn);
size_t mk_release(uint8_t *buf, size_t cap, uint8_t svc, uint8_t cid, uint8_t txn);
size_t mk_req(uint8_t *buf, size_t cap, uint8_t svc, uint8_t cid, uint16_t txn, uint16_t msg);

/* Blocking client for children: connect + open; fd or -errno. */
int blk_connect_open(const char *sock, const char *path);
/* Blocking exchange of one request; reads one frame into out. 0 or -errno. */
int blk_exchange(int fd, const uint8_t *req, size_t len, uint8_t *out, size_t cap,
		 struct qmi_frame *f);

/* A forked child that allocates a client id of svc and then waits to be killed. */
struct kid {
	pid_t pid;
	int rfd;    /* pipe: the child's report */
	int status; /* 0 = got a cid; else -errno or the QMI error (positive) */
	uint8_t cid;
};
void kid_spawn_alloc(struct fx *fx, struct kid *k, uint8_t svc);
/* Runs the loop until the child's report arrived. */
void kid_wait_report(struct fx *fx, struct kid *k);
void kid_kill(struct kid *k);
/* Forks fn(arg) in a child and drives the loop until it exits; returns its exit status. */
int run_child(struct fx *fx, int (*fn)(struct fx *fx, void *arg), void *arg);

#endif
