/* SPDX-License-Identifier: MIT */
#include "proxy/harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/loop.h"
#include "proxy/sock.h"
#include "qmi/device.h"
#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/tlv.h"

static unsigned fx_seq;
static char fx_rundir[64];

static void fx_rundir_remove(void)
{
	rmdir(fx_rundir);
}

/* Where the proxy's name is a socket file, a runtime directory of this test process's own,
 * which the other users some tests become may enter (the shared one's mode is not ours to
 * decide). */
static void fx_rundir_make(void)
{
	if (qprx_abstract || fx_rundir[0])
		return;
	snprintf(fx_rundir, sizeof(fx_rundir), "/tmp/qmiusb-prx-XXXXXX");
	cr_assert_not_null(mkdtemp(fx_rundir));
	cr_assert_eq(chmod(fx_rundir, 0755), 0);
	setenv("QMIUSB_RUNDIR", fx_rundir, 1);
	atexit(fx_rundir_remove);
}

void fx_setup(struct fx *fx, struct qprx_server_opts *o, const char *sim_spec)
{
	struct qsim_faults faults = { 0 };
	struct qmi_transport tr;
	char err[128];
	int ret;

	memset(fx, 0, sizeof(*fx));
	fx_rundir_make();
	snprintf(fx->sock, sizeof(fx->sock), "qmiusb-test-%d-%u", (int)getpid(), fx_seq++);
	snprintf(fx->pub, sizeof(fx->pub), "/tmp/%s.dev", fx->sock);
	cr_assert_eq(qprx_publish(fx->pub, NULL), 0);
	if (sim_spec)
		cr_assert_eq(qsim_faults_parse(&faults, sim_spec, err, sizeof(err)), 0, "%s", err);
	faults.signal_static = true;
	cr_assert_eq(qb_loop_new(&fx->loop, QB_LOOP_AUTO), 0);
	cr_assert_eq(qsim_new(&fx->sim, fx->loop, &faults), 0);
	cr_assert_eq(qsim_transport_new(fx->sim, &tr), 0);
	cr_assert_eq(qmi_dev_new(&fx->dev, fx->loop, tr, NULL), 0);
	fx->log = fopen(getenv("QMIUSB_TEST_LOG") ? "/dev/stderr" : "/dev/null", "w");
	cr_assert(fx->log);
	o->socket_name = fx->sock;
	o->device_path = fx->pub;
	if (!o->device_names[0])
		o->device_names[0] = "sim";
	o->log = fx->log;
	o->verbose = getenv("QMIUSB_TEST_LOG") != NULL;
	ret = qprx_server_new(&fx->srv, fx->loop, fx->dev, o);
	cr_assert_eq(ret, 0, "server: %s", strerror(-ret));
}

void fx_teardown(struct fx *fx)
{
	qprx_server_free(fx->srv);
	qmi_dev_free(fx->dev);
	qsim_free(fx->sim);
	qb_loop_free(fx->loop);
	if (fx->log)
		fclose(fx->log);
	unlink(fx->pub);
}

void fx_until(struct fx *fx, bool (*cond)(struct fx *fx, void *user), void *user, const char *what)
{
	uint64_t until = qb_now_ms() + HANG_GUARD_MS;

	while (!cond(fx, user)) {
		cr_assert(qb_now_ms() < until, "hung waiting for %s", what);
		qb_loop_run_once(fx->loop, 10);
	}
}

void fx_spin(struct fx *fx, unsigned ms)
{
	uint64_t until = qb_now_ms() + ms;

	while (qb_now_ms() < until)
		qb_loop_run_once(fx->loop, 5);
}

struct qprx_stats fx_stats(struct fx *fx)
{
	struct qprx_stats st;

	qprx_server_stats(fx->srv, &st);
	return st;
}

void rc_connect(struct fx *fx, struct rc *c)
{
	c->len = 0;
	c->eof = false;
	c->fd = qprx_connect(fx->sock);
	cr_assert(c->fd >= 0, "connect: %s", strerror(-c->fd));
}

void rc_close(struct rc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

void rc_send(struct fx *fx, struct rc *c, const uint8_t *bytes, size_t len)
{
	uint64_t until = qb_now_ms() + HANG_GUARD_MS;
	size_t off = 0;

	while (off < len) {
		ssize_t n = send(c->fd, bytes + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		cr_assert(n < 0 && (errno == EAGAIN || errno == EINTR), "send: %s",
			  strerror(errno));
		cr_assert(qb_now_ms() < until, "hung sending");
		qb_loop_run_once(fx->loop, 5);
	}
}

static void rc_pull(struct rc *c)
{
	ssize_t n;

	if (c->eof || c->len == sizeof(c->buf))
		return;
	n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT);
	if (n > 0)
		c->len += (size_t)n;
	else if (n == 0 || (errno != EAGAIN && errno != EINTR))
		c->eof = true;
}

static size_t rc_frame_len(const struct rc *c)
{
	size_t need;

	if (c->len < 3)
		return 0;
	need = ((size_t)c->buf[1] | (size_t)c->buf[2] << 8) + 1;
	return c->len >= need ? need : 0;
}

bool rc_recv(struct fx *fx, struct rc *c, uint8_t *out, size_t cap, struct qmi_frame *f)
{
	uint64_t until = qb_now_ms() + HANG_GUARD_MS;
	size_t n;

	for (;;) {
		rc_pull(c);
		n = rc_frame_len(c);
		if (n)
			break;
		if (c->eof)
			return false;
		cr_assert(qb_now_ms() < until, "hung waiting for a frame");
		qb_loop_run_once(fx->loop, 5);
	}
	cr_assert(n <= cap);
	memcpy(out, c->buf, n);
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
	cr_assert_eq(qmi_frame_parse(out, n, f, NULL), 0, "the proxy sent an invalid frame");
	return true;
}

void rc_wait_closed(struct fx *fx, struct rc *c)
{
	uint64_t until = qb_now_ms() + HANG_GUARD_MS;

	while (!c->eof) {
		c->len = 0; /* whatever was queued before the close does not matter here */
		rc_pull(c);
		cr_assert(qb_now_ms() < until, "hung waiting for the proxy to close");
		qb_loop_run_once(fx->loop, 5);
	}
}

size_t mk_open(uint8_t *buf, size_t cap, uint8_t txn, const char *path)
{
	struct qmi_writer w;
	size_t len;

	qmi_writer_init(&w, buf, cap, QMI_SVC_CTL, 0, QMI_KIND_REQUEST, txn,
			QMI_CTL_INTERNAL_PROXY_OPEN);
	qmi_writer_tlv(&w, 0x01, path, strlen(path));
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	return len;
}

size_t mk_alloc(uint8_t *buf, size_t cap, uint8_t svc, uint8_t txn)
{
	struct qmi_ctl_allocate_cid_req r = { .has_service = true, .service = svc };
	size_t len;

	cr_assert_eq(qmi_msg_build(&qmi_ctl_allocate_cid_req_def, &r, 0, txn, buf, cap, &len), 0);
	return len;
}

size_t mk_release(uint8_t *buf, size_t cap, uint8_t svc, uint8_t cid, uint8_t txn)
{
	struct qmi_ctl_release_cid_req r = { .has_release = true, .release = { svc, cid } };
	size_t len;

	cr_assert_eq(qmi_msg_build(&qmi_ctl_release_cid_req_def, &r, 0, txn, buf, cap, &len), 0);
	return len;
}

size_t mk_req(uint8_t *buf, size_t cap, uint8_t svc, uint8_t cid, uint16_t txn, uint16_t msg)
{
	struct qmi_writer w;
	size_t len;

	qmi_writer_init(&w, buf, cap, svc, cid, QMI_KIND_REQUEST, txn, msg);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	return len;
}

uint16_t rc_open(struct fx *fx, struct rc *c, const char *path)
{
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;
	struct qmi_result r;

	rc_send(fx, c, buf, mk_open(buf, sizeof(buf), 1, path));
	cr_assert(rc_recv(fx, c, buf, sizeof(buf), &f), "closed instead of answering proxy open");
	cr_assert_eq(f.msg_id, QMI_CTL_INTERNAL_PROXY_OPEN);
	cr_assert_eq(qmi_result_get(&f, &r), 0);
	return r.status;
}

uint8_t rc_alloc(struct fx *fx, struct rc *c, uint8_t svc, uint8_t txn, uint16_t *err)
{
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;
	struct qmi_result r;
	struct qmi_ctl_allocate_cid_resp a;

	rc_send(fx, c, buf, mk_alloc(buf, sizeof(buf), svc, txn));
	cr_assert(rc_recv(fx, c, buf, sizeof(buf), &f));
	cr_assert_eq(f.msg_id, QMI_CTL_ALLOCATE_CID);
	cr_assert_eq(f.txn, txn, "CTL txn not translated back: %u != %u", f.txn, txn);
	cr_assert_eq(qmi_result_get(&f, &r), 0);
	if (err)
		*err = r.error;
	if (r.status)
		return 0;
	cr_assert_eq(qmi_msg_decode(&qmi_ctl_allocate_cid_resp_def, f.tlvs, f.tlvs_len, &a), 0);
	cr_assert_eq(a.allocation.service, svc);
	return a.allocation.cid;
}

uint16_t rc_release(struct fx *fx, struct rc *c, uint8_t svc, uint8_t cid, uint8_t txn)
{
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;
	struct qmi_result r;

	rc_send(fx, c, buf, mk_release(buf, sizeof(buf), svc, cid, txn));
	cr_assert(rc_recv(fx, c, buf, sizeof(buf), &f));
	cr_assert_eq(f.msg_id, QMI_CTL_RELEASE_CID);
	cr_assert_eq(f.txn, txn);
	cr_assert_eq(qmi_result_get(&f, &r), 0);
	return r.status;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = recv(fd, p, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int blk_exchange(int fd, const uint8_t *req, size_t len, uint8_t *out, size_t cap,
		 struct qmi_frame *f)
{
	size_t need;
	int ret = write_all(fd, req, len);

	if (!ret)
		ret = read_all(fd, out, 3);
	if (ret)
		return ret;
	need = ((size_t)out[1] | (size_t)out[2] << 8) + 1;
	if (need > cap || need < 3)
		return -EPROTO;
	ret = read_all(fd, out + 3, need - 3);
	if (ret)
		return ret;
	return qmi_frame_parse(out, need, f, NULL);
}

int blk_connect_open(const char *sock, const char *path)
{
	uint8_t req[512], resp[512];
	struct qmi_frame f;
	struct qmi_result r;
	int fd = qprx_connect(sock), ret;

	if (fd < 0)
		return fd;
	ret = blk_exchange(fd, req, mk_open(req, sizeof(req), 1, path), resp, sizeof(resp), &f);
	if (!ret && (qmi_result_get(&f, &r) < 0 || r.status))
		ret = -ENODEV;
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

struct kid_report {
	int status;
	uint8_t cid;
};

void kid_spawn_alloc(struct fx *fx, struct kid *k, uint8_t svc)
{
	int p[2];

	cr_assert_eq(pipe(p), 0);
	k->pid = fork();
	cr_assert(k->pid >= 0);
	if (k->pid == 0) {
		struct kid_report rep = { 0 };
		uint8_t req[64], resp[512];
		struct qmi_frame f;
		struct qmi_result r;
		struct qmi_ctl_allocate_cid_resp a;
		int fd = blk_connect_open(fx->sock, fx->pub);

		close(p[0]);
		rep.status = fd < 0 ? fd : 0;
		if (fd >= 0) {
			rep.status = blk_exchange(fd, req, mk_alloc(req, sizeof(req), svc, 7), resp,
						  sizeof(resp), &f);
			if (!rep.status && qmi_result_get(&f, &r) == 0 && r.status)
				rep.status = r.error ? r.error : 0xFFFF;
			else if (!rep.status && qmi_msg_decode(&qmi_ctl_allocate_cid_resp_def,
							       f.tlvs, f.tlvs_len, &a) == 0)
				rep.cid = a.allocation.cid;
		}
		if (write(p[1], &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
			_exit(2);
		for (;;)
			pause();
	}
	close(p[1]);
	k->rfd = p[0];
}

void kid_wait_report(struct fx *fx, struct kid *k)
{
	uint64_t until = qb_now_ms() + HANG_GUARD_MS;
	struct kid_report rep;

	for (;;) {
		struct pollfd pfd = { .fd = k->rfd, .events = POLLIN };

		if (poll(&pfd, 1, 0) == 1)
			break;
		cr_assert(qb_now_ms() < until, "hung waiting for the child");
		qb_loop_run_once(fx->loop, 5);
	}
	cr_assert_eq(read(k->rfd, &rep, sizeof(rep)), (ssize_t)sizeof(rep), "child died early");
	close(k->rfd);
	k->rfd = -1;
	k->status = rep.status;
	k->cid = rep.cid;
}

void kid_kill(struct kid *k)
{
	kill(k->pid, SIGKILL);
	waitpid(k->pid, NULL, 0);
}

int run_child(struct fx *fx, int (*fn)(struct fx *fx, void *arg), void *arg)
{
	uint64_t until = qb_now_ms() + HANG_GUARD_MS;
	pid_t pid = fork();
	int st = 0;

	cr_assert(pid >= 0);
	if (pid == 0)
		_exit(fn(fx, arg));
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			break;
		if (qb_now_ms() >= until) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			cr_assert_fail("hung waiting for the child");
		}
		qb_loop_run_once(fx->loop, 5);
	}
	cr_assert(WIFEXITED(st), "child crashed");
	return WEXITSTATUS(st);
}
