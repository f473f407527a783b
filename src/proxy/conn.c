/* SPDX-License-Identifier: MIT */
/* One client connection: reading frames out of the byte stream and a bounded output queue. */
#include "proxy/srv.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/loop.h"

#define READ_CHUNK 4096

/* Requests waiting on one connection before it is read no further; the socket buffer and
 * then the client's own write hold the rest, so a pipelining client slows down, loses nothing. */
#define READ_PAUSE_WAITING 64u

void qprx_conn_update_events(struct qprx_conn *c)
{
	unsigned pause = c->srv->o.max_waiting < READ_PAUSE_WAITING ? c->srv->o.max_waiting
								    : READ_PAUSE_WAITING;
	unsigned ev;

	c->read_paused = c->n_waiting >= pause;
	ev = (c->read_paused ? 0 : POLLIN) | (c->out_len > c->out_off ? POLLOUT : 0);
	if (c->watch)
		qb_watch_set_events(c->watch, ev);
}

static void conn_flush(struct qprx_conn *c)
{
	while (c->out_off < c->out_len) {
		/* MSG_NOSIGNAL: a client that vanished must not kill the proxy with SIGPIPE. */
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			qprx_conn_close(c, "write failed");
			return;
		}
		c->out_off += (size_t)n;
	}
	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	qprx_conn_update_events(c);
}

void qprx_conn_send(struct qprx_conn *c, const uint8_t *frame, size_t len)
{
	struct qprx_server *srv = c->srv;
	size_t queued;

	if (c->closing)
		return;
	queued = c->out_len - c->out_off;
	if (queued + len > srv->o.queue_max) {
		srv->st.slow_readers++;
		qprx_conn_close(c, "not reading: output queue full");
		return;
	}
	if (c->out_off && c->out_len + len > c->out_cap) {
		memmove(c->out, c->out + c->out_off, queued);
		c->out_len = queued;
		c->out_off = 0;
	}
	if (c->out_len + len > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		uint8_t *p;

		while (cap < c->out_len + len)
			cap *= 2;
		p = realloc(c->out, cap);
		if (!p) {
			qprx_conn_close(c, "out of memory");
			return;
		}
		c->out = p;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, frame, len);
	c->out_len += len;
	/* Try at once: most frames go out without ever arming POLLOUT. */
	if (queued == 0)
		conn_flush(c);
	else
		qprx_conn_update_events(c);
}

static void conn_frames(struct qprx_conn *c, const uint8_t *buf, size_t n)
{
	size_t off = 0;

	while (!c->closing && off < n) {
		struct qmi_frame f;
		enum qmi_frame_err why = QMI_FRAME_OK;
		int ret;

		size_t took = qmi_splitter_push(&c->split, buf + off, n - off);

		off += took;
		while (!c->closing && (ret = qmi_splitter_next(&c->split, &f, &why)) == 1)
			qprx_server_client_frame(c, &f);
		if (c->closing)
			return;
		if (ret == 0 &&
		    !took) /* full buffer and still no frame: cannot happen, but never spin */
			ret = -EBADMSG;
		if (ret < 0) {
			c->srv->st.bad_frames++;
			qprx_log(c->srv, "client %u (pid %d): invalid frame: %s", c->id,
				 (int)c->pid, qmi_frame_err_str(why));
			qprx_conn_close(c, "invalid frame");
			return;
		}
	}
}

static void conn_read(struct qprx_conn *c)
{
	uint8_t buf[READ_CHUNK];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		qprx_conn_close(c, "read failed");
		return;
	}
	if (n == 0) {
		qprx_conn_close(c, "closed by client");
		return;
	}
	conn_frames(c, buf, (size_t)n);
	if (!c->closing)
		qprx_conn_update_events(c);
}

static void conn_cb(void *user, int fd, unsigned revents)
{
	struct qprx_conn *c = user;

	if (c->closing)
		return;
	if (revents & POLLOUT)
		conn_flush(c);
	if (!c->closing && (revents & POLLIN))
		conn_read(c);
	else if (!c->closing && (revents & (POLLHUP | POLLERR)))
		qprx_conn_close(c, "hung up");
}

int qprx_conn_new(struct qprx_server *srv, int fd, pid_t pid, uid_t uid)
{
	struct qprx_conn *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	c->srv = srv;
	c->fd = fd;
	c->pid = pid;
	c->uid = uid;
	c->id = ++srv->next_conn_id;
	qb_list_init(&c->waiting);
	qb_list_init(&c->ready_node);
	qmi_splitter_init(&c->split, QMI_SPLIT_CLOSE);
	ret = qb_loop_watch(srv->loop, fd, POLLIN, conn_cb, c, &c->watch);
	if (ret < 0) {
		free(c);
		return ret;
	}
	qb_list_add_head(&srv->conns, &c->node);
	srv->st.clients++;
	qprx_vlog(srv, "client %u connected (pid %d, uid %u)", c->id, (int)pid, (unsigned)uid);
	return 0;
}

static void conn_free_cb(struct qb_close *cl)
{
	struct qprx_conn *c = qb_container_of(cl, struct qprx_conn, close);

	free(c->out);
	free(c);
}

void qprx_conn_close(struct qprx_conn *c, const char *why)
{
	struct qprx_server *srv = c->srv;

	if (c->closing)
		return;
	c->closing = true;
	qprx_vlog(srv, "client %u (pid %d) gone: %s", c->id, (int)c->pid, why);
	qb_watch_remove(c->watch);
	c->watch = NULL;
	close(c->fd);
	c->fd = -1;
	qb_list_del(&c->node);
	srv->st.clients--;
	qprx_queue_conn_gone(c);
	qprx_server_conn_gone(srv, c);
	/* Frames being handled may still hold c: it goes once they have returned. */
	qb_loop_close(srv->loop, &c->close, conn_free_cb);
}
