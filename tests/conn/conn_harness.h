/* SPDX-License-Identifier: MIT */
/*
 * Drives the connection manager in-process: a software modem on a poll loop behind a qmi_dev,
 * and a recorder of the manager's events. Each test runs in its own network namespace (the
 * TUN and its routes go there), so tests need root; they skip loudly without it.
 */
#ifndef TESTS_CONN_HARNESS_H
#define TESTS_CONN_HARNESS_H

#include <criterion/criterion.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "base/loop.h"
#include "conn/conn.h"
#include "net/netconf.h"
#include "net/netns.h"
#include "qmi/device.h"
#include "qmi/transport.h"
#include "sim/sim.h"

#define CH_MAX_EV 256

struct ch_event {
	enum qconn_event_kind kind;
	enum qconn_state state;
	int err;
	struct qmi_result qmi;
	bool local;
	bool sim;
	unsigned delay_ms;
	char text[256];
	char ifname[IF_NAMESIZE];
	bool has_v4, has_v6;
};

struct ch {
	struct qb_loop *loop;
	struct qsim *sim;
	struct qmi_dev *dev;
	struct qconn *c;
	struct qconn_opts o;
	struct ch_event ev[CH_MAX_EV];
	unsigned n_ev;
	unsigned ups, downs, errors;
	enum qconn_state st;
};

static inline void ch_on_event(void *user, struct qconn *c, const struct qconn_event *ev)
{
	struct ch *h = user;
	struct ch_event *e;

	(void)c;
	h->st = ev->state;
	if (ev->kind == QCONN_EV_UP)
		h->ups++;
	if (ev->kind == QCONN_EV_DOWN)
		h->downs++;
	if (ev->kind == QCONN_EV_ERROR)
		h->errors++;
	if (ev->kind == QCONN_EV_TICK || h->n_ev >= CH_MAX_EV)
		return;
	e = &h->ev[h->n_ev++];
	memset(e, 0, sizeof(*e));
	e->kind = ev->kind;
	e->state = ev->state;
	e->err = ev->err;
	e->qmi = ev->qmi;
	e->local = ev->local;
	e->sim = ev->sim;
	e->delay_ms = ev->delay_ms;
	if (ev->text)
		snprintf(e->text, sizeof(e->text), "%s", ev->text);
	if (ev->up) {
		snprintf(e->ifname, sizeof(e->ifname), "%s", ev->up->ifname);
		e->has_v4 = ev->up->ip->has_v4;
		e->has_v6 = ev->up->ip->has_v6;
	}
}

/* The modem with fault spec (may be NULL), opened; options with short waits. */
static inline void ch_init(struct ch *h, const char *spec)
{
	struct qsim_faults f = { 0 };
	struct qmi_transport tr;
	struct qmi_open_opts oo = { .data_format = -1 };
	struct qmi_dev_opts dopts = { .timeout_ms = 2000 };
	char err[128];

	memset(h, 0, sizeof(*h));
	if (spec)
		cr_assert_eq(qsim_faults_parse(&f, spec, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(qb_loop_new(&h->loop, QB_LOOP_POLL), 0);
	cr_assert_eq(qsim_new(&h->sim, h->loop, &f), 0);
	cr_assert_eq(qsim_transport_new(h->sim, &tr), 0);
	cr_assert_eq(qmi_dev_new(&h->dev, h->loop, tr, &dopts), 0);
	cr_assert_eq(qmi_dev_open(h->dev, &oo, NULL), 0);
	qconn_opts_init(&h->o);
	h->o.sim_timeout_ms = 1500;
	h->o.reg_timeout_ms = 1500;
	h->o.backoff_min_ms = 50;
	h->o.backoff_max_ms = 200;
	h->o.no_routes = true;
	h->o.cb = ch_on_event;
	h->o.cb_user = h;
}

static inline void ch_start(struct ch *h)
{
	cr_assert_eq(qconn_start(&h->c, h->dev, &h->o), 0);
}

/* Runs the loop until the manager is in st (true), or gave up, or ~ms passed. */
static inline bool ch_run_until(struct ch *h, enum qconn_state st, unsigned ms)
{
	uint64_t end = qb_now_ms() + ms;

	while (qconn_get_state(h->c) != st && qconn_get_state(h->c) != QCONN_FAILED &&
	       qb_now_ms() < end)
		qb_loop_run_once(h->loop, 50);
	return qconn_get_state(h->c) == st;
}

static inline void ch_run_for(struct ch *h, unsigned ms)
{
	uint64_t end = qb_now_ms() + ms;

	while (qb_now_ms() < end)
		qb_loop_run_once(h->loop, 20);
}

/* The last event of kind, or NULL. */
static inline const struct ch_event *ch_last(const struct ch *h, enum qconn_event_kind kind)
{
	for (unsigned i = h->n_ev; i-- > 0;)
		if (h->ev[i].kind == kind)
			return &h->ev[i];
	return NULL;
}

static inline unsigned ch_count_state(const struct ch *h, enum qconn_state st)
{
	unsigned n = 0;

	for (unsigned i = 0; i < h->n_ev; i++)
		n += h->ev[i].kind == QCONN_EV_STATE && h->ev[i].state == st;
	return n;
}

static inline const struct ch_event *ch_first_backoff(const struct ch *h)
{
	for (unsigned i = 0; i < h->n_ev; i++)
		if (h->ev[i].kind == QCONN_EV_STATE && h->ev[i].state == QCONN_BACKOFF)
			return &h->ev[i];
	return NULL;
}

/* Starts the manager and runs it until it gives up (never up): its QCONN_EV_ERROR. */
static inline const struct ch_event *ch_start_to_failure(struct ch *h)
{
	const struct ch_event *e;

	ch_start(h);
	cr_assert_not(ch_run_until(h, QCONN_UP, 10000), "up");
	cr_assert_eq(h->st, QCONN_FAILED, "state %s", qconn_state_name(h->st));
	e = ch_last(h, QCONN_EV_ERROR);
	cr_assert_not_null(e);
	return e;
}

static inline bool ch_said(const struct ch *h, const char *needle)
{
	for (unsigned i = 0; i < h->n_ev; i++)
		if (strstr(h->ev[i].text, needle))
			return true;
	return false;
}

/* The TUN the manager opened (its "TUN device NAME ..." progress), or false. */
static inline bool ch_tun_name(const struct ch *h, char name[IF_NAMESIZE])
{
	for (unsigned i = 0; i < h->n_ev; i++)
		if (h->ev[i].kind == QCONN_EV_PROGRESS &&
		    sscanf(h->ev[i].text, "TUN device %15s", name) == 1)
			return true;
	return false;
}

static inline bool ch_if_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

/* Stops the manager and frees everything; the modem must have no client id left. */
static inline void ch_fini(struct ch *h)
{
	qconn_stop(h->c);
	cr_assert_eq(h->st, QCONN_STOPPED, "no STOPPED event");
	h->c = NULL;
	cr_assert_eq(qsim_cid_count(h->sim, 0x01), 0, "WDS client ids left");
	cr_assert_eq(qsim_cid_count(h->sim, 0x03), 0, "NAS client ids left");
	qmi_dev_free(h->dev);
	qsim_free(h->sim);
	qb_loop_free(h->loop);
}

#endif
