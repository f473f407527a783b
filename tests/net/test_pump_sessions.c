/* SPDX-License-Identifier: MIT */
/*
 * Two PDN sessions on one software modem, in process and in the test's own network namespace,
 * on both loops: WDA Set Data Format grants MAP v5 with 32 KB downlink aggregates, each WDS
 * client binds its own mux id and starts its own call, and each session gets its own TUN and
 * pump behind one struct qnet_mux. UDP through each TUN comes back (the modem reflects it) on
 * that session only, counted by that session's pump. A lone session builds its uplink
 * aggregates in place, in the transport's own buffer (qnet_mux_tx); two copy theirs.
 */
#include "base/loop.h"
#include "net/netconf.h"
#include "net/pump.h"
#include "net/tun.h"
#include "netns.h"
#include "qmi/device.h"
#include "qmi/errors.h"
#include "qmi/messages.h"
#include "sim/sim.h"
#include "wda_qmap5.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>

#define K 20 /* datagrams per session */

struct session {
	uint8_t cid, mux_id;
	struct qnet_tun *tun;
	struct qnet_netconf *nc;
	struct qnet_pump *pump;
	int sock;
	struct in_addr host, gw;
	unsigned got;
};

struct rig {
	struct qb_loop *loop;
	struct qsim *sim;
	struct qmi_dev *dev;
	struct qnet_mux *mux;
	struct qnet_pump_tx tx; /* NULL in opts: the copy path */
	bool inplace;
	unsigned n; /* sessions */
	struct session s[2];
	struct qmi_wda_set_data_format_resp grant;
};

static void call_ok(struct rig *r, uint8_t cid, const struct qmi_msg_def *req_def, const void *req,
		    const struct qmi_msg_def *resp_def, void *resp)
{
	struct qmi_result res;
	int ret = qmi_dev_call(r->dev, cid, req_def, req, resp_def, resp, &res, 5000);

	cr_assert_eq(ret, 0, "%s: %s", req_def->name, strerror(-ret));
	cr_assert_eq(res.status, 0, "%s: QMI error %u", req_def->name, res.error);
}

/* The negotiation the connection manager does: data format, then per session a WDS client
 * bound to its mux id, and its call. */
static void negotiate(struct rig *r)
{
	const struct qmi_data_endpoint ep = { .type = QMI_DATA_ENDPOINT_HSUSB,
					      .interface_number = 4 };
	struct qmi_wda_set_data_format_req f = wda_qmap5_req(ep);
	struct qmi_result res;
	uint8_t wda;

	cr_assert_eq(qmi_dev_alloc_cid(r->dev, QMI_SVC_WDA, &wda, &res), 0);
	call_ok(r, wda, &qmi_wda_set_data_format_req_def, &f, &qmi_wda_set_data_format_resp_def,
		&r->grant);
	cr_assert_eq(r->grant.dl_aggregation_protocol, QMI_WDA_AGGREGATION_QMAPV5);
	cr_assert_eq(r->grant.dl_max_size, 32768);
	for (unsigned i = 0; i < 2; i++) {
		struct session *s = &r->s[i];
		struct qmi_wds_bind_mux_data_port_req b = { .has_endpoint = true,
							    .endpoint = ep,
							    .has_mux_id = true };
		struct qmi_wds_start_network_req sn = { .has_apn = true };
		struct qmi_wds_start_network_resp snr;

		s->mux_id = (uint8_t)(1 + i);
		b.mux_id = s->mux_id;
		snprintf(sn.apn, sizeof(sn.apn), "%s", i ? "ims" : "internet");
		cr_assert_eq(qmi_dev_alloc_cid(r->dev, QMI_SVC_WDS, &s->cid, &res), 0);
		call_ok(r, s->cid, &qmi_wds_bind_mux_data_port_req_def, &b, NULL, NULL);
		call_ok(r, s->cid, &qmi_wds_start_network_req_def, &sn,
			&qmi_wds_start_network_resp_def, &snr);
		/* The modem hands out one /30 per call, in order. */
		s->host.s_addr = htonl(0x0A400001u + 4 * i);
		s->gw.s_addr = htonl(0x0A400002u + 4 * i);
	}
}

static void session_up(struct rig *r, struct session *s, unsigned i)
{
	struct qnet_ipconf c = { .has_v4 = true, .v4_addr = s->host, .v4_prefix = 30, .mtu = 1500 };
	struct qnet_pump_qmap q = { .ul = true,
				    .dl = true,
				    .mux_id = s->mux_id,
				    .v5 = true,
				    .ul_max_dgrams = r->grant.ul_max_datagrams,
				    .ul_max_size = r->grant.ul_max_size };
	struct sockaddr_in me = { .sin_family = AF_INET,
				  .sin_port = htons(5000),
				  .sin_addr = s->host };
	char name[16], err[256] = "";
	int ret;

	snprintf(name, sizeof(name), "qsess%u", i);
	cr_assert_eq(qnet_tun_open(&s->tun, name, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(qnet_netconf_apply(&s->nc, s->tun->ifindex, s->tun->name, &c, stderr, err,
					sizeof(err)),
		     0, "%s", err);
	ret = qnet_pump_new(&s->pump, r->loop, s->tun->fd, qnet_mux_send, r->mux,
			    &(struct qnet_pump_opts){ .tx = r->inplace ? &r->tx : NULL });
	cr_assert_eq(ret, 0, "qnet_pump_new: %s", strerror(-ret));
	cr_assert_eq(qnet_pump_set_qmap(s->pump, &q), 0);
	cr_assert_eq(qnet_mux_attach(r->mux, s->mux_id, s->pump), 0);
	s->sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	cr_assert_geq(s->sock, 0);
	cr_assert_eq(bind(s->sock, (struct sockaddr *)&me, sizeof(me)), 0, "bind: %s",
		     strerror(errno));
}

static void rig_up(struct rig *r, enum qb_loop_kind kind, unsigned n, bool inplace)
{
	static const struct qmi_dev_data_cbs cbs = { qnet_mux_data_rx, qnet_mux_data_tx_ready,
						     NULL };
	struct qsim_faults f;
	struct qmi_transport tr;
	char err[128];
	int ret;

	memset(r, 0, sizeof(*r));
	r->n = n;
	r->inplace = inplace;
	enter_new_netns();
	ret = qb_loop_new(&r->loop, kind);
	if (ret == -ENOSYS)
		cr_skip_test("io_uring is not available here");
	cr_assert_eq(ret, 0);
	cr_assert_eq(qsim_faults_parse(&f, "data=reflect", err, sizeof(err)), 0);
	cr_assert_eq(qsim_new(&r->sim, r->loop, &f), 0);
	qsim_set_data_iface(r->sim, 4); /* the endpoint negotiate() names */
	cr_assert_eq(qsim_transport_new(r->sim, &tr), 0);
	cr_assert_eq(qmi_dev_new(&r->dev, r->loop, tr, NULL), 0);
	negotiate(r);
	cr_assert_eq(qnet_mux_new(&r->mux, qnet_pump_send_transport, qmi_dev_transport(r->dev)), 0);
	qnet_mux_set_v5(r->mux, true);
	qmi_dev_set_data_cbs(r->dev, &cbs, r->mux);
	if (inplace) {
		struct qnet_pump_tx t;

		cr_assert_eq(qnet_pump_tx_transport(&t, qmi_dev_transport(r->dev)), 0);
		qnet_mux_tx(r->mux, &t, &r->tx);
	}
	for (unsigned i = 0; i < n; i++)
		session_up(r, &r->s[i], i);
}

static void rig_down(struct rig *r)
{
	qmi_dev_set_data_cbs(r->dev, NULL, NULL);
	for (unsigned i = 0; i < r->n; i++) {
		struct session *s = &r->s[i];

		close(s->sock);
		qnet_mux_detach(r->mux, s->mux_id);
		qnet_pump_free(s->pump);
		qnet_netconf_undo(s->nc);
		qnet_tun_close(s->tun);
	}
	qnet_mux_free(r->mux);
	qmi_dev_free(r->dev);
	qb_loop_free(r->loop);
	qsim_free(r->sim);
}

/* Reads what came back on each session's socket: the reflected datagram, from its own
 * gateway, tagged with its own session. */
static void collect(struct rig *r)
{
	for (unsigned i = 0; i < r->n; i++) {
		struct session *s = &r->s[i];
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		uint8_t buf[2048];
		ssize_t n;

		while ((n = recvfrom(s->sock, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl)) >
		       0) {
			cr_assert_eq(n, 300);
			cr_assert_eq(from.sin_addr.s_addr, s->gw.s_addr, "session %u: from %s", i,
				     inet_ntoa(from.sin_addr));
			cr_assert_eq(buf[0], 'A' + i, "session %u got the other's datagram", i);
			cr_assert_eq(buf[1], s->got);
			s->got++;
			fl = sizeof(from);
		}
	}
}

static void t_sessions(enum qb_loop_kind kind, unsigned n, bool inplace)
{
	struct rig r;
	unsigned guard = 0;

	rig_up(&r, kind, n, inplace);
	for (unsigned k = 0; k < K; k++) {
		for (unsigned i = 0; i < n; i++) {
			struct session *s = &r.s[i];
			struct sockaddr_in to = { .sin_family = AF_INET,
						  .sin_port = htons(9),
						  .sin_addr = s->gw };
			uint8_t buf[300];

			memset(buf, 0x5A, sizeof(buf));
			buf[0] = (uint8_t)('A' + i);
			buf[1] = (uint8_t)k;
			cr_assert_eq(sendto(s->sock, buf, sizeof(buf), 0, (struct sockaddr *)&to,
					    sizeof(to)),
				     300, "sendto: %s", strerror(errno));
		}
	}
	while ((r.s[0].got < K || (n > 1 && r.s[1].got < K)) && guard++ < 2000) {
		cr_assert_geq(qb_loop_run_once(r.loop, 10), 0);
		collect(&r);
	}
	for (unsigned i = 0; i < n; i++) {
		const struct qnet_pump_stats *st = qnet_pump_stats(r.s[i].pump);

		cr_assert_eq(r.s[i].got, K, "session %u: %u of %u back", i, r.s[i].got, K);
		/* The stack may add its own packets uplink (IPv6 chatter); downlink is ours. */
		cr_assert_geq(st->up_pkts, K);
		cr_assert_eq(st->down_pkts, K);
		cr_assert_eq(st->down_bytes, K * (300 + 28));
		cr_assert_eq(st->down_csum_valid, K);
		cr_assert_eq(qnet_pump_drops(st), 0);
		/* In place: not one uplink byte handed over by copy. */
		if (inplace && n == 1)
			cr_assert_eq(st->up_copied_bytes, 0);
		else
			cr_assert_gt(st->up_copied_bytes, K * 300);
	}
	cr_assert_eq(qnet_mux_stats(r.mux)->drop_down_unknown, 0);
	rig_down(&r);
}

Test(pump_sessions, two_pdns_poll)
{
	t_sessions(QB_LOOP_POLL, 2, false);
}
Test(pump_sessions, two_pdns_uring)
{
	t_sessions(QB_LOOP_URING, 2, false);
}

/* One session, its aggregates built in the software modem's own transfer buffers. */
Test(pump_sessions, one_pdn_in_place_poll)
{
	t_sessions(QB_LOOP_POLL, 1, true);
}
Test(pump_sessions, one_pdn_in_place_uring)
{
	t_sessions(QB_LOOP_URING, 1, true);
}

/* Two sessions behind one lent buffer: both copy, and nothing gets mixed up. */
Test(pump_sessions, two_pdns_in_place_copy)
{
	t_sessions(QB_LOOP_POLL, 2, true);
}
