/* SPDX-License-Identifier: MIT */
/* A request/response exchange that keeps the TLVs of a failure response. */
#include "base/wipe.h"
#include "cli/online.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qmi/device.h"
#include "qmi/qmux.h"

int qcli_call_keep(struct qcli *cli, uint8_t cid, const struct qmi_msg_def *req_def,
		   const void *req, const struct qmi_msg_def *resp_def, void *resp,
		   struct qmi_result *result)
{
	uint8_t *buf = malloc(2 * QMI_FRAME_MAX); /* request, then response */
	uint8_t *rbuf = buf + QMI_FRAME_MAX;
	struct qmi_writer w;
	struct qmi_frame f;
	size_t flen = 0, off = qmi_hdr_len(req_def->service);
	int err;

	if (!buf)
		return -ENOMEM;
	if (resp && resp_def && resp_def->size)
		memset(resp, 0, resp_def->size);
	qmi_writer_init(&w, buf, QMI_FRAME_MAX, req_def->service, cid, QMI_KIND_REQUEST, 1,
			req_def->msg_id);
	err = qmi_msg_encode(req_def, req, &w);
	if (!err)
		err = qmi_writer_finish(&w, &flen);
	if (!err)
		err = qmi_dev_call_raw(cli->dev, req_def->service, cid, req_def->msg_id, buf + off,
				       flen - off, cli->timeout_ms, rbuf, QMI_FRAME_MAX, &f);
	qb_wipe(buf, QMI_FRAME_MAX);
	if (!err && qmi_result_get(&f, result) < 0)
		err = -EBADMSG;
	if (!err && resp && resp_def && resp_def->size) {
		int r = qmi_msg_decode(resp_def, f.tlvs, f.tlvs_len, resp);

		if (r < 0 && !result->status)
			err = -EBADMSG;
		else if (r < 0)
			memset(resp, 0, resp_def->size);
	}
	free(buf);
	return err;
}
