/* SPDX-License-Identifier: MIT */
/*
 * Always on: a failed attempt waits in BACKOFF (its event says why and for how long) and
 * starts again, before the first UP too; once keeps the single attempt. The SIM step unlocks
 * a card that asks for its PIN, sending it once, and sets a low-power modem online; what only
 * a person can fix (a wrong or missing PIN, a PUK-locked card) ends the connection.
 */
#include "conn_harness.h"

#include "base/errors.h"
#include "qmi/errors.h"
#include "qmi/messages.h"

TestSuite(conn_retry, .timeout = 60);

/* The card's PIN1 tries left, asked the way any client asks. */
static unsigned pin_tries_left(struct ch *h)
{
	struct qmi_uim_get_card_status_resp *r = calloc(1, sizeof(*r));
	struct qmi_result res = { 0 };
	unsigned left;
	uint8_t cid;

	cr_assert_not_null(r);
	cr_assert_eq(qmi_dev_alloc_cid(h->dev, QMI_SVC_UIM, &cid, &res), 0);
	cr_assert_eq(qmi_dev_call(h->dev, cid, &qmi_uim_get_card_status_req_def, NULL,
				  &qmi_uim_get_card_status_resp_def, r, &res, 0),
		     0);
	cr_assert_eq(res.status, 0);
	left = r->card_status.cards[0].applications[0].pin1_retries;
	free(r);
	cr_assert_eq(qmi_dev_release_cid(h->dev, QMI_SVC_UIM, cid, &res), 0);
	return left;
}

/* A modem without signal at boot registers later: the registration wait runs out, the next
 * attempt finds the network, and the connection comes up with no error. */
Test(conn_retry, no_service_at_boot_then_up)
{
	const struct ch_event *b;
	struct ch h;

	enter_new_netns();
	ch_init(&h, "no-service=2500");
	h.o.reg_timeout_ms = 1000;
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_UP, 15000), "state %s", qconn_state_name(h.st));
	cr_assert_eq(h.errors, 0);
	b = ch_first_backoff(&h);
	cr_assert_not_null(b, "no BACKOFF before the first UP");
	cr_assert_eq(b->delay_ms, 50);
	cr_assert(strstr(b->text, "not registered for packet data after 1 s"), "%s", b->text);
	cr_assert(ch_said(&h, "retrying in 0.05 s: not registered"));
	ch_fini(&h);
}

Test(conn_retry, once_keeps_the_single_attempt)
{
	const struct ch_event *e;
	struct ch h;

	enter_new_netns();
	ch_init(&h, "no-service=20000");
	h.o.reg_timeout_ms = 1000;
	h.o.once = true;
	e = ch_start_to_failure(&h);
	cr_assert_eq(e->err, -ETIMEDOUT);
	cr_assert_eq(ch_count_state(&h, QCONN_BACKOFF), 0);
	ch_fini(&h);
}

/* Every failed call is retried; the delay doubles up to its cap. */
Test(conn_retry, backoff_doubles_to_its_cap)
{
	static const unsigned want[] = { 50, 100, 200, 200 };
	unsigned n = 0;
	struct ch h;

	enter_new_netns();
	ch_init(&h, "call-fail=3");
	ch_start(&h);
	ch_run_for(&h, 1500);
	cr_assert_eq(h.errors, 0);
	cr_assert_neq(h.st, QCONN_FAILED);
	for (unsigned i = 0; i < h.n_ev && n < 4; i++) {
		if (h.ev[i].kind != QCONN_EV_STATE || h.ev[i].state != QCONN_BACKOFF)
			continue;
		cr_assert_eq(h.ev[i].delay_ms, want[n], "backoff %u: %u ms", n, h.ev[i].delay_ms);
		cr_assert(strstr(h.ev[i].text, "the IPv4 call failed"), "%s", h.ev[i].text);
		n++;
	}
	cr_assert_eq(n, 4, "%u backoffs", n);
	ch_fini(&h);
}

Test(conn_retry, pin_right_comes_up)
{
	struct ch h;

	enter_new_netns();
	ch_init(&h, "pin=4321");
	h.o.pin = "4321";
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_UP, 10000), "state %s", qconn_state_name(h.st));
	cr_assert(ch_said(&h, "SIM: PIN verified"));
	for (unsigned i = 0; i < h.n_ev; i++)
		cr_assert_null(strstr(h.ev[i].text, "4321"), "the PIN in an event: %s",
			       h.ev[i].text);
	cr_assert_eq(pin_tries_left(&h), 3);
	ch_fini(&h);
}

/* A wrong PIN is sent once: the card loses one try, and the error says how many are left. */
Test(conn_retry, pin_wrong_is_final_and_sent_once)
{
	const struct ch_event *e;
	struct ch h;

	enter_new_netns();
	ch_init(&h, "pin=4321");
	h.o.pin = "1111";
	e = ch_start_to_failure(&h);
	cr_assert(e->sim);
	cr_assert_eq(e->err, -QB_EMODEM);
	cr_assert_eq(e->qmi.error, QMI_ERR_INCORRECT_PIN);
	cr_assert(strstr(e->text, "wrong PIN (2 tries left)"), "%s", e->text);
	cr_assert_eq(h.errors, 1);
	cr_assert_eq(pin_tries_left(&h), 2);
	ch_fini(&h);
}

Test(conn_retry, pin_needed_but_not_given)
{
	const struct ch_event *e;
	struct ch h;

	enter_new_netns();
	ch_init(&h, "pin=4321");
	e = ch_start_to_failure(&h);
	cr_assert(e->sim);
	cr_assert(strstr(e->text, "--pin or --pin-file") && strstr(e->text, "3 tries left"), "%s",
		  e->text);
	cr_assert_eq(pin_tries_left(&h), 3);
	ch_fini(&h);
}

/* A card whose PIN tries are used up waits for its PUK: no PIN is sent to it. */
Test(conn_retry, puk_locked_is_final)
{
	struct qmi_uim_verify_pin_req q = { .has_session = true, .has_info = true };
	struct qmi_uim_verify_pin_resp r;
	struct qmi_result res = { 0 };
	const struct ch_event *e;
	struct ch h;
	uint8_t cid;

	enter_new_netns();
	ch_init(&h, "pin=4321");
	q.info.pin_id = QMI_UIM_PIN_ID_PIN1;
	snprintf(q.info.pin, sizeof(q.info.pin), "0000");
	cr_assert_eq(qmi_dev_alloc_cid(h.dev, QMI_SVC_UIM, &cid, &res), 0);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(qmi_dev_call(h.dev, cid, &qmi_uim_verify_pin_req_def, &q,
					  &qmi_uim_verify_pin_resp_def, &r, &res, 0),
			     0);
	cr_assert_eq(qmi_dev_release_cid(h.dev, QMI_SVC_UIM, cid, &res), 0);
	h.o.pin = "4321";
	e = ch_start_to_failure(&h);
	cr_assert(e->sim);
	cr_assert(strstr(e->text, "SIM is PUK-locked: unblock it with `qmiusb pin unblock`"), "%s",
		  e->text);
	cr_assert_not(ch_said(&h, "PIN verified"));
	ch_fini(&h);
}

Test(conn_retry, low_power_is_set_online)
{
	struct ch h;

	enter_new_netns();
	ch_init(&h, "low-power");
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_UP, 10000), "state %s", qconn_state_name(h.st));
	cr_assert(ch_said(&h, "operating mode: low-power; setting it online"));
	cr_assert(ch_said(&h, "operating mode: online"));
	cr_assert_eq(h.errors, 0);
	ch_fini(&h);
}

/* Offline is a dead end (only a reset leaves it): the refusal is retried, saying why. */
Test(conn_retry, offline_modem_is_retried_with_the_refusal)
{
	struct qmi_dms_set_operating_mode_req q = { .has_mode = true,
						    .mode = QMI_DMS_OPERATING_MODE_OFFLINE };
	struct qmi_result res = { 0 };
	const struct ch_event *b;
	struct ch h;
	uint8_t cid;

	enter_new_netns();
	ch_init(&h, NULL);
	cr_assert_eq(qmi_dev_alloc_cid(h.dev, QMI_SVC_DMS, &cid, &res), 0);
	cr_assert_eq(qmi_dev_call(h.dev, cid, &qmi_dms_set_operating_mode_req_def, &q,
				  &qmi_dms_set_operating_mode_resp_def, NULL, &res, 0),
		     0);
	cr_assert_eq(res.status, 0);
	cr_assert_eq(qmi_dev_release_cid(h.dev, QMI_SVC_DMS, cid, &res), 0);
	ch_start(&h);
	ch_run_until(&h, QCONN_BACKOFF, 5000);
	b = ch_first_backoff(&h);
	cr_assert_not_null(b, "state %s", qconn_state_name(h.st));
	cr_assert(strstr(b->text, "the modem refused to go online (offline): QMI error"), "%s",
		  b->text);
	cr_assert_eq(h.errors, 0);
	ch_fini(&h);
}
