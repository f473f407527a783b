/* SPDX-License-Identifier: MIT */
/*
 * Who holds which client id. qmi-proxy forgets the ids of connections that die, and modems run
 * out of them (ClientIdsExhausted); here such ids become orphans that are released on the
 * modem after a grace period, unless a connection adopts them first (qmicli's
 * --client-no-release-cid followed by --client-cid=N, or a client restarting).
 */
#include "proxy/srv.h"

#include <errno.h>
#include <stdlib.h>

#include "base/loop.h"

struct qprx_hold *qprx_hold_find(struct qprx_server *srv, uint8_t svc, uint8_t cid,
				 const struct qprx_conn *conn)
{
	for (struct qprx_hold *h = srv->holds; h; h = h->next)
		if (h->svc == svc && h->cid == cid && h->conn == conn)
			return h;
	return NULL;
}

static void hold_unlink(struct qprx_server *srv, struct qprx_hold *h)
{
	struct qprx_hold **pp;

	for (pp = &srv->holds; *pp; pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	}
	if (!h->conn)
		srv->st.orphans--;
	else
		srv->st.held--;
	qb_timer_stop(&h->grace);
	free(h);
}

static void grace_cb(void *user)
{
	struct qprx_hold *h = user;
	struct qprx_server *srv = h->srv;
	uint8_t svc = h->svc, cid = h->cid;

	hold_unlink(srv, h);
	qprx_log(srv, "releasing client id %s/%u: nobody adopted it",
		 qmi_service_name(svc) ? qmi_service_name(svc) : "?", cid);
	qprx_release_on_modem(srv, svc, cid, NULL, NULL);
}

static void hold_arm_grace(struct qprx_server *srv, struct qprx_hold *h)
{
	if (srv->o.keep_cids || h->has_call || qb_timer_active(&h->grace))
		return;
	qb_timer_start(&h->grace, srv->o.release_immediately ? 0 : srv->o.cid_grace_ms);
}

static void hold_orphan(struct qprx_server *srv, struct qprx_hold *h)
{
	h->conn = NULL;
	h->orphaned_ms = qb_now_ms();
	srv->st.orphans++;
	hold_arm_grace(srv, h);
}

static bool call_known(struct qprx_server *srv, uint8_t svc, uint8_t cid)
{
	for (struct qprx_hold *h = srv->holds; h; h = h->next)
		if (h->svc == svc && h->cid == cid && h->has_call)
			return true;
	return false;
}

void qprx_hold_set_call(struct qprx_server *srv, uint8_t svc, uint8_t cid, bool up)
{
	for (struct qprx_hold *h = srv->holds; h; h = h->next) {
		if (h->svc != svc || h->cid != cid || h->has_call == up)
			continue;
		h->has_call = up;
		if (up)
			qb_timer_stop(&h->grace);
		else if (!h->conn) {
			hold_arm_grace(srv, h);
		}
	}
}

int qprx_hold_take(struct qprx_server *srv, struct qprx_conn *c, uint8_t svc, uint8_t cid)
{
	struct qprx_hold *h = qprx_hold_find(srv, svc, cid, c);

	if (h)
		return 0;
	h = qprx_hold_find(srv, svc, cid, NULL);
	if (h) {
		qb_timer_stop(&h->grace);
		h->conn = c;
		srv->st.orphans--;
		srv->st.held++;
		qprx_vlog(srv, "client %u adopted %s/%u", c->id,
			  qmi_service_name(svc) ? qmi_service_name(svc) : "?", cid);
		return 0;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->srv = srv;
	qb_timer_init(&h->grace, srv->loop, grace_cb, h);
	h->svc = svc;
	h->cid = cid;
	h->conn = c;
	h->has_call = call_known(srv, svc, cid);
	h->next = srv->holds;
	srv->holds = h;
	srv->st.held++;
	return 0;
}

void qprx_hold_drop(struct qprx_server *srv, struct qprx_conn *c, uint8_t svc, uint8_t cid)
{
	struct qprx_hold *h = qprx_hold_find(srv, svc, cid, c);

	if (!h)
		h = qprx_hold_find(srv, svc, cid, NULL);
	if (h)
		hold_unlink(srv, h);
}

void qprx_hold_orphan_new(struct qprx_server *srv, uint8_t svc, uint8_t cid)
{
	struct qprx_hold *h;

	if (qprx_hold_find(srv, svc, cid, NULL))
		return;
	h = calloc(1, sizeof(*h));
	if (!h) {
		qprx_release_on_modem(srv, svc, cid, NULL, NULL);
		return;
	}
	h->srv = srv;
	qb_timer_init(&h->grace, srv->loop, grace_cb, h);
	h->svc = svc;
	h->cid = cid;
	h->next = srv->holds;
	srv->holds = h;
	hold_orphan(srv, h);
}

static bool held_by_other(struct qprx_server *srv, const struct qprx_hold *h)
{
	for (struct qprx_hold *o = srv->holds; o; o = o->next)
		if (o != h && o->svc == h->svc && o->cid == h->cid && o->conn && o->conn != h->conn)
			return true;
	return false;
}

void qprx_holds_disown(struct qprx_server *srv, struct qprx_conn *c)
{
	struct qprx_hold *h = srv->holds, *next;

	if (!c)
		return; /* NULL would match the orphans, which have no owner to lose */
	for (; h; h = next) {
		next = h->next;
		if (h->conn != c)
			continue;
		if (held_by_other(srv, h) || qprx_hold_find(srv, h->svc, h->cid, NULL)) {
			hold_unlink(srv, h);
			continue;
		}
		srv->st.held--;
		qprx_log(srv, "client id %s/%u of client %u (pid %d) orphaned%s",
			 qmi_service_name(h->svc) ? qmi_service_name(h->svc) : "?", h->cid, c->id,
			 (int)c->pid,
			 srv->o.keep_cids ? " (kept)"
			 : h->has_call    ? " (kept while its data session is up)"
					  : "");
		hold_orphan(srv, h);
	}
}

bool qprx_hold_release_oldest_orphan(struct qprx_server *srv, uint8_t svc,
				     void (*done)(void *user, int err), void *user)
{
	struct qprx_hold *best = NULL;
	uint8_t cid;

	for (struct qprx_hold *h = srv->holds; h; h = h->next)
		if (!h->conn && !h->has_call && h->svc == svc &&
		    (!best || h->orphaned_ms < best->orphaned_ms))
			best = h;
	if (!best)
		return false;
	cid = best->cid;
	hold_unlink(srv, best);
	qprx_log(srv, "modem out of %s client ids: releasing orphan %u early",
		 qmi_service_name(svc) ? qmi_service_name(svc) : "?", cid);
	return qprx_release_on_modem(srv, svc, cid, done, user) == 0;
}

bool qprx_hold_pop(struct qprx_server *srv, uint8_t *svc, uint8_t *cid, bool *has_call)
{
	if (!srv->holds)
		return false;
	*svc = srv->holds->svc;
	*cid = srv->holds->cid;
	*has_call = srv->holds->has_call;
	hold_unlink(srv, srv->holds);
	return true;
}

void qprx_holds_free(struct qprx_server *srv)
{
	while (srv->holds)
		hold_unlink(srv, srv->holds);
}
