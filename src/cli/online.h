/* SPDX-License-Identifier: MIT */
/* What the commands that bring a modem online (pin, mode, profile, radio) share. */
#ifndef QCLI_ONLINE_H
#define QCLI_ONLINE_H

#include "cli/cli.h"

/*
 * One request whose failure responses carry TLVs worth showing (PIN retries, a profile's
 * extended error): resp is decoded whatever the result says; a failure response that does not
 * decode leaves resp zeroed. Returns 0 (see *result) or -errno (-EBADMSG: no Result TLV, or a
 * successful response that does not decode). The request's encoding is wiped after sending,
 * since it may hold a PIN or a password.
 */
int qcli_call_keep(struct qcli *cli, uint8_t cid, const struct qmi_msg_def *req_def,
		   const void *req, const struct qmi_msg_def *resp_def, void *resp,
		   struct qmi_result *result);

int qcli_cmd_pin(struct qcli *cli, int argc, char **argv);
int qcli_cmd_mode(struct qcli *cli, int argc, char **argv);
int qcli_cmd_profile(struct qcli *cli, int argc, char **argv);
int qcli_cmd_radio(struct qcli *cli, int argc, char **argv);

#endif
