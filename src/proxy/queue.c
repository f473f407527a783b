/* SPDX-License-Identifier: MIT */
/*
 * The bounds on clients' requests. A modem answers from a queue of its own, and one that
 * overflows drops answers without telling anybody, some of them another client's; so each
 * client has a few requests at the modem at a time and all clients together a few more, and
 * the rest wait here, in order, taking turns between connections. A connection whose queue
 * fills stops being read (conn.c); a request that arrives beyond the queue's hard bound is
 * answered with a QMI error at once.
 */
#include "proxy/srv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qmi/errors.h"

void qprx_pending_free(struct qprx_pending *p)
{
	struct qprx_server *srv = p->srv;

	if (srv) {
		qb_list_del(&p->node);
		srv->n_pending--;
	}
	free(p);
}

static bool conn_may_send(const struct qprx_conn *c)
{
	return !c->closing && c->n_waiting && c->n_inflight < c->srv->o.max_inflight_client;
}

static void ready_update(struct qprx_conn *c)
{
	bool want = conn_may_send(c);

	if (want && !qb_list_linked(&c->ready_node))
		qb_list_add_tail(&c->srv->ready, &c->ready_node);
	else if (!want)
		qb_list_del(&c->ready_node);
}

void qprx_queue_submit(struct qprx_conn *c, const struct qmi_frame *f, uint8_t alloc_svc)
{
	struct qprx_server *srv = c->srv;
	struct qprx_pending *p;

	if (c->n_waiting >= srv->o.max_waiting) {
		srv->st.overflows++;
		qprx_log(srv,
			 "client %u (pid %d): %u requests already waiting: %s request 0x%04x "
			 "refused",
			 c->id, (int)c->pid, c->n_waiting,
			 qmi_service_name(f->service) ? qmi_service_name(f->service) : "?",
			 f->msg_id);
		qprx_reply_local(c, f, 1, QMI_ERR_INSUFFICIENT_RESOURCES);
		return;
	}
	p = calloc(1, sizeof(*p) + f->tlvs_len);
	if (!p) {
		qprx_conn_close(c, "out of memory");
		return;
	}
	p->srv = srv;
	p->kind = QPRX_PEND_CLIENT;
	p->conn = c;
	p->svc = f->service;
	p->cid = f->client_id;
	p->txn = f->txn;
	p->msg_id = f->msg_id;
	p->alloc_svc = alloc_svc;
	p->tlvs_len = f->tlvs_len;
	if (f->tlvs_len)
		memcpy(p->tlvs, f->tlvs, f->tlvs_len);
	qb_list_add_tail(&c->waiting, &p->node);
	srv->n_pending++;
	c->n_waiting++;
	srv->n_waiting++;
	ready_update(c);
	qprx_queue_pump(srv);
}

/* Takes p off its connection's queue and sends it (route.c answers the client on failure). */
static void dispatch(struct qprx_conn *c, struct qprx_pending *p)
{
	struct qprx_server *srv = c->srv;

	qb_list_del(&p->node);
	c->n_waiting--;
	srv->n_waiting--;
	p->at_modem = true;
	c->n_inflight++;
	srv->n_inflight++;
	qb_list_add_tail(&srv->pending, &p->node);
	qprx_route_send(p);
}

void qprx_queue_pump(struct qprx_server *srv)
{
	struct qb_list *n;

	while (srv->n_inflight < srv->o.max_inflight_total && (n = qb_list_first(&srv->ready))) {
		struct qprx_conn *c = qb_list_entry(n, struct qprx_conn, ready_node);
		struct qprx_pending *p = qb_list_entry(qb_list_first(&c->waiting),
						       struct qprx_pending, node);
		bool resume = c->read_paused;

		/* Back to the end of the line: every connection gets its turn. */
		qb_list_del(&c->ready_node);
		dispatch(c, p);
		if (c->closing)
			continue;
		ready_update(c);
		if (resume)
			qprx_conn_update_events(c);
	}
}

void qprx_queue_done(struct qprx_pending *p)
{
	struct qprx_server *srv = p->srv;
	struct qprx_conn *c = p->conn;

	if (!srv || !p->at_modem)
		return;
	p->at_modem = false;
	srv->n_inflight--;
	if (c) {
		c->n_inflight--;
		ready_update(c);
	}
}

void qprx_queue_conn_gone(struct qprx_conn *c)
{
	struct qprx_server *srv = c->srv;
	struct qb_list *n, *tmp;

	qb_list_del(&c->ready_node);
	qb_list_for_each_safe (n, tmp, &c->waiting) {
		struct qprx_pending *p = qb_list_entry(n, struct qprx_pending, node);

		srv->n_waiting--;
		qprx_pending_free(p);
	}
	c->n_waiting = 0;
	/* Those at the modem keep their slot in the total until it answers. */
	qb_list_for_each_safe (n, tmp, &srv->pending) {
		struct qprx_pending *p = qb_list_entry(n, struct qprx_pending, node);

		if (p->conn == c)
			p->conn = NULL;
	}
	c->n_inflight = 0;
}
