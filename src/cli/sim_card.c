/* SPDX-License-Identifier: MIT */
#include "cli/sim_card.h"

const struct qmi_uim_card *qcli_primary_card(const struct qmi_uim_card_status *cs)
{
	unsigned slot;

	if (!cs->n_cards)
		return NULL;
	/* 0xFFFF: no such session. High byte: slot index, low byte: application index. */
	slot = cs->index_gw_primary == 0xFFFF ? 0 : cs->index_gw_primary >> 8;
	if (slot >= cs->n_cards)
		slot = 0;
	return &cs->cards[slot];
}

const char *qcli_card_state_str(const struct qmi_uim_card *card, char *buf, size_t len)
{
	if (!card) {
		snprintf(buf, len, "absent");
		return buf;
	}
	if (card->card_state == QMI_UIM_CARD_STATE_ERROR) {
		snprintf(buf, len, "%s: %s (%u)",
			 qcli_name(qmi_uim_card_state_name(card->card_state)),
			 qcli_name(qmi_enum_name(&qmi_enum_uim_card_error, card->error_code)),
			 card->error_code);
		return buf;
	}
	snprintf(buf, len, "%s",
		 QCLI_ENUM(qmi_uim_card_state_name(card->card_state), card->card_state));
	return buf;
}
