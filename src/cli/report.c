/* SPDX-License-Identifier: MIT */
/* Error messages and exit codes: one place decides how a failure looks and what it returns. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "base/errors.h"
#include "cli/cli.h"
#include "qmi/errors.h"
#include "qmi/strdec.h"

int qcli_exit_for_errno(int err)
{
	switch (err) {
	case 0:
		return QCLI_EXIT_OK;
	case -ETIMEDOUT:
		return QCLI_EXIT_TIMEOUT;
	case -ENODEV:
	case -ESHUTDOWN:
		return QCLI_EXIT_UNPLUGGED;
	case -ENOMEM:
	case -EINTR:
		return QCLI_EXIT_FAILURE;
	default:
		return QCLI_EXIT_DEVICE;
	}
}

const char *qcli_qmi_error_str(uint16_t code, char *buf, size_t len)
{
	const char *name = qmi_error_name(code);

	snprintf(buf, len, "QMI error %u (%s)", code, name ? name : "unknown");
	return buf;
}

/* Keeps the first failure for the JSON "error" member and prints it on stderr. */
static int record(struct qcli *cli, int code, bool has_qmi, uint16_t qmi_error, const char *msg)
{
	fprintf(cli->err, "error: %s\n", msg);
	if (!cli->error.exit_code) {
		cli->error.exit_code = code;
		cli->error.has_qmi = has_qmi;
		cli->error.qmi_error = qmi_error;
		snprintf(cli->error.message, sizeof(cli->error.message), "%s", msg);
	}
	return code;
}

int qcli_report(struct qcli *cli, const char *what, int err, const struct qmi_result *result)
{
	char msg[256], qe[64];

	if (!err && result && result->status) {
		snprintf(msg, sizeof(msg), "%s: %s", what,
			 qcli_qmi_error_str(result->error, qe, sizeof(qe)));
		return record(cli, QCLI_EXIT_QMI, true, result->error, msg);
	}
	if (!err) /* a caller bug: nothing failed */
		err = -EINVAL;
	switch (err) {
	case -ETIMEDOUT:
		snprintf(msg, sizeof(msg), "%s: no response from the modem within %u.%03u s", what,
			 cli->timeout_ms / 1000, cli->timeout_ms % 1000);
		break;
	case -ENODEV:
		snprintf(msg, sizeof(msg), "%s: the device was unplugged", what);
		break;
	case -EINTR:
		snprintf(msg, sizeof(msg), "%s: interrupted", what);
		break;
	case -EPROTO:
		snprintf(msg, sizeof(msg), "%s: the modem answered with an unexpected message",
			 what);
		break;
	case -EBADMSG:
		snprintf(msg, sizeof(msg), "%s: the modem sent a malformed response", what);
		break;
	default:
		snprintf(msg, sizeof(msg), "%s: %s", what, qb_strerror(-err));
		break;
	}
	return record(cli, qcli_exit_for_errno(err), false, 0, msg);
}

int qcli_usage_error(struct qcli *cli, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(cli->err, "%s: %s\n", cli->prog, msg);
	if (cli->cmd)
		fprintf(cli->err, "Try '%s %s --help' for more information.\n", cli->prog,
			cli->cmd->name);
	else
		fprintf(cli->err, "Try '%s --help' for more information.\n", cli->prog);
	if (!cli->error.exit_code) {
		cli->error.exit_code = QCLI_EXIT_USAGE;
		snprintf(cli->error.message, sizeof(cli->error.message), "%s", msg);
	}
	return QCLI_EXIT_USAGE;
}

int qcli_fail(struct qcli *cli, int code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return record(cli, code, false, 0, msg);
}

void qcli_json_qmi_error(struct qcli *cli, const char *key, uint16_t code)
{
	if (!cli->js)
		return;
	qcli_json_obj_begin(cli->js, key);
	qcli_json_uint(cli->js, "error_code", code);
	qcli_json_str(cli->js, "error_name", qmi_error_name(code));
	qcli_json_obj_end(cli->js);
}

static const char *kind_name(int code)
{
	switch (code) {
	case QCLI_EXIT_USAGE:
		return "usage";
	case QCLI_EXIT_DEVICE:
		return "device";
	case QCLI_EXIT_QMI:
		return "qmi";
	case QCLI_EXIT_TIMEOUT:
		return "timeout";
	case QCLI_EXIT_UNPLUGGED:
		return "unplugged";
	case QCLI_EXIT_SIM:
		return "sim";
	default:
		return "failure";
	}
}

void qcli_json_error(struct qcli *cli)
{
	if (!cli->js || !cli->error.exit_code)
		return;
	qcli_json_obj_begin(cli->js, "error");
	qcli_json_str(cli->js, "kind", kind_name(cli->error.exit_code));
	qcli_json_int(cli->js, "exit_code", cli->error.exit_code);
	qcli_json_str(cli->js, "message", cli->error.message);
	if (cli->error.has_qmi)
		qcli_json_qmi_error(cli, "qmi_error", cli->error.qmi_error);
	qcli_json_obj_end(cli->js);
}

const char *qcli_esc(const char *s, char *buf, size_t cap)
{
	FILE *f;
	long len;

	if (!cap)
		return "";
	buf[0] = '\0';
	if (cap < 2 || !s)
		return buf;
	/* One byte kept back: fmemopen writes no terminator into a full buffer. */
	f = fmemopen(buf, cap - 1, "w");
	if (!f)
		return buf;
	qmi_str_escape(f, s, strlen(s));
	fflush(f);
	len = ftell(f);
	fclose(f);
	buf[len < 0 ? 0 : (size_t)len < cap - 1 ? (size_t)len : cap - 1] = '\0';
	return buf;
}

const char *qcli_enum_str(const char *name, int64_t v, char *buf, size_t cap)
{
	if (name)
		return name;
	snprintf(buf, cap, "%lld", (long long)v);
	return buf;
}
