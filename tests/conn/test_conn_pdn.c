/* SPDX-License-Identifier: MIT */
/*
 * Several sessions (PDNs) through the library: two managers on one struct qconn_link share the
 * modem's data format and get a mux id each; a raw-IP modem carries one session only; a session
 * stopped while it was asking for the format leaves the next one to ask again.
 */
#include "base/errors.h"
#include "conn_harness.h"

#include "net/pump.h"

TestSuite(conn_pdn, .timeout = 60);

/* b: a second recorder on a's modem. */
static void second(struct ch *b, const struct ch *a, const char *apn)
{
	*b = *a;
	b->c = NULL;
	b->n_ev = b->ups = b->downs = b->errors = 0;
	b->o.cb_user = b;
	b->o.apn = apn;
}

static bool run_until2(struct ch *a, struct ch *b, enum qconn_state st, unsigned ms)
{
	uint64_t end = qb_now_ms() + ms;

	while ((qconn_get_state(a->c) != st || qconn_get_state(b->c) != st) && qb_now_ms() < end)
		qb_loop_run_once(a->loop, 50);
	return qconn_get_state(a->c) == st && qconn_get_state(b->c) == st;
}

/* Stops both managers, frees the link, then what ch_fini() frees. */
static void fini2(struct ch *a, struct ch *b, struct qconn_link *l)
{
	qconn_stop(a->c);
	qconn_stop(b->c);
	qconn_link_free(l);
	cr_assert_eq(qsim_cid_count(a->sim, 0x01), 0, "WDS client ids left");
	qmi_dev_free(a->dev);
	qsim_free(a->sim);
	qb_loop_free(a->loop);
}

Test(conn_pdn, two_sessions_one_link)
{
	struct qconn_link_opts lo = { .format = QCONN_FMT_AUTO };
	struct qconn_info ia, ib;
	struct qconn_link *l;
	struct ch a, b;

	enter_new_netns();
	ch_init(&a, NULL);
	cr_assert_eq(qconn_link_new(&l, a.dev, &lo), 0);
	a.o.link = l;
	a.o.apn = "internet";
	second(&b, &a, "ims");
	ch_start(&a);
	ch_start(&b);
	cr_assert(run_until2(&a, &b, QCONN_UP, 10000), "states %s, %s", qconn_state_name(a.st),
		  qconn_state_name(b.st));
	qconn_get_info(a.c, &ia);
	qconn_get_info(b.c, &ib);
	cr_assert_eq(ia.mux_id, 1);
	cr_assert_eq(ib.mux_id, 2);
	cr_assert_str_neq(ia.ifname, ib.ifname);
	cr_assert_str_eq(ia.ipv4, "10.64.0.1/30");
	cr_assert_str_eq(ib.ipv4, "10.64.0.5/30");
	cr_assert(strstr(qconn_link_format(l), "qmap v5 (UL aggregated"), "%s",
		  qconn_link_format(l));
	cr_assert(strstr(ib.data_format, ", mux id 2"), "%s", ib.data_format);
	cr_assert_not_null(qconn_link_mux_stats(l));
	cr_assert(ch_said(&b, "APN 'ims'"));
	cr_assert_eq(qsim_cid_count(a.sim, 0x01), 2);
	cr_assert_eq(a.errors + b.errors, 0);
	fini2(&a, &b, l);
}

Test(conn_pdn, raw_ip_carries_one_session)
{
	struct qconn_link_opts lo = { .format = QCONN_FMT_AUTO };
	struct qconn_link *l;
	const struct ch_event *e;
	struct ch a, b;

	enter_new_netns();
	ch_init(&a, "no-qmap");
	cr_assert_eq(qconn_link_new(&l, a.dev, &lo), 0);
	a.o.link = l;
	second(&b, &a, "ims");
	ch_start(&a);
	ch_start(&b);
	cr_assert(ch_run_until(&b, QCONN_FAILED, 10000) || qconn_get_state(b.c) == QCONN_FAILED);
	e = ch_last(&b, QCONN_EV_ERROR);
	cr_assert_not_null(e);
	cr_assert_eq(e->err, -EOPNOTSUPP);
	cr_assert(strstr(e->text, "another PDN needs QMAP"), "%s", e->text);
	cr_assert(ch_run_until(&a, QCONN_UP, 10000), "state %s", qconn_state_name(a.st));
	cr_assert(strstr(qconn_link_format(l), "raw-ip (the modem refused QMAP"), "%s",
		  qconn_link_format(l));
	cr_assert_null(qconn_link_mux_stats(l));
	fini2(&a, &b, l);
}

/* The session that asked for the format is stopped before the answer: the next one asks. */
Test(conn_pdn, asker_stopped_mid_format)
{
	struct qconn_link_opts lo = { .format = QCONN_FMT_AUTO };
	struct qconn_link *l;
	struct qconn_info ib;
	struct ch a, b;

	enter_new_netns();
	ch_init(&a, "delay=200");
	cr_assert_eq(qconn_link_new(&l, a.dev, &lo), 0);
	a.o.link = l;
	second(&b, &a, "ims");
	ch_start(&a);
	cr_assert(ch_run_until(&a, QCONN_FORMAT, 10000), "state %s", qconn_state_name(a.st));
	qconn_stop(a.c);
	a.c = NULL;
	ch_start(&b);
	cr_assert(ch_run_until(&b, QCONN_UP, 10000), "state %s", qconn_state_name(b.st));
	qconn_get_info(b.c, &ib);
	cr_assert(strstr(ib.data_format, "qmap v5"), "%s", ib.data_format);
	qconn_stop(b.c);
	qconn_link_free(l);
	qmi_dev_free(a.dev);
	qsim_free(a.sim);
	qb_loop_free(a.loop);
}

/* A data format asked for explicitly: raw-ip never asks for aggregation; qmap fails where
 * auto falls back. */
Test(conn_pdn, explicit_formats)
{
	const struct ch_event *e;
	struct qconn_info in;
	struct ch h;

	enter_new_netns();
	ch_init(&h, NULL);
	h.o.data_format = QCONN_FMT_RAW_IP;
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_UP, 10000));
	qconn_get_info(h.c, &in);
	cr_assert_str_eq(in.data_format, "raw-ip (--data-format raw-ip)");
	cr_assert_eq(in.mux_id, 0);
	ch_fini(&h);

	ch_init(&h, "no-qmap");
	h.o.data_format = QCONN_FMT_QMAP;
	e = ch_start_to_failure(&h);
	cr_assert_eq(e->err, -QB_EMODEM);
	cr_assert_eq(e->state, QCONN_FORMAT);
	cr_assert(strstr(e->text, "the modem refused QMAP v1"), "%s", e->text);
	ch_fini(&h);
}
