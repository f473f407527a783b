/* SPDX-License-Identifier: MIT */
/*
 * The form of the codes a SIM takes for PIN1: a PIN is 4 to 8 decimal digits, a PUK exactly 8.
 * One rule for both sides: the command line refuses a malformed code before sending it, and the
 * software modem refuses it as a card would.
 */
#ifndef QMI_PIN_H
#define QMI_PIN_H

#include <stdbool.h>

#include "qmi/messages.h"

#define QMI_PIN_MIN 4
#define QMI_PIN_MAX 8
#define QMI_PUK_LEN 8

/* Whether s is a PIN (respectively a PUK) by its form; NULL is neither. */
bool qmi_pin_valid(const char *s);
bool qmi_puk_valid(const char *s);

/* Room for any of UIM's four PIN1 requests, for code that handles them all alike: Verify,
 * Unblock, Change and Set PIN Protection. */
union qmi_uim_pin_req {
	struct qmi_uim_verify_pin_req v;
	struct qmi_uim_unblock_pin_req u;
	struct qmi_uim_change_pin_req c;
	struct qmi_uim_set_pin_protection_req s;
};

#endif
