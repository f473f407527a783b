/* SPDX-License-Identifier: MIT */
/*
 * Allocation-failure walks (libuv's habit) over the protocol core and the proxy. Each scenario
 * is one full, ordinary run written against the public headers only; af_walk (alloc_fail.c)
 * runs it once to count its allocations, then once per N with the Nth allocation failing, and
 * wants every run to end with 0 or a negative errno, no crash and nothing left allocated.
 * The allocations of the software modem, the loop and the message database are walked too:
 * they are in the same process and fail the same way.
 */
#include "base/errors.h"
#include "reliability/alloc_fail.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/loop.h"
#include "proxy/proxy.h"
#include "proxy/sock.h"
#include "qmi/device.h"
#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/qmux.h"
#include "qmi/splitter.h"
#include "qmi/tlv.h"
#include "sim/sim.h"

#define STEP_MS 500 /* how long a scenario waits for one event before calling it -ETIMEDOUT */

struct core {
	struct qb_loop *loop;
	struct qsim *sim;
	struct qmi_dev *dev;
};

/* The modem and the QMI core over the in-process transport. */
static int core_up(struct core *c, enum qb_loop_kind kind)
{
	struct qsim_faults f = { .signal_static = true };
	struct qmi_dev_opts o = { .timeout_ms = STEP_MS };
	struct qmi_transport tr;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = qb_loop_new(&c->loop, kind);
	if (ret == 0)
		ret = qsim_new(&c->sim, c->loop, &f);
	if (ret == 0)
		ret = qsim_transport_new(c->sim, &tr);
	if (ret == 0)
		ret = qmi_dev_new(&c->dev, c->loop, tr, &o);
	return ret;
}

static void core_down(struct core *c)
{
	qmi_dev_free(c->dev);
	qsim_free(c->sim);
	qb_loop_free(c->loop);
}

static int modem_error(int ret, const struct qmi_result *r)
{
	return ret == 0 && r->status ? -QB_EMODEM : ret;
}

static void on_ind(void *user, const struct qmi_frame *ind)
{
	if (ind->msg_id == QMI_WDS_PACKET_SERVICE_STATUS_IND)
		++*(unsigned *)user;
}

/* Device open (CTL version info, sync, data format), CTL client allocation, a DMS
 * request/response, a WDS call whose indication arrives through a subscription, the call's
 * end, releases and teardown. */
static int qmi_scenario(void *arg)
{
	enum qb_loop_kind kind = *(enum qb_loop_kind *)arg;
	struct qmi_open_opts oo = { .version_info_tries = 1, .sync = true, .data_format = 2 };
	struct qmi_wds_start_network_req start = { .has_apn = true, .apn = "internet" };
	struct qmi_wds_start_network_resp started;
	struct qmi_wds_stop_network_req stop = { .has_packet_data_handle = true };
	struct qmi_dms_get_ids_resp ids;
	struct qmi_result r = { 0 };
	struct qmi_sub *sub = NULL;
	struct core c;
	uint8_t dms = 0, wds = 0;
	unsigned inds = 0;
	uint64_t until;
	int ret;

	ret = core_up(&c, kind);
	if (ret == 0)
		ret = modem_error(qmi_dev_open(c.dev, &oo, &r), &r);
	if (ret == 0)
		ret = modem_error(qmi_dev_alloc_cid(c.dev, QMI_SVC_DMS, &dms, &r), &r);
	if (ret == 0)
		ret = modem_error(qmi_dev_call(c.dev, dms, &qmi_dms_get_ids_req_def, NULL,
					       &qmi_dms_get_ids_resp_def, &ids, &r, 0),
				  &r);
	if (ret == 0 && strcmp(ids.imei, "352099001761481") != 0)
		ret = -EBADMSG;
	if (ret == 0)
		ret = modem_error(qmi_dev_alloc_cid(c.dev, QMI_SVC_WDS, &wds, &r), &r);
	if (ret == 0)
		ret = qmi_dev_subscribe(c.dev, QMI_SVC_WDS, wds, on_ind, &inds, &sub);
	if (ret == 0)
		ret = modem_error(qmi_dev_call(c.dev, wds, &qmi_wds_start_network_req_def, &start,
					       &qmi_wds_start_network_resp_def, &started, &r, 0),
				  &r);
	until = qb_now_ms() + STEP_MS;
	while (ret == 0 && !inds && qb_now_ms() < until)
		qb_loop_run_once(c.loop, 50);
	if (ret == 0 && !inds)
		ret = -ETIMEDOUT;
	stop.packet_data_handle = started.packet_data_handle;
	if (ret == 0)
		ret = modem_error(qmi_dev_call(c.dev, wds, &qmi_wds_stop_network_req_def, &stop,
					       &qmi_wds_stop_network_resp_def, NULL, &r, 0),
				  &r);
	if (ret == 0)
		ret = modem_error(qmi_dev_release_cid(c.dev, QMI_SVC_WDS, wds, &r), &r);
	if (ret == 0)
		ret = modem_error(qmi_dev_release_cid(c.dev, QMI_SVC_DMS, dms, &r), &r);
	if (ret == 0 && (qsim_cid_count(c.sim, QMI_SVC_WDS) || qsim_cid_count(c.sim, QMI_SVC_DMS)))
		ret = -EBADE; /* an acknowledged release that did not happen */
	qmi_dev_unsubscribe(sub);
	core_down(&c);
	return ret;
}

Test(alloc_walk, qmi_core_poll)
{
	enum qb_loop_kind kind = QB_LOOP_POLL;

	af_walk("qmi core (poll)", qmi_scenario, &kind, NULL, 0, NULL);
}

Test(alloc_walk, qmi_core_default_loop)
{
	enum qb_loop_kind kind = QB_LOOP_AUTO;

	af_walk("qmi core (default loop)", qmi_scenario, &kind, NULL, 0, NULL);
}

/* ---- the walk itself can fail ---- */

/* Three allocations; an error path that forgets one block, or frees one twice. */
static int flawed_scenario(void *arg)
{
	int flaw = *(int *)arg;
	char *a = malloc(16), *b = calloc(1, 16), *c;
	int ret = 0;

	if (!a || !b) {
		ret = -ENOMEM;
		goto out;
	}
	c = realloc(b, 64);
	if (!c) {
		ret = -ENOMEM;
		if (flaw == 1)
			b = NULL; /* leaked */
		else
			free(b); /* and again below */
		goto out;
	}
	b = c;
out:
	free(a);
	free(b);
	return ret;
}

Test(alloc_walk, finds_a_leak_and_a_double_free)
{
	unsigned long problems = 0;
	int flaw = 1;

	cr_assert_eq(af_walk("leaky", flawed_scenario, &flaw, NULL, 0, &problems), 3);
	cr_expect_eq(problems, 1, "the leak on the third allocation's failure");
	flaw = 2;
	problems = 0;
	af_walk("double free", flawed_scenario, &flaw, NULL, 0, &problems);
	cr_expect_eq(problems, 1, "the double free on the third allocation's failure");
}

/* ---- the proxy ---- */

/* A client of the proxy in the same process, non-blocking, driving the shared loop while it
 * waits (a blocking client would stall the server it talks to). */
struct pcl {
	int fd;
	struct qmi_splitter split;
	uint8_t frame[QMI_FRAME_MAX];
	struct qmi_frame f;
};

static int pcl_send(struct pcl *p, const uint8_t *buf, size_t len)
{
	ssize_t n = send(p->fd, buf, len, MSG_NOSIGNAL);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EAGAIN;
}

/* The next frame from the proxy: 0, -EPIPE when it closed the connection, -ETIMEDOUT. */
static int pcl_recv(struct pcl *p, struct qb_loop *loop)
{
	uint64_t until = qb_now_ms() + STEP_MS;

	for (;;) {
		uint8_t buf[4096];
		enum qmi_frame_err why;
		ssize_t n;
		int r = qmi_splitter_next(&p->split, &p->f, &why);

		if (r < 0)
			return r;
		if (r > 0) {
			if (p->f.raw_len > sizeof(p->frame))
				return -EMSGSIZE;
			memcpy(p->frame, p->f.raw, p->f.raw_len);
			return qmi_frame_parse(p->frame, p->f.raw_len, &p->f, NULL);
		}
		n = recv(p->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0)
			return -EPIPE;
		if (n > 0) {
			qmi_splitter_push(&p->split, buf, (size_t)n);
			continue;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if (qb_now_ms() >= until)
			return -ETIMEDOUT;
		qb_loop_run_once(loop, 20);
	}
}

static int pcl_result(struct pcl *p, struct qb_loop *loop, void *resp,
		      const struct qmi_msg_def *def)
{
	struct qmi_result r;
	int ret = pcl_recv(p, loop);

	if (ret == 0)
		ret = qmi_result_get(&p->f, &r);
	if (ret == 0 && r.status)
		ret = -QB_EMODEM;
	if (ret == 0 && def)
		ret = qmi_msg_decode(def, p->f.tlvs, p->f.tlvs_len, resp);
	return ret;
}

static int pcl_connect(struct pcl *p, const char *name)
{
	qmi_splitter_init(&p->split, QMI_SPLIT_CLOSE);
	/* The proxy's own seam: an abstract name, or the socket file of a portable build. */
	p->fd = qprx_connect(name);
	if (p->fd < 0)
		return p->fd;
	return fcntl(p->fd, F_SETFL, O_NONBLOCK) < 0 ? -errno : 0;
}

struct proxy_arg {
	enum qb_loop_kind kind;
	bool vanish; /* the client goes away with its request in flight */
	char sock[64];
	char pub[128];
};

static bool no_clients(struct qprx_server *srv)
{
	struct qprx_stats st;

	qprx_server_stats(srv, &st);
	return st.clients == 0 && st.held == 0 && st.orphans == 0;
}

/* A server over the modem; a client connects, opens the device, allocates a DMS client id,
 * makes a request (and reads the answer, or not: vanish) and goes away without releasing the
 * id; the proxy releases it on the modem; shutdown and teardown. */
static int proxy_scenario(void *arg)
{
	struct proxy_arg *a = arg;
	struct qprx_server_opts o = {
		.socket_name = a->sock,
		.device_path = a->pub,
		.device_names = { "sim" },
		.release_immediately = true,
	};
	struct qmi_ctl_allocate_cid_req areq = { .has_service = true, .service = QMI_SVC_DMS };
	struct qmi_ctl_allocate_cid_resp aresp;
	struct qmi_dms_get_ids_resp ids;
	struct qprx_server *srv = NULL;
	struct pcl p = { .fd = -1 };
	struct qmi_writer w;
	uint8_t buf[512];
	size_t len;
	struct core c;
	FILE *log = fopen("/dev/null", "w");
	uint64_t until;
	int ret;

	if (!log)
		return -errno;
	o.log = log;
	ret = core_up(&c, a->kind);
	if (ret == 0)
		ret = qprx_server_new(&srv, c.loop, c.dev, &o);
	if (ret == 0)
		ret = pcl_connect(&p, a->sock);
	if (ret == 0) {
		qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_CTL, 0, QMI_KIND_REQUEST, 1,
				QMI_CTL_INTERNAL_PROXY_OPEN);
		qmi_writer_tlv(&w, 0x01, a->pub, strlen(a->pub));
		ret = qmi_writer_finish(&w, &len);
	}
	if (ret == 0)
		ret = pcl_send(&p, buf, len);
	if (ret == 0)
		ret = pcl_result(&p, c.loop, NULL, NULL);
	if (ret == 0)
		ret = qmi_msg_build(&qmi_ctl_allocate_cid_req_def, &areq, 0, 2, buf, sizeof(buf),
				    &len);
	if (ret == 0)
		ret = pcl_send(&p, buf, len);
	if (ret == 0)
		ret = pcl_result(&p, c.loop, &aresp, &qmi_ctl_allocate_cid_resp_def);
	if (ret == 0 && (!aresp.has_allocation || aresp.allocation.service != QMI_SVC_DMS))
		ret = -EBADMSG;
	if (ret == 0)
		ret = qmi_msg_build(&qmi_dms_get_ids_req_def, NULL, aresp.allocation.cid, 7, buf,
				    sizeof(buf), &len);
	if (ret == 0)
		ret = pcl_send(&p, buf, len);
	if (ret == 0 && !a->vanish)
		ret = pcl_result(&p, c.loop, &ids, &qmi_dms_get_ids_resp_def);
	if (ret == 0 && !a->vanish && strcmp(ids.imei, "352099001761481") != 0)
		ret = -EBADMSG;
	if (p.fd >= 0)
		close(p.fd);
	/* Gone without a release: the proxy gives the id back to the modem on its own. */
	until = qb_now_ms() + STEP_MS;
	while (ret == 0 && srv && (!no_clients(srv) || qsim_cid_count(c.sim, QMI_SVC_DMS)) &&
	       qb_now_ms() < until)
		qb_loop_run_once(c.loop, 20);
	if (ret == 0 && qsim_cid_count(c.sim, QMI_SVC_DMS))
		ret = -ETIMEDOUT;
	qprx_server_shutdown(srv, true, STEP_MS);
	qprx_server_free(srv);
	core_down(&c);
	fclose(log);
	return ret;
}

static void proxy_walk(enum qb_loop_kind kind, bool vanish, const char *name)
{
	struct proxy_arg a = { .kind = kind, .vanish = vanish };

	snprintf(a.sock, sizeof(a.sock), "qmiusb-walk-%d", (int)getpid());
	snprintf(a.pub, sizeof(a.pub), "/tmp/%s.dev", a.sock);
	cr_assert_eq(qprx_publish(a.pub, NULL), 0);
	af_walk(name, proxy_scenario, &a, NULL, 0, NULL);
	unlink(a.pub);
}

Test(alloc_walk, proxy_poll)
{
	proxy_walk(QB_LOOP_POLL, false, "proxy (poll)");
}

Test(alloc_walk, proxy_client_gone_mid_request)
{
	proxy_walk(QB_LOOP_POLL, true, "proxy, client gone mid-request (poll)");
}

Test(alloc_walk, proxy_default_loop)
{
	proxy_walk(QB_LOOP_AUTO, false, "proxy (default loop)");
}
