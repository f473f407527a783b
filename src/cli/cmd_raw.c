/* SPDX-License-Identifier: MIT */
/* `qmiusb raw SERVICE MSGID [TLVHEX...]`: any request, the decoded response. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "qmi/device.h"
#include "qmi/errors.h"
#include "qmi/msgdb.h"

/* The TLV area must be well-formed: the frame's lengths are derived from it. */
static bool tlvs_valid(const uint8_t *p, size_t n)
{
	struct qmi_tlv_iter it;
	struct qmi_tlv t;
	int r;

	qmi_tlv_iter_init(&it, p, n);
	while ((r = qmi_tlv_next(&it, &t)) == 1)
		;
	return r == 0;
}

static void json_request(struct qcli *cli, uint8_t svc, uint16_t msg_id, const uint8_t *tlvs,
			 size_t n)
{
	char nb[8];

	qcli_json_obj_begin(cli->js, "request");
	qcli_json_str(cli->js, "service", qmi_service_label(svc, nb, sizeof(nb)));
	qcli_json_uint(cli->js, "service_id", svc);
	qcli_json_uint(cli->js, "message_id", msg_id);
	qcli_json_str(cli->js, "message_name", qmi_msgdb_msg_name(svc, msg_id));
	qcli_json_hex(cli->js, "tlvs", tlvs, n);
	qcli_json_obj_end(cli->js);
}

/* The printer ends its object with a newline; inside our object it would split the line. */
static void embed_response(struct qcli *cli, const struct qmi_frame *resp)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int err = mem ? qmi_msg_print_json(mem, resp) : -ENOMEM;

	if (mem && fclose(mem))
		err = -EIO;
	while (!err && len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	if (!err && fwrite(buf, 1, len, qcli_json_raw(cli->js, "response")) != len)
		err = -EIO;
	if (err && !cli->js->err)
		cli->js->err = err;
	free(buf);
}

int qcli_cmd_raw(struct qcli *cli, int argc, char **argv)
{
	uint8_t tlvs[QMI_FRAME_MAX];
	uint8_t *resp_buf = NULL;
	struct qmi_frame resp;
	struct qmi_result result = { 0 };
	unsigned long msg_id;
	uint8_t svc, cid = QMI_CID_NONE;
	char what[96], nb[8];
	long n;
	int rc, err, first = argc;

	rc = qcli_command_args(cli, argc, argv, &first);
	if (rc >= 0)
		return rc;
	if (argc - first < 2)
		return qcli_usage_error(cli, "raw needs SERVICE and MSGID (e.g. 'raw dms 0x25')");
	if (qcli_parse_service(argv[first], &svc))
		return qcli_usage_error(cli,
					"raw: unknown service '%s' (a name like dms or a "
					"number)",
					argv[first]);
	if (qcli_parse_uint(argv[first + 1], 0xFFFF, &msg_id))
		return qcli_usage_error(cli,
					"raw: invalid message id '%s' (0..0xffff, decimal or "
					"0x-hex)",
					argv[first + 1]);
	n = qcli_parse_hex(argv + first + 2, argc - first - 2, tlvs,
			   sizeof(tlvs) - QMI_SVC_HDR_LEN);
	if (n == -EMSGSIZE)
		return qcli_usage_error(cli, "raw: the TLVs do not fit in one QMI frame");
	if (n < 0)
		return qcli_usage_error(cli, "raw: TLVs must be hex bytes, e.g. \"01 01 00 05\"");
	if (!tlvs_valid(tlvs, (size_t)n))
		return qcli_usage_error(cli,
					"raw: the TLV bytes are not well-formed TLVs (type u8, "
					"length u16 little-endian, value)");
	snprintf(what, sizeof(what), "%s message 0x%04lx", qmi_service_label(svc, nb, sizeof(nb)),
		 msg_id);

	rc = qcli_session_open(cli);
	if (rc)
		return rc;
	if (svc != QMI_SVC_CTL) {
		cli->primary_svc = svc;
		rc = qcli_client(cli, svc, &cid);
		if (rc)
			return rc;
	}
	resp_buf = malloc(QMI_FRAME_MAX);
	if (!resp_buf)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "out of memory");
	err = qmi_dev_call_raw(cli->dev, svc, cid, (uint16_t)msg_id, tlvs, (size_t)n,
			       cli->timeout_ms, resp_buf, QMI_FRAME_MAX, &resp);
	if (err) {
		rc = qcli_report(cli, what, err, NULL);
		goto out;
	}
	err = qmi_result_get(&resp, &result);

	if (cli->js) {
		json_request(cli, svc, (uint16_t)msg_id, tlvs, (size_t)n);
		embed_response(cli, &resp);
		if (!err) {
			qcli_json_obj_begin(cli->js, "result");
			qcli_json_uint(cli->js, "status_code", result.status);
			qcli_json_uint(cli->js, "error_code", result.error);
			qcli_json_str(cli->js, "error_name", qmi_error_name(result.error));
			qcli_json_obj_end(cli->js);
		} else {
			qcli_json_null(cli->js, "result");
		}
	} else {
		fprintf(cli->out, "[%s] Response received:\n", cli->devname);
		qmi_msg_print(cli->out, &resp);
	}
	if (err)
		rc = qcli_fail(cli, QCLI_EXIT_DEVICE, "%s: the response has no valid result TLV",
			       what);
	else if (result.status)
		rc = qcli_report(cli, what, 0, &result);
	else
		rc = QCLI_EXIT_OK;
out:
	free(resp_buf);
	return rc;
}
