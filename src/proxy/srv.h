/* SPDX-License-Identifier: MIT */
/* The proxy server's private state, shared by its files; not for other layers. */
#ifndef QPRX_SRV_H
#define QPRX_SRV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "base/list.h"
#include "base/loop.h"
#include "proxy/proxy.h"
#include "proxy/sock.h"
#include "qmi/qmux.h"
#include "qmi/splitter.h"

struct qb_watch;

/* One accepted connection. Closing detaches it from every table at once, marks it closing and
 * hands it to qb_loop_close(), so a stack frame still holding the pointer only ever sees
 * closing == true; the memory goes once every callback has returned. */
struct qprx_conn {
	struct qprx_server *srv;
	struct qb_list node; /* srv->conns */
	struct qb_close close;
	int fd;
	struct qb_watch *watch;
	unsigned id; /* for logs */
	pid_t pid;
	uid_t uid;
	bool opened; /* a proxy open for our device succeeded */
	bool closing;
	bool read_paused; /* too many requests waiting: the socket buffer holds the rest */
	unsigned ind_gen;
	/* Requests not yet at the modem (struct qprx_pending, owned), oldest first; ready_node
	 * is on srv->ready while one of them may go. */
	struct qb_list waiting;
	struct qb_list ready_node;
	unsigned n_waiting, n_inflight;
	struct qmi_splitter split;
	uint8_t *out; /* owned; queued bytes out[out_off..out_len) */
	size_t out_off, out_len, out_cap;
};

/* One (service, cid) held by a connection, or an orphan (conn NULL) waiting out its grace
 * period (grace armed) or kept (keep_cids, or a data session that is up). */
struct qprx_hold {
	struct qprx_server *srv;
	struct qprx_hold *next;
	uint8_t svc, cid;
	struct qprx_conn *conn;
	struct qb_timer grace;
	uint64_t orphaned_ms;
	/* WDS: this id started a data session that is still up. Releasing it would end the
	 * call (qmi-network and `qmicli --client-no-release-cid` rely on it staying), so such
	 * an orphan is kept until the session ends or somebody adopts and stops it. */
	bool has_call;
};

enum qprx_pending_kind {
	QPRX_PEND_CLIENT, /* a client's request: the modem sees the device's txn, the client its own */
	QPRX_PEND_RELEASE, /* the proxy's own Release CID */
};

/* A request on its way. A client's waits on its connection's queue (the connection owns it),
 * then goes to the modem; from then on the device's callback owns it: after
 * qprx_server_free() it stays (srv NULL) until the device calls it back. */
struct qprx_pending {
	struct qprx_server *srv;
	enum qprx_pending_kind kind;
	struct qb_list node;               /* conn->waiting, then srv->pending */
	void (*done)(void *user, int err); /* RELEASE */
	void *done_user;
	struct qprx_conn *conn; /* NULL once the connection went away */
	bool at_modem;          /* counted in conn->n_inflight and srv->n_inflight */
	bool sending;           /* inside qmi_dev_send: a callback now is a close from within */
	bool done_early;        /* ... and it happened; early_err is its error */
	bool retrying;          /* Allocate CID waiting for an orphan's release (which owns it) */
	int early_err;
	uint8_t svc, cid; /* RELEASE: the id being released */
	uint16_t txn;     /* the client's */
	uint16_t msg_id;
	unsigned retries;  /* Allocate CID re-sent after freeing an orphan */
	uint8_t alloc_svc; /* Allocate CID: the service asked for */
	size_t tlvs_len;
	uint8_t tlvs[]; /* CLIENT: the request's TLVs as they came (re-sent with a new txn) */
};

struct qprx_server {
	struct qb_loop *loop;
	struct qmi_dev *dev;
	struct qprx_server_opts o;
	char socket_name[108];
	char device_path[4096]; /* realpath of the published file, "" if none */
	struct qprx_access access;
	int listen_fd;
	struct qb_watch *listen_watch;
	struct qb_timer empty_timer;
	struct qb_timer listen_pause; /* accept failed for lack of fds: retry later */
	struct qb_timer shutdown_timer;
	bool shutdown_runs; /* the shutdown runs the loop itself (it was stopped) */
	struct qb_list conns;
	struct qprx_hold *holds;
	/* Requests at the device (struct qprx_pending). */
	struct qb_list pending;
	unsigned n_pending;   /* request records alive: waiting, at the device, releases */
	unsigned n_inflight;  /* clients' requests among them */
	unsigned n_waiting;   /* clients' requests queued on their connections */
	struct qb_list ready; /* connections with a request that may go, round robin */
	unsigned next_conn_id;
	struct qprx_stats st;
	unsigned ind_gen;   /* dedupes one indication per connection */
	unsigned releasing; /* shutdown: releases still unanswered */
	struct {
		uint8_t svc, cid;
	} reserved[QPRX_MAX_RESERVED]; /* the host's own ids */
	unsigned n_reserved;
	char published[4096]; /* o.publish: the FIFO we made, to remove at the end */
	FILE *log;
};

void qprx_log(struct qprx_server *srv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define qprx_vlog(srv, ...)                                                                        \
	do {                                                                                       \
		if ((srv)->o.verbose)                                                              \
			qprx_log(srv, __VA_ARGS__);                                                \
	} while (0)

/* conn.c */
int qprx_conn_new(struct qprx_server *srv, int fd, pid_t pid, uid_t uid);
/* Queues one frame (copied). Overflowing the bounded queue closes the connection. */
void qprx_conn_send(struct qprx_conn *c, const uint8_t *frame, size_t len);
/* Detaches c at once (its waiting requests are dropped); the memory goes through
 * qb_loop_close(). Harmless on a closing connection. */
void qprx_conn_close(struct qprx_conn *c, const char *why);
/* The number of requests waiting on c changed: pause or resume reading it. */
void qprx_conn_update_events(struct qprx_conn *c);

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

/* route.c */
void qprx_server_client_frame(struct qprx_conn *c, const struct qmi_frame *f);
void qprx_server_modem_frame(struct qprx_server *srv, const struct qmi_frame *f);
/* Releases (svc, cid) on the modem (async); done may be NULL and is not called once the server
 * is gone. 0 or -errno. */
int qprx_release_on_modem(struct qprx_server *srv, uint8_t svc, uint8_t cid,
			  void (*done)(void *user, int err), void *user);
/* Answers req on c with a QMI error made by the proxy. */
void qprx_reply_local(struct qprx_conn *c, const struct qmi_frame *req, uint16_t status,
		      uint16_t error);

/* queue.c: the in-flight bounds (per client and in total) and the queue in front of them. */
/* Takes a client's request (copied); it goes to the modem now or when a slot frees. */
void qprx_queue_submit(struct qprx_conn *c, const struct qmi_frame *f, uint8_t alloc_svc);
/* Sends waiting requests while the bounds allow, round robin over the connections. */
void qprx_queue_pump(struct qprx_server *srv);
/* p left the modem (answered, failed or timed out): frees its slot. */
void qprx_queue_done(struct qprx_pending *p);
/* c is going away: its waiting requests are dropped, those at the modem forget it. */
void qprx_queue_conn_gone(struct qprx_conn *c);
/* Sends p (a client's request, on srv->pending) to the modem; route.c. On failure the client
 * gets a QMI error and p is freed. */
void qprx_route_send(struct qprx_pending *p);
void qprx_pending_free(struct qprx_pending *p);

/* server.c */
void qprx_server_conn_gone(struct qprx_server *srv, struct qprx_conn *c);

#endif
