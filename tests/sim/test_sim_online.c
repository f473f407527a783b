/* SPDX-License-Identifier: MIT */
/* What it takes to bring the software modem online: the SIM PIN and its lockout, the operating
 * mode transitions, the profile table and the radio preferences, driven directly. */
#include <criterion/criterion.h>
#include <string.h>

#include "qmi/errors.h"
#include "sim/harness.h"

static struct harness h;

static void teardown(void)
{
	h_fini(&h);
}

static int verify(uint8_t uim, const char *pin, struct qmi_uim_verify_pin_resp *r)
{
	struct qmi_uim_verify_pin_req q = { .has_session = true, .has_info = true };

	q.info.pin_id = QMI_UIM_PIN_ID_PIN1;
	snprintf(q.info.pin, sizeof(q.info.pin), "%s", pin);
	return h_call(&h, &qmi_uim_verify_pin_req_def, &q, uim, &qmi_uim_verify_pin_resp_def, r);
}

static int unblock(uint8_t uim, const char *puk, const char *pin)
{
	struct qmi_uim_unblock_pin_req q = { .has_session = true, .has_info = true };
	struct qmi_uim_unblock_pin_resp r;

	q.info.pin_id = QMI_UIM_PIN_ID_PIN1;
	snprintf(q.info.puk, sizeof(q.info.puk), "%s", puk);
	snprintf(q.info.new_pin, sizeof(q.info.new_pin), "%s", pin);
	return h_call(&h, &qmi_uim_unblock_pin_req_def, &q, uim, &qmi_uim_unblock_pin_resp_def, &r);
}

static const struct qmi_uim_app *app(struct qmi_uim_get_card_status_resp *cs, uint8_t uim)
{
	cr_assert_eq(h_call(&h, &qmi_uim_get_card_status_req_def, NULL, uim,
			    &qmi_uim_get_card_status_resp_def, cs),
		     0);
	cr_assert(cs->has_card_status && cs->card_status.n_cards == 1);
	return &cs->card_status.cards[0].applications[0];
}

static uint8_t reg_state(uint8_t nas)
{
	struct qmi_nas_get_serving_system_resp ss;

	cr_assert_eq(h_call(&h, &qmi_nas_get_serving_system_req_def, NULL, nas,
			    &qmi_nas_get_serving_system_resp_def, &ss),
		     0);
	return ss.serving_system.registration_state;
}

Test(sim_pin, locked_card_refuses_subscriber_data_until_verified, .fini = teardown)
{
	struct qmi_uim_get_card_status_resp cs;
	struct qmi_uim_verify_pin_resp r;
	struct qmi_dms_uim_get_imsi_resp imsi;
	struct qmi_dms_uim_get_iccid_resp iccid;
	const struct qmi_uim_app *a;
	uint8_t uim, dms, nas;

	h_init(&h, "pin=2468");
	uim = h_alloc(&h, QMI_SVC_UIM);
	dms = h_alloc(&h, QMI_SVC_DMS);
	nas = h_alloc(&h, QMI_SVC_NAS);
	a = app(&cs, uim);
	cr_assert_eq(a->pin1_state, QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED);
	cr_assert_eq(a->state, QMI_UIM_APP_STATE_PIN1_OR_UPIN_REQUIRED);
	cr_assert_eq(a->pin1_retries, 3);
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_imsi_req_def, NULL, dms,
			    &qmi_dms_uim_get_imsi_resp_def, &imsi),
		     QMI_ERR_PIN_RESTRICTION);
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_iccid_req_def, NULL, dms,
			    &qmi_dms_uim_get_iccid_resp_def, &iccid),
		     0);
	cr_assert_neq(reg_state(nas), QMI_NAS_REGISTRATION_STATE_REGISTERED);

	cr_assert_eq(verify(uim, "1111", &r), QMI_ERR_INCORRECT_PIN);
	cr_assert(r.has_retries);
	cr_assert_eq(r.retries.verify_left, 2);
	cr_assert_eq(r.retries.unblock_left, 10);
	cr_assert_eq(verify(uim, "2468", &r), 0);
	a = app(&cs, uim);
	cr_assert_eq(a->pin1_state, QMI_UIM_PIN_STATE_ENABLED_VERIFIED);
	cr_assert_eq(a->pin1_retries, 3, "a right PIN restores the tries");
	cr_assert_eq(a->state, QMI_UIM_APP_STATE_READY);
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_imsi_req_def, NULL, dms,
			    &qmi_dms_uim_get_imsi_resp_def, &imsi),
		     0);
	cr_assert_str_eq(imsi.imsi, QSIM_IMSI);
	cr_assert_eq(reg_state(nas), QMI_NAS_REGISTRATION_STATE_REGISTERED);
}

Test(sim_pin, three_wrong_pins_block_and_ten_wrong_puks_are_final, .fini = teardown)
{
	struct qmi_uim_get_card_status_resp cs;
	struct qmi_uim_verify_pin_resp r;
	const struct qmi_uim_app *a;
	uint8_t uim;

	h_init(&h, "pin=2468");
	uim = h_alloc(&h, QMI_SVC_UIM);
	cr_assert_eq(verify(uim, "0000", &r), QMI_ERR_INCORRECT_PIN);
	cr_assert_eq(verify(uim, "0000", &r), QMI_ERR_INCORRECT_PIN);
	cr_assert_eq(verify(uim, "0000", &r), QMI_ERR_PIN_BLOCKED);
	cr_assert_eq(r.retries.verify_left, 0);
	cr_assert_eq(verify(uim, "2468", &r), QMI_ERR_PIN_BLOCKED, "blocked: even the right PIN");
	a = app(&cs, uim);
	cr_assert_eq(a->pin1_state, QMI_UIM_PIN_STATE_BLOCKED);
	cr_assert_eq(a->state, QMI_UIM_APP_STATE_PUK1_OR_UPIN_PUK_REQUIRED);

	cr_assert_eq(unblock(uim, "00000000", "1357"), QMI_ERR_INCORRECT_PIN);
	cr_assert_eq(unblock(uim, "12345678", "1357"), 0);
	a = app(&cs, uim);
	cr_assert_eq(a->pin1_state, QMI_UIM_PIN_STATE_ENABLED_VERIFIED);
	cr_assert_eq(a->puk1_retries, 10);
	cr_assert_eq(verify(uim, "1357", &r), 0, "the new PIN is the PIN");

	for (int i = 0; i < 3; i++)
		verify(uim, "0000", &r);
	for (int i = 0; i < 9; i++)
		cr_assert_eq(unblock(uim, "00000000", "1357"), QMI_ERR_INCORRECT_PIN);
	cr_assert_eq(unblock(uim, "00000000", "1357"), QMI_ERR_PIN_ALWAYS_BLOCKED);
	cr_assert_eq(unblock(uim, "12345678", "1357"), QMI_ERR_PIN_ALWAYS_BLOCKED);
	a = app(&cs, uim);
	cr_assert_eq(a->pin1_state, QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED);
}

Test(sim_pin, change_protection_and_dms_share_one_card, .fini = teardown)
{
	struct qmi_uim_change_pin_req c = { .has_session = true, .has_info = true };
	struct qmi_uim_change_pin_resp cr;
	struct qmi_uim_set_pin_protection_req p = { .has_session = true, .has_info = true };
	struct qmi_uim_set_pin_protection_resp pr;
	struct qmi_dms_uim_get_pin_status_resp st;
	struct qmi_dms_uim_verify_pin_req dv = { .has_info = true };
	struct qmi_dms_uim_verify_pin_resp dr;
	struct qmi_dms_set_operating_mode_req reset = { .has_mode = true,
							.mode = QMI_DMS_OPERATING_MODE_RESET };
	uint8_t uim, dms;

	h_init(&h, NULL);
	uim = h_alloc(&h, QMI_SVC_UIM);
	dms = h_alloc(&h, QMI_SVC_DMS);
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_pin_status_req_def, NULL, dms,
			    &qmi_dms_uim_get_pin_status_resp_def, &st),
		     0);
	cr_assert_eq(st.pin1.status, QMI_DMS_UIM_PIN_STATUS_DISABLED);

	p.info.pin_id = QMI_UIM_PIN_ID_PIN1;
	p.info.enabled = 1;
	snprintf(p.info.pin, sizeof(p.info.pin), "1234");
	cr_assert_eq(h_call(&h, &qmi_uim_set_pin_protection_req_def, &p, uim,
			    &qmi_uim_set_pin_protection_resp_def, &pr),
		     0);
	c.info.pin_id = QMI_UIM_PIN_ID_PIN1;
	snprintf(c.info.old_pin, sizeof(c.info.old_pin), "1234");
	snprintf(c.info.new_pin, sizeof(c.info.new_pin), "97531");
	cr_assert_eq(h_call(&h, &qmi_uim_change_pin_req_def, &c, uim, &qmi_uim_change_pin_resp_def,
			    &cr),
		     0);
	/* A reset powers the card down: the PIN must be given again. */
	cr_assert_eq(h_call(&h, &qmi_dms_set_operating_mode_req_def, &reset, dms, NULL, NULL), 0);
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_pin_status_req_def, NULL, dms,
			    &qmi_dms_uim_get_pin_status_resp_def, &st),
		     0);
	cr_assert_eq(st.pin1.status, QMI_DMS_UIM_PIN_STATUS_ENABLED_NOT_VERIFIED);
	dv.info.pin_id = QMI_DMS_UIM_PIN_ID_PIN;
	snprintf(dv.info.pin, sizeof(dv.info.pin), "1234");
	cr_assert_eq(h_call(&h, &qmi_dms_uim_verify_pin_req_def, &dv, dms,
			    &qmi_dms_uim_verify_pin_resp_def, &dr),
		     QMI_ERR_INCORRECT_PIN);
	cr_assert(dr.has_retries && dr.retries.verify_left == 2);
	snprintf(dv.info.pin, sizeof(dv.info.pin), "97531");
	cr_assert_eq(h_call(&h, &qmi_dms_uim_verify_pin_req_def, &dv, dms,
			    &qmi_dms_uim_verify_pin_resp_def, &dr),
		     0);
	cr_assert_eq(h_call(&h, &qmi_dms_uim_get_pin_status_req_def, NULL, dms,
			    &qmi_dms_uim_get_pin_status_resp_def, &st),
		     0);
	cr_assert_eq(st.pin1.status, QMI_DMS_UIM_PIN_STATUS_ENABLED_VERIFIED);
	cr_assert_eq(st.pin1.verify_left, 3);
}

Test(sim_pin, fault_spec_checks_the_code)
{
	struct qsim_faults f;
	char err[128];

	cr_assert_eq(qsim_faults_parse(&f, "pin=1234", err, sizeof(err)), 0);
	cr_assert_str_eq(f.pin, "1234");
	cr_assert_lt(qsim_faults_parse(&f, "pin=12a4", err, sizeof(err)), 0);
	cr_assert_lt(qsim_faults_parse(&f, "pin=123", err, sizeof(err)), 0);
	cr_assert_lt(qsim_faults_parse(&f, "pin=123456789", err, sizeof(err)), 0);
}

static int set_mode(uint8_t dms, uint8_t mode)
{
	struct qmi_dms_set_operating_mode_req q = { .has_mode = true, .mode = mode };

	return h_call(&h, &qmi_dms_set_operating_mode_req_def, &q, dms, NULL, NULL);
}

static uint8_t get_mode(uint8_t dms)
{
	struct qmi_dms_get_operating_mode_resp r;

	cr_assert_eq(h_call(&h, &qmi_dms_get_operating_mode_req_def, NULL, dms,
			    &qmi_dms_get_operating_mode_resp_def, &r),
		     0);
	return r.mode;
}

Test(sim_mode, offline_is_left_only_by_reset, .fini = teardown)
{
	uint8_t dms;

	h_init(&h, NULL);
	dms = h_alloc(&h, QMI_SVC_DMS);
	cr_assert_eq(set_mode(dms, QMI_DMS_OPERATING_MODE_LOW_POWER), 0);
	cr_assert_eq(get_mode(dms), QMI_DMS_OPERATING_MODE_LOW_POWER);
	cr_assert_eq(set_mode(dms, QMI_DMS_OPERATING_MODE_ONLINE), 0);
	cr_assert_eq(set_mode(dms, QMI_DMS_OPERATING_MODE_OFFLINE), 0);
	cr_assert_eq(set_mode(dms, QMI_DMS_OPERATING_MODE_ONLINE), QMI_ERR_INVALID_TRANSITION);
	cr_assert_eq(get_mode(dms), QMI_DMS_OPERATING_MODE_OFFLINE);
	cr_assert_eq(set_mode(dms, QMI_DMS_OPERATING_MODE_RESET), 0);
	cr_assert_eq(get_mode(dms), QMI_DMS_OPERATING_MODE_ONLINE);
}

Test(sim_profile, create_modify_delete, .fini = teardown)
{
	struct qmi_wds_create_profile_req c = {
		.has_profile_type = true, .has_apn = true, .has_password = true, .has_auth = true
	};
	struct qmi_wds_create_profile_resp cr;
	struct qmi_wds_modify_profile_req m = { .has_profile = true, .has_apn = true };
	struct qmi_wds_modify_profile_resp mr;
	struct qmi_wds_get_profile_settings_req g = { .has_profile = true };
	struct qmi_wds_get_profile_settings_resp gr;
	struct qmi_wds_delete_profile_req d = { .has_profile = true };
	struct qmi_wds_delete_profile_resp dr;
	struct qmi_wds_get_profile_list_resp l;
	uint8_t wds;

	h_init(&h, NULL);
	wds = h_alloc(&h, QMI_SVC_WDS);
	snprintf(c.apn, sizeof(c.apn), "corp.example");
	snprintf(c.password, sizeof(c.password), "s3cret");
	c.auth = QMI_WDS_AUTH_CHAP;
	cr_assert_eq(h_call(&h, &qmi_wds_create_profile_req_def, &c, wds,
			    &qmi_wds_create_profile_resp_def, &cr),
		     0);
	cr_assert(cr.has_profile);
	cr_assert_eq(cr.profile.index, 3);

	m.profile.index = 3;
	snprintf(m.apn, sizeof(m.apn), "corp2.example");
	cr_assert_eq(h_call(&h, &qmi_wds_modify_profile_req_def, &m, wds,
			    &qmi_wds_modify_profile_resp_def, &mr),
		     0);
	g.profile.index = 3;
	cr_assert_eq(h_call(&h, &qmi_wds_get_profile_settings_req_def, &g, wds,
			    &qmi_wds_get_profile_settings_resp_def, &gr),
		     0);
	cr_assert_str_eq(gr.apn, "corp2.example");
	cr_assert_str_eq(gr.password, "s3cret");
	cr_assert_eq(gr.auth, QMI_WDS_AUTH_CHAP);

	d.profile.index = 3;
	cr_assert_eq(h_call(&h, &qmi_wds_delete_profile_req_def, &d, wds,
			    &qmi_wds_delete_profile_resp_def, &dr),
		     0);
	cr_assert_eq(h_call(&h, &qmi_wds_delete_profile_req_def, &d, wds,
			    &qmi_wds_delete_profile_resp_def, &dr),
		     QMI_ERR_EXTENDED_INTERNAL);
	cr_assert(dr.has_extended_error);
	cr_assert_eq(dr.extended_error, 5, "invalid-profile-number");
	cr_assert_eq(h_call(&h, &qmi_wds_get_profile_list_req_def, NULL, wds,
			    &qmi_wds_get_profile_list_resp_def, &l),
		     0);
	cr_assert_eq(l.n_profiles, 2);
}

Test(sim_radio, preference_without_the_serving_band_deregisters, .fini = teardown)
{
	struct qmi_nas_set_system_selection_preference_req q = { .has_lte_band_preference = true };
	struct qmi_nas_get_system_selection_preference_resp p;
	struct qmi_nas_get_cell_location_info_resp cell;
	uint8_t nas;

	h_init(&h, NULL);
	nas = h_alloc(&h, QMI_SVC_NAS);
	cr_assert_eq(reg_state(nas), QMI_NAS_REGISTRATION_STATE_REGISTERED);
	cr_assert_eq(h_call(&h, &qmi_nas_get_cell_location_info_req_def, NULL, nas,
			    &qmi_nas_get_cell_location_info_resp_def, &cell),
		     0);
	cr_assert(cell.has_lte_info);
	cr_assert_eq(cell.lte_info.plmn[1], 0xF1, "MCC 001 with a two-digit MNC");

	q.lte_band_preference = 1ull << 6; /* band 7 only: the cell is on band 3 */
	cr_assert_eq(h_call(&h, &qmi_nas_set_system_selection_preference_req_def, &q, nas, NULL,
			    NULL),
		     0);
	cr_assert_eq(h_call(&h, &qmi_nas_get_system_selection_preference_req_def, NULL, nas,
			    &qmi_nas_get_system_selection_preference_resp_def, &p),
		     0);
	cr_assert_eq(p.lte_band_preference, 1ull << 6);
	cr_assert_eq(reg_state(nas), QMI_NAS_REGISTRATION_STATE_SEARCHING);
	cr_assert_eq(h_call(&h, &qmi_nas_get_cell_location_info_req_def, NULL, nas,
			    &qmi_nas_get_cell_location_info_resp_def, &cell),
		     0);
	cr_assert_not(cell.has_lte_info);

	q.lte_band_preference = 1ull << 63; /* not a band this hardware has */
	cr_assert_eq(h_call(&h, &qmi_nas_set_system_selection_preference_req_def, &q, nas, NULL,
			    NULL),
		     QMI_ERR_INVALID_ARGUMENT);
	q.lte_band_preference = (1ull << 2) | (1ull << 6);
	cr_assert_eq(h_call(&h, &qmi_nas_set_system_selection_preference_req_def, &q, nas, NULL,
			    NULL),
		     0);
	cr_assert_eq(reg_state(nas), QMI_NAS_REGISTRATION_STATE_REGISTERED);
}
