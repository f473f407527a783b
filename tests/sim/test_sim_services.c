/* SPDX-License-Identifier: MIT */
/* DMS, NAS, UIM, WDS and WDA state, driven directly. */
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

Test(sim_dms, identities_are_valid, .fini = teardown)
{
	struct qmi_dms_get_ids_resp ids;
	struct qmi_dms_get_manufacturer_resp man;
	struct qmi_dms_uim_get_iccid_resp iccid;
	struct qmi_dms_uim_get_imsi_resp imsi;
	struct qmi_dms_get_msisdn_resp msisdn;
	uint8_t cid;

	h_init(&h, NULL);
	cid = h_alloc(&h, QMI_SVC_DMS);
	cr_assert_eq(h_call(&h, &qmi_dms_get_ids_req_def, NULL, cid, &qmi_dms_get_ids_resp_def,
			    &ids),
		     0);
	cr_assert(ids.has_imei && ids.has_esn && ids.has_meid);
	cr_assert_eq(strlen(ids.imei), 15);
	cr_assert(qsim_luhn_ok(ids.imei), "IMEI %s fails Luhn", ids.imei);
	cr_assert_eq(strlen(ids.meid), 14);
	cr_assert_eq(h_call(&h, &qmi_dms_get_manufacturer_req_def, NULL, cid,
			    &qmi_dms_get_manufacturer_resp_def, &man),
		     0);
	cr_assert_str_eq(man.manufacturer, "qmiusb");
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_iccid_req_def, NULL, cid,
			    &qmi_dms_uim_get_iccid_resp_def, &iccid),
		     0);
	cr_assert(qsim_luhn_ok(iccid.iccid));
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_imsi_req_def, NULL, cid,
			    &qmi_dms_uim_get_imsi_resp_def, &imsi),
		     0);
	cr_assert_eq(strncmp(imsi.imsi, "00101", 5), 0, "IMSI must start with MCC/MNC 001/01");
	cr_assert_eq(h_call(&h, &qmi_dms_get_msisdn_req_def, NULL, cid,
			    &qmi_dms_get_msisdn_resp_def, &msisdn),
		     0);
	cr_assert_str_eq(msisdn.msisdn, QSIM_MSISDN);
}

Test(sim_dms, luhn_helper)
{
	cr_assert(qsim_luhn_ok("79927398713"));
	cr_assert_not(qsim_luhn_ok("79927398710"));
	cr_assert_eq(qsim_luhn_digit("7992739871"), '3');
	cr_assert_not(qsim_luhn_ok("12a4"));
}

static uint8_t nas_reg_state(uint8_t nas)
{
	struct qmi_nas_get_serving_system_resp ss;

	cr_assert_eq(h_call(&h, &qmi_nas_get_serving_system_req_def, NULL, nas,
			    &qmi_nas_get_serving_system_resp_def, &ss),
		     0);
	cr_assert(ss.has_serving_system);
	return ss.serving_system.registration_state;
}

Test(sim_dms, operating_mode_drops_registration_and_calls, .fini = teardown)
{
	struct qmi_dms_set_operating_mode_req lp = { .has_mode = true, .mode = 1 };
	struct qmi_dms_get_operating_mode_resp om;
	struct qmi_wds_start_network_req sn = { .has_apn = true, .apn = "internet" };
	struct qmi_wds_start_network_resp snr;
	struct qmi_wds_packet_service_status_ind ind;
	uint8_t dms, nas, wds;

	h_init(&h, NULL);
	dms = h_alloc(&h, QMI_SVC_DMS);
	nas = h_alloc(&h, QMI_SVC_NAS);
	wds = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(nas_reg_state(nas), QMI_NAS_REGISTRATION_STATE_REGISTERED);
	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, wds,
			    &qmi_wds_start_network_resp_def, &snr),
		     0);
	h_clear(&h);
	cr_assert_eq(h_call(&h, &qmi_dms_set_operating_mode_req_def, &lp, dms, NULL, NULL), 0);
	h_run_for(&h, 0);
	cr_assert_eq(h_call(&h, &qmi_dms_get_operating_mode_req_def, NULL, dms,
			    &qmi_dms_get_operating_mode_resp_def, &om),
		     0);
	cr_assert_eq(om.mode, 1);
	cr_assert_eq(nas_reg_state(nas), QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED);
	cr_assert(h_last_ind(&h, QMI_SVC_WDS, wds, QMI_WDS_PACKET_SERVICE_STATUS_IND, &ind));
	cr_assert_eq(ind.connection_status.status, QMI_WDS_CONNECTION_STATUS_DISCONNECTED);
	cr_assert(ind.has_call_end_reason);
	/* No registration: calls fail with "no service". */
	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, wds,
			    &qmi_wds_start_network_resp_def, &snr),
		     QMI_ERR_CALL_FAILED);
	cr_assert_eq(snr.call_end_reason, 3);
	/* Back online: registered again. */
	lp.mode = 0;
	cr_assert_eq(h_call(&h, &qmi_dms_set_operating_mode_req_def, &lp, dms, NULL, NULL), 0);
	cr_assert_eq(nas_reg_state(nas), QMI_NAS_REGISTRATION_STATE_REGISTERED);
	/* Offline only leaves through reset. */
	lp.mode = 3;
	cr_assert_eq(h_call(&h, &qmi_dms_set_operating_mode_req_def, &lp, dms, NULL, NULL), 0);
	lp.mode = 0;
	cr_assert_eq(h_call(&h, &qmi_dms_set_operating_mode_req_def, &lp, dms, NULL, NULL),
		     QMI_ERR_INVALID_TRANSITION);
}

Test(sim_uim, sim_absent, .fini = teardown)
{
	struct qmi_uim_get_card_status_resp cs;
	uint8_t dms, uim, nas, wds;
	struct qmi_wds_start_network_req sn = { 0 };

	h_init(&h, "sim-absent");
	dms = h_alloc(&h, QMI_SVC_DMS);
	uim = h_alloc(&h, QMI_SVC_UIM);
	nas = h_alloc(&h, QMI_SVC_NAS);
	wds = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_iccid_req_def, NULL, dms, NULL, NULL),
		     QMI_ERR_UIM_UNINITIALIZED);
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_imsi_req_def, NULL, dms, NULL, NULL),
		     QMI_ERR_UIM_UNINITIALIZED);
	cr_assert_eq(h_call(&h, &qmi_uim_get_card_status_req_def, NULL, uim,
			    &qmi_uim_get_card_status_resp_def, &cs),
		     0);
	cr_assert(cs.has_card_status);
	cr_assert_eq(cs.card_status.n_cards, 1);
	cr_assert_eq(cs.card_status.cards[0].card_state, QMI_UIM_CARD_STATE_ABSENT);
	cr_assert_eq(nas_reg_state(nas), QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED);
	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, wds, NULL, NULL),
		     QMI_ERR_CALL_FAILED);
}

Test(sim_uim, card_ready, .fini = teardown)
{
	struct qmi_uim_get_card_status_resp cs;
	uint8_t uim;

	h_init(&h, NULL);
	uim = h_alloc(&h, QMI_SVC_UIM);
	cr_assert_eq(h_call(&h, &qmi_uim_get_card_status_req_def, NULL, uim,
			    &qmi_uim_get_card_status_resp_def, &cs),
		     0);
	cr_assert_eq(cs.card_status.cards[0].card_state, QMI_UIM_CARD_STATE_PRESENT);
	cr_assert_eq(cs.card_status.cards[0].n_applications, 1);
	cr_assert_eq(cs.card_status.cards[0].applications[0].state, QMI_UIM_APP_STATE_READY);
	cr_assert_eq(cs.card_status.cards[0].applications[0].type, QMI_UIM_APP_TYPE_USIM);
}

Test(sim_nas, registration_denied, .fini = teardown)
{
	struct qmi_nas_get_system_info_resp si;
	struct qmi_wds_start_network_resp snr;
	struct qmi_wds_start_network_req sn = { 0 };
	uint8_t nas, wds;

	h_init(&h, "reg-denied");
	nas = h_alloc(&h, QMI_SVC_NAS);
	wds = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(nas_reg_state(nas), QMI_NAS_REGISTRATION_STATE_DENIED);
	cr_assert_eq(h_call(&h, &qmi_nas_get_system_info_req_def, NULL, nas,
			    &qmi_nas_get_system_info_resp_def, &si),
		     0);
	cr_assert(si.has_lte_service_status);
	cr_assert_eq(si.lte_service_status.service_status, QMI_NAS_SERVICE_STATUS_LIMITED);
	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, wds,
			    &qmi_wds_start_network_resp_def, &snr),
		     QMI_ERR_CALL_FAILED);
	cr_assert(snr.has_call_end_reason);
}

Test(sim_nas, reg_delay_then_registered_with_indication, .fini = teardown)
{
	struct qmi_nas_register_indications_req ri = { .has_serving_system_events = true,
						       .serving_system_events = 1 };
	struct qmi_nas_serving_system_ind ind;
	uint8_t nas;

	h_init(&h, "reg-delay=150");
	nas = h_alloc(&h, QMI_SVC_NAS);
	cr_assert_eq(h_call(&h, &qmi_nas_register_indications_req_def, &ri, nas, NULL, NULL), 0);
	/* Registration cannot have completed before 150 ms: timers never fire early. */
	cr_assert_eq(nas_reg_state(nas), QMI_NAS_REGISTRATION_STATE_SEARCHING);
	h_run_for(&h, 300);
	cr_assert(h_last_ind(&h, QMI_SVC_NAS, nas, QMI_NAS_SERVING_SYSTEM_IND, &ind));
	cr_assert_eq(ind.serving_system.registration_state, QMI_NAS_REGISTRATION_STATE_REGISTERED);
	cr_assert(ind.has_current_plmn);
	cr_assert_eq(ind.current_plmn.mcc, QSIM_MCC);
	cr_assert_str_eq(ind.current_plmn.description, QSIM_NETWORK_NAME);
	cr_assert(ind.has_lac); /* the indication's shifted TLV id round-trips */
	cr_assert_eq(ind.lac, QSIM_LAC);
	cr_assert(ind.has_lte_tac);
	cr_assert_eq(ind.lte_tac, QSIM_LTE_TAC);
	cr_assert_eq(nas_reg_state(nas), QMI_NAS_REGISTRATION_STATE_REGISTERED);
}

Test(sim_nas, serving_system_and_signal, .fini = teardown)
{
	struct qmi_nas_get_serving_system_resp ss;
	struct qmi_nas_get_signal_strength_req sq = { .has_request_mask = true,
						      .request_mask = 0xE1 };
	struct qmi_nas_get_signal_strength_resp st;
	struct qmi_nas_get_signal_info_resp si1, si2;
	uint8_t nas;
	bool changed = false;

	h_init(&h, "seed=7");
	nas = h_alloc(&h, QMI_SVC_NAS);
	cr_assert_eq(h_call(&h, &qmi_nas_get_serving_system_req_def, NULL, nas,
			    &qmi_nas_get_serving_system_resp_def, &ss),
		     0);
	cr_assert_eq(ss.serving_system.n_radio_interfaces, 1);
	cr_assert_eq(ss.serving_system.radio_interfaces[0], QMI_NAS_RADIO_INTERFACE_LTE);
	cr_assert_eq(ss.serving_system.ps_attach_state, QMI_NAS_ATTACH_STATE_ATTACHED);
	cr_assert(ss.has_cid);
	cr_assert_eq(ss.cid, QSIM_LTE_CELL_ID);
	cr_assert(ss.has_lac);
	cr_assert_eq(ss.lac, QSIM_LAC);
	cr_assert_eq(h_call(&h, &qmi_nas_get_signal_strength_req_def, &sq, nas,
			    &qmi_nas_get_signal_strength_resp_def, &st),
		     0);
	cr_assert(st.has_signal_strength && st.has_lte_rsrp && st.has_rsrq && st.has_lte_snr);
	cr_assert(st.signal_strength.strength <= -51 && st.signal_strength.strength >= -100);
	cr_assert_eq(h_call(&h, &qmi_nas_get_signal_info_req_def, NULL, nas,
			    &qmi_nas_get_signal_info_resp_def, &si1),
		     0);
	cr_assert(si1.has_lte);
	for (int i = 0; i < 10 && !changed; i++) {
		qsim_signal_step(h.sim);
		cr_assert_eq(h_call(&h, &qmi_nas_get_signal_info_req_def, NULL, nas,
				    &qmi_nas_get_signal_info_resp_def, &si2),
			     0);
		changed = memcmp(&si1.lte, &si2.lte, sizeof(si1.lte)) != 0;
		cr_assert(si2.lte.rsrp >= -125 && si2.lte.rsrp <= -70);
	}
	cr_assert(changed, "the signal never moved");
}

Test(sim_nas, indications_only_to_registered_clients, .fini = teardown)
{
	struct qmi_nas_register_indications_req ri = { .has_signal_info = true, .signal_info = 1 };
	struct qmi_nas_signal_info_ind ind;
	uint8_t a, b;

	h_init(&h, NULL);
	a = h_alloc(&h, QMI_SVC_NAS);
	b = h_alloc(&h, QMI_SVC_NAS);
	cr_assert_eq(h_call(&h, &qmi_nas_register_indications_req_def, &ri, b, NULL, NULL), 0);
	h_clear(&h);
	qsim_signal_step(h.sim);
	qsim_signal_step(h.sim);
	h_run_for(&h, 0);
	cr_assert_eq(h_count_ind(&h, QMI_SVC_NAS, b, QMI_NAS_SIGNAL_INFO_IND), 2);
	cr_assert_eq(h_count_ind(&h, QMI_SVC_NAS, a, QMI_NAS_SIGNAL_INFO_IND), 0);
	cr_assert_eq(h_count_ind(&h, QMI_SVC_NAS, 0xFF, QMI_NAS_SIGNAL_INFO_IND), 0);
	cr_assert(h_last_ind(&h, QMI_SVC_NAS, b, QMI_NAS_SIGNAL_INFO_IND, &ind));
	cr_assert(ind.has_lte);
	/* Unregistering stops them. */
	ri.signal_info = 0;
	cr_assert_eq(h_call(&h, &qmi_nas_register_indications_req_def, &ri, b, NULL, NULL), 0);
	h_clear(&h);
	qsim_signal_step(h.sim);
	h_run_for(&h, 0);
	cr_assert_eq(h_count_ind(&h, QMI_SVC_NAS, b, QMI_NAS_SIGNAL_INFO_IND), 0);
}

static uint8_t wds_start(uint8_t wds, uint32_t *pdh)
{
	struct qmi_wds_start_network_req sn = { .has_apn = true, .apn = "internet" };
	struct qmi_wds_start_network_resp r;

	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, wds,
			    &qmi_wds_start_network_resp_def, &r),
		     0);
	cr_assert(r.has_packet_data_handle);
	cr_assert_neq(r.packet_data_handle, 0);
	*pdh = r.packet_data_handle;
	return wds;
}

Test(sim_wds, session_lifecycle, .fini = teardown)
{
	struct qmi_wds_get_current_settings_req cq = {
		.has_requested_settings = true, .requested_settings = QMI_WDS_REQUESTED_QMICLI
	};
	struct qmi_wds_get_current_settings_resp cs;
	struct qmi_wds_packet_service_status_ind ind;
	struct qmi_wds_get_packet_service_status_resp ps;
	struct qmi_wds_stop_network_req stop = { .has_packet_data_handle = true };
	struct qmi_wds_start_network_resp again;
	struct qmi_wds_start_network_req sn = { 0 };
	uint8_t a, b;
	uint32_t pdh;

	h_init(&h, NULL);
	a = h_alloc(&h, QMI_SVC_WDS);
	b = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(h_call(&h, &qmi_wds_get_current_settings_req_def, &cq, a, NULL, NULL),
		     QMI_ERR_OUT_OF_CALL);
	h_clear(&h);
	wds_start(a, &pdh);
	h_run_for(&h, 0);
	cr_assert(h_last_ind(&h, QMI_SVC_WDS, a, QMI_WDS_PACKET_SERVICE_STATUS_IND, &ind));
	cr_assert_eq(ind.connection_status.status, QMI_WDS_CONNECTION_STATUS_CONNECTED);
	cr_assert_eq(h_count_ind(&h, QMI_SVC_WDS, b, QMI_WDS_PACKET_SERVICE_STATUS_IND), 0);
	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, a,
			    &qmi_wds_start_network_resp_def, &again),
		     QMI_ERR_NO_EFFECT);
	cr_assert_eq(again.packet_data_handle, pdh);
	cr_assert_eq(h_call(&h, &qmi_wds_get_packet_service_status_req_def, NULL, a,
			    &qmi_wds_get_packet_service_status_resp_def, &ps),
		     0);
	cr_assert_eq(ps.connection_status, QMI_WDS_CONNECTION_STATUS_CONNECTED);
	cr_assert_eq(h_call(&h, &qmi_wds_get_packet_service_status_req_def, NULL, b,
			    &qmi_wds_get_packet_service_status_resp_def, &ps),
		     0);
	cr_assert_eq(ps.connection_status, QMI_WDS_CONNECTION_STATUS_DISCONNECTED);
	cr_assert_eq(h_call(&h, &qmi_wds_get_current_settings_req_def, &cq, a,
			    &qmi_wds_get_current_settings_resp_def, &cs),
		     0);
	cr_assert(cs.has_ipv4_address && cs.has_ipv4_gateway && cs.has_ipv4_subnet_mask);
	cr_assert_eq(cs.ipv4_address, 0x0A400001u);
	cr_assert_eq(cs.ipv4_gateway, 0x0A400002u);
	cr_assert_eq(cs.ipv4_subnet_mask, 0xFFFFFFFCu);
	cr_assert_eq(cs.ipv4_primary_dns, QSIM_DNS4_PRIMARY);
	cr_assert(cs.has_mtu);
	cr_assert_eq(cs.mtu, 1500);
	cr_assert(cs.has_ip_family);
	cr_assert_eq(cs.ip_family, 4);
	cr_assert_not(cs.has_ipv6_address);
	/* Wrong handle, then the right one. */
	stop.packet_data_handle = pdh + 1;
	cr_assert_eq(h_call(&h, &qmi_wds_stop_network_req_def, &stop, a, NULL, NULL),
		     QMI_ERR_INVALID_HANDLE);
	h_clear(&h);
	stop.packet_data_handle = pdh;
	cr_assert_eq(h_call(&h, &qmi_wds_stop_network_req_def, &stop, a, NULL, NULL), 0);
	h_run_for(&h, 0);
	cr_assert(h_last_ind(&h, QMI_SVC_WDS, a, QMI_WDS_PACKET_SERVICE_STATUS_IND, &ind));
	cr_assert_eq(ind.connection_status.status, QMI_WDS_CONNECTION_STATUS_DISCONNECTED);
	cr_assert(ind.has_call_end_reason);
	cr_assert_eq(ind.call_end_reason, 2);
}

Test(sim_wds, ipv6_and_dual_stack, .fini = teardown)
{
	struct qmi_wds_set_ip_family_req fam = { .has_preference = true, .preference = 6 };
	struct qmi_wds_get_current_settings_resp c4, c6;
	uint8_t v4, v6;
	uint32_t p4, p6;
	static const uint8_t want6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 1,
					   0,    0,    0,    0,    0, 0, 0, 1 };

	h_init(&h, NULL);
	v4 = h_alloc(&h, QMI_SVC_WDS);
	v6 = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(h_call(&h, &qmi_wds_set_ip_family_req_def, &fam, v6, NULL, NULL), 0);
	wds_start(v4, &p4);
	wds_start(v6, &p6);
	cr_assert_neq(p4, p6);
	cr_assert_eq(h_call(&h, &qmi_wds_get_current_settings_req_def, NULL, v4,
			    &qmi_wds_get_current_settings_resp_def, &c4),
		     0);
	cr_assert_eq(h_call(&h, &qmi_wds_get_current_settings_req_def, NULL, v6,
			    &qmi_wds_get_current_settings_resp_def, &c6),
		     0);
	cr_assert(c4.has_ipv4_address);
	cr_assert(c6.has_ipv6_address && c6.has_ipv6_gateway && c6.has_ipv6_primary_dns);
	cr_assert_not(c6.has_ipv4_address);
	cr_assert_eq(c6.ipv6_address.prefix_length, 64);
	/* The second session gets the second slot: 2001:db8:1:1::1. */
	cr_assert_arr_eq(c6.ipv6_address.address, want6, 16);
	cr_assert_eq(c6.ip_family, 6);
	fam.preference = 5;
	cr_assert_eq(h_call(&h, &qmi_wds_set_ip_family_req_def, &fam, v6, NULL, NULL),
		     QMI_ERR_INVALID_IP_FAMILY_PREFERENCE);
}

Test(sim_wds, call_failure_reason, .fini = teardown)
{
	struct qmi_wds_start_network_req sn = { 0 };
	struct qmi_wds_start_network_resp r;
	uint8_t wds;

	h_init(&h, "call-fail=27,call-fail-verbose=6:33");
	wds = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, wds,
			    &qmi_wds_start_network_resp_def, &r),
		     QMI_ERR_CALL_FAILED);
	cr_assert(r.has_call_end_reason);
	cr_assert_eq(r.call_end_reason, 27);
	cr_assert(r.has_verbose_call_end_reason);
	cr_assert_eq(r.verbose_call_end_reason.type, 6);
	cr_assert_eq(r.verbose_call_end_reason.reason, 33);
	cr_assert_not(r.has_packet_data_handle);
}

Test(sim_wds, apn_restriction, .fini = teardown)
{
	struct qmi_wds_start_network_req sn = { .has_apn = true, .apn = "wrong" };
	struct qmi_wds_start_network_resp r;
	uint8_t wds;
	uint32_t pdh;

	h_init(&h, "apn=internet");
	wds = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, wds,
			    &qmi_wds_start_network_resp_def, &r),
		     QMI_ERR_CALL_FAILED);
	cr_assert_eq(r.verbose_call_end_reason.type, 6);
	cr_assert_eq(r.verbose_call_end_reason.reason, 27);
	wds_start(wds, &pdh);
}

Test(sim_wds, network_drop_hook_and_knob, .fini = teardown)
{
	struct qmi_wds_packet_service_status_ind ind;
	uint8_t a;
	uint32_t pdh;

	h_init(&h, NULL);
	a = h_alloc(&h, QMI_SVC_WDS);
	wds_start(a, &pdh);
	h_clear(&h);
	qsim_drop_call(h.sim, 4);
	h_run_for(&h, 0);
	cr_assert(h_last_ind(&h, QMI_SVC_WDS, a, QMI_WDS_PACKET_SERVICE_STATUS_IND, &ind));
	cr_assert_eq(ind.connection_status.status, QMI_WDS_CONNECTION_STATUS_DISCONNECTED);
	cr_assert_eq(ind.call_end_reason, 4);
	h_fini(&h);

	h_init(&h, "call-drop=50");
	a = h_alloc(&h, QMI_SVC_WDS);
	wds_start(a, &pdh);
	h_clear(&h);
	h_run_for(&h, 200);
	cr_assert(h_last_ind(&h, QMI_SVC_WDS, a, QMI_WDS_PACKET_SERVICE_STATUS_IND, &ind));
	cr_assert_eq(ind.connection_status.status, QMI_WDS_CONNECTION_STATUS_DISCONNECTED);
}

Test(sim_wds, profile_list, .fini = teardown)
{
	struct qmi_wds_get_profile_list_req q = { .has_profile_type = true, .profile_type = 0 };
	struct qmi_wds_get_profile_list_resp r;
	uint8_t wds;

	h_init(&h, NULL);
	wds = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(h_call(&h, &qmi_wds_get_profile_list_req_def, &q, wds,
			    &qmi_wds_get_profile_list_resp_def, &r),
		     0);
	cr_assert_eq(r.n_profiles, 2);
	cr_assert_str_eq(r.profiles[0].name, "internet");
	cr_assert_eq(r.profiles[0].index, 1);
}

Test(sim_wda, data_format_state, .fini = teardown)
{
	struct qmi_wda_set_data_format_req q = { .has_link_layer_protocol = true,
						 .link_layer_protocol = 2 };
	struct qmi_wda_set_data_format_resp sr;
	struct qmi_wda_get_data_format_resp gr;
	uint8_t wda;

	h_init(&h, NULL);
	wda = h_alloc(&h, QMI_SVC_WDA);
	cr_assert_eq(h_call(&h, &qmi_wda_get_data_format_req_def, NULL, wda,
			    &qmi_wda_get_data_format_resp_def, &gr),
		     0);
	cr_assert_eq(gr.link_layer_protocol, 1);
	cr_assert_eq(h_call(&h, &qmi_wda_set_data_format_req_def, &q, wda,
			    &qmi_wda_set_data_format_resp_def, &sr),
		     0);
	cr_assert_eq(sr.link_layer_protocol, 2);
	cr_assert_eq(sr.dl_aggregation_protocol, 0);
	cr_assert_eq(h_call(&h, &qmi_wda_get_data_format_req_def, NULL, wda,
			    &qmi_wda_get_data_format_resp_def, &gr),
		     0);
	cr_assert_eq(gr.link_layer_protocol, 2);
	/* QMAP is refused and changes nothing. */
	q.link_layer_protocol = 1;
	q.has_dl_aggregation_protocol = true;
	q.dl_aggregation_protocol = QMI_WDA_AGGREGATION_QMAP;
	cr_assert_eq(h_call(&h, &qmi_wda_set_data_format_req_def, &q, wda, NULL, NULL),
		     QMI_ERR_INVALID_ARGUMENT);
	cr_assert_eq(h_call(&h, &qmi_wda_get_data_format_req_def, NULL, wda,
			    &qmi_wda_get_data_format_resp_def, &gr),
		     0);
	cr_assert_eq(gr.link_layer_protocol, 2);
}
