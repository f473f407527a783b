/* SPDX-License-Identifier: MIT */
/* Fault knobs: the spec parser and each knob's effect on the modem's output. */
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

Test(sim_faults, parse_full_spec)
{
	struct qsim_faults f;
	char err[128];

	cr_assert_eq(qsim_faults_parse(&f, "delay=200,drop=2,sim-absent,call-fail=27", err,
				       sizeof(err)),
		     0);
	cr_assert_eq(f.delay_ms, 200);
	cr_assert_eq(f.drop.first, 2);
	cr_assert_eq(f.drop.every, 0);
	cr_assert(f.sim_absent);
	cr_assert_eq(f.call_fail_reason, 27);
	cr_assert(!f.resp_stall_silent);
	cr_assert_eq(qsim_faults_parse(&f,
				       "drop-every=3,dup-notify,zero-length=1,out-of-order-every=2,"
				       "malformed=4,reg-denied,reg-delay=10,sim-delay=5,apn=x,"
				       "cid-limit=3,seed=9,signal-ms=100,call-drop=20,"
				       "call-fail-verbose=6:-1,signal-static,resp-stall=3,"
				       "resp-stall-silent",
				       err, sizeof(err)),
		     0);
	cr_assert_eq(f.drop.every, 3);
	cr_assert_eq(f.dup_notify.every, 1);
	cr_assert_eq(f.zero_length.first, 1);
	cr_assert_eq(f.out_of_order.every, 2);
	cr_assert_eq(f.malformed.first, 4);
	cr_assert(f.reg_denied && f.signal_static);
	cr_assert_eq(f.reg_delay_ms, 10);
	cr_assert_eq(f.sim_delay_ms, 5);
	cr_assert_str_eq(f.apn, "x");
	cr_assert_eq(f.cid_limit, 3);
	cr_assert_eq(f.seed, 9);
	cr_assert_eq(f.signal_ms, 100);
	cr_assert_eq(f.call_drop_ms, 20);
	cr_assert_eq(f.call_fail_verbose_type, 6);
	cr_assert_eq(f.call_fail_verbose_reason, -1);
	cr_assert_eq(f.resp_stall, 3);
	cr_assert(f.resp_stall_silent);
	cr_assert_eq(qsim_faults_parse(&f, "data=reflect,opnet=/run/netns/op:op0", err,
				       sizeof(err)),
		     0);
	cr_assert_eq(f.data_mode, QSIM_DATA_REFLECT);
	cr_assert_str_eq(f.opnet_ns, "/run/netns/op");
	cr_assert_str_eq(f.opnet_if, "op0");
	cr_assert_eq(qsim_faults_parse(&f, "", err, sizeof(err)), 0);
	cr_assert_eq(qsim_faults_parse(&f, NULL, err, sizeof(err)), 0);
}

Test(sim_faults, parse_errors_name_the_item)
{
	struct qsim_faults f;
	char err[128];
	const char *bad[] = { "bogus",
			      "delay",
			      "delay=-1",
			      "delay=x",
			      "drop=0",
			      "cid-limit=255",
			      "call-fail=0",
			      "sim-absent=1",
			      "drop-every",
			      "call-fail-verbose=6",
			      "delay=5,frobnicate",
			      "data=fast",
			      "opnet=",
			      "opnet=/x:",
			      "opnet=/x:waytoolonginterfacename",
			      "resp-stall",
			      "resp-stall=0",
			      "resp-stall=x",
			      "resp-stall=1000001",
			      "resp-stall-silent=1" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		cr_assert_eq(qsim_faults_parse(&f, bad[i], err, sizeof(err)), -EINVAL, "%s",
			     bad[i]);
		cr_assert_neq(err[0], 0);
	}
	qsim_faults_parse(&f, "delay=5,frobnicate", err, sizeof(err));
	cr_assert(strstr(err, "frobnicate"), "%s", err);
}

static size_t count_kind(enum h_kind k, size_t *zero)
{
	size_t n = 0;

	if (zero)
		*zero = 0;
	for (size_t i = 0; i < h.n_ev; i++) {
		if (h.ev[i].kind != k)
			continue;
		n++;
		if (zero && !h.ev[i].len)
			(*zero)++;
	}
	return n;
}

Test(sim_faults, drop_first_n, .fini = teardown)
{
	uint16_t t1, t2, t3;
	struct qmi_frame f;

	h_init(&h, "drop=2");
	t1 = h_send(&h, &qmi_ctl_get_version_info_req_def, NULL, 0);
	t2 = h_send(&h, &qmi_ctl_get_version_info_req_def, NULL, 0);
	t3 = h_send(&h, &qmi_ctl_get_version_info_req_def, NULL, 0);
	h_run_for(&h, 20);
	cr_assert_not(h_find_resp(&h, 0, t1, &f));
	cr_assert_not(h_find_resp(&h, 0, t2, &f));
	cr_assert(h_find_resp(&h, 0, t3, &f));
	{
		struct qsim_stats st;

		qsim_get_stats(h.sim, &st);
		cr_assert_eq(st.dropped_responses, 2);
	}
}

Test(sim_faults, drop_every_nth, .fini = teardown)
{
	uint16_t t[6];
	struct qmi_frame f;

	h_init(&h, "drop-every=3");
	for (int i = 0; i < 6; i++)
		t[i] = h_send(&h, &qmi_ctl_get_version_info_req_def, NULL, 0);
	h_run_for(&h, 20);
	for (int i = 0; i < 6; i++)
		cr_assert_eq(h_find_resp(&h, 0, t[i], &f), (i + 1) % 3 != 0, "response %d", i + 1);
}

Test(sim_faults, dup_notify, .fini = teardown)
{
	h_init(&h, "dup-notify=1");
	h_send(&h, &qmi_ctl_get_version_info_req_def, NULL, 0);
	h_send(&h, &qmi_ctl_get_version_info_req_def, NULL, 0);
	h_run_for(&h, 20);
	cr_assert_eq(count_kind(H_CTRL, NULL), 2);
	cr_assert_eq(count_kind(H_NOTIFY, NULL), 3);
	cr_assert_eq(h.ev[0].kind, H_CTRL);
	cr_assert_eq(h.ev[1].kind, H_NOTIFY);
	cr_assert_eq(h.ev[2].kind, H_NOTIFY);
}

Test(sim_faults, zero_length, .fini = teardown)
{
	size_t zero;
	struct qmi_frame f;

	h_init(&h, "zero-length");
	h_send(&h, &qmi_ctl_get_version_info_req_def, NULL, 0);
	h_run_for(&h, 20);
	cr_assert_eq(count_kind(H_CTRL, &zero), 2);
	cr_assert_eq(zero, 1);
	cr_assert_eq(h.ev[0].kind, H_CTRL);
	cr_assert_eq(h.ev[0].len, 0);
	cr_assert_eq(h.ev[1].kind, H_NOTIFY);
	cr_assert_eq(qmi_frame_parse(h.ev[2].buf, h.ev[2].len, &f, NULL), 0);
	cr_assert_eq(count_kind(H_NOTIFY, NULL), 2);
}

Test(sim_faults, out_of_order, .fini = teardown)
{
	uint16_t t1, t2;
	struct qmi_frame f1, f2;

	h_init(&h, "out-of-order=1");
	t1 = h_send(&h, &qmi_ctl_get_version_info_req_def, NULL, 0);
	h_run_for(&h, 10);
	cr_assert_not(h_find_resp(&h, 0, t1, &f1), "held response went out alone");
	t2 = h_send(&h, &qmi_ctl_get_version_info_req_def, NULL, 0);
	h_run_for(&h, 10);
	cr_assert_eq(count_kind(H_CTRL, NULL), 2);
	cr_assert_eq(qmi_frame_parse(h.ev[0].buf, h.ev[0].len, &f1, NULL), 0);
	cr_assert_eq(qmi_frame_parse(h.ev[2].buf, h.ev[2].len, &f2, NULL), 0);
	cr_assert_eq(f1.txn, t2);
	cr_assert_eq(f2.txn, t1);
}

Test(sim_faults, malformed, .fini = teardown)
{
	struct qmi_frame f;
	enum qmi_frame_err why;

	h_init(&h, "malformed=1");
	h_send(&h, &qmi_ctl_get_version_info_req_def, NULL, 0);
	h_send(&h, &qmi_ctl_get_version_info_req_def, NULL, 0);
	h_run_for(&h, 20);
	cr_assert_eq(count_kind(H_CTRL, NULL), 2);
	cr_assert_eq(qmi_frame_parse(h.ev[0].buf, h.ev[0].len, &f, &why), -EBADMSG);
	cr_assert_eq(why, QMI_FRAME_TLV_LEN_MISMATCH);
	cr_assert_eq(qmi_frame_parse(h.ev[2].buf, h.ev[2].len, &f, NULL), 0);
}

Test(sim_faults, delay_holds_responses, .fini = teardown)
{
	uint64_t t0;
	struct qmi_frame f;
	uint16_t t;

	h_init(&h, "delay=80");
	t0 = qb_now_ms();
	t = h_send(&h, &qmi_ctl_get_version_info_req_def, NULL, 0);
	qb_loop_run_once(h.loop, 0);
	while (!h_find_resp(&h, 0, t, &f) && qb_now_ms() < t0 + 5000)
		qb_loop_run_once(h.loop, 50);
	cr_assert(h_find_resp(&h, 0, t, &f));
	/* A lower bound only: loop timers never fire early. */
	cr_assert_geq(qb_now_ms() - t0, 80);
}

Test(sim_faults, set_faults_at_run_time, .fini = teardown)
{
	struct qsim_faults f;
	uint8_t dms;

	h_init(&h, NULL);
	dms = h_alloc(&h, QMI_SVC_DMS);
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_iccid_req_def, NULL, dms, NULL, NULL), 0);
	qsim_faults_parse(&f, "sim-absent", NULL, 0);
	qsim_set_faults(h.sim, &f);
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_iccid_req_def, NULL, dms, NULL, NULL),
		     QMI_ERR_UIM_UNINITIALIZED);
	cr_assert(qsim_get_faults(h.sim)->sim_absent);
}

Test(sim_faults, sim_delay, .fini = teardown)
{
	uint8_t dms;
	struct qmi_uim_get_card_status_resp cs;
	uint8_t uim;

	h_init(&h, "sim-delay=100");
	dms = h_alloc(&h, QMI_SVC_DMS);
	uim = h_alloc(&h, QMI_SVC_UIM);
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_imsi_req_def, NULL, dms, NULL, NULL),
		     QMI_ERR_UIM_UNINITIALIZED);
	cr_assert_eq(h_call(&h, &qmi_uim_get_card_status_req_def, NULL, uim,
			    &qmi_uim_get_card_status_resp_def, &cs),
		     0);
	cr_assert_eq(cs.card_status.cards[0].applications[0].state, QMI_UIM_APP_STATE_DETECTED);
	h_run_for(&h, 250);
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_imsi_req_def, NULL, dms, NULL, NULL), 0);
}

/* Issue 11 #9: a verbose call end reason alone used to leave calls succeeding. */
Test(sim_faults, call_fail_verbose_alone_fails_the_call, .fini = teardown)
{
	struct qmi_wds_start_network_req sn = { 0 };
	struct qmi_wds_start_network_resp r;
	struct qsim_faults f;
	char err[128];
	uint8_t wds;

	cr_assert_eq(qsim_faults_parse(&f, "call-fail-verbose=3:2", err, sizeof(err)), 0);
	cr_assert_eq(f.call_fail_reason, QSIM_CALL_END_UNSPECIFIED);
	/* With call-fail given, in either order, its reason stays. */
	cr_assert_eq(qsim_faults_parse(&f, "call-fail-verbose=3:2,call-fail=27", err, sizeof(err)),
		     0);
	cr_assert_eq(f.call_fail_reason, 27);

	h_init(&h, "call-fail-verbose=3:2");
	wds = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, wds,
			    &qmi_wds_start_network_resp_def, &r),
		     QMI_ERR_CALL_FAILED);
	cr_assert(r.has_call_end_reason);
	cr_assert_eq(r.call_end_reason, QSIM_CALL_END_UNSPECIFIED);
	cr_assert(r.has_verbose_call_end_reason);
	cr_assert_eq(r.verbose_call_end_reason.type, 3);
	cr_assert_eq(r.verbose_call_end_reason.reason, 2);
	cr_assert_not(r.has_packet_data_handle);
}

/* Issue 11 #9: "," and other specs with an empty item used to be accepted as a healthy modem. */
Test(sim_faults, empty_items_are_errors)
{
	struct qsim_faults f;
	char err[128];
	const char *bad[] = { ",", ",,", "drop,", ",drop", "drop,,delay=5" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		cr_assert_eq(qsim_faults_parse(&f, bad[i], err, sizeof(err)), -EINVAL, "%s",
			     bad[i]);
		cr_assert(strstr(err, "empty"), "%s: %s", bad[i], err);
	}
}

Test(sim_faults, parse_hostile_usb_knobs)
{
	struct qsim_faults f;
	char err[128];
	const char *lies[] = { "few-eps", "many-eps", "mps0", "ep-type" };
	const int want[] = { QSIM_DESC_FEW_EPS, QSIM_DESC_MANY_EPS, QSIM_DESC_MPS0,
			     QSIM_DESC_EP_TYPE };

	cr_assert_eq(qsim_faults_parse(&f,
				       "resp-long,resp-babble,notify-storm,notify-unknown,"
				       "bulk-garbage,bulk-oversize,qmux-lie,foreign-cid,ind-flood,"
				       "usb-reset=3,usb-reset-data=7",
				       err, sizeof(err)),
		     0, "%s", err);
	cr_assert(f.resp_long && f.resp_babble && f.notify_storm && f.notify_unknown);
	cr_assert(f.bulk_garbage && f.bulk_oversize && f.qmux_lie && f.foreign_cid && f.ind_flood);
	cr_assert_eq(f.usb_reset_at, 3);
	cr_assert_eq(f.usb_reset_data_at, 7);
	cr_assert_eq(f.usb_desc_lie, QSIM_DESC_TRUE);
	for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		char spec[32];

		snprintf(spec, sizeof(spec), "usb-desc=%s", lies[i]);
		cr_assert_eq(qsim_faults_parse(&f, spec, err, sizeof(err)), 0, "%s", spec);
		cr_assert_eq(f.usb_desc_lie, want[i], "%s", spec);
	}
	const char *bad[] = { "usb-desc",       "usb-desc=",       "usb-desc=lies", "resp-long=1",
			      "ind-flood=2",    "usb-reset",       "usb-reset=0",   "usb-reset=x",
			      "usb-reset-data", "usb-reset-data=0" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(qsim_faults_parse(&f, bad[i], err, sizeof(err)), -EINVAL, "%s",
			     bad[i]);
}

static uint8_t reg_state(struct harness *hh, uint8_t nas)
{
	struct qmi_nas_get_serving_system_resp ss;

	cr_assert_eq(h_call(hh, &qmi_nas_get_serving_system_req_def, NULL, nas,
			    &qmi_nas_get_serving_system_resp_def, &ss),
		     0);
	return ss.serving_system.registration_state;
}

/* no-service=MS: nothing at all (not searching) that long, then the modem registers. */
Test(sim_faults, no_service_then_registration, .fini = teardown)
{
	struct qsim_faults f;
	char err[128];
	uint8_t nas;

	cr_assert_eq(qsim_faults_parse(&f, "no-service=100,low-power", err, sizeof(err)), 0);
	cr_assert_eq(f.no_service_ms, 100);
	cr_assert(f.low_power);
	cr_assert_neq(qsim_faults_parse(&f, "no-service=0", err, sizeof(err)), 0);
	cr_assert_neq(qsim_faults_parse(&f, "low-power=1", err, sizeof(err)), 0);
	h_init(&h, "no-service=100");
	nas = h_alloc(&h, QMI_SVC_NAS);
	cr_assert_eq(reg_state(&h, nas), QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED);
	h_run_for(&h, 250);
	cr_assert_eq(reg_state(&h, nas), QMI_NAS_REGISTRATION_STATE_REGISTERED);
}

/* low-power: the operating mode starts low-power and nothing registers until it is online. */
Test(sim_faults, low_power_start, .fini = teardown)
{
	struct qmi_dms_get_operating_mode_resp om;
	struct qmi_dms_set_operating_mode_req on = { .has_mode = true,
						     .mode = QMI_DMS_OPERATING_MODE_ONLINE };
	uint8_t dms, nas;

	h_init(&h, "low-power");
	dms = h_alloc(&h, QMI_SVC_DMS);
	nas = h_alloc(&h, QMI_SVC_NAS);
	cr_assert_eq(h_call(&h, &qmi_dms_get_operating_mode_req_def, NULL, dms,
			    &qmi_dms_get_operating_mode_resp_def, &om),
		     0);
	cr_assert_eq(om.mode, QMI_DMS_OPERATING_MODE_LOW_POWER);
	h_run_for(&h, 50);
	cr_assert_neq(reg_state(&h, nas), QMI_NAS_REGISTRATION_STATE_REGISTERED);
	cr_assert_eq(h_call(&h, &qmi_dms_set_operating_mode_req_def, &on, dms, NULL, NULL), 0);
	h_run_for(&h, 50);
	cr_assert_eq(h_call(&h, &qmi_dms_get_operating_mode_req_def, NULL, dms,
			    &qmi_dms_get_operating_mode_resp_def, &om),
		     0);
	cr_assert_eq(om.mode, QMI_DMS_OPERATING_MODE_ONLINE);
	cr_assert_eq(reg_state(&h, nas), QMI_NAS_REGISTRATION_STATE_REGISTERED);
}
