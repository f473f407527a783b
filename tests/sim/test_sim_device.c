/* SPDX-License-Identifier: MIT */
/* struct qmi_dev against the software modem (src/sim) through its in-process transport. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "base/errors.h"
#include "base/loop.h"
#include "qmi/device.h"
#include "qmi/errors.h"
#include "qmi/messages.h"
#include "sim/sim.h"

static struct qb_loop *loop;
static struct qsim *sim;
static struct qmi_dev *dev;

static void start(const char *faults)
{
	struct qsim_faults f;
	struct qmi_transport tr;
	char err[128];

	cr_assert_eq(qsim_faults_parse(&f, faults, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(qb_loop_new(&loop, QB_LOOP_AUTO), 0);
	cr_assert_eq(qsim_new(&sim, loop, &f), 0);
	cr_assert_eq(qsim_transport_new(sim, &tr), 0);
	cr_assert_eq(qmi_dev_new(&dev, loop, tr, NULL), 0);
}

static void teardown(void)
{
	qmi_dev_free(dev); /* destroys the transport before the modem, as sim.h asks */
	qsim_free(sim);
	qb_loop_free(loop);
}

TestSuite(device_sim, .fini = teardown);

Test(device_sim, open_alloc_call_release)
{
	struct qmi_open_opts o = { .version_info_tries = 3, .sync = true, .data_format = 2 };
	struct qmi_dms_get_ids_resp ids;
	const struct qmi_svc_version *v;
	struct qmi_result res;
	uint8_t cid = 0;

	start("");
	cr_assert_eq(qmi_dev_open(dev, &o, &res), 0);
	cr_assert_gt(qmi_dev_versions(dev, &v), 0);
	cr_assert_eq(qmi_dev_alloc_cid(dev, QMI_SVC_DMS, &cid, &res), 0);
	cr_assert_eq(qsim_cid_count(sim, QMI_SVC_DMS), 1);
	cr_assert_eq(qmi_dev_call(dev, cid, &qmi_dms_get_ids_req_def, NULL,
				  &qmi_dms_get_ids_resp_def, &ids, &res, 0),
		     0);
	cr_assert_eq(res.status, 0);
	cr_assert(ids.has_imei);
	cr_assert_eq(strlen(ids.imei), 15);
	cr_assert_eq(qmi_dev_release_cid(dev, QMI_SVC_DMS, cid, &res), 0);
	cr_assert_eq(qsim_cid_count(sim, QMI_SVC_DMS), 0);
}

Test(device_sim, open_survives_dropped_version_info, .timeout = 30)
{
	struct qmi_open_opts o = { .version_info_tries = 5, .data_format = -1 };

	start("drop=2");
	cr_assert_eq(qmi_dev_open(dev, &o, NULL), 0);
}

Test(device_sim, cid_exhaustion_reaches_the_caller)
{
	struct qmi_result res;
	uint8_t a, b, c = 0;

	start("cid-limit=2");
	cr_assert_eq(qmi_dev_alloc_cid(dev, QMI_SVC_NAS, &a, &res), 0);
	cr_assert_eq(qmi_dev_alloc_cid(dev, QMI_SVC_NAS, &b, &res), 0);
	cr_assert_neq(a, b);
	cr_assert_eq(qmi_dev_alloc_cid(dev, QMI_SVC_NAS, &c, &res), -QB_EMODEM);
	cr_assert_eq(res.status, 1);
	cr_assert_eq(res.error, QMI_ERR_CLIENT_IDS_EXHAUSTED);
	cr_assert_str_eq(qmi_error_name(res.error), "ClientIdsExhausted");
}

Test(device_sim, zero_length_and_duplicate_notifications_are_harmless)
{
	struct qmi_dms_get_ids_resp ids;
	struct qmi_result res;
	uint8_t cid = 0;

	start("zero-length-every=1,dup-notify-every=1");
	cr_assert_eq(qmi_dev_alloc_cid(dev, QMI_SVC_DMS, &cid, &res), 0);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(qmi_dev_call(dev, cid, &qmi_dms_get_ids_req_def, NULL,
					  &qmi_dms_get_ids_resp_def, &ids, &res, 0),
			     0);
		cr_assert(ids.has_imei);
	}
}

struct async {
	int calls;
	int err;
	uint16_t txn;
	int order;
};

static int completed;

static void async_done(void *user, int err, const struct qmi_frame *resp)
{
	struct async *a = user;

	a->calls++;
	a->err = err;
	a->txn = resp ? resp->txn : 0;
	a->order = ++completed;
}

Test(device_sim, out_of_order_responses_match_their_requests)
{
	struct async a = { 0 }, b = { 0 };

	completed = 0;
	start("out-of-order=1");
	/* Response 1 is held back until response 2 has gone out. */
	cr_assert_eq(qmi_dev_send(dev, QMI_SVC_CTL, 0, QMI_CTL_GET_VERSION_INFO, NULL, 0, 0,
				  async_done, &a),
		     0);
	cr_assert_eq(qmi_dev_send(dev, QMI_SVC_CTL, 0, QMI_CTL_GET_VERSION_INFO, NULL, 0, 0,
				  async_done, &b),
		     0);
	while (a.calls + b.calls < 2)
		cr_assert_geq(qb_loop_run_once(loop, 1000), 0);
	cr_assert_eq(a.err, 0);
	cr_assert_eq(b.err, 0);
	cr_assert_eq(a.txn, 1);
	cr_assert_eq(b.txn, 2);
	cr_assert_eq(b.order, 1, "the second request was answered first");
}

Test(device_sim, malformed_response_fails_cleanly)
{
	uint8_t buf[512];
	struct qmi_frame f;
	uint8_t cid = 0;
	struct qmi_result res;

	start("malformed=1");
	/* The first response is broken: dropped by the splitter, its request fails as malformed
	 * at once (the timeout is far away) ... */
	cr_assert_eq(qmi_dev_call_raw(dev, QMI_SVC_CTL, 0, QMI_CTL_GET_VERSION_INFO, NULL, 0, 60000,
				      buf, sizeof(buf), &f),
		     -EBADMSG);
	/* ... and the next one works. */
	cr_assert_eq(qmi_dev_alloc_cid(dev, QMI_SVC_DMS, &cid, &res), 0);
	cr_assert_eq(qmi_dev_call_raw(dev, QMI_SVC_DMS, cid, QMI_DMS_GET_IDS, NULL, 0, 0, buf,
				      sizeof(buf), &f),
		     0);
}
