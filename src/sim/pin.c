/* SPDX-License-Identifier: MIT */
/*
 * The SIM's PIN1: verification, unblocking with the PUK, changing it and switching protection,
 * reached through UIM (Verify/Unblock/Change PIN, Set PIN Protection) and through DMS on old
 * firmware (UIM Verify PIN, UIM Get PIN Status). Both paths share one state, as on a real card.
 *
 * A wrong PIN costs one of three tries; the third blocks PIN1, and only the PUK (ten tries)
 * unblocks it. The tenth wrong PUK blocks the card for good.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/messages.h"
#include "qmi/pin.h"

#define DEFAULT_PIN "1234"
#define DEFAULT_PUK "12345678"

void qsim_pin_init(struct qsim *sim)
{
	struct qsim_pin *p = &sim->pin;

	p->enabled = sim->faults.pin[0] != '\0';
	snprintf(p->code, sizeof(p->code), "%s", p->enabled ? sim->faults.pin : DEFAULT_PIN);
	snprintf(p->puk, sizeof(p->puk), "%s", DEFAULT_PUK);
	p->pin_left = QSIM_PIN_TRIES;
	p->puk_left = QSIM_PUK_TRIES;
	p->verified = false;
}

void qsim_pin_power_cycle(struct qsim *sim)
{
	sim->pin.verified = false;
}

uint8_t qsim_pin1_state(const struct qsim *sim)
{
	const struct qsim_pin *p = &sim->pin;

	if (!p->puk_left)
		return QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED;
	if (!p->pin_left)
		return QMI_UIM_PIN_STATE_BLOCKED;
	if (!p->enabled)
		return QMI_UIM_PIN_STATE_DISABLED;
	return p->verified ? QMI_UIM_PIN_STATE_ENABLED_VERIFIED
			   : QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED;
}

bool qsim_pin_locked(const struct qsim *sim)
{
	uint8_t st = qsim_pin1_state(sim);

	return st != QMI_UIM_PIN_STATE_DISABLED && st != QMI_UIM_PIN_STATE_ENABLED_VERIFIED;
}

bool qsim_sim_unlocked(const struct qsim *sim)
{
	return sim->uim == QSIM_UIM_READY && !qsim_pin_locked(sim);
}

/* A wrong PIN or PUK: one try less, and the error the card's new state calls for. */
static uint16_t wrong(uint8_t *left, uint16_t last_error)
{
	if (*left)
		(*left)--;
	return *left ? QMI_ERR_INCORRECT_PIN : last_error;
}

enum pin_op {
	OP_VERIFY,
	OP_UNBLOCK,
	OP_CHANGE,
	OP_PROTECT
};

/*
 * The card's side of one operation. code is the PIN (or the PUK to unblock with); new_code the
 * replacement for unblock and change; enable the protection wanted. Returns 0 or a QMI error.
 */
static uint16_t pin_op(struct qsim *sim, enum pin_op op, const char *code, const char *new_code,
		       bool enable)
{
	struct qsim_pin *p = &sim->pin;

	if (sim->uim == QSIM_UIM_ABSENT)
		return QMI_ERR_NO_SIM;
	if (sim->uim != QSIM_UIM_READY)
		return QMI_ERR_UIM_UNINITIALIZED;
	if (!p->puk_left)
		return QMI_ERR_PIN_ALWAYS_BLOCKED;
	if (op == OP_UNBLOCK) {
		if (!qmi_puk_valid(code) || !qmi_pin_valid(new_code))
			return QMI_ERR_INVALID_ARGUMENT;
		if (strcmp(code, p->puk) != 0)
			return wrong(&p->puk_left, QMI_ERR_PIN_ALWAYS_BLOCKED);
		snprintf(p->code, sizeof(p->code), "%.*s", QMI_PIN_MAX, new_code);
		p->pin_left = QSIM_PIN_TRIES;
		p->puk_left = QSIM_PUK_TRIES;
		p->enabled = true;
		p->verified = true;
		return 0;
	}
	if (!p->pin_left)
		return QMI_ERR_PIN_BLOCKED;
	if (!qmi_pin_valid(code) || (op == OP_CHANGE && !qmi_pin_valid(new_code)))
		return QMI_ERR_INVALID_ARGUMENT;
	/* A card with protection off has nothing to verify or change. */
	if ((op == OP_VERIFY || op == OP_CHANGE) && !p->enabled)
		return QMI_ERR_NO_EFFECT;
	if (op == OP_PROTECT && p->enabled == enable)
		return QMI_ERR_NO_EFFECT;
	if (strcmp(code, p->code) != 0)
		return wrong(&p->pin_left, QMI_ERR_PIN_BLOCKED);
	p->pin_left = QSIM_PIN_TRIES;
	p->verified = true;
	if (op == OP_CHANGE)
		snprintf(p->code, sizeof(p->code), "%.*s", QMI_PIN_MAX, new_code);
	if (op == OP_PROTECT)
		p->enabled = enable;
	return 0;
}

/* The card changed: SIM-dependent services (registration) follow, and UIM clients hear it. */
static void pin_changed(struct qsim *sim)
{
	qsim_radio_apply(sim);
}

/*
 * Answers an operation with err (0 or a QMI error) in resp, whose retries fields the other
 * pointers name: filled with the tries left when the operation failed. A success changes what
 * the card unlocks.
 */
static int answer(struct qsim *sim, const struct qmi_frame *req, uint16_t err, const void *resp,
		  bool *has_retries, uint8_t *verify_left, uint8_t *unblock_left)
{
	if (err) {
		*has_retries = true;
		*verify_left = sim->pin.pin_left;
		*unblock_left = sim->pin.puk_left;
	}
	qsim_respond(sim, req, err, resp);
	if (!err)
		pin_changed(sim);
	return 0;
}

static int uim_pin(struct qsim *sim, const struct qmi_frame *req)
{
	union qmi_uim_pin_req q;
	struct qmi_uim_verify_pin_resp r = { 0 };
	const struct qmi_msg_def *def;
	uint8_t pin_id;
	bool has_info;
	uint16_t err;

	switch (req->msg_id) {
	case QMI_UIM_VERIFY_PIN:
		def = &qmi_uim_verify_pin_req_def;
		break;
	case QMI_UIM_UNBLOCK_PIN:
		def = &qmi_uim_unblock_pin_req_def;
		break;
	case QMI_UIM_CHANGE_PIN:
		def = &qmi_uim_change_pin_req_def;
		break;
	default:
		def = &qmi_uim_set_pin_protection_req_def;
		break;
	}
	if (qmi_msg_decode(def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	switch (req->msg_id) {
	case QMI_UIM_VERIFY_PIN:
		has_info = q.v.has_info;
		pin_id = q.v.info.pin_id;
		err = pin_op(sim, OP_VERIFY, q.v.info.pin, NULL, false);
		break;
	case QMI_UIM_UNBLOCK_PIN:
		has_info = q.u.has_info;
		pin_id = q.u.info.pin_id;
		err = pin_op(sim, OP_UNBLOCK, q.u.info.puk, q.u.info.new_pin, false);
		break;
	case QMI_UIM_CHANGE_PIN:
		has_info = q.c.has_info;
		pin_id = q.c.info.pin_id;
		err = pin_op(sim, OP_CHANGE, q.c.info.old_pin, q.c.info.new_pin, false);
		break;
	default:
		has_info = q.s.has_info;
		pin_id = q.s.info.pin_id;
		err = pin_op(sim, OP_PROTECT, q.s.info.pin, NULL, q.s.info.enabled);
		break;
	}
	memset(&q, 0, sizeof(q)); /* the codes do not outlive the request */
	if (!has_info)
		return qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
	if (pin_id != QMI_UIM_PIN_ID_PIN1 && pin_id != QMI_UIM_PIN_ID_UPIN)
		return qsim_respond(sim, req, QMI_ERR_INVALID_PIN_ID, NULL);
	/* Verify, Unblock and Change share one response layout; Set PIN Protection's is the
	 * same without the card result, which this card never sends. */
	return answer(sim, req, err, &r, &r.has_retries, &r.retries.verify_left,
		      &r.retries.unblock_left);
}

int qsim_uim_pin_handle(struct qsim *sim, const struct qmi_frame *req)
{
	switch (req->msg_id) {
	case QMI_UIM_VERIFY_PIN:
	case QMI_UIM_UNBLOCK_PIN:
	case QMI_UIM_CHANGE_PIN:
	case QMI_UIM_SET_PIN_PROTECTION:
		return uim_pin(sim, req);
	}
	return -ENOENT;
}

static int dms_verify(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_dms_uim_verify_pin_req q;
	struct qmi_dms_uim_verify_pin_resp r = { 0 };
	uint16_t err;

	if (qmi_msg_decode(&qmi_dms_uim_verify_pin_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!q.has_info)
		return qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
	if (q.info.pin_id != QMI_DMS_UIM_PIN_ID_PIN)
		return qsim_respond(sim, req, QMI_ERR_INVALID_PIN_ID, NULL);
	err = pin_op(sim, OP_VERIFY, q.info.pin, NULL, false);
	memset(&q, 0, sizeof(q));
	return answer(sim, req, err, &r, &r.has_retries, &r.retries.verify_left,
		      &r.retries.unblock_left);
}

static int dms_status(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_dms_uim_get_pin_status_resp r = { .has_pin1 = true, .has_pin2 = true };

	if (sim->uim == QSIM_UIM_ABSENT)
		return qsim_respond(sim, req, QMI_ERR_NO_SIM, NULL);
	if (sim->uim != QSIM_UIM_READY)
		return qsim_respond(sim, req, QMI_ERR_UIM_UNINITIALIZED, NULL);
	/* The DMS states number as UIM's for the states a PIN can be in. */
	r.pin1.status = qsim_pin1_state(sim);
	r.pin1.verify_left = sim->pin.pin_left;
	r.pin1.unblock_left = sim->pin.puk_left;
	r.pin2.status = QMI_DMS_UIM_PIN_STATUS_ENABLED_NOT_VERIFIED;
	r.pin2.verify_left = QSIM_PIN_TRIES;
	r.pin2.unblock_left = QSIM_PUK_TRIES;
	return qsim_respond(sim, req, 0, &r);
}

int qsim_dms_pin_handle(struct qsim *sim, const struct qmi_frame *req)
{
	switch (req->msg_id) {
	case QMI_DMS_UIM_VERIFY_PIN:
		return dms_verify(sim, req);
	case QMI_DMS_UIM_GET_PIN_STATUS:
		return dms_status(sim, req);
	}
	return -ENOENT;
}
