/* SPDX-License-Identifier: MIT */
/* Reading UIM Get Card Status the way `info` and `status` both need it. */
#ifndef QCLI_SIM_CARD_H
#define QCLI_SIM_CARD_H

#include "cli/cli.h"
#include "qmi/messages.h"

/* The card of the primary GW provisioning session, else the first card; NULL when the modem
 * reported no card at all (no slot: the SIM is absent). */
const struct qmi_uim_card *qcli_primary_card(const struct qmi_uim_card_status *cs);
/* 'present', 'absent', or qmicli's 'error: <reason> (<code>)' into buf. */
const char *qcli_card_state_str(const struct qmi_uim_card *card, char *buf, size_t len);

#endif
