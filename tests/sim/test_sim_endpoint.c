/* SPDX-License-Identifier: MIT */
/*
 * Endpoint Info: WDA Set Data Format and WDS Bind Mux Data Port name the modem's data port (the
 * HSUSB endpoint type and the interface number of its QMI function); a request naming another
 * port is refused with InvalidArgument and changes nothing, as firmware refuses a port it does
 * not have. Without the TLV, the modem's own port is meant.
 */
#include "harness.h"
#include "wda_qmap5.h"

#include <criterion/criterion.h>

#include "qmi/errors.h"
#include "qmi/messages.h"

static struct harness h;

static void teardown(void)
{
	h_fini(&h);
}

static int set_format(uint32_t ep_type, uint32_t iface, struct qmi_wda_set_data_format_resp *r)
{
	struct qmi_wda_set_data_format_req q = wda_qmap5_req(
		(struct qmi_data_endpoint){ .type = ep_type, .interface_number = iface });

	*r = (struct qmi_wda_set_data_format_resp){ 0 };
	return h_call(&h, &qmi_wda_set_data_format_req_def, &q, h_alloc(&h, QMI_SVC_WDA),
		      &qmi_wda_set_data_format_resp_def, r);
}

static int bind_mux(uint8_t wds, uint32_t ep_type, uint32_t iface, bool named)
{
	struct qmi_wds_bind_mux_data_port_req b = {
		.has_endpoint = named,
		.endpoint = { .type = ep_type, .interface_number = iface },
		.has_mux_id = true,
		.mux_id = 1,
	};

	return h_call(&h, &qmi_wds_bind_mux_data_port_req_def, &b, wds, NULL, NULL);
}

/* An EC25's QMI function is interface 4: 3 or 5, or interface 4 named as PCIe, is not it. */
Test(sim_endpoint, only_the_modems_own_port_is_taken, .fini = teardown)
{
	struct qmi_wda_set_data_format_resp r;
	uint8_t wds;

	h_init(&h, NULL);
	qsim_set_data_iface(h.sim, 4);
	cr_assert_eq(set_format(QMI_DATA_ENDPOINT_HSUSB, 5, &r), QMI_ERR_INVALID_ARGUMENT);
	cr_assert_eq(set_format(QMI_DATA_ENDPOINT_HSUSB, 3, &r), QMI_ERR_INVALID_ARGUMENT);
	cr_assert_eq(set_format(QMI_DATA_ENDPOINT_PCIE, 4, &r), QMI_ERR_INVALID_ARGUMENT);
	cr_assert_eq(set_format(QMI_DATA_ENDPOINT_HSUSB, 4, &r), 0);
	cr_assert_eq(r.dl_aggregation_protocol, QMI_WDA_AGGREGATION_QMAPV5);

	wds = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(bind_mux(wds, QMI_DATA_ENDPOINT_HSUSB, 0, true), QMI_ERR_INVALID_ARGUMENT);
	cr_assert_eq(bind_mux(wds, QMI_DATA_ENDPOINT_HSIC, 4, true), QMI_ERR_INVALID_ARGUMENT);
	cr_assert_eq(bind_mux(wds, QMI_DATA_ENDPOINT_HSUSB, 4, true), 0);
	cr_assert_eq(bind_mux(wds, 0, 0, false), 0);
}

/* A refused request leaves the format as it was: raw-IP without QMAP on a fresh modem. */
Test(sim_endpoint, a_refused_format_changes_nothing, .fini = teardown)
{
	struct qmi_wda_get_data_format_resp g = { 0 };
	struct qmi_wda_set_data_format_resp r;

	h_init(&h, NULL);
	cr_assert_eq(set_format(QMI_DATA_ENDPOINT_HSUSB, 1, &r), QMI_ERR_INVALID_ARGUMENT);
	cr_assert_eq(h_call(&h, &qmi_wda_get_data_format_req_def,
			    &(struct qmi_wda_get_data_format_req){ 0 }, h_alloc(&h, QMI_SVC_WDA),
			    &qmi_wda_get_data_format_resp_def, &g),
		     0);
	cr_assert(g.has_dl_aggregation_protocol);
	cr_assert_eq(g.dl_aggregation_protocol, QMI_WDA_AGGREGATION_DISABLED);
	cr_assert_eq(set_format(QMI_DATA_ENDPOINT_HSUSB, 0, &r), 0);
}
