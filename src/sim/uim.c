/* SPDX-License-Identifier: MIT */
/* UIM: the card status the SIM state implies; the PIN operations are in pin.c. */
#include "sim/sim_int.h"

#include <errno.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/messages.h"

/* A USIM application identifier (RID A0000000 87, app 1002). */
static const uint8_t usim_aid[] = { 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF,
				    0xFF, 0xFF, 0xFF, 0x89, 0x06, 0x19, 0x00, 0x00 };

static uint8_t app_state(const struct qsim *sim)
{
	if (sim->uim != QSIM_UIM_READY)
		return QMI_UIM_APP_STATE_DETECTED;
	switch (qsim_pin1_state(sim)) {
	case QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED:
		return QMI_UIM_APP_STATE_PIN1_OR_UPIN_REQUIRED;
	case QMI_UIM_PIN_STATE_BLOCKED:
		return QMI_UIM_APP_STATE_PUK1_OR_UPIN_PUK_REQUIRED;
	case QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED:
		return QMI_UIM_APP_STATE_PIN1_BLOCKED;
	}
	return QMI_UIM_APP_STATE_READY;
}

static int get_card_status(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_uim_get_card_status_resp r = { .has_card_status = true };
	struct qmi_uim_card_status *cs = &r.card_status;
	struct qmi_uim_card *card = &cs->cards[0];
	struct qmi_uim_app *app = &card->applications[0];

	cs->index_gw_secondary = 0xFFFF;
	cs->index_1x_primary = 0xFFFF;
	cs->index_1x_secondary = 0xFFFF;
	cs->n_cards = 1;
	if (sim->uim == QSIM_UIM_ABSENT) {
		cs->index_gw_primary = 0xFFFF;
		card->card_state = QMI_UIM_CARD_STATE_ABSENT;
		card->error_code = 3; /* no-atr-received: what firmware reports for an empty slot */
		return qsim_respond(sim, req, 0, &r);
	}
	cs->index_gw_primary = 0x0000; /* slot 0, application 0 */
	card->card_state = QMI_UIM_CARD_STATE_PRESENT;
	card->upin_state = QMI_UIM_PIN_STATE_NOT_INITIALIZED;
	card->n_applications = 1;
	app->type = QMI_UIM_APP_TYPE_USIM;
	app->state = app_state(sim);
	app->n_aid = sizeof(usim_aid);
	memcpy(app->aid, usim_aid, sizeof(usim_aid));
	app->pin1_state = qsim_pin1_state(sim);
	app->pin1_retries = sim->pin.pin_left;
	app->puk1_retries = sim->pin.puk_left;
	app->pin2_state = QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED;
	app->pin2_retries = 3;
	app->puk2_retries = 10;
	return qsim_respond(sim, req, 0, &r);
}

int qsim_uim_handle(struct qsim *sim, const struct qmi_frame *req)
{
	if (req->msg_id == QMI_UIM_GET_CARD_STATUS)
		return get_card_status(sim, req);
	return qsim_uim_pin_handle(sim, req);
}
