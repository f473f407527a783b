/* SPDX-License-Identifier: MIT */
/* Untrusted input: mutated requests and random packets never crash the modem, and whatever it
 * answers is a well-formed frame. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "sim/harness.h"

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

Test(sim_robust, mutated_requests)
{
	struct harness h;
	uint32_t seed = 12345;
	struct qmi_wds_start_network_req sn = {
		.has_apn = true, .apn = "internet", .has_username = true, .username = "u"
	};
	struct qmi_nas_register_indications_req ri = { .has_signal_info = true, .signal_info = 1 };
	struct qmi_ctl_release_cid_req rel = { .has_release = true, .release = { 1, 1 } };
	struct {
		const struct qmi_msg_def *def;
		const void *msg;
	} base[] = {
		{ &qmi_wds_start_network_req_def, &sn },
		{ &qmi_nas_register_indications_req_def, &ri },
		{ &qmi_ctl_release_cid_req_def, &rel },
	};

	h_init(&h, NULL);
	h_alloc(&h, QMI_SVC_WDS);
	h_alloc(&h, QMI_SVC_NAS);
	for (int i = 0; i < 3000; i++) {
		uint8_t buf[QMI_FRAME_MAX];
		size_t len;
		unsigned k = rnd(&seed) % 3, flips = 1 + rnd(&seed) % 4;

		cr_assert_eq(qmi_msg_build(base[k].def, base[k].msg, 1, (uint16_t)(1 + i % 200),
					   buf, sizeof(buf), &len),
			     0);
		for (unsigned f = 0; f < flips; f++)
			buf[rnd(&seed) % len] ^= (uint8_t)(1u << (rnd(&seed) % 8));
		if (rnd(&seed) % 4 == 0)
			len = rnd(&seed) % len;
		(void)qsim_ctrl_in(h.sim, buf, len);
		if (i % 64 == 0) {
			h_run_for(&h, 0);
			for (size_t e = 0; e < h.n_ev; e++) {
				struct qmi_frame fr;

				if (h.ev[e].kind == H_CTRL && h.ev[e].len)
					cr_assert_eq(qmi_frame_parse(h.ev[e].buf, h.ev[e].len, &fr,
								     NULL),
						     0);
			}
			h_clear(&h);
		}
	}
	h_fini(&h);
}

Test(sim_robust, random_packets)
{
	struct harness h;
	uint32_t seed = 777;
	struct qmi_wds_start_network_req sn = { 0 };
	struct qmi_ctl_set_data_format_req df = { .has_format = true,
						  .has_protocol = true,
						  .protocol = 2 };
	uint8_t wds;

	h_init(&h, NULL);
	cr_assert_eq(h_call(&h, &qmi_ctl_set_data_format_req_def, &df, 0, NULL, NULL), 0);
	wds = h_alloc(&h, QMI_SVC_WDS);
	cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, wds, NULL, NULL), 0);
	for (int mode = 0; mode < 2; mode++) {
		qsim_set_data_mode(h.sim, mode ? QSIM_DATA_REFLECT : QSIM_DATA_GATEWAY);
		for (int i = 0; i < 5000; i++) {
			uint8_t pkt[2100];
			size_t len = rnd(&seed) % sizeof(pkt);

			for (size_t b = 0; b < len; b++)
				pkt[b] = (uint8_t)rnd(&seed);
			if (len > 20 && i % 2) {
				/* Plausible headers reach deeper code. */
				pkt[0] = i % 4 == 1 ? 0x45 : 0x60;
				pkt[12] = 10, pkt[13] = 64, pkt[14] = 0, pkt[15] = 1;
			}
			(void)qsim_data_in(h.sim, pkt, len);
			(void)qsim_net_in(h.sim, pkt, len);
			h_clear(&h);
		}
	}
	h_fini(&h);
}
