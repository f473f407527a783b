/* SPDX-License-Identifier: MIT */
/* The proxy server: accepting connections, the empty timeout, and the server's lifetime. */
#include "proxy/srv.h"

#include "proxy/sock_fs.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/errors.h"
#include "base/loop.h"
#include "qmi/device.h"

void qprx_log(struct qprx_server *srv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(srv->log, "qmiusb proxy: ");
	vfprintf(srv->log, fmt, ap);
	fputc('\n', srv->log);
	fflush(srv->log);
	va_end(ap);
}

static void empty_cb(void *user)
{
	struct qprx_server *srv = user;
	char secs[32];
	size_t n;

	/* "5 s", "0.5 s": what was asked, as it was asked. */
	snprintf(secs, sizeof(secs), "%u.%03u", srv->o.empty_timeout_ms / 1000,
		 srv->o.empty_timeout_ms % 1000);
	n = strlen(secs);
	while (secs[n - 1] == '0')
		secs[--n] = 0;
	if (secs[n - 1] == '.')
		secs[n - 1] = 0;
	qprx_log(srv, "no clients for %s s: exiting", secs);
	if (srv->o.on_empty)
		srv->o.on_empty(srv->o.user);
	else
		qb_loop_stop(srv->loop);
}

static void shutdown_deadline_cb(void *user)
{
	struct qprx_server *srv = user;

	if (srv->shutdown_runs)
		qb_loop_stop(srv->loop);
}

static void empty_arm(struct qprx_server *srv)
{
	if (!srv->o.empty_timeout_ms || qb_timer_active(&srv->empty_timer) ||
	    !qb_list_empty(&srv->conns) || srv->listen_fd < 0)
		return;
	qb_timer_start(&srv->empty_timer, srv->o.empty_timeout_ms);
}

static void accept_one(struct qprx_server *srv, int fd)
{
	pid_t pid = 0;
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	int ret = qprx_peer_cred(fd, &pid, &uid, &gid);

	if (ret < 0) {
		qprx_log(srv, "refusing a client: no peer credentials (%s)", qb_strerror(-ret));
		srv->st.refused++;
		close(fd);
		return;
	}
	if (!qprx_access_allows(&srv->access, uid, gid)) {
		qprx_log(srv, "client not allowed: pid %d uid %u gid %u (allowed: root, uid %u%s)",
			 (int)pid, (unsigned)uid, (unsigned)gid, (unsigned)srv->access.self_uid,
			 srv->access.has_user || srv->access.has_group
				 ? ", --allow-user/--allow-group"
				 : "");
		srv->st.refused++;
		close(fd);
		return;
	}
	if (srv->st.clients >= srv->o.max_clients) {
		qprx_log(srv, "refusing pid %d: %u clients already", (int)pid, srv->st.clients);
		srv->st.refused++;
		close(fd);
		return;
	}
	ret = qprx_conn_new(srv, fd, pid, uid);
	if (ret < 0) {
		qprx_log(srv, "dropping pid %d: %s", (int)pid, qb_strerror(-ret));
		close(fd);
		return;
	}
	qb_timer_stop(&srv->empty_timer);
}

static void listen_cb(void *user, int lfd, unsigned revents);

static void listen_resume(void *user)
{
	struct qprx_server *srv = user;

	if (srv->listen_fd >= 0 && qb_loop_watch(srv->loop, srv->listen_fd, POLLIN, listen_cb, srv,
						 &srv->listen_watch) < 0)
		qprx_log(srv, "cannot listen any more: no new clients");
}

static void listen_cb(void *user, int lfd, unsigned revents)
{
	struct qprx_server *srv = user;

	/* Bounded so one burst of connections cannot starve the modem's traffic. */
	for (int i = 0; i < 64; i++) {
		int fd = qprx_fs_accept(lfd);

		if (fd >= 0) {
			accept_one(srv, fd);
			continue;
		}
		if (fd == -EMFILE || fd == -ENFILE || fd == -ENOBUFS || fd == -ENOMEM) {
			/* The pending connection stays readable: without a pause this would
			 * spin. Clients wait in the backlog meanwhile. */
			qprx_log(srv, "accept: %s: pausing new clients for 100 ms",
				 qb_strerror(-fd));
			qb_watch_remove(srv->listen_watch);
			srv->listen_watch = NULL;
			qb_timer_start(&srv->listen_pause, 100);
		} else if (fd != -EAGAIN && fd != -EWOULDBLOCK && fd != -EINTR &&
			   fd != -ECONNABORTED) {
			qprx_log(srv, "accept: %s", qb_strerror(-fd));
		}
		return;
	}
}

void qprx_server_conn_gone(struct qprx_server *srv, struct qprx_conn *c)
{
	qprx_holds_disown(srv, c);
	empty_arm(srv);
}

static void close_all(struct qprx_server *srv, const char *why)
{
	struct qb_list *n;

	while ((n = qb_list_first(&srv->conns)))
		qprx_conn_close(qb_list_entry(n, struct qprx_conn, node), why);
}

static void monitor_cb(void *user, const struct qmi_frame *f)
{
	qprx_server_modem_frame(user, f);
}

static void dev_closed_cb(void *user, int err)
{
	struct qprx_server *srv = user;

	qprx_log(srv, "the modem is gone (%s): closing every client", qb_strerror(-err));
	close_all(srv, "modem gone");
	qb_loop_stop(srv->loop);
}

static const struct qmi_dev_data_cbs dev_cbs = { .closed = dev_closed_cb };

static int path_real(const char *path, char *out, size_t cap)
{
	char buf[PATH_MAX];

	if (!realpath(path, buf))
		return -errno;
	if (strlen(buf) >= cap)
		return -ENAMETOOLONG;
	strcpy(out, buf);
	return 0;
}

int qprx_server_new(struct qprx_server **out, struct qb_loop *loop, struct qmi_dev *dev,
		    const struct qprx_server_opts *opts)
{
	struct qprx_server *srv = calloc(1, sizeof(*srv));
	const char *name;
	int ret;

	if (!srv)
		return -ENOMEM;
	srv->o = *opts;
	srv->loop = loop;
	srv->dev = dev;
	srv->listen_fd = -1;
	srv->log = opts->log ? opts->log : stderr;
	qb_list_init(&srv->conns);
	qb_list_init(&srv->pending);
	qb_list_init(&srv->ready);
	qb_timer_init(&srv->empty_timer, loop, empty_cb, srv);
	qb_timer_init(&srv->listen_pause, loop, listen_resume, srv);
	qb_timer_init(&srv->shutdown_timer, loop, shutdown_deadline_cb, srv);
	if (!srv->o.cid_grace_ms)
		srv->o.cid_grace_ms = QPRX_DEFAULT_GRACE_MS;
	if (!srv->o.queue_max)
		srv->o.queue_max = QPRX_DEFAULT_QUEUE_MAX;
	if (srv->o.queue_max < QMI_FRAME_MAX)
		srv->o.queue_max = QMI_FRAME_MAX;
	if (!srv->o.max_clients)
		srv->o.max_clients = QPRX_DEFAULT_MAX_CLIENTS;
	if (!srv->o.max_inflight_client)
		srv->o.max_inflight_client = QPRX_DEFAULT_INFLIGHT_CLIENT;
	if (!srv->o.max_inflight_total)
		srv->o.max_inflight_total = QPRX_DEFAULT_INFLIGHT_TOTAL;
	if (!srv->o.max_waiting)
		srv->o.max_waiting = QPRX_DEFAULT_WAITING_MAX;
	if (!srv->o.request_timeout_ms)
		srv->o.request_timeout_ms = QPRX_CTL_TIMEOUT_MS;
	name = opts->socket_name ? opts->socket_name : QPRX_DEFAULT_SOCKET;
	if (strlen(name) >= sizeof(srv->socket_name)) {
		ret = -ENAMETOOLONG;
		goto fail;
	}
	strcpy(srv->socket_name, name);
	srv->o.socket_name = srv->socket_name;
	if (!opts->publish && opts->device_path &&
	    path_real(opts->device_path, srv->device_path, sizeof(srv->device_path)) < 0) {
		ret = -ENOENT;
		qprx_log(srv, "published path %s does not exist", opts->device_path);
		goto fail;
	}
	srv->access.self_uid = geteuid();
	srv->access.has_user = opts->has_allow_user;
	srv->access.user = opts->allow_user;
	srv->access.has_group = opts->has_allow_group;
	srv->access.group = opts->allow_group;
	ret = qprx_listen(srv->socket_name, 128);
	if (ret < 0)
		goto fail;
	srv->listen_fd = ret;
	/* Only the socket's owner may touch the published file (see opts->publish). */
	if (opts->publish && opts->device_path) {
		const char *why = NULL;

		ret = strlen(opts->device_path) < sizeof(srv->published)
			      ? qprx_publish(opts->device_path, &why)
			      : -ENAMETOOLONG;
		if (ret == 0)
			strcpy(srv->published, opts->device_path);
		if (ret == 0 &&
		    path_real(opts->device_path, srv->device_path, sizeof(srv->device_path)) < 0)
			ret = -ENOENT;
		if (ret < 0)
			qprx_log(srv,
				 "couldn't publish %s (%s): qmicli -d PATH won't find the device",
				 opts->device_path, why ? why : qb_strerror(-ret));
	}
	srv->o.device_path = NULL; /* the caller's string; device_path/published hold it */
	ret = qb_loop_watch(loop, srv->listen_fd, POLLIN, listen_cb, srv, &srv->listen_watch);
	if (ret < 0)
		goto fail;
	qmi_dev_set_monitor(dev, monitor_cb, srv);
	if (!srv->o.shared_dev)
		qmi_dev_set_data_cbs(dev, &dev_cbs, srv);
	empty_arm(srv);
	*out = srv;
	return 0;
fail:
	if (srv->published[0])
		unlink(srv->published);
	if (srv->listen_fd >= 0) {
		close(srv->listen_fd);
		qprx_unlisten(srv->socket_name);
	}
	free(srv);
	return ret;
}

int qprx_server_reserve(struct qprx_server *srv, uint8_t svc, uint8_t cid)
{
	if (qprx_reserved(srv, svc, cid))
		return 0;
	if (srv->n_reserved >= QPRX_MAX_RESERVED)
		return -ENOSPC;
	srv->reserved[srv->n_reserved].svc = svc;
	srv->reserved[srv->n_reserved].cid = cid;
	srv->n_reserved++;
	return 0;
}

bool qprx_reserved(const struct qprx_server *srv, uint8_t svc, uint8_t cid)
{
	for (unsigned i = 0; i < srv->n_reserved; i++)
		if (srv->reserved[i].svc == svc && srv->reserved[i].cid == cid)
			return true;
	return false;
}

const char *qprx_server_path(const struct qprx_server *srv)
{
	return srv->device_path;
}

void qprx_server_stats(const struct qprx_server *srv, struct qprx_stats *out)
{
	*out = srv->st;
	out->inflight = srv->n_inflight;
	out->waiting = srv->n_waiting;
	out->pending = srv->n_pending;
}

static void shutdown_release_done(void *user, int err)
{
	struct qprx_server *srv = user;

	if (srv->releasing)
		srv->releasing--;
	if (!srv->releasing && srv->shutdown_runs)
		qb_loop_stop(srv->loop);
}

void qprx_server_shutdown(struct qprx_server *srv, bool release, unsigned timeout_ms)
{
	bool call;

	if (!srv)
		return;
	qb_watch_remove(srv->listen_watch);
	srv->listen_watch = NULL;
	if (srv->listen_fd >= 0) {
		close(srv->listen_fd);
		qprx_unlisten(srv->socket_name);
	}
	srv->listen_fd = -1;
	close_all(srv, "proxy shutting down");
	qb_timer_stop(&srv->empty_timer);
	qb_timer_stop(&srv->listen_pause);
	if (!release || srv->o.keep_cids || qmi_dev_closed(srv->dev))
		return;
	/* Every id is an orphan now (the connections just closed). */
	for (uint8_t svc, cid; qprx_hold_pop(srv, &svc, &cid, &call);) {
		if (call) /* releasing it would end the data session it owns */
			continue;
		if (qprx_release_on_modem(srv, svc, cid, shutdown_release_done, srv) == 0)
			srv->releasing++;
	}
	if (!srv->releasing)
		return;
	/* The answers come through the loop, timers included (a modem may answer from one). A
	 * loop stopped by a signal runs no timers: run it again until the answers or the
	 * deadline stop it, which leaves it stopped as it was. */
	srv->shutdown_runs = qb_loop_stopped(srv->loop);
	qb_timer_start(&srv->shutdown_timer, timeout_ms);
	if (srv->shutdown_runs)
		qb_loop_run(srv->loop);
	else
		while (srv->releasing && qb_timer_active(&srv->shutdown_timer) &&
		       !qmi_dev_closed(srv->dev))
			if (qb_loop_run_once(srv->loop, -1) < 0)
				break;
	qb_timer_stop(&srv->shutdown_timer);
	srv->shutdown_runs = false;
	if (srv->releasing)
		qprx_log(srv, "%u client id releases unanswered after %u ms", srv->releasing,
			 timeout_ms);
}

void qprx_server_free(struct qprx_server *srv)
{
	struct qb_list *n, *tmp;

	if (!srv)
		return;
	qprx_server_shutdown(srv, false, 0);
	qmi_dev_set_monitor(srv->dev, NULL, NULL);
	if (!srv->o.shared_dev)
		qmi_dev_set_data_cbs(srv->dev, NULL, NULL);
	if (srv->published[0])
		unlink(srv->published);
	qprx_holds_free(srv);
	qb_timer_stop(&srv->shutdown_timer);
	/* Requests still at the device: their callbacks free them and see no server. An Allocate
	 * CID waiting for an orphan's release is owned by that release's done, which no longer
	 * runs. */
	qb_list_for_each_safe (n, tmp, &srv->pending) {
		struct qprx_pending *p = qb_list_entry(n, struct qprx_pending, node);

		qb_list_del(&p->node);
		if (p->retrying)
			free(p);
		else
			p->srv = NULL;
	}
	free(srv);
}
