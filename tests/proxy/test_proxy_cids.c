/* SPDX-License-Identifier: MIT */
/* Client ids through the proxy: orphans, their grace period, adoption, data sessions, and the
 * releases at shutdown. */
#include <criterion/criterion.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/loop.h"
#include "proxy/harness.h"
#include "proxy/srv.h"
#include "qmi/device.h"
#include "qmi/errors.h"
#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/tlv.h"

static bool orphaned(struct fx *fx, void *user)
{
	return fx_stats(fx).orphans == *(unsigned *)user;
}

static bool released_is(struct fx *fx, void *user)
{
	return fx_stats(fx).released == *(unsigned *)user;
}

static bool wds_count_is(struct fx *fx, void *user)
{
	return qsim_cid_count(fx->sim, QMI_SVC_WDS) == *(unsigned *)user;
}

Test(proxy_cids, killed_client_cid_released_after_grace)
{
	struct qprx_server_opts o = { .cid_grace_ms = 300 };
	struct fx fx;
	struct kid k;
	unsigned one = 1, zero = 0;

	fx_setup(&fx, &o, NULL);
	kid_spawn_alloc(&fx, &k, QMI_SVC_WDS);
	kid_wait_report(&fx, &k);
	cr_assert_eq(k.status, 0);
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_WDS), 1);
	kid_kill(&k);
	fx_until(&fx, orphaned, &one, "the dead client's id to be orphaned");
	/* Still allocated: the grace period has only begun. */
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_WDS), 1);
	fx_until(&fx, released_is, &one, "the orphan's release on the modem");
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_WDS), zero);
	cr_assert_eq(fx_stats(&fx).orphans, 0);
	fx_teardown(&fx);
}

Test(proxy_cids, two_hundred_kills_never_exhaust_client_ids)
{
	/* Default grace (5 s) and the sim's 10 ids per service: only early release of orphans
	 * when the modem runs out keeps this from failing after the tenth kill. */
	struct qprx_server_opts o = { 0 };
	struct fx fx;

	fx_setup(&fx, &o, NULL);
	for (int i = 0; i < 200; i++) {
		struct kid k;

		kid_spawn_alloc(&fx, &k, QMI_SVC_WDS);
		kid_wait_report(&fx, &k);
		cr_assert_eq(k.status, 0, "kill %d: allocation failed with %d (%s)", i, k.status,
			     k.status > 0 && qmi_error_name((uint16_t)k.status)
				     ? qmi_error_name((uint16_t)k.status)
				     : "-errno");
		kid_kill(&k);
	}
	cr_assert_leq(qsim_cid_count(fx.sim, QMI_SVC_WDS), 10);
	cr_assert_geq(fx_stats(&fx).released, 190);
	fx_teardown(&fx);
}

Test(proxy_cids, keep_cids_never_releases)
{
	struct qprx_server_opts o = { .keep_cids = true, .cid_grace_ms = 50 };
	struct fx fx;
	struct kid k;
	unsigned one = 1;

	fx_setup(&fx, &o, NULL);
	kid_spawn_alloc(&fx, &k, QMI_SVC_WDS);
	kid_wait_report(&fx, &k);
	cr_assert_eq(k.status, 0);
	kid_kill(&k);
	fx_until(&fx, orphaned, &one, "the dead client's id to be disowned");
	fx_spin(&fx, 300);
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_WDS), 1);
	cr_assert_eq(fx_stats(&fx).released, 0);
	fx_teardown(&fx);
}

Test(proxy_cids, orphan_adopted_by_client_cid_is_kept)
{
	struct qprx_server_opts o = { .cid_grace_ms = 200 };
	struct fx fx;
	struct kid k;
	struct rc c;
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;
	unsigned one = 1, zero = 0;

	fx_setup(&fx, &o, NULL);
	kid_spawn_alloc(&fx, &k, QMI_SVC_WDS);
	kid_wait_report(&fx, &k);
	cr_assert_eq(k.status, 0);
	kid_kill(&k);
	fx_until(&fx, orphaned, &one, "the orphan");
	/* qmicli --client-cid=N: uses the id without allocating it. */
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, fx.pub), 0);
	rc_send(&fx, &c, buf,
		mk_req(buf, sizeof(buf), QMI_SVC_WDS, k.cid, 1, QMI_WDS_GET_PACKET_SERVICE_STATUS));
	cr_assert(rc_recv(&fx, &c, buf, sizeof(buf), &f));
	cr_assert_eq(f.client_id, k.cid);
	cr_assert_eq(fx_stats(&fx).orphans, 0);
	cr_assert_eq(fx_stats(&fx).held, 1);
	fx_spin(&fx, 500); /* well past the grace period */
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_WDS), 1);
	cr_assert_eq(fx_stats(&fx).released, 0);
	/* The adopter leaves without releasing: the id is orphaned again, then released. */
	rc_close(&c);
	fx_until(&fx, wds_count_is, &zero, "the release after the adopter left");
	fx_teardown(&fx);
}

Test(proxy_cids, shutdown_releases_every_held_id)
{
	struct qprx_server_opts o = { 0 };
	struct fx fx;
	struct rc c;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, fx.pub), 0);
	cr_assert_neq(rc_alloc(&fx, &c, QMI_SVC_WDS, 1, NULL), 0);
	cr_assert_neq(rc_alloc(&fx, &c, QMI_SVC_NAS, 2, NULL), 0);
	qprx_server_shutdown(fx.srv, true, 5000);
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_WDS), 0);
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_NAS), 0);
	rc_close(&c);
	fx_teardown(&fx);
}

static uint32_t wds_start(struct fx *fx, struct rc *c, uint8_t cid)
{
	struct qmi_wds_start_network_req q = { 0 };
	struct qmi_wds_start_network_resp a;
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;
	struct qmi_result r;
	size_t len;

	cr_assert_eq(qmi_msg_build(&qmi_wds_start_network_req_def, &q, cid, 50, buf, sizeof(buf),
				   &len),
		     0);
	rc_send(fx, c, buf, len);
	cr_assert(rc_recv(fx, c, buf, sizeof(buf), &f));
	cr_assert_eq(f.msg_id, QMI_WDS_START_NETWORK);
	cr_assert_eq(qmi_result_get(&f, &r), 0);
	cr_assert_eq(r.status, 0, "start network failed: %u", r.error);
	cr_assert_eq(qmi_msg_decode(&qmi_wds_start_network_resp_def, f.tlvs, f.tlvs_len, &a), 0);
	return a.packet_data_handle;
}

static void wds_stop(struct fx *fx, struct rc *c, uint8_t cid, uint32_t pdh)
{
	struct qmi_wds_stop_network_req q = { .has_packet_data_handle = true,
					      .packet_data_handle = pdh };
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;
	struct qmi_result r;
	size_t len;

	cr_assert_eq(qmi_msg_build(&qmi_wds_stop_network_req_def, &q, cid, 51, buf, sizeof(buf),
				   &len),
		     0);
	rc_send(fx, c, buf, len);
	cr_assert(rc_recv(fx, c, buf, sizeof(buf), &f));
	cr_assert_eq(f.msg_id, QMI_WDS_STOP_NETWORK);
	cr_assert_eq(qmi_result_get(&f, &r), 0);
	cr_assert_eq(r.status, 0, "stop network failed: %u", r.error);
}

Test(proxy_cids, orphan_owning_a_data_session_is_kept_until_it_stops)
{
	/* qmi-network / `qmicli --wds-start-network --client-no-release-cid`: the call must
	 * outlive the client; releasing its id after the grace period would end it. */
	struct qprx_server_opts o = { .cid_grace_ms = 100 };
	struct fx fx;
	struct rc c;
	uint8_t cid;
	uint32_t pdh;
	unsigned one = 1, zero = 0;

	fx_setup(&fx, &o, NULL);
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, fx.pub), 0);
	cid = rc_alloc(&fx, &c, QMI_SVC_WDS, 1, NULL);
	pdh = wds_start(&fx, &c, cid);
	rc_close(&c);
	fx_until(&fx, orphaned, &one, "the orphan");
	fx_spin(&fx, 400); /* four grace periods */
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_WDS), 1, "the call's client id was released");
	cr_assert_eq(fx_stats(&fx).released, 0);
	/* `qmicli --wds-stop-network=PDH --client-cid=N --client-no-release-cid`. */
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, fx.pub), 0);
	wds_stop(&fx, &c, cid, pdh);
	rc_close(&c);
	fx_until(&fx, wds_count_is, &zero, "the release once the session ended");
	fx_teardown(&fx);
}

Test(proxy_cids, keep_cids_exhausts_like_qmi_proxy)
{
	/* The contrast to two_hundred_kills: with qmi-proxy's behaviour the modem runs out. */
	struct qprx_server_opts o = { .keep_cids = true };
	struct fx fx;
	struct kid k;
	unsigned n = 0;

	fx_setup(&fx, &o, "cid-limit=3");
	for (int i = 0; i < 3; i++) {
		kid_spawn_alloc(&fx, &k, QMI_SVC_WDS);
		kid_wait_report(&fx, &k);
		cr_assert_eq(k.status, 0);
		kid_kill(&k);
		n++;
		fx_until(&fx, orphaned, &n, "the disowned id");
	}
	kid_spawn_alloc(&fx, &k, QMI_SVC_WDS);
	kid_wait_report(&fx, &k);
	cr_assert_eq(k.status, QMI_ERR_CLIENT_IDS_EXHAUSTED);
	kid_kill(&k);
	fx_teardown(&fx);
}

Test(proxy_cids, an_id_the_modem_refuses_is_not_held)
{
	struct qprx_server_opts o = { .cid_grace_ms = 100 };
	struct fx fx;
	struct rc c;
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;
	struct qmi_result r;

	fx_setup(&fx, &o, NULL);
	/* qmicli --client-cid=N with an id nobody allocated: the modem says InvalidClientId. */
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, fx.pub), 0);
	rc_send(&fx, &c, buf, mk_req(buf, sizeof(buf), QMI_SVC_DMS, 9, 1, QMI_DMS_GET_IDS));
	cr_assert(rc_recv(&fx, &c, buf, sizeof(buf), &f));
	cr_assert_eq(qmi_result_get(&f, &r), 0);
	cr_assert_eq(r.error, QMI_ERR_INVALID_CLIENT_ID);
	cr_assert_eq(fx_stats(&fx).held, 0, "a refused id is nobody's");
	rc_close(&c);
	fx_spin(&fx, 400); /* well past the grace period */
	cr_assert_eq(fx_stats(&fx).released, 0, "nothing to release for the client that left");
	fx_teardown(&fx);
}
