/* SPDX-License-Identifier: MIT */
/*
 * The SIM and registration waits: one question a second until the answer is the one wanted or
 * the step's deadline passes. The SIM step sets the modem online first (unlock.c); then a
 * card that needs a person ends the connection (no wait helps), and one that asks for its PIN
 * gets it (unlock.c).
 */
#include "conn/conn_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/errors.h"
#include "base/loop.h"

#define POLL_MS 1000u

static void on_sim(void *user, int err, const struct qmi_frame *resp);
static void on_reg(void *user, int err, const struct qmi_frame *resp);

/* Asks again for what the wait in progress (c->st: SIM or REG) waits for; also its timer. */
static void ask(struct qconn *c)
{
	bool sim = c->st == QCONN_SIM;
	int err;

	if (sim)
		err = qconn_send_msg(c, c->uim_cid, &qmi_uim_get_card_status_req_def, NULL, 0,
				     on_sim, c);
	else
		err = qconn_send_msg(c, c->nas_cid, &qmi_nas_get_serving_system_req_def, NULL, 0,
				     on_reg, c);
	if (err)
		qconn_fail(c, err, NULL, false, "couldn't ask for the %s: %s",
			   sim ? "card status" : "serving system", qb_strerror(-err));
}

/* false: the deadline has passed, nothing planned */
static bool ask_later(struct qconn *c)
{
	if (qb_now_ms() >= c->deadline)
		return false;
	qconn_later(c, POLL_MS, ask);
	return true;
}

static void start_asking(struct qconn *c, unsigned timeout_ms)
{
	c->deadline = qb_now_ms() + timeout_ms;
	ask(c);
}

/* The decoded answer of the wait in progress, in c (the answers come every second): 0, or
 * -errno with its words in eb. A modem that went away fails c; any other error is one more
 * reason to wait. */
static int answer(struct qconn *c, int err, const struct qmi_frame *resp,
		  const struct qmi_msg_def *def, char *eb, size_t len)
{
	struct qmi_result r;

	memset(&c->wait, 0, sizeof(c->wait));
	err = qconn_response(err, resp, def, &c->wait, &r);
	if (err == -ENODEV || err == -EPIPE)
		qconn_fail(c, err, NULL, false, "the modem went away: %s", qb_strerror(-err));
	else if (err && qconn_errtext(err, &r, eb, len) != eb)
		snprintf(eb, len, "%s", qconn_errtext(err, &r, eb, len));
	return err;
}

/* ---- SIM ---- */

enum sim_kind {
	SIM_WAIT,  /* initialising, or a state a wait may change */
	SIM_READY, /* the application is ready */
	SIM_PIN,   /* PIN1 wanted */
	SIM_STUCK  /* a person must act: no card, PUK-locked, blocked */
};

/* What the card or its application waits for, in words (into buf for SIM_STUCK). */
static enum sim_kind sim_state(const struct qmi_uim_card_status *cs, const char **state,
			       int *retries, char *buf, size_t len)
{
	const struct qmi_uim_card *card;
	const struct qmi_uim_app *a;
	unsigned slot = 0, app = 0;

	*retries = -1;
	if (cs->index_gw_primary != 0xFFFF) {
		slot = cs->index_gw_primary >> 8;
		app = cs->index_gw_primary & 0xFF;
	}
	*state = "no card";
	if (slot >= cs->n_cards || cs->cards[slot].card_state == QMI_UIM_CARD_STATE_ABSENT) {
		snprintf(buf, len, "no SIM card in the modem: insert one (and restart the modem)");
		return SIM_STUCK;
	}
	card = &cs->cards[slot];
	*state = qconn_name(qmi_uim_card_state_name(card->card_state));
	if (card->card_state != QMI_UIM_CARD_STATE_PRESENT)
		return SIM_WAIT;
	*state = "no application";
	if (app >= card->n_applications)
		return SIM_WAIT;
	a = &card->applications[app];
	*state = qconn_name(qmi_uim_app_state_name(a->state));
	switch (a->state) {
	case QMI_UIM_APP_STATE_READY:
		return SIM_READY;
	case QMI_UIM_APP_STATE_PIN1_OR_UPIN_REQUIRED:
		*retries = a->pin1_retries;
		return SIM_PIN;
	case QMI_UIM_APP_STATE_PUK1_OR_UPIN_PUK_REQUIRED:
		snprintf(buf, len,
			 "SIM is PUK-locked: unblock it with `qmiusb pin unblock` (%u PUK tries "
			 "left)",
			 a->puk1_retries);
		return SIM_STUCK;
	case QMI_UIM_APP_STATE_PIN1_BLOCKED:
		snprintf(buf, len, "the SIM is blocked for good (no PUK tries left): replace it");
		return SIM_STUCK;
	default:
		return SIM_WAIT;
	}
}

static void on_sim(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	const char *state = "unknown";
	enum sim_kind kind = SIM_WAIT;
	char eb[160];
	int retries = -1;

	if (c->st != QCONN_SIM)
		return;
	err = answer(c, err, resp, &qmi_uim_get_card_status_resp_def, eb, sizeof(eb));
	if (qconn_over(c))
		return;
	if (err)
		state = eb;
	else if (c->wait.card.has_card_status)
		kind = sim_state(&c->wait.card.card_status, &state, &retries, eb, sizeof(eb));
	switch (kind) {
	case SIM_READY:
		qconn_progress(c, "SIM: ready");
		qconn_done(c);
		return;
	case SIM_PIN:
		qconn_progress(c, "SIM: PIN1 required");
		qconn_pin_verify(c, retries);
		return;
	case SIM_STUCK:
		qconn_fail_sim(c, -EACCES, NULL, "%s", eb);
		return;
	case SIM_WAIT:
		break;
	}
	qconn_progress(c, "waiting for the SIM: %s", state);
	if (!ask_later(c))
		qconn_fail(c, -ETIMEDOUT, NULL, false, "the SIM is not ready after %u s: %s",
			   c->o.sim_timeout_ms / 1000, state);
}

void qconn_sim_card(struct qconn *c)
{
	if (!c->have_uim) {
		qconn_progress(c, "SIM: no UIM service, not checked");
		qconn_done(c);
		return;
	}
	start_asking(c, c->o.sim_timeout_ms);
}

/* Online first: some modems power the card down in low-power mode. */
void qconn_sim_enter(struct qconn *c)
{
	qconn_online(c);
}

/* ---- registration ---- */

static void on_reg(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	const struct qmi_nas_serving_system *ss = &c->wait.ss.serving_system;
	char state[128], eb[96];
	bool ok = false;

	if (c->st != QCONN_REG)
		return;
	err = answer(c, err, resp, &qmi_nas_get_serving_system_resp_def, eb, sizeof(eb));
	if (qconn_over(c))
		return;
	if (!err && c->wait.ss.has_serving_system) {
		const char *radio = ss->n_radio_interfaces
					    ? qconn_name(qmi_nas_radio_interface_name(
						      ss->radio_interfaces[0]))
					    : "none";

		ok = ss->registration_state == QMI_NAS_REGISTRATION_STATE_REGISTERED &&
		     ss->ps_attach_state == QMI_NAS_ATTACH_STATE_ATTACHED;
		snprintf(state, sizeof(state), "%s, packet domain %s, radio %s",
			 qconn_name(qmi_nas_registration_state_name(ss->registration_state)),
			 qconn_name(qmi_nas_attach_state_name(ss->ps_attach_state)), radio);
	} else {
		snprintf(state, sizeof(state), "%s", err ? eb : "no serving system");
	}
	if (ok) {
		qconn_progress(c, "registration: %s", state);
		qconn_done(c);
		return;
	}
	qconn_progress(c, "waiting for registration: %s", state);
	if (!ask_later(c))
		qconn_fail(c, -ETIMEDOUT, NULL, false,
			   "not registered for packet data after %u s: %s",
			   c->o.reg_timeout_ms / 1000, state);
}

void qconn_reg_enter(struct qconn *c)
{
	start_asking(c, c->o.reg_timeout_ms);
}
