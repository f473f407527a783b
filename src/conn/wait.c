/* SPDX-License-Identifier: MIT */
#include "conn/conn_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Any other error in an answer is one more reason to wait. */
static bool went_away(struct qconn *c, int err)
{
	if (err != -ENODEV && err != -EPIPE)
		return false;
	qconn_fail(c, err, NULL, false, "the modem went away: %s", qb_strerror(-err));
	return true;
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

/* ---- SIM ---- */

/* "ready", or what the card or its application waits for. */
static const char *sim_state(const struct qmi_uim_card_status *cs, bool *ready)
{
	const struct qmi_uim_card *card;
	unsigned slot = 0, app = 0;

	*ready = false;
	if (cs->index_gw_primary != 0xFFFF) {
		slot = cs->index_gw_primary >> 8;
		app = cs->index_gw_primary & 0xFF;
	}
	if (slot >= cs->n_cards)
		return "no card";
	card = &cs->cards[slot];
	if (card->card_state != QMI_UIM_CARD_STATE_PRESENT)
		return qconn_name(qmi_uim_card_state_name(card->card_state));
	if (app >= card->n_applications)
		return "no application";
	*ready = card->applications[app].state == QMI_UIM_APP_STATE_READY;
	return qconn_name(qmi_uim_app_state_name(card->applications[app].state));
}

static void on_sim(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	struct qmi_uim_get_card_status_resp *s;
	struct qmi_result r;
	const char *state = "unknown";
	bool ready = false;
	char eb[96];

	if (qconn_over(c))
		return;
	s = calloc(1, sizeof(*s));
	if (!s) {
		qconn_fail(c, -ENOMEM, NULL, true, "out of memory");
		return;
	}
	err = qconn_response(err, resp, &qmi_uim_get_card_status_resp_def, s, &r);
	if (!err && s->has_card_status)
		state = sim_state(&s->card_status, &ready);
	else if (err)
		state = qconn_errtext(err, &r, eb, sizeof(eb));
	free(s);
	if (went_away(c, err))
		return;
	if (ready) {
		qconn_progress(c, "SIM: ready");
		qconn_done(c);
		return;
	}
	qconn_progress(c, "waiting for the SIM: %s", state);
	if (!ask_later(c))
		qconn_fail(c, -ETIMEDOUT, NULL, false, "the SIM is not ready after %u s: %s",
			   c->o.sim_timeout_ms / 1000, state);
}

void qconn_sim_enter(struct qconn *c)
{
	if (!c->have_uim) {
		qconn_progress(c, "SIM: no UIM service, not checked");
		qconn_done(c);
		return;
	}
	start_asking(c, c->o.sim_timeout_ms);
}

/* ---- registration ---- */

static void on_reg(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	struct qmi_nas_get_serving_system_resp *s;
	struct qmi_result r;
	char state[128], eb[96];
	bool ok = false;

	if (qconn_over(c))
		return;
	s = calloc(1, sizeof(*s));
	if (!s) {
		qconn_fail(c, -ENOMEM, NULL, true, "out of memory");
		return;
	}
	err = qconn_response(err, resp, &qmi_nas_get_serving_system_resp_def, s, &r);
	if (!err && s->has_serving_system) {
		const struct qmi_nas_serving_system *ss = &s->serving_system;
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
		snprintf(state, sizeof(state), "%s",
			 err ? qconn_errtext(err, &r, eb, sizeof(eb)) : "no serving system");
	}
	free(s);
	if (went_away(c, err))
		return;
	if (ok) {
		qconn_progress(c, "registration: %s", state);
		qconn_done(c);
		return;
	}
	qconn_progress(c, "waiting for registration: %s", state);
	if (ask_later(c))
		return;
	if (c->ever_up) { /* reconnecting: keep trying, the network may come back */
		qconn_later(c, c->backoff_ms, ask);
		return;
	}
	qconn_fail(c, -ETIMEDOUT, NULL, false, "not registered for packet data after %u s: %s",
		   c->o.reg_timeout_ms / 1000, state);
}

void qconn_reg_enter(struct qconn *c)
{
	start_asking(c, c->o.reg_timeout_ms);
}
