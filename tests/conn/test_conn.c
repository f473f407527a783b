/* SPDX-License-Identifier: MIT */
/*
 * The connection manager in-process against the software modem: every outcome arrives as an
 * event (an error as -errno plus the modem's QMI result), the TUN and the client ids are gone
 * after qconn_stop() whatever the state, and a call the network ends comes back by itself.
 */
#include "conn_harness.h"

#include "base/errors.h"
#include "qmi/errors.h"

TestSuite(conn, .timeout = 60);

Test(conn, up_ipv4_and_stop)
{
	struct ch h;
	const struct ch_event *up;
	char ifname[IF_NAMESIZE];

	enter_new_netns();
	ch_init(&h, NULL);
	h.o.apn = "internet";
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_UP, 10000), "state %s", qconn_state_name(h.st));
	up = ch_last(&h, QCONN_EV_UP);
	cr_assert_not_null(up);
	cr_assert(up->has_v4 && !up->has_v6);
	cr_assert(ch_if_exists(up->ifname));
	cr_assert(ch_said(&h, "APN 'internet'"));
	snprintf(ifname, sizeof(ifname), "%s", up->ifname);
	ch_fini(&h);
	cr_assert_not(ch_if_exists(ifname), "the TUN outlived the stop");
	cr_assert_eq(h.downs, 1, "no DOWN event for the stop");
}

/* The states in the order the table gives them, each announced once. */
Test(conn, states_in_order)
{
	static const enum qconn_state want[] = { QCONN_SETUP, QCONN_FORMAT, QCONN_SIM,    QCONN_REG,
						 QCONN_CALL,  QCONN_UP,     QCONN_STOPPED };
	enum qconn_state seen[16];
	unsigned n = 0, i;
	struct ch h;

	enter_new_netns();
	ch_init(&h, NULL);
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_UP, 10000));
	ch_fini(&h);
	for (i = 0; i < h.n_ev && n < 16; i++)
		if (h.ev[i].kind == QCONN_EV_STATE)
			seen[n++] = h.ev[i].state;
	cr_assert_eq(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n; i++)
		cr_assert_eq(seen[i], want[i], "state %u: %s, want %s", i,
			     qconn_state_name(seen[i]), qconn_state_name(want[i]));
}

/* Without an APN none is sent: the modem's profile decides (a modem that insists on one
 * refuses the call, which proves the TLV is absent). */
Test(conn, no_apn_uses_the_profile)
{
	struct ch h;
	const struct ch_event *e;

	enter_new_netns();
	ch_init(&h, NULL);
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_UP, 10000));
	cr_assert(ch_said(&h, "the profile's APN"));
	ch_fini(&h);

	ch_init(&h, "apn=internet");
	h.o.once = true;
	e = ch_start_to_failure(&h);
	cr_assert_eq(e->err, -QB_EMODEM);
	ch_fini(&h);
}

Test(conn, ipv6)
{
	struct ch h;
	const struct ch_event *up;

	enter_new_netns();
	ch_init(&h, NULL);
	h.o.families = QCONN_V6;
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_UP, 10000), "state %s", qconn_state_name(h.st));
	up = ch_last(&h, QCONN_EV_UP);
	cr_assert(up->has_v6 && !up->has_v4);
	ch_fini(&h);
}

Test(conn, dual_stack)
{
	struct ch h;
	const struct ch_event *up;

	enter_new_netns();
	ch_init(&h, NULL);
	h.o.families = QCONN_V4 | QCONN_V6;
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_UP, 10000), "state %s", qconn_state_name(h.st));
	up = ch_last(&h, QCONN_EV_UP);
	cr_assert(up->has_v6 && up->has_v4);
	cr_assert_eq(qsim_cid_count(h.sim, QMI_SVC_WDS), 2);
	ch_fini(&h);
}

/* No card: no wait or retry brings one, so the first answer ends it (without --once too). */
Test(conn, sim_absent)
{
	struct ch h;
	const struct ch_event *e;

	enter_new_netns();
	ch_init(&h, "sim-absent");
	h.o.sim_timeout_ms = 30000;
	e = ch_start_to_failure(&h);
	cr_assert(e->sim, "not marked as the SIM's");
	cr_assert_eq(e->state, QCONN_SIM, "failed in %s", qconn_state_name(e->state));
	cr_assert(strstr(e->text, "no SIM card"), "%s", e->text);
	cr_assert_eq(h.errors, 1);
	cr_assert_not(ch_said(&h, "retrying"), "a missing card was retried");
	ch_fini(&h);
}

/* A SIM that stays initialising times out; with once that is final. */
Test(conn, sim_not_ready_once)
{
	struct ch h;
	const struct ch_event *e;

	enter_new_netns();
	ch_init(&h, "sim-delay=30000");
	h.o.once = true;
	e = ch_start_to_failure(&h);
	cr_assert_eq(e->err, -ETIMEDOUT);
	cr_assert_not(e->sim);
	cr_assert_eq(e->state, QCONN_SIM, "failed in %s", qconn_state_name(e->state));
	cr_assert(strstr(e->text, "the SIM is not ready after 1 s"), "%s", e->text);
	ch_fini(&h);
}

Test(conn, registration_denied)
{
	struct ch h;
	const struct ch_event *e;

	enter_new_netns();
	ch_init(&h, "reg-denied");
	h.o.once = true;
	e = ch_start_to_failure(&h);
	cr_assert_eq(e->err, -ETIMEDOUT);
	cr_assert_eq(e->state, QCONN_REG);
	cr_assert(strstr(e->text, "denied"), "%s", e->text);
	ch_fini(&h);
}

/* The reason reaches the caller twice: the modem's QMI error in the event, the call end
 * reason (and its verbose form) in the text. */
Test(conn, call_failure_with_reason)
{
	struct ch h;
	const struct ch_event *e;

	enter_new_netns();
	ch_init(&h, "call-fail=3,call-fail-verbose=6:27");
	h.o.once = true;
	e = ch_start_to_failure(&h);
	cr_assert_eq(e->err, -QB_EMODEM);
	cr_assert_eq(e->qmi.status, 1);
	cr_assert_eq(e->qmi.error, QMI_ERR_CALL_FAILED);
	cr_assert_not(e->local);
	cr_assert(strstr(e->text, "call end reason") && strstr(e->text, "(3)"), "%s", e->text);
	cr_assert(strstr(e->text, "verbose"), "%s", e->text);
	ch_fini(&h);
}

Test(conn, network_drop_and_reconnect)
{
	struct ch h;

	enter_new_netns();
	ch_init(&h, NULL);
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_UP, 10000));
	cr_assert_eq(h.ups, 1);
	qsim_drop_call(h.sim, 2);
	cr_assert(ch_run_until(&h, QCONN_BACKOFF, 5000), "state %s", qconn_state_name(h.st));
	cr_assert_eq(h.downs, 1);
	cr_assert(ch_said(&h, "the network ended the IPv4 call"));
	cr_assert(ch_run_until(&h, QCONN_UP, 10000), "state %s", qconn_state_name(h.st));
	cr_assert_eq(h.ups, 2);
	cr_assert_eq(h.errors, 0);
	ch_fini(&h);
}

/* Stopped in each state: nothing left behind (ch_fini checks the client ids, here the TUN). */
static void stop_in(enum qconn_state st, const char *spec)
{
	struct ch h;
	char ifname[IF_NAMESIZE] = "";
	const struct ch_event *e;

	enter_new_netns();
	ch_init(&h, spec);
	h.o.sim_timeout_ms = h.o.reg_timeout_ms = 30000;
	if (st == QCONN_BACKOFF)
		h.o.backoff_min_ms = h.o.backoff_max_ms = 30000;
	ch_start(&h);
	if (st == QCONN_BACKOFF) {
		cr_assert(ch_run_until(&h, QCONN_UP, 10000));
		qsim_drop_call(h.sim, 2);
	}
	cr_assert(ch_run_until(&h, st, 10000), "never in %s (now %s)", qconn_state_name(st),
		  qconn_state_name(h.st));
	e = ch_last(&h, QCONN_EV_PROGRESS);
	cr_assert_not_null(e);
	cr_assert(ch_tun_name(&h, ifname), "no TUN said");
	cr_assert(ch_if_exists(ifname));
	ch_fini(&h);
	cr_assert_not(ch_if_exists(ifname), "%s outlived a stop in %s", ifname,
		      qconn_state_name(st));
}

Test(conn, stop_in_format)
{
	stop_in(QCONN_FORMAT, NULL);
}

Test(conn, stop_in_sim)
{
	stop_in(QCONN_SIM, "sim-delay=20000");
}

Test(conn, stop_in_registration)
{
	stop_in(QCONN_REG, "reg-delay=20000");
}

Test(conn, stop_in_call)
{
	stop_in(QCONN_CALL, NULL);
}

Test(conn, stop_when_up)
{
	stop_in(QCONN_UP, NULL);
}

Test(conn, stop_in_backoff)
{
	stop_in(QCONN_BACKOFF, NULL);
}

Test(conn, stop_after_failure)
{
	struct ch h;

	enter_new_netns();
	ch_init(&h, "call-fail=3");
	h.o.once = true;
	ch_start(&h);
	cr_assert_not(ch_run_until(&h, QCONN_UP, 10000));
	cr_assert_eq(h.st, QCONN_FAILED);
	ch_fini(&h);
}

/* Without a TUN device the failure is this host's, said as such. */
Test(conn, tun_failure_is_local)
{
	struct ch h;
	const struct ch_event *e;

	enter_new_netns();
	ch_init(&h, NULL);
	h.o.ifname = "this-name-is-far-too-long-for-an-interface";
	ch_start(&h);
	cr_assert_eq(h.n_ev, 0, "an event inside qconn_start()");
	cr_assert(ch_run_until(&h, QCONN_FAILED, 5000));
	e = ch_last(&h, QCONN_EV_ERROR);
	cr_assert_not_null(e);
	cr_assert(e->local);
	cr_assert_lt(e->err, 0);
	ch_fini(&h);
}
