/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb pin status|verify PIN|unblock PUK NEWPIN|change OLD NEW|enable PIN|disable PIN`:
 * the SIM's PIN1 through UIM, in qmicli's layouts (--uim-verify-pin, --dms-uim-get-pin-status).
 *
 * Old modems have no UIM service (or refuse a UIM client): `status` and `verify` then go through
 * DMS UIM Get PIN Status / UIM Verify PIN, which such firmware has instead. The codes given on
 * the command line are never printed; the request buffers holding them are wiped.
 */
#include <errno.h>
#include <string.h>

#include "base/wipe.h"
#include "base/errors.h"
#include "cli/online.h"
#include "cli/sim_card.h"
#include "qmi/errors.h"
#include "qmi/messages.h"
#include "qmi/pin.h"

enum op {
	OP_STATUS,
	OP_VERIFY,
	OP_UNBLOCK,
	OP_CHANGE,
	OP_ENABLE,
	OP_DISABLE
};

static const struct {
	const char *word;
	int nargs;
	const char *what; /* qmicli's failure phrase */
	const char *done; /* qmicli's success line */
} ops[] = {
	[OP_STATUS] = { "status", 0, "couldn't get PIN status", NULL },
	[OP_VERIFY] = { "verify", 1, "couldn't verify PIN", "PIN verified successfully" },
	[OP_UNBLOCK] = { "unblock", 2, "couldn't unblock PIN", "PIN unblocked successfully" },
	[OP_CHANGE] = { "change", 2, "couldn't change PIN", "PIN changed successfully" },
	[OP_ENABLE] = { "enable", 1, "couldn't set PIN protection", "PIN protection updated" },
	[OP_DISABLE] = { "disable", 1, "couldn't set PIN protection", "PIN protection updated" },
};

/* The modem has no UIM, or this request is not one it knows through UIM. */
static bool uim_missing(uint16_t qmi_error)
{
	return qmi_error == QMI_ERR_INVALID_QMI_COMMAND || qmi_error == QMI_ERR_NOT_SUPPORTED ||
	       qmi_error == QMI_ERR_INVALID_SERVICE_TYPE;
}

/* state: the state's name, NULL when no table names its number, value. */
static void print_pin(struct qcli *cli, const char *source, const char *state, unsigned value,
		      unsigned verify, unsigned unblock)
{
	if (cli->js) {
		qcli_json_str(cli->js, "source", source);
		qcli_json_obj_begin(cli->js, "pin1");
		qcli_json_enum(cli->js, "state", state, value);
		qcli_json_uint(cli->js, "verify_retries", verify);
		qcli_json_uint(cli->js, "unblock_retries", unblock);
		qcli_json_obj_end(cli->js);
		return;
	}
	fprintf(cli->out, "[%s] PIN status retrieved successfully\n", cli->devname);
	fprintf(cli->out, "[%s] PIN1:\n\tStatus: %s\n\tVerify: %u\n\tUnblock: %u\n", cli->devname,
		QCLI_ENUM(state, value), verify, unblock);
}

/*
 * A request through DMS, the path of modems without UIM. 0 with *err (of the call) and *res
 * filled, or the exit code of a DMS client that could not be had (reported).
 */
static int dms_call(struct qcli *cli, const struct qmi_msg_def *req_def, const void *req,
		    const struct qmi_msg_def *resp_def, void *resp, struct qmi_result *res,
		    int *err)
{
	uint8_t dms;
	int rc = qcli_client(cli, QMI_SVC_DMS, &dms);

	*err = rc ? 0 : qcli_call_keep(cli, dms, req_def, req, resp_def, resp, res);
	return rc;
}

static int status_dms(struct qcli *cli)
{
	struct qmi_dms_uim_get_pin_status_resp r;
	struct qmi_result res;
	int err, rc = dms_call(cli, &qmi_dms_uim_get_pin_status_req_def, NULL,
			       &qmi_dms_uim_get_pin_status_resp_def, &r, &res, &err);

	if (rc)
		return rc;
	if (err || res.status)
		return qcli_report(cli, ops[OP_STATUS].what, err, &res);
	if (!r.has_pin1)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "%s: the modem did not report PIN1",
				 ops[OP_STATUS].what);
	print_pin(cli, "dms", qmi_enum_name(&qmi_enum_dms_uim_pin_status, r.pin1.status),
		  r.pin1.status, r.pin1.verify_left, r.pin1.unblock_left);
	return QCLI_EXIT_OK;
}

/* The first application of the primary GW session: the one PIN1 belongs to. */
static const struct qmi_uim_app *primary_app(const struct qmi_uim_card_status *cs)
{
	const struct qmi_uim_card *card = qcli_primary_card(cs);
	unsigned app = cs->index_gw_primary & 0xFF;

	if (!card || card->card_state != QMI_UIM_CARD_STATE_PRESENT || !card->n_applications)
		return NULL;
	return &card->applications[app < card->n_applications ? app : 0];
}

static int status(struct qcli *cli, bool have_uim, uint8_t uim)
{
	struct qmi_uim_get_card_status_resp r;
	struct qmi_result res;
	const struct qmi_uim_app *app;
	int err;

	if (!have_uim)
		return status_dms(cli);
	err = qcli_call_keep(cli, uim, &qmi_uim_get_card_status_req_def, NULL,
			     &qmi_uim_get_card_status_resp_def, &r, &res);
	if (!err && res.status && uim_missing(res.error))
		return status_dms(cli);
	if (err || res.status)
		return qcli_report(cli, ops[OP_STATUS].what, err, &res);
	app = r.has_card_status ? primary_app(&r.card_status) : NULL;
	if (!app)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "%s: no SIM card with an application",
				 ops[OP_STATUS].what);
	print_pin(cli, "uim", qmi_enum_name(&qmi_enum_uim_pin_state, app->pin1_state),
		  app->pin1_state, app->pin1_retries, app->puk1_retries);
	return QCLI_EXIT_OK;
}

/* Copies a PIN into a request field; a malformed one is a usage error. -1 when copied. */
static int set_code(struct qcli *cli, char *dst, size_t cap, const char *code, const char *what)
{
	size_t n = strlen(code);

	if (!qmi_pin_valid(code) || n >= cap)
		return qcli_usage_error(cli, "pin: the %s must be %d to %d digits", what,
					QMI_PIN_MIN, QMI_PIN_MAX);
	memcpy(dst, code, n + 1);
	return -1;
}

static void print_retries(struct qcli *cli, bool has, const struct qmi_uim_retries *r)
{
	if (!has)
		return;
	if (cli->js) {
		qcli_json_obj_begin(cli->js, "retries");
		qcli_json_uint(cli->js, "verify", r->verify_left);
		qcli_json_uint(cli->js, "unblock", r->unblock_left);
		qcli_json_obj_end(cli->js);
		return;
	}
	fprintf(cli->err, "[%s] Retries left:\n\tVerify: %u\n\tUnblock: %u\n", cli->devname,
		r->verify_left, r->unblock_left);
}

/* How an operation that changes the card ended: the failure and the tries left, or success. */
static int finish(struct qcli *cli, enum op op, int err, const struct qmi_result *res,
		  bool has_retries, const struct qmi_uim_retries *retries)
{
	int rc;

	if (err || res->status) {
		rc = qcli_report(cli, ops[op].what, err, res);
		print_retries(cli, !err && has_retries, retries);
		return rc;
	}
	if (cli->js)
		qcli_json_str(cli->js, "result", ops[op].done);
	else
		fprintf(cli->out, "[%s] %s\n", cli->devname, ops[op].done);
	return QCLI_EXIT_OK;
}

static int verify_dms(struct qcli *cli, const char *code)
{
	struct qmi_dms_uim_verify_pin_req q = { .has_info = true };
	struct qmi_dms_uim_verify_pin_resp r;
	struct qmi_result res;
	int rc, err;

	q.info.pin_id = QMI_DMS_UIM_PIN_ID_PIN;
	snprintf(q.info.pin, sizeof(q.info.pin), "%s", code);
	rc = dms_call(cli, &qmi_dms_uim_verify_pin_req_def, &q, &qmi_dms_uim_verify_pin_resp_def,
		      &r, &res, &err);
	qb_wipe(&q, sizeof(q));
	if (rc)
		return rc;
	return finish(cli, OP_VERIFY, err, &res, r.has_retries,
		      &(struct qmi_uim_retries){ r.retries.verify_left, r.retries.unblock_left });
}

/* Verify, unblock, change and set protection share their response layout. */
static int change(struct qcli *cli, enum op op, bool have_uim, uint8_t uim, char **args)
{
	union qmi_uim_pin_req q;
	struct qmi_uim_verify_pin_resp r;
	struct qmi_uim_set_pin_protection_resp rs;
	const struct qmi_msg_def *def, *rdef = &qmi_uim_verify_pin_resp_def;
	struct qmi_result res;
	bool has_retries;
	struct qmi_uim_retries retries;
	int rc = -1, err;

	memset(&q, 0, sizeof(q));
	switch (op) {
	case OP_VERIFY:
		def = &qmi_uim_verify_pin_req_def;
		q.v.has_session = q.v.has_info = true;
		q.v.info.pin_id = QMI_UIM_PIN_ID_PIN1;
		rc = set_code(cli, q.v.info.pin, sizeof(q.v.info.pin), args[0], "PIN");
		break;
	case OP_UNBLOCK:
		def = &qmi_uim_unblock_pin_req_def;
		rdef = &qmi_uim_unblock_pin_resp_def;
		q.u.has_session = q.u.has_info = true;
		q.u.info.pin_id = QMI_UIM_PIN_ID_PIN1;
		if (!qmi_puk_valid(args[0]))
			rc = qcli_usage_error(cli, "pin: the PUK must be %d digits", QMI_PUK_LEN);
		else
			memcpy(q.u.info.puk, args[0], QMI_PUK_LEN + 1);
		if (rc < 0)
			rc = set_code(cli, q.u.info.new_pin, sizeof(q.u.info.new_pin), args[1],
				      "new PIN");
		break;
	case OP_CHANGE:
		def = &qmi_uim_change_pin_req_def;
		rdef = &qmi_uim_change_pin_resp_def;
		q.c.has_session = q.c.has_info = true;
		q.c.info.pin_id = QMI_UIM_PIN_ID_PIN1;
		rc = set_code(cli, q.c.info.old_pin, sizeof(q.c.info.old_pin), args[0], "old PIN");
		if (rc < 0)
			rc = set_code(cli, q.c.info.new_pin, sizeof(q.c.info.new_pin), args[1],
				      "new PIN");
		break;
	default:
		def = &qmi_uim_set_pin_protection_req_def;
		rdef = &qmi_uim_set_pin_protection_resp_def;
		q.s.has_session = q.s.has_info = true;
		q.s.info.pin_id = QMI_UIM_PIN_ID_PIN1;
		q.s.info.enabled = op == OP_ENABLE;
		rc = set_code(cli, q.s.info.pin, sizeof(q.s.info.pin), args[0], "PIN");
		break;
	}
	if (rc >= 0)
		goto out;
	/* The session is zeroed: primary GW provisioning, no AID. */
	if (!have_uim) {
		rc = op == OP_VERIFY ? verify_dms(cli, args[0])
				     : qcli_fail(cli, QCLI_EXIT_QMI,
						 "%s: the modem has no UIM service", ops[op].what);
		goto out;
	}
	if (op == OP_ENABLE || op == OP_DISABLE)
		err = qcli_call_keep(cli, uim, def, &q, rdef, &rs, &res);
	else
		err = qcli_call_keep(cli, uim, def, &q, rdef, &r, &res);
	if (op == OP_ENABLE || op == OP_DISABLE) {
		has_retries = rs.has_retries;
		retries = rs.retries;
	} else {
		has_retries = r.has_retries;
		retries = r.retries;
	}
	if (!err && res.status && uim_missing(res.error) && op == OP_VERIFY) {
		rc = verify_dms(cli, args[0]);
		goto out;
	}
	rc = finish(cli, op, err, &res, has_retries, &retries);
out:
	qb_wipe(&q, sizeof(q));
	return rc;
}

int qcli_cmd_pin(struct qcli *cli, int argc, char **argv)
{
	struct qmi_result res;
	enum op op;
	uint8_t uim = 0;
	bool have_uim = true;
	int first = argc, rc, err, n;

	rc = qcli_command_args(cli, argc, argv, &first);
	if (rc >= 0)
		return rc;
	n = argc - first;
	if (!n)
		return qcli_usage_error(cli, "pin: missing operation (status, verify, unblock, "
					     "change, enable, disable)");
	for (op = OP_STATUS; op <= OP_DISABLE; op++)
		if (!strcmp(argv[first], ops[op].word))
			break;
	if (op > OP_DISABLE)
		return qcli_usage_error(cli, "pin: unknown operation '%s'", argv[first]);
	if (n - 1 != ops[op].nargs)
		return qcli_usage_error(cli, "pin %s takes %d argument%s", ops[op].word,
					ops[op].nargs, ops[op].nargs == 1 ? "" : "s");
	if (cli->js)
		qcli_json_str(cli->js, "operation", ops[op].word);
	rc = qcli_session_open(cli);
	if (rc)
		return rc;
	err = qcli_client_try(cli, QMI_SVC_UIM, &uim, &res);
	if (err == -QB_EMODEM)
		have_uim = false;
	else if (err)
		return qcli_report(cli, "couldn't allocate a uim client", err, NULL);
	if (op == OP_STATUS)
		return status(cli, have_uim, uim);
	return change(cli, op, have_uim, uim, argv + first + 1);
}
