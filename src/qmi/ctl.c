/* SPDX-License-Identifier: MIT */
/*
 * The CTL service on a device: the open sequence qmicli uses (Get Version Info until it is
 * answered, then Sync and Set Data Format when asked) and client ids. A refused Get Version
 * Info does not stop the open: it is an answer, and the versions are only informative.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "qmi/device_internal.h"
#include "qmi/messages.h"

#define VERSION_INFO_TRY_MS 1000 /* libqmi: 1 s per try, a new transaction each time */
#define SYNC_TIMEOUT_MS 2000     /* libqmi's SYNC_TIMEOUT_SECS */
#define SET_FORMAT_TIMEOUT_MS 5000

/* A modem-side failure becomes -QB_EMODEM; the code itself reaches the caller in *result. */
static int check_result(const struct qmi_result *res)
{
	return res->status == 0 ? 0 : -QB_EMODEM;
}

static int store_versions(struct qmi_dev *dev, const struct qmi_ctl_get_version_info_resp *v)
{
	struct qmi_svc_version *list = NULL;
	size_t n = v->has_services ? v->n_services : 0;

	if (n) {
		list = calloc(n, sizeof(*list));
		if (!list)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			list[i].service = v->services[i].service;
			list[i].major = v->services[i].major;
			list[i].minor = v->services[i].minor;
		}
	}
	free(dev->versions);
	dev->versions = list;
	dev->n_versions = n;
	return 0;
}

/* The readiness check: a freshly plugged modem ignores CTL until it has booted, so keep asking
 * once a second until it answers or the tries run out. Any answer, even a QMI error, ends it. */
static int version_info(struct qmi_dev *dev, unsigned tries, struct qmi_result *res)
{
	struct qmi_ctl_get_version_info_resp *v = malloc(sizeof(*v));
	int r = -ENOMEM;

	if (!v)
		goto out;
	r = -ETIMEDOUT;
	for (unsigned i = 0; i < tries && r == -ETIMEDOUT; i++) {
		if (dev->trace && i > 0)
			fprintf(dev->trace, "--- version info: no answer, try %u of %u\n", i + 1,
				tries);
		r = qmi_dev_call(dev, QMI_CID_NONE, &qmi_ctl_get_version_info_req_def, NULL,
				 &qmi_ctl_get_version_info_resp_def, v, res, VERSION_INFO_TRY_MS);
	}
	dev->version_refused = r == 0 && res->status != 0;
	if (dev->version_refused) {
		/* An answer, so the modem is up; some proxies and firmware refuse this message
		 * and serve everything else, so the refusal is remembered, not fatal. */
		dev->version_refusal = *res;
		if (dev->trace)
			fprintf(dev->trace,
				"--- version info refused (QMI error %u): opening anyway\n",
				res->error);
		memset(res, 0, sizeof(*res));
		r = store_versions(dev, &(struct qmi_ctl_get_version_info_resp){ 0 });
	} else if (r == 0) {
		r = store_versions(dev, v);
	}
out:
	free(v);
	return r;
}

static int sync_ctl(struct qmi_dev *dev, struct qmi_result *res)
{
	int r = qmi_dev_call(dev, QMI_CID_NONE, &qmi_ctl_sync_req_def, NULL, &qmi_ctl_sync_resp_def,
			     NULL, res, SYNC_TIMEOUT_MS);

	return r < 0 ? r : check_result(res);
}

static int set_data_format(struct qmi_dev *dev, int format, bool qos, struct qmi_result *res)
{
	struct qmi_ctl_set_data_format_req req = {
		.has_format = true,
		.format = qos ? QMI_CTL_DATA_FORMAT_QOS_PRESENT : QMI_CTL_DATA_FORMAT_QOS_ABSENT,
		.has_protocol = true,
		.protocol = (uint16_t)format,
	};
	struct qmi_ctl_set_data_format_resp resp;
	int r = qmi_dev_call(dev, QMI_CID_NONE, &qmi_ctl_set_data_format_req_def, &req,
			     &qmi_ctl_set_data_format_resp_def, &resp, res, SET_FORMAT_TIMEOUT_MS);

	return r < 0 ? r : check_result(res);
}

int qmi_dev_open(struct qmi_dev *dev, const struct qmi_open_opts *o, struct qmi_result *result)
{
	struct qmi_result scratch = { 0 };
	struct qmi_result *res = result ? result : &scratch;
	int r = -EINVAL;

	memset(res, 0, sizeof(*res));
	if (!dev || !o)
		goto out;
	if (o->data_format != -1 && o->data_format != QMI_CTL_LINK_PROTOCOL_802_3 &&
	    o->data_format != QMI_CTL_LINK_PROTOCOL_RAW_IP)
		goto out;
	r = 0;
	if (o->version_info_tries)
		r = version_info(dev, o->version_info_tries, res);
	if (r == 0 && o->sync)
		r = sync_ctl(dev, res);
	if (r == 0 && o->data_format != -1)
		r = set_data_format(dev, o->data_format, o->qos, res);
out:
	return r;
}

bool qmi_dev_version_refused(const struct qmi_dev *dev, struct qmi_result *result)
{
	if (dev->version_refused && result)
		*result = dev->version_refusal;
	return dev->version_refused;
}

size_t qmi_dev_versions(const struct qmi_dev *dev, const struct qmi_svc_version **list)
{
	if (list)
		*list = dev->versions;
	return dev->n_versions;
}

int qmi_dev_alloc_cid(struct qmi_dev *dev, uint8_t svc, uint8_t *cid, struct qmi_result *result)
{
	struct qmi_ctl_allocate_cid_req req = { .has_service = true, .service = svc };
	struct qmi_ctl_allocate_cid_resp resp;
	struct qmi_result scratch;
	struct qmi_result *res = result ? result : &scratch;
	int r = -EINVAL;

	if (svc == QMI_SVC_CTL || !cid)
		goto out;
	r = qmi_dev_call(dev, QMI_CID_NONE, &qmi_ctl_allocate_cid_req_def, &req,
			 &qmi_ctl_allocate_cid_resp_def, &resp, res, 0);
	if (r == 0)
		r = check_result(res);
	if (r < 0)
		goto out;
	/* An answer for another service, or a cid nobody can address, is a broken modem. */
	if (!resp.has_allocation || resp.allocation.service != svc ||
	    resp.allocation.cid == QMI_CID_NONE || resp.allocation.cid == QMI_CID_BROADCAST) {
		r = -EBADMSG;
		goto out;
	}
	*cid = resp.allocation.cid;
out:
	return r;
}

int qmi_dev_release_cid(struct qmi_dev *dev, uint8_t svc, uint8_t cid, struct qmi_result *result)
{
	struct qmi_ctl_release_cid_req req = {
		.has_release = true,
		.release = { .service = svc, .cid = cid },
	};
	struct qmi_ctl_release_cid_resp resp;
	struct qmi_result scratch;
	struct qmi_result *res = result ? result : &scratch;
	int r = qmi_dev_call(dev, QMI_CID_NONE, &qmi_ctl_release_cid_req_def, &req,
			     &qmi_ctl_release_cid_resp_def, &resp, res, 0);

	return r < 0 ? r : check_result(res);
}
