/* SPDX-License-Identifier: MIT */
/*
 * The proxy server inside a process that uses the modem itself (`qmiusb connect`): the host's
 * own client ids are reserved, and a server that publishes its path does so only once it owns
 * the socket.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/loop.h"
#include "proxy/harness.h"
#include "qmi/device.h"
#include "qmi/errors.h"
#include "qmi/messages.h"
#include "qmi/tlv.h"

static bool orphans_are(struct fx *fx, void *user)
{
	return fx_stats(fx).orphans == *(unsigned *)user;
}

static bool released_are(struct fx *fx, void *user)
{
	return fx_stats(fx).released == *(unsigned *)user;
}

/* A client may use the host's id, but can neither release it nor leave it behind as an
 * orphan for the proxy to release; its own ids still go by the usual rules. */
Test(proxy_shared, host_ids_are_reserved)
{
	struct qprx_server_opts o = { .cid_grace_ms = 100, .shared_dev = true };
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_result r;
	struct qmi_frame f;
	struct fx fx;
	struct rc c;
	uint8_t host, mine;
	uint16_t err = 0;
	unsigned one = 1;

	fx_setup(&fx, &o, NULL);
	cr_assert_eq(qmi_dev_alloc_cid(fx.dev, QMI_SVC_WDS, &host, &r), 0);
	cr_assert_eq(qprx_server_reserve(fx.srv, QMI_SVC_WDS, host), 0);
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, "sim"), 0);
	mine = rc_alloc(&fx, &c, QMI_SVC_WDS, 2, &err);
	cr_assert_neq(mine, 0, "QMI error %u", err);

	/* Requests on the host's id are forwarded... */
	rc_send(&fx, &c, buf,
		mk_req(buf, sizeof(buf), QMI_SVC_WDS, host, 9, QMI_WDS_GET_PACKET_SERVICE_STATUS));
	cr_assert(rc_recv(&fx, &c, buf, sizeof(buf), &f));
	cr_assert_eq(f.client_id, host);
	cr_assert_eq(f.txn, 9);
	cr_assert_eq(qmi_result_get(&f, &r), 0);
	cr_assert_eq(r.status, 0);
	cr_assert_eq(fx_stats(&fx).held, 1, "only the client's own id is held");
	/* ...but its release is refused, and the modem keeps it. */
	cr_assert_eq(rc_release(&fx, &c, QMI_SVC_WDS, host, 3), 1);
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_WDS), 2);

	/* The client goes: its own id is orphaned and released, the host's is untouched. */
	rc_close(&c);
	fx_until(&fx, orphans_are, &one, "the client's id to be orphaned");
	fx_until(&fx, released_are, &one, "the orphan's release");
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_WDS), 1);
	cr_assert_eq(qmi_dev_release_cid(fx.dev, QMI_SVC_WDS, host, &r), 0);
	cr_assert_eq(qsim_cid_count(fx.sim, QMI_SVC_WDS), 0);
	fx_teardown(&fx);
}

Test(proxy_shared, reserve_is_bounded)
{
	struct qprx_server_opts o = { .shared_dev = true };
	struct fx fx;

	fx_setup(&fx, &o, NULL);
	for (unsigned i = 0; i < QPRX_MAX_RESERVED; i++)
		cr_assert_eq(qprx_server_reserve(fx.srv, QMI_SVC_NAS, (uint8_t)(i + 1)), 0);
	cr_assert_eq(qprx_server_reserve(fx.srv, QMI_SVC_NAS, 1), 0, "already there");
	cr_assert_eq(qprx_server_reserve(fx.srv, QMI_SVC_NAS, 200), -ENOSPC);
	fx_teardown(&fx);
}

/* With publish, the path is made only once the socket is ours, and removed at the end; a
 * second server on a taken socket leaves the first one's file alone. */
Test(proxy_shared, publish_only_when_the_socket_is_ours)
{
	struct qprx_server_opts o = { 0 };
	struct qprx_server_opts o2 = { .publish = true, .shared_dev = true };
	struct qprx_server *srv2 = NULL;
	char path[128], path2[64];
	struct stat st;
	struct fx fx, fx2;
	struct rc c;

	fx_setup(&fx, &o, NULL);
	snprintf(path, sizeof(path), "/tmp/qmiusb-shared-test-%d", (int)getpid());
	unlink(path);
	/* The harness's server holds fx.sock: a second one there publishes nothing. */
	o2.socket_name = fx.sock;
	o2.device_path = path;
	o2.log = fx.log;
	cr_assert_eq(qprx_server_new(&srv2, fx.loop, fx.dev, &o2), -EADDRINUSE);
	cr_assert_neq(access(path, F_OK), 0);
	cr_assert_eq(lstat(fx.pub, &st), 0, "the first server's file stays");

	/* On a free socket it publishes a FIFO, which names the device, and removes it. */
	snprintf(path2, sizeof(path2), "qmiusb-shared-%d", (int)getpid());
	o2.socket_name = path2;
	o2.device_names[0] = "other";
	cr_assert_eq(qprx_server_new(&srv2, fx.loop, fx.dev, &o2), 0);
	cr_assert_eq(lstat(path, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode));
	cr_assert_str_eq(qprx_server_path(srv2), path);
	/* Clients of the second server (same loop, its socket name). */
	fx2 = fx;
	memcpy(fx2.sock, path2, sizeof(fx2.sock));
	rc_connect(&fx2, &c);
	cr_assert_eq(rc_open(&fx2, &c, path), 0);
	rc_close(&c);
	rc_connect(&fx2, &c);
	cr_assert_eq(rc_open(&fx2, &c, "other"), 0);
	rc_close(&c);
	rc_connect(&fx2, &c);
	cr_assert_neq(rc_open(&fx2, &c, "sim"), 0, "not a name of this server");
	rc_close(&c);
	qprx_server_free(srv2);
	cr_assert_neq(access(path, F_OK), 0, "removed with the server");
	/* The harness's server still serves. */
	rc_connect(&fx, &c);
	cr_assert_eq(rc_open(&fx, &c, "sim"), 0);
	rc_close(&c);
	fx_teardown(&fx);
}
