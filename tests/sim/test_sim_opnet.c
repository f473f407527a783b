/* SPDX-License-Identifier: MIT */
/* The operator network: a TUN in a separate namespace where the kernel is the peer. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/harness.h"

static char ns[64];

/* Runs "ip -n NS <args>" (or "ip netns <verb> NS" when args is NULL). */
static int ip_ns(const char *verb, const char *args)
{
	char cmd[512];

	if (args)
		snprintf(cmd, sizeof(cmd), "ip -n %s %s", ns, args);
	else
		snprintf(cmd, sizeof(cmd), "ip netns %s %s 2>/dev/null", verb, ns);
	return system(cmd);
}

static void ns_down(void)
{
	if (ns[0])
		ip_ns("del", NULL);
}

Test(sim_opnet, kernel_peer_answers_through_the_modem, .fini = ns_down)
{
	struct harness h;
	char path[128];
	uint8_t pkt[256];
	size_t len;
	struct qmi_ctl_set_data_format_req df = { .has_format = true,
						  .has_protocol = true,
						  .protocol = 2 };
	struct qmi_wds_start_network_req sn = { .has_apn = true, .apn = "internet" };
	const struct h_event *reply = NULL;
	struct qsim_stats st;
	int ret;

	if (access("/dev/net/tun", R_OK | W_OK) != 0 || geteuid() != 0 ||
	    system("ip -V >/dev/null 2>&1") != 0)
		cr_skip_test("needs root, /dev/net/tun and iproute2 (missing here)");
	snprintf(ns, sizeof(ns), "qsimop%d", (int)getpid());
	cr_assert_eq(ip_ns("add", NULL), 0);
	snprintf(path, sizeof(path), "/run/netns/%s", ns);

	h_init(&h, NULL);
	ret = qsim_opnet_open(h.sim, path, "qsimop0");
	cr_assert_eq(ret, 0, "qsim_opnet_open: %s", strerror(-ret));
	cr_assert_eq(qsim_opnet_open(h.sim, path, "qsimop1"), -EBUSY);
	/* The modem set up the peer's side itself: 10.64.255.1/16, whose prefix route leads the
	 * sessions' packets back into the TUN. */
	cr_assert_eq(ip_ns(NULL, "-4 addr show dev qsimop0 | grep -q 'inet 10.64.255.1/16 '"), 0);
	cr_assert_eq(h_call(&h, &qmi_ctl_set_data_format_req_def, &df, 0, NULL, NULL), 0);
	{
		uint8_t wds = h_alloc(&h, QMI_SVC_WDS);

		cr_assert_eq(h_call(&h, &qmi_wds_start_network_req_def, &sn, wds, NULL, NULL), 0);
	}
	h_clear(&h);
	len = h_icmp4_echo(pkt, 0x0A400001, 0x0A40FF01, 0x77, 1, 32);
	cr_assert_eq(qsim_data_in(h.sim, pkt, len), 0);
	for (int i = 0; i < 100 && !reply; i++) {
		qb_loop_run_once(h.loop, 20);
		for (size_t e = 0; e < h.n_ev; e++)
			if (h.ev[e].kind == H_DATA)
				reply = &h.ev[e];
	}
	cr_assert_not_null(reply, "no answer from the operator network");
	cr_assert(h_ip_checksums_ok(reply->buf, reply->len));
	cr_assert_eq(reply->buf[20], 0, "not an echo reply");
	cr_assert_eq(reply->buf[12], 10);
	cr_assert_eq(reply->buf[14], 255); /* from the peer, not the modem's gateway */
	qsim_get_stats(h.sim, &st);
	cr_assert_eq(st.forwarded, 1);
	qsim_opnet_close(h.sim);
	h_fini(&h);
}
