/* SPDX-License-Identifier: MIT */
/*
 * The SIM step's own requests: the operating mode (online before anything, since some modems
 * power the card down in low-power mode), and PIN1 for a card that asks for it. A wrong
 * PIN costs one of the card's few tries, so the PIN goes to the card once: again only after
 * the card took it (a modem reset asks again), never after a refusal or an answer lost on the
 * way. Its one copy here is the request, wiped once encoded.
 */
#include "conn/conn_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/errors.h"
#include "base/wipe.h"
#include "qmi/errors.h"
#include "qmi/pin.h"

#define MODE_POLL_MS 1000u
#define MODE_READS 5u /* after Set Operating Mode online: firmware takes a moment */

/* A request this firmware does not know (old modems: PIN through DMS, no operating mode). */
static bool unknown_request(const struct qmi_result *r)
{
	return r->error == QMI_ERR_INVALID_QMI_COMMAND || r->error == QMI_ERR_NOT_SUPPORTED ||
	       r->error == QMI_ERR_INVALID_SERVICE_TYPE;
}

static void send_pin(struct qconn *c, bool dms);

/* The card's answer, through UIM or DMS (c->pin_dms says which). */
static void on_verify(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	union {
		struct qmi_uim_verify_pin_resp u;
		struct qmi_dms_uim_verify_pin_resp d;
	} v;
	struct qmi_result r;
	char eb[96], left[48] = "";
	int retries = -1; /* the verify tries left, when said */

	memset(&v, 0, sizeof(v));
	err = qconn_response(err, resp,
			     c->pin_dms ? &qmi_dms_uim_verify_pin_resp_def
					: &qmi_uim_verify_pin_resp_def,
			     &v, &r);
	if (c->st != QCONN_SIM)
		return;
	if (!c->pin_dms && err == -QB_EMODEM && unknown_request(&r) && c->have_dms) {
		send_pin(c, true); /* UIM did not take it to the card */
		return;
	}
	if (!err || (err == -QB_EMODEM && r.error == QMI_ERR_NO_EFFECT)) {
		c->pin = QCONN_PIN_RIGHT;
		qconn_progress(c, "SIM: PIN verified");
		qconn_sim_card(c);
		return;
	}
	if (c->pin_dms ? v.d.has_retries : v.u.has_retries)
		retries = c->pin_dms ? v.d.retries.verify_left : v.u.retries.verify_left;
	if (retries >= 0)
		snprintf(left, sizeof(left), " (%d %s left)", retries,
			 retries == 1 ? "try" : "tries");
	if (err == -QB_EMODEM && r.error == QMI_ERR_INCORRECT_PIN && retries != 0)
		qconn_fail_sim(c, err, &r, "wrong PIN%s: not tried again; fix the PIN and restart",
			       left);
	else if (err == -QB_EMODEM &&
		 (r.error == QMI_ERR_INCORRECT_PIN || r.error == QMI_ERR_PIN_BLOCKED ||
		  r.error == QMI_ERR_PIN_ALWAYS_BLOCKED))
		qconn_fail_sim(
			c, err, &r,
			"wrong PIN: SIM is PUK-locked: unblock it with `qmiusb pin unblock`");
	else
		qconn_fail_sim(c, err, &r,
			       "couldn't verify the PIN: %s%s; not sent again (a wrong one would "
			       "cost a try)",
			       qconn_errtext(err, &r, eb, sizeof(eb)), left);
}

static void send_pin(struct qconn *c, bool dms)
{
	union {
		struct qmi_uim_verify_pin_req u;
		struct qmi_dms_uim_verify_pin_req d;
	} q;
	int err;

	memset(&q, 0, sizeof(q));
	c->pin_dms = dms;
	if (dms) {
		q.d.has_info = true;
		q.d.info.pin_id = QMI_DMS_UIM_PIN_ID_PIN;
		snprintf(q.d.info.pin, sizeof(q.d.info.pin), "%s", c->o.pin);
		err = qconn_send_msg(c, c->dms_cid, &qmi_dms_uim_verify_pin_req_def, &q.d, 0,
				     on_verify, c);
	} else {
		/* The session stays zero: the primary GW provisioning application. */
		q.u.has_session = q.u.has_info = true;
		q.u.info.pin_id = QMI_UIM_PIN_ID_PIN1;
		snprintf(q.u.info.pin, sizeof(q.u.info.pin), "%s", c->o.pin);
		err = qconn_send_msg(c, c->uim_cid, &qmi_uim_verify_pin_req_def, &q.u, 0, on_verify,
				     c);
	}
	qb_wipe(&q, sizeof(q));
	c->pin = err ? c->pin : QCONN_PIN_SENT;
	if (err)
		qconn_fail(c, err, NULL, false, "couldn't send Verify PIN: %s", qb_strerror(-err));
}

void qconn_pin_verify(struct qconn *c, int retries)
{
	const char *pin = c->o.pin;
	char left[48] = "";

	if (retries >= 0)
		snprintf(left, sizeof(left), " (%d %s left)", retries,
			 retries == 1 ? "try" : "tries");
	if (!pin)
		qconn_fail_sim(c, -EACCES, NULL,
			       "the SIM asks for its PIN%s: give it with --pin or --pin-file",
			       left);
	else if (!qmi_pin_valid(pin))
		qconn_fail(c, -EINVAL, NULL, true, "the PIN given is not %d to %d digits",
			   QMI_PIN_MIN, QMI_PIN_MAX);
	else if (c->pin == QCONN_PIN_SENT)
		qconn_fail_sim(c, -EACCES, NULL,
			       "the SIM still asks for its PIN after one try%s: not sent again",
			       left);
	else
		send_pin(c, false);
}

/* ---- the operating mode ---- */

static void get_mode(struct qconn *c);

static void on_set_mode(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	struct qmi_result r;
	char eb[96];

	err = qconn_response(err, resp, NULL, NULL, &r);
	if (c->st != QCONN_SIM)
		return;
	if (err)
		qconn_fail(c, err, &r, false, "the modem refused to go online (%s): %s", c->mode,
			   qconn_errtext(err, &r, eb, sizeof(eb)));
	else
		get_mode(c);
}

static void set_online(struct qconn *c)
{
	struct qmi_dms_set_operating_mode_req q = { .has_mode = true,
						    .mode = QMI_DMS_OPERATING_MODE_ONLINE };
	int err = qconn_send_msg(c, c->dms_cid, &qmi_dms_set_operating_mode_req_def, &q, 0,
				 on_set_mode, c);

	if (err)
		qconn_fail(c, err, NULL, false, "couldn't send Set Operating Mode: %s",
			   qb_strerror(-err));
}

/* "low-power", and the offline reason's bits when the modem gives them. */
static void describe(struct qconn *c, const struct qmi_dms_get_operating_mode_resp *m)
{
	const struct qmi_enum *e = &qmi_enum_dms_offline_reason;
	const char *sep = ", offline reason ";
	uint16_t why = m->has_offline_reason ? m->offline_reason : 0;
	size_t n;

	n = (size_t)snprintf(c->mode, sizeof(c->mode), "%s",
			     qconn_name(qmi_dms_operating_mode_name(m->mode)));
	for (size_t i = 0; i < e->n && n < sizeof(c->mode); i++) {
		if (!(why & e->v[i].value))
			continue;
		n += (size_t)snprintf(c->mode + n, sizeof(c->mode) - n, "%s%s", sep, e->v[i].name);
		why &= (uint16_t)~e->v[i].value;
		sep = "|";
	}
	if (why && n < sizeof(c->mode)) /* bits without a name */
		snprintf(c->mode + n, sizeof(c->mode) - n, "%s0x%04x", sep, why);
}

static void on_mode(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	struct qmi_dms_get_operating_mode_resp m;
	struct qmi_result r;
	char eb[96];

	memset(&m, 0, sizeof(m));
	err = qconn_response(err, resp, &qmi_dms_get_operating_mode_resp_def, &m, &r);
	if (c->st != QCONN_SIM)
		return;
	if (err == -QB_EMODEM && unknown_request(&r)) {
		qconn_progress(c, "operating mode: not reported by the modem");
		qconn_sim_card(c);
		return;
	}
	if (err || !m.has_mode) {
		qconn_fail(c, err ? err : -EPROTO, &r, false,
			   "couldn't read the operating mode: %s",
			   err ? qconn_errtext(err, &r, eb, sizeof(eb)) : "no mode in the answer");
		return;
	}
	if (m.mode == QMI_DMS_OPERATING_MODE_ONLINE) {
		if (c->mode_reads)
			qconn_progress(c, "operating mode: online");
		qconn_sim_card(c);
		return;
	}
	describe(c, &m);
	if (!c->mode_reads++) {
		qconn_progress(c, "operating mode: %s; setting it online", c->mode);
		set_online(c);
	} else if (c->mode_reads <= MODE_READS) {
		qconn_later(c, MODE_POLL_MS, get_mode);
	} else {
		qconn_fail(c, -ENETDOWN, NULL, false,
			   "the modem stays %s after Set Operating Mode online", c->mode);
	}
}

static void get_mode(struct qconn *c)
{
	int err = qconn_send_msg(c, c->dms_cid, &qmi_dms_get_operating_mode_req_def, NULL, 0,
				 on_mode, c);

	if (err)
		qconn_fail(c, err, NULL, false, "couldn't ask for the operating mode: %s",
			   qb_strerror(-err));
}

void qconn_online(struct qconn *c)
{
	if (!c->have_dms) {
		qconn_progress(c, "operating mode: no DMS service, not checked");
		qconn_sim_card(c);
		return;
	}
	c->mode_reads = 0;
	get_mode(c);
}
