/* SPDX-License-Identifier: MIT */
/* The modem's CTL and client id table, driven directly. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "qmi/errors.h"
#include "sim/harness.h"

static struct harness h;

static void teardown(void)
{
	h_fini(&h);
}

Test(sim_ctl, version_info_lists_services, .fini = teardown)
{
	struct qmi_ctl_get_version_info_resp r;
	bool seen_wds = false, seen_ctl = false;

	h_init(&h, NULL);
	cr_assert_eq(h_call(&h, &qmi_ctl_get_version_info_req_def, NULL, 0,
			    &qmi_ctl_get_version_info_resp_def, &r),
		     0);
	cr_assert(r.has_services);
	cr_assert_geq(r.n_services, 6);
	for (unsigned i = 0; i < r.n_services; i++) {
		seen_wds |= r.services[i].service == QMI_SVC_WDS && r.services[i].major == 1;
		seen_ctl |= r.services[i].service == QMI_SVC_CTL;
	}
	cr_assert(seen_wds && seen_ctl);
}

Test(sim_ctl, cid_exhaustion_default_limit, .fini = teardown)
{
	struct qmi_ctl_allocate_cid_req q = { .has_service = true, .service = QMI_SVC_NAS };
	struct qmi_ctl_allocate_cid_resp r;
	uint8_t seen[11] = { 0 };

	h_init(&h, NULL);
	for (unsigned i = 0; i < 10; i++) {
		seen[i] = h_alloc(&h, QMI_SVC_NAS);
		cr_assert_neq(seen[i], 0);
		cr_assert_neq(seen[i], 0xFF);
		for (unsigned j = 0; j < i; j++)
			cr_assert_neq(seen[i], seen[j], "cid %u handed out twice", seen[i]);
	}
	cr_assert_eq(qsim_cid_count(h.sim, QMI_SVC_NAS), 10);
	cr_assert_eq(h_call(&h, &qmi_ctl_allocate_cid_req_def, &q, 0,
			    &qmi_ctl_allocate_cid_resp_def, &r),
		     QMI_ERR_CLIENT_IDS_EXHAUSTED);
	/* Other services have their own table. */
	cr_assert_neq(h_alloc(&h, QMI_SVC_WDS), 0);
	/* Releasing one frees a slot. */
	{
		struct qmi_ctl_release_cid_req rq = { .has_release = true,
						      .release = { QMI_SVC_NAS, seen[3] } };
		struct qmi_ctl_release_cid_resp rr;

		cr_assert_eq(h_call(&h, &qmi_ctl_release_cid_req_def, &rq, 0,
				    &qmi_ctl_release_cid_resp_def, &rr),
			     0);
		cr_assert(rr.has_release);
		cr_assert_eq(rr.release.cid, seen[3]);
	}
	cr_assert_eq(qsim_cid_count(h.sim, QMI_SVC_NAS), 9);
	cr_assert_neq(h_alloc(&h, QMI_SVC_NAS), 0);
}

Test(sim_ctl, cid_limit_knob, .fini = teardown)
{
	struct qmi_ctl_allocate_cid_req q = { .has_service = true, .service = QMI_SVC_DMS };

	h_init(&h, "cid-limit=2");
	h_alloc(&h, QMI_SVC_DMS);
	h_alloc(&h, QMI_SVC_DMS);
	cr_assert_eq(h_call(&h, &qmi_ctl_allocate_cid_req_def, &q, 0, NULL, NULL),
		     QMI_ERR_CLIENT_IDS_EXHAUSTED);
}

Test(sim_ctl, release_unknown_and_unallocated_use, .fini = teardown)
{
	struct qmi_ctl_release_cid_req rq = { .has_release = true, .release = { QMI_SVC_DMS, 42 } };
	struct qmi_ctl_allocate_cid_req bad = { .has_service = true, .service = 0x77 };
	struct qmi_dms_get_ids_resp ids;
	uint8_t cid;

	h_init(&h, NULL);
	cr_assert_eq(h_call(&h, &qmi_ctl_release_cid_req_def, &rq, 0, NULL, NULL),
		     QMI_ERR_INVALID_CLIENT_ID);
	cr_assert_eq(h_call(&h, &qmi_dms_get_ids_req_def, NULL, 42, NULL, NULL),
		     QMI_ERR_INVALID_CLIENT_ID);
	cr_assert_eq(h_call(&h, &qmi_ctl_allocate_cid_req_def, &bad, 0, NULL, NULL),
		     QMI_ERR_INVALID_SERVICE_TYPE);
	cid = h_alloc(&h, QMI_SVC_DMS);
	cr_assert_eq(h_call(&h, &qmi_dms_get_ids_req_def, NULL, cid, &qmi_dms_get_ids_resp_def,
			    &ids),
		     0);
	/* A released id is dead: the next request on it is refused. */
	rq.release.cid = cid;
	cr_assert_eq(h_call(&h, &qmi_ctl_release_cid_req_def, &rq, 0, NULL, NULL), 0);
	cr_assert_eq(h_call(&h, &qmi_dms_get_ids_req_def, NULL, cid, NULL, NULL),
		     QMI_ERR_INVALID_CLIENT_ID);
	/* Released ids are not reused at once. */
	cr_assert_neq(h_alloc(&h, QMI_SVC_DMS), cid);
}

Test(sim_ctl, sync_releases_everything_and_indicates, .fini = teardown)
{
	h_init(&h, NULL);
	h_alloc(&h, QMI_SVC_DMS);
	h_alloc(&h, QMI_SVC_NAS);
	h_alloc(&h, QMI_SVC_WDS);
	h_clear(&h);
	cr_assert_eq(h_call(&h, &qmi_ctl_sync_req_def, NULL, 0, NULL, NULL), 0);
	h_run_for(&h, 0);
	cr_assert_eq(qsim_cid_count(h.sim, QMI_SVC_DMS), 0);
	cr_assert_eq(qsim_cid_count(h.sim, QMI_SVC_NAS), 0);
	cr_assert_eq(qsim_cid_count(h.sim, QMI_SVC_WDS), 0);
	cr_assert_eq(h_count_ind(&h, QMI_SVC_CTL, 0, QMI_CTL_SYNC), 1);
}

Test(sim_ctl, set_data_format, .fini = teardown)
{
	struct qmi_ctl_set_data_format_req q = {
		.has_format = true, .format = 0, .has_protocol = true, .protocol = 2
	};
	struct qmi_ctl_set_data_format_resp r;

	h_init(&h, NULL);
	cr_assert_eq(h_call(&h, &qmi_ctl_set_data_format_req_def, &q, 0,
			    &qmi_ctl_set_data_format_resp_def, &r),
		     0);
	cr_assert(r.has_protocol);
	cr_assert_eq(r.protocol, 2);
	q.protocol = 7;
	cr_assert_eq(h_call(&h, &qmi_ctl_set_data_format_req_def, &q, 0, NULL, NULL),
		     QMI_ERR_INVALID_ARGUMENT);
}

Test(sim_ctl, unknown_message_and_service, .fini = teardown)
{
	uint8_t buf[64];
	struct qmi_writer w;
	size_t len;
	uint8_t cid;
	struct qmi_frame f;

	h_init(&h, NULL);
	cid = h_alloc(&h, QMI_SVC_DMS);
	/* Unknown DMS message: InvalidQmiCommand. */
	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_DMS, cid, QMI_KIND_REQUEST, 77, 0x5555);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qsim_ctrl_in(h.sim, buf, len), 0);
	h_run_for(&h, 0);
	cr_assert(h_find_resp(&h, QMI_SVC_DMS, 77, &f));
	{
		struct qmi_result res;

		cr_assert_eq(qmi_result_get(&f, &res), 0);
		cr_assert_eq(res.error, QMI_ERR_INVALID_QMI_COMMAND);
	}
	/* A service the modem does not run: silence. */
	h_clear(&h);
	qmi_writer_init(&w, buf, sizeof(buf), 0x05, 1, QMI_KIND_REQUEST, 78, 0x0001);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qsim_ctrl_in(h.sim, buf, len), 0);
	h_run_for(&h, 20);
	cr_assert_eq(h.n_ev, 0);
	/* Garbage and responses are ignored. */
	cr_assert_eq(qsim_ctrl_in(h.sim, buf, len - 1), -EBADMSG);
	h_run_for(&h, 0);
	cr_assert_eq(h.n_ev, 0);
}
