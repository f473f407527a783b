/* SPDX-License-Identifier: MIT */
/* The proxy server's private state, shared by its files; not for other layers. */
#ifndef QPRX_SRV_H
#define QPRX_SRV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "proxy/proxy.h"
#include "proxy/sock.h"
#include "qmi/qmux.h"
#include "qmi/splitter.h"

struct qb_watch;
struct qb_timer_old;

/* One accepted connection. Closing detaches it from every table at once and parks it on the
 * graveyard until the next loop iteration, so a stack frame still holding the pointer only
 * ever sees dead == true. */
struct qprx_conn {
	struct qprx_server *srv;
	struct qprx_conn *next, *prev;
	int fd;
	struct qb_watch *watch;
	unsigned id;          /* for logs */
	pid_t pid;
	uid_t uid;
	bool opened;          /* a proxy open for our device succeeded */
	bool dead;
	unsigned ind_gen;
	struct qmi_splitter split;
	uint8_t *out;         /* owned; queued bytes out[out_off..out_len) */
	size_t out_off, out_len, out_cap;
};

/* One (service, cid) held by a connection, or an orphan (conn NULL) waiting out its grace
 * period (timer) or kept forever (keep_cids, timer NULL). */
struct qprx_hold {
	struct qprx_server *srv;
	struct qprx_hold *next;
	uint8_t svc, cid;
	struct qprx_conn *conn;
	struct qb_timer_old *grace;
	uint64_t orphaned_ms;
	/* WDS: this id started a data session that is still up. Releasing it would end the
	 * call (qmi-network and `qmicli --client-no-release-cid` rely on it staying), so such
	 * an orphan is kept until the session ends or somebody adopts and stops it. */
	bool has_call;
};

enum qprx_pending_kind {
	QPRX_PEND_CTL,      /* a client's CTL request: the modem sees the device's txn */
	QPRX_PEND_FORWARD,  /* a client's other request: unchanged, matched by (svc, cid, txn) */
	QPRX_PEND_RELEASE,  /* the proxy's own Release CID */
};

struct qprx_pending {
	struct qprx_server *srv;
	enum qprx_pending_kind kind;
	void (*done)(void *user, int err); /* RELEASE */
	void *done_user;
	struct qprx_pending *next, *prev;
	struct qprx_conn *conn; /* NULL once the connection went away */
	uint8_t svc, cid;       /* RELEASE: the id being released */
	uint16_t txn;           /* the client's */
	uint16_t msg_id;
	unsigned retries;       /* Allocate CID re-sent after freeing an orphan */
	uint8_t alloc_svc;      /* Allocate CID: the service asked for */
	size_t tlvs_len;
	uint8_t tlvs[];         /* CTL only: kept so an Allocate CID can be retried */
};

struct qprx_server {
	struct qb_loop *loop;
	struct qmi_dev *dev;
	struct qprx_server_opts o;
	char socket_name[108];
	char device_path[4096];  /* realpath of the published file, "" if none */
	struct qprx_access access;
	int listen_fd;
	struct qb_watch *listen_watch;
	struct qb_timer_old *empty_timer;
	struct qb_timer_old *listen_pause; /* accept failed for lack of fds: retry later */
	struct qb_timer_old *reap_timer;
	struct qprx_conn *conns, *graveyard;
	struct qprx_hold *holds;
	/* Requests in flight at the device. The device's callback owns each record: after
	 * qprx_server_free() the records stay (srv NULL) until the device calls them back. */
	struct qprx_pending *pending;
	unsigned n_pending;
	unsigned next_conn_id;
	struct qprx_stats st;
	unsigned ind_gen;               /* dedupes one indication per connection */
	unsigned releasing;             /* shutdown: releases still unanswered */
	struct { uint8_t svc, cid; } reserved[QPRX_MAX_RESERVED]; /* the host's own ids */
	unsigned n_reserved;
	char published[4096];           /* o.publish: the FIFO we made, to remove at the end */
	FILE *log;
};

void qprx_log(struct qprx_server *srv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define qprx_vlog(srv, ...) do { if ((srv)->o.verbose) qprx_log(srv, __VA_ARGS__); } while (0)

/* conn.c */
int qprx_conn_new(struct qprx_server *srv, int fd, pid_t pid, uid_t uid);
/* Queues one frame (copied). Overflowing the bounded queue closes the connection. */
void qprx_conn_send(struct qprx_conn *c, const uint8_t *frame, size_t len);
void qprx_conn_close(struct qprx_conn *c, const char *why);
void qprx_conns_reap(struct qprx_server *srv);

/* server.c: is (svc, cid) one of the host's own ids (qprx_server_reserve)? */
bool qprx_reserved(const struct qprx_server *srv, uint8_t svc, uint8_t cid);

/* cids.c */
struct qprx_hold *qprx_hold_find(struct qprx_server *srv, uint8_t svc, uint8_t cid,
				 const struct qprx_conn *conn);
/* c starts holding (svc, cid): adopts an orphan if there is one. 0 or -ENOMEM. */
int qprx_hold_take(struct qprx_server *srv, struct qprx_conn *c, uint8_t svc, uint8_t cid);
/* c released (svc, cid) itself: forget its holding (and an orphan of that id). */
void qprx_hold_drop(struct qprx_server *srv, struct qprx_conn *c, uint8_t svc, uint8_t cid);
/* An id allocated for nobody (its requester left before the answer): orphan it. */
void qprx_hold_orphan_new(struct qprx_server *srv, uint8_t svc, uint8_t cid);
/* c is going away: its ids become orphans unless another connection holds them too. */
void qprx_holds_disown(struct qprx_server *srv, struct qprx_conn *c);
/* Releases the oldest orphan of svc now (ClientIdsExhausted relief). true if one was sent. */
bool qprx_hold_release_oldest_orphan(struct qprx_server *srv, uint8_t svc,
				     void (*done)(void *user, int err), void *user);
/* A data session on (svc, cid) went up or down (see struct qprx_hold). */
void qprx_hold_set_call(struct qprx_server *srv, uint8_t svc, uint8_t cid, bool up);
/* Removes any one holding (shutdown). false when none is left. */
bool qprx_hold_pop(struct qprx_server *srv, uint8_t *svc, uint8_t *cid, bool *has_call);
void qprx_holds_free(struct qprx_server *srv);

/* server.c */
void qprx_server_client_frame(struct qprx_conn *c, const struct qmi_frame *f);
void qprx_server_conn_gone(struct qprx_server *srv, struct qprx_conn *c);

void qprx_server_modem_frame(struct qprx_server *srv, const struct qmi_frame *f);

/* Releases (svc, cid) on the modem (async); done may be NULL. 0 or -errno. */
int qprx_release_on_modem(struct qprx_server *srv, uint8_t svc, uint8_t cid,
			  void (*done)(void *user, int err), void *user);

#endif
