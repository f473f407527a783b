/* SPDX-License-Identifier: MIT */
/*
 * Radio preferences: which access technologies and bands the modem may use (NAS System
 * Selection Preference, bounded by DMS Get Band Capabilities), and where it is camped (NAS Get
 * Cell Location Info). The simulated network is one LTE cell on band 3: a preference without
 * LTE or without band 3 leaves the modem searching.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/messages.h"

#define CAP_MODES                                                                                  \
	(QMI_NAS_RAT_MODE_PREF_GSM | QMI_NAS_RAT_MODE_PREF_UMTS | QMI_NAS_RAT_MODE_PREF_LTE |      \
	 QMI_NAS_RAT_MODE_PREF_5GNR)
/* GSM 850/900/1800/1900 and WCDMA I, II, V, VIII in the QmiDmsBandCapability bit layout. */
#define CAP_BANDS 0x0002000000E80380ull
#define LTE_BAND(n) (1ull << ((n)-1))
#define CAP_LTE_BANDS                                                                              \
	(LTE_BAND(1) | LTE_BAND(2) | LTE_BAND(3) | LTE_BAND(4) | LTE_BAND(5) | LTE_BAND(7) |       \
	 LTE_BAND(8) | LTE_BAND(12) | LTE_BAND(13) | LTE_BAND(17) | LTE_BAND(20) | LTE_BAND(25) |  \
	 LTE_BAND(26) | LTE_BAND(28) | LTE_BAND(38) | LTE_BAND(40) | LTE_BAND(41))
static const uint16_t nr5g_bands[] = { 1, 3, 7, 28, 41, 77, 78 };

#define SERVING_BAND 3
#define SERVING_EARFCN 1300
#define SERVING_PCI 123

void qsim_pref_init(struct qsim *sim)
{
	sim->pref.modes = CAP_MODES;
	sim->pref.bands = CAP_BANDS;
	sim->pref.lte_bands = CAP_LTE_BANDS;
	sim->pref.roaming = 255; /* any */
}

bool qsim_pref_can_camp(const struct qsim *sim)
{
	return (sim->pref.modes & QMI_NAS_RAT_MODE_PREF_LTE) &&
	       (sim->pref.lte_bands & LTE_BAND(SERVING_BAND));
}

static int get_pref(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_nas_get_system_selection_preference_resp r = {
		.has_emergency_mode = true,
		.has_mode_preference = true,
		.has_band_preference = true,
		.has_roaming_preference = true,
		.has_lte_band_preference = true,
		.has_network_selection = true,
	};

	r.mode_preference = sim->pref.modes;
	r.band_preference = sim->pref.bands;
	r.roaming_preference = sim->pref.roaming;
	r.lte_band_preference = sim->pref.lte_bands;
	r.network_selection = 0; /* automatic */
	return qsim_respond(sim, req, 0, &r);
}

static int set_pref(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_nas_set_system_selection_preference_req q;

	if (qmi_msg_decode(&qmi_nas_set_system_selection_preference_req_def, req->tlvs,
			   req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	/* All or nothing: a preference outside what the hardware can do changes nothing. */
	if ((q.has_mode_preference && (!q.mode_preference || (q.mode_preference & ~CAP_MODES))) ||
	    (q.has_band_preference && (!q.band_preference || (q.band_preference & ~CAP_BANDS))) ||
	    (q.has_lte_band_preference &&
	     (!q.lte_band_preference || (q.lte_band_preference & ~CAP_LTE_BANDS))))
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	if (q.has_mode_preference)
		sim->pref.modes = q.mode_preference;
	if (q.has_band_preference)
		sim->pref.bands = q.band_preference;
	if (q.has_lte_band_preference)
		sim->pref.lte_bands = q.lte_band_preference;
	if (q.has_roaming_preference)
		sim->pref.roaming = q.roaming_preference;
	qsim_respond(sim, req, 0, NULL);
	qsim_radio_apply(sim);
	return 0;
}

/* MCC and MNC as the 3GPP BCD triplet (TS 24.008 10.5.1.3), a two-digit MNC padded with F. */
static void plmn_bcd(uint8_t out[3], unsigned mcc, unsigned mnc)
{
	out[0] = (uint8_t)(((mcc / 10 % 10) << 4) | (mcc / 100 % 10));
	out[1] = (uint8_t)((0xF << 4) | (mcc % 10));
	out[2] = (uint8_t)(((mnc % 10) << 4) | (mnc / 10 % 10));
}

static int get_cell_location(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_nas_get_cell_location_info_resp r;
	struct qmi_nas_lte_intra_info *lte = &r.lte_info;

	memset(&r, 0, sizeof(r));
	if (!qsim_radio_on(sim) || sim->reg != QSIM_REG_REGISTERED)
		return qsim_respond(sim, req, 0, &r); /* no cell: success without cell TLVs */
	r.has_lte_info = true;
	lte->ue_in_idle = 1;
	plmn_bcd(lte->plmn, QSIM_MCC, QSIM_MNC);
	lte->tac = QSIM_LTE_TAC;
	lte->global_cell_id = QSIM_LTE_CELL_ID;
	lte->earfcn = SERVING_EARFCN;
	lte->serving_cell_id = SERVING_PCI;
	lte->reselection_priority = 5;
	lte->s_non_intra_search = 8;
	lte->serving_low_threshold = 4;
	lte->s_intra_search = 31;
	lte->n_cells = 1;
	lte->cells[0].pci = SERVING_PCI;
	lte->cells[0].rsrq = (int16_t)(sim->rsrq * 10); /* tenths of a dB */
	lte->cells[0].rsrp = (int16_t)(sim->rsrp * 10);
	lte->cells[0].rssi = (int16_t)(sim->rssi * 10);
	lte->cells[0].rx_level = 20;
	r.has_lte_timing_advance = true;
	r.lte_timing_advance = 4;
	return qsim_respond(sim, req, 0, &r);
}

int qsim_nas_pref_handle(struct qsim *sim, const struct qmi_frame *req)
{
	switch (req->msg_id) {
	case QMI_NAS_GET_SYSTEM_SELECTION_PREFERENCE:
		return get_pref(sim, req);
	case QMI_NAS_SET_SYSTEM_SELECTION_PREFERENCE:
		return set_pref(sim, req);
	case QMI_NAS_GET_CELL_LOCATION_INFO:
		return get_cell_location(sim, req);
	}
	return -ENOENT;
}

int qsim_dms_bands_handle(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_dms_get_band_capabilities_resp r = {
		.has_band_capability = true,
		.has_lte_band_capability = true,
		.has_extended_lte_bands = true,
		.has_nr5g_bands = true,
	};

	r.band_capability = CAP_BANDS;
	r.lte_band_capability = CAP_LTE_BANDS;
	for (unsigned b = 1; b <= 64; b++)
		if (CAP_LTE_BANDS & LTE_BAND(b))
			r.extended_lte_bands[r.n_extended_lte_bands++] = (uint16_t)b;
	memcpy(r.nr5g_bands, nr5g_bands, sizeof(nr5g_bands));
	r.n_nr5g_bands = sizeof(nr5g_bands) / sizeof(nr5g_bands[0]);
	return qsim_respond(sim, req, 0, &r);
}
