/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "qmi/txn.h"

struct qmi_txn {
	struct qmi_txn *next;
	struct qmi_txns *owner;
	uint8_t svc, cid;
	uint16_t txn, msg_id;
	uint64_t deadline;
	qmi_txn_cb cb;
	void *user;
	bool malformed; /* a response too broken to decode named this request */
};

struct qmi_txn_sub {
	struct qmi_txn_sub *next;
	struct qmi_txns *owner;
	uint8_t svc, cid;
	bool dead; /* unsubscribed while indications were being delivered */
	qmi_txn_ind_cb cb;
	void *user;
};

/* Last id handed out per client; clients are few (one per service in use). */
struct qmi_txn_counter {
	uint8_t svc, cid;
	uint16_t last;
};

struct qmi_txns {
	struct qmi_txn *pending; /* unordered; a handful of requests in flight at most */
	size_t n_pending;
	struct qmi_txn_sub *subs; /* in subscription order, so delivery order is stable */
	unsigned delivering;      /* > 0 while indication callbacks run: unsubscribe defers */
	struct qmi_txn_counter *counters;
	size_t n_counters, cap_counters;
};

int qmi_txns_new(struct qmi_txns **out)
{
	struct qmi_txns *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	*out = t;
	return 0;
}

void qmi_txns_free(struct qmi_txns *t)
{
	if (!t)
		return;
	while (t->pending) {
		struct qmi_txn *x = t->pending;

		t->pending = x->next;
		free(x);
	}
	while (t->subs) {
		struct qmi_txn_sub *s = t->subs;

		t->subs = s->next;
		free(s);
	}
	free(t->counters);
	free(t);
}

static struct qmi_txn *find_pending(const struct qmi_txns *t, uint8_t svc, uint8_t cid,
				    uint16_t txn)
{
	for (struct qmi_txn *x = t->pending; x; x = x->next) {
		if (x->svc == svc && x->cid == cid && x->txn == txn)
			return x;
	}
	return NULL;
}

struct qmi_txn *qmi_txns_find(const struct qmi_txns *t, uint8_t svc, uint8_t cid, uint16_t txn)
{
	return find_pending(t, svc, cid, txn);
}

static struct qmi_txn_counter *counter_get(struct qmi_txns *t, uint8_t svc, uint8_t cid)
{
	struct qmi_txn_counter *c;

	for (size_t i = 0; i < t->n_counters; i++) {
		if (t->counters[i].svc == svc && t->counters[i].cid == cid)
			return &t->counters[i];
	}
	if (t->n_counters == t->cap_counters) {
		size_t cap = t->cap_counters ? t->cap_counters * 2 : 8;

		c = realloc(t->counters, cap * sizeof(*c));
		if (!c)
			return NULL;
		t->counters = c;
		t->cap_counters = cap;
	}
	c = &t->counters[t->n_counters++];
	c->svc = svc;
	c->cid = cid;
	c->last = 0;
	return c;
}

int qmi_txns_next_id(struct qmi_txns *t, uint8_t svc, uint8_t cid, uint16_t *txn)
{
	uint16_t max = svc == QMI_SVC_CTL ? 0xFF : 0xFFFF;
	struct qmi_txn_counter *c = counter_get(t, svc, cid);

	if (!c)
		return -ENOMEM;
	/* Skip ids still in flight so a late response can never match the wrong request. */
	for (unsigned tries = 0; tries < max; tries++) {
		c->last = c->last >= max ? 1 : (uint16_t)(c->last + 1);
		if (!find_pending(t, svc, cid, c->last)) {
			*txn = c->last;
			return 0;
		}
	}
	return -EBUSY;
}

int qmi_txns_add(struct qmi_txns *t, uint8_t svc, uint8_t cid, uint16_t txn, uint16_t msg_id,
		 uint64_t deadline, qmi_txn_cb cb, void *user, struct qmi_txn **out)
{
	struct qmi_txn *x;

	if (txn == 0 || (svc == QMI_SVC_CTL && txn > 0xFF))
		return -EINVAL;
	if (find_pending(t, svc, cid, txn))
		return -EEXIST;
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->owner = t;
	x->svc = svc;
	x->cid = cid;
	x->txn = txn;
	x->msg_id = msg_id;
	x->deadline = deadline;
	x->cb = cb;
	x->user = user;
	x->next = t->pending;
	t->pending = x;
	t->n_pending++;
	if (out)
		*out = x;
	return 0;
}

int qmi_txns_begin(struct qmi_txns *t, uint8_t svc, uint8_t cid, uint16_t msg_id, uint64_t deadline,
		   qmi_txn_cb cb, void *user, uint16_t *txn, struct qmi_txn **out)
{
	uint16_t id;
	int r = qmi_txns_next_id(t, svc, cid, &id);

	if (r == 0)
		r = qmi_txns_add(t, svc, cid, id, msg_id, deadline, cb, user, out);
	if (r == 0 && txn)
		*txn = id;
	return r;
}

static void unlink_txn(struct qmi_txn *x)
{
	struct qmi_txns *t = x->owner;

	for (struct qmi_txn **pp = &t->pending; *pp; pp = &(*pp)->next) {
		if (*pp == x) {
			*pp = x->next;
			t->n_pending--;
			return;
		}
	}
}

/* x is already unlinked; freed before the callback, so the callback may start or cancel
 * requests. */
static void deliver(struct qmi_txn *x, int err, const struct qmi_frame *resp)
{
	qmi_txn_cb cb = x->cb;
	void *user = x->user;

	free(x);
	if (cb)
		cb(user, err, resp);
}

static void finish(struct qmi_txn *x, int err, const struct qmi_frame *resp)
{
	unlink_txn(x);
	deliver(x, err, resp);
}

void qmi_txn_complete(struct qmi_txn *txn, int err)
{
	if (txn)
		finish(txn, err, NULL);
}

void qmi_txn_mark_malformed(struct qmi_txn *txn)
{
	if (txn)
		txn->malformed = true;
}

void qmi_txn_forget(struct qmi_txn *txn)
{
	if (!txn)
		return;
	unlink_txn(txn);
	free(txn);
}

static void sweep_subs(struct qmi_txns *t)
{
	struct qmi_txn_sub **pp = &t->subs;

	while (*pp) {
		struct qmi_txn_sub *s = *pp;

		if (s->dead) {
			*pp = s->next;
			free(s);
		} else {
			pp = &s->next;
		}
	}
}

static int deliver_indication(struct qmi_txns *t, const struct qmi_frame *f)
{
	int n = 0;

	t->delivering++;
	/* Subscriptions added by a callback go to the tail and may see this indication too; that
	 * is harmless, and unsubscribed ones are skipped through `dead`. */
	for (struct qmi_txn_sub *s = t->subs; s; s = s->next) {
		if (s->dead || s->svc != f->service)
			continue;
		if (s->cid == f->client_id || s->cid == QMI_CID_BROADCAST ||
		    f->client_id == QMI_CID_BROADCAST) {
			s->cb(s->user, f);
			n++;
		}
	}
	if (--t->delivering == 0)
		sweep_subs(t);
	return n;
}

int qmi_txns_dispatch(struct qmi_txns *t, const struct qmi_frame *f)
{
	struct qmi_txn *x;

	switch (f->kind) {
	case QMI_KIND_INDICATION:
		return deliver_indication(t, f);
	case QMI_KIND_RESPONSE:
		x = find_pending(t, f->service, f->client_id, f->txn);
		if (!x)
			return 0; /* late (already timed out) or unsolicited: nobody waits for it */
		if (x->msg_id != f->msg_id)
			finish(x, -EPROTO, NULL);
		else
			finish(x, 0, f);
		return 1;
	case QMI_KIND_REQUEST:
		break;
	}
	return 0;
}

size_t qmi_txns_expire(struct qmi_txns *t, uint64_t now)
{
	size_t n = 0;
	struct qmi_txn *x;

	/* Restart the walk after each callback: it may have changed the list. Unlinking through the
	 * walk's own link (not x->owner) keeps the list visibly free of x before it is freed. */
	do {
		struct qmi_txn **pp = &t->pending;

		while (*pp && (*pp)->deadline > now)
			pp = &(*pp)->next;
		x = *pp;
		if (x) {
			*pp = x->next;
			t->n_pending--;
			deliver(x, x->malformed ? -EBADMSG : -ETIMEDOUT, NULL);
			n++;
		}
	} while (x);
	return n;
}

int qmi_txns_next_deadline(const struct qmi_txns *t, uint64_t *deadline)
{
	uint64_t best = UINT64_MAX;

	if (!t->pending)
		return -ENOENT;
	for (const struct qmi_txn *x = t->pending; x; x = x->next) {
		if (x->deadline < best)
			best = x->deadline;
	}
	*deadline = best;
	return 0;
}

void qmi_txns_fail_all(struct qmi_txns *t, int err)
{
	/* Detach first: a request a callback starts now is not part of "all" and must not be
	 * failed in a loop that could then never end. */
	struct qmi_txn *list = t->pending;

	t->pending = NULL;
	t->n_pending = 0;
	while (list) {
		struct qmi_txn *x = list;
		qmi_txn_cb cb = x->cb;
		void *user = x->user;

		list = x->next;
		free(x);
		if (cb)
			cb(user, err, NULL);
	}
}

size_t qmi_txns_pending(const struct qmi_txns *t)
{
	return t->n_pending;
}

int qmi_txns_subscribe(struct qmi_txns *t, uint8_t svc, uint8_t cid, qmi_txn_ind_cb cb, void *user,
		       struct qmi_txn_sub **out)
{
	struct qmi_txn_sub *s, **pp;

	if (!cb)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->owner = t;
	s->svc = svc;
	s->cid = cid;
	s->cb = cb;
	s->user = user;
	for (pp = &t->subs; *pp; pp = &(*pp)->next)
		;
	*pp = s;
	if (out)
		*out = s;
	return 0;
}

void qmi_txns_unsubscribe(struct qmi_txn_sub *sub)
{
	struct qmi_txns *t;

	if (!sub)
		return;
	t = sub->owner;
	sub->dead = true;
	if (t->delivering == 0)
		sweep_subs(t);
}
