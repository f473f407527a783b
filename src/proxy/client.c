/* SPDX-License-Identifier: MIT */
/*
 * The client side of the qmi-proxy protocol as a struct qmi_transport: what qmiusb's own
 * commands use when a proxy owns the modem. The handshake (Internal Proxy Open) is done
 * synchronously at open; after it the socket carries plain QMUX both ways, and the device's
 * stream splitter reassembles what arrives.
 */
#include "proxy/proxy.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/loop.h"
#include "proxy/sock.h"
#include "qmi/messages.h"
#include "qmi/tlv.h"

#define CTL_INTERNAL_PROXY_OPEN QMI_CTL_INTERNAL_PROXY_OPEN
#define TLV_PROXY_DEVICE_PATH 0x01
#define OUT_QUEUE_MAX (1u << 20)

struct prx_client {
	int fd;
	char desc[128];
	struct qb_loop *loop;
	struct qb_watch *watch;
	const struct qmi_transport_cbs *cbs;
	void *user;
	bool closed;
	uint8_t *out; /* owned; bytes out[off..len) wait for POLLOUT */
	size_t off, len, cap;
};

static void client_gone(struct prx_client *pc, int err)
{
	if (pc->closed)
		return;
	pc->closed = true;
	qb_watch_remove(pc->watch);
	pc->watch = NULL;
	if (pc->cbs && pc->cbs->closed)
		pc->cbs->closed(pc->user, err);
}

static void client_flush(struct prx_client *pc)
{
	while (pc->off < pc->len) {
		ssize_t n = send(pc->fd, pc->out + pc->off, pc->len - pc->off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				client_gone(pc, -EPIPE);
			break;
		}
		pc->off += (size_t)n;
	}
	if (pc->off == pc->len)
		pc->off = pc->len = 0;
	if (pc->watch)
		qb_watch_set_events(pc->watch, POLLIN | (pc->len ? POLLOUT : 0));
}

static void client_cb(void *user, int fd, unsigned revents)
{
	struct prx_client *pc = user;
	uint8_t buf[4096];
	ssize_t n;

	if (pc->closed)
		return;
	if (revents & POLLOUT)
		client_flush(pc);
	if (pc->closed || !(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		client_gone(pc, -EPIPE);
		return;
	}
	pc->cbs->ctrl_rx(pc->user, buf, (size_t)n);
}

static int client_start(void *impl, struct qb_loop *loop, const struct qmi_transport_cbs *cbs,
			void *user)
{
	struct prx_client *pc = impl;

	pc->loop = loop;
	pc->cbs = cbs;
	pc->user = user;
	return qb_loop_watch(loop, pc->fd, POLLIN | (pc->len ? POLLOUT : 0), client_cb, pc,
			     &pc->watch);
}

static int client_ctrl_send(void *impl, const uint8_t *frame, size_t len)
{
	struct prx_client *pc = impl;
	bool was_empty = pc->len == pc->off;

	if (pc->closed)
		return -EPIPE;
	if (pc->len - pc->off + len > OUT_QUEUE_MAX)
		return -EAGAIN;
	if (pc->len + len > pc->cap) {
		size_t cap = pc->cap ? pc->cap : 4096;
		uint8_t *p;

		if (pc->off) {
			memmove(pc->out, pc->out + pc->off, pc->len - pc->off);
			pc->len -= pc->off;
			pc->off = 0;
		}
		while (cap < pc->len + len)
			cap *= 2;
		p = realloc(pc->out, cap);
		if (!p)
			return -ENOMEM;
		pc->out = p;
		pc->cap = cap;
	}
	memcpy(pc->out + pc->len, frame, len);
	pc->len += len;
	if (was_empty && pc->watch)
		client_flush(pc);
	return pc->closed ? -EPIPE : 0;
}

static int client_data_send(void *impl, const uint8_t *pkt, size_t len)
{
	return -ENOTSUP; /* the proxy owns the data path */
}

static const char *client_describe(void *impl)
{
	return ((struct prx_client *)impl)->desc;
}

static void client_destroy(void *impl)
{
	struct prx_client *pc = impl;

	if (!pc)
		return;
	qb_watch_remove(pc->watch);
	if (pc->fd >= 0)
		close(pc->fd);
	free(pc->out);
	free(pc);
}

static const struct qmi_transport_ops client_ops = {
	.name = "proxy",
	.start = client_start,
	.ctrl_send = client_ctrl_send,
	.data_send = client_data_send,
	.describe = client_describe,
	.destroy = client_destroy,
};

/* Waits for fd to be ready for events until the absolute deadline. 0, -ETIMEDOUT or -errno. */
static int wait_fd(int fd, short events, uint64_t deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		uint64_t now = qb_now_ms();
		int ret;

		if (now >= deadline)
			return -ETIMEDOUT;
		ret = poll(&p, 1, (int)(deadline - now));
		if (ret > 0)
			return 0;
		if (ret < 0 && errno != EINTR)
			return -errno;
	}
}

static int read_exact(int fd, uint8_t *buf, size_t len, uint64_t deadline)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n;
		int ret = wait_fd(fd, POLLIN, deadline);

		if (ret < 0)
			return ret;
		n = recv(fd, buf + got, len - got, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return errno == ECONNRESET ? -EACCES : -errno;
		if (n == 0) /* the proxy hangs up on peers its access policy refuses */
			return -EACCES;
		got += (size_t)n;
	}
	return 0;
}

/* Proxy open on a connected socket; 0 or -errno (see qprx_client_transport_open). */
static int handshake(int fd, const char *device_path)
{
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_writer w;
	struct qmi_frame f;
	struct qmi_result r;
	struct qmi_cursor cur;
	uint64_t deadline = qb_now_ms() + QPRX_OPEN_TIMEOUT_MS;
	size_t len, off = 0, need;
	uint8_t marker;
	int ret;

	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_CTL, QMI_CID_NONE, QMI_KIND_REQUEST, 1,
			CTL_INTERNAL_PROXY_OPEN);
	qmi_writer_tlv(&w, TLV_PROXY_DEVICE_PATH, device_path, strlen(device_path));
	ret = qmi_writer_finish(&w, &len);
	if (ret < 0)
		return ret;
	while (off < len) {
		ssize_t n = send(fd, buf + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			ret = wait_fd(fd, POLLOUT, deadline);
			if (ret < 0)
				return ret;
			continue;
		}
		if (n < 0)
			return errno == EPIPE || errno == ECONNRESET ? -EACCES : -errno;
		off += (size_t)n;
	}
	/* Exactly one frame, read by its length: nothing after it may be swallowed here. */
	ret = read_exact(fd, buf, 3, deadline);
	if (ret < 0)
		return ret;
	qmi_cursor_init(&cur, buf, 3);
	marker = qmi_cursor_u8(&cur);
	need = (size_t)qmi_cursor_u16(&cur) + 1; /* the QMUX length leaves out the marker */
	if (marker != QMI_QMUX_MARKER || need > sizeof(buf) || need < QMI_QMUX_HDR_LEN)
		return -EPROTO;
	ret = read_exact(fd, buf + 3, need - 3, deadline);
	if (ret < 0)
		return ret;
	if (qmi_frame_parse(buf, need, &f, NULL) < 0 || f.service != QMI_SVC_CTL ||
	    f.kind != QMI_KIND_RESPONSE || f.msg_id != CTL_INTERNAL_PROXY_OPEN || f.txn != 1)
		return -EPROTO;
	if (qmi_result_get(&f, &r) < 0)
		return -EPROTO;
	return r.status ? -ENXIO : 0;
}

/* Is the peer of fd a proxy we may talk to? 0, -EPERM (*uid says whose it is) or -errno. */
static int check_proxy(int fd, const struct qprx_trust *trust, uid_t *uid)
{
	pid_t pid;
	gid_t gid;
	int ret = qprx_peer_cred(fd, &pid, uid, &gid);

	if (ret < 0)
		return ret;
	if (*uid == 0 || *uid == geteuid() ||
	    (trust && trust->has_trust_uid && *uid == trust->trust_uid))
		return 0;
	return -EPERM;
}

/* A connected socket to a trusted proxy, or -errno. */
static int connect_trusted(const char *socket_name, const struct qprx_trust *trust,
			   uid_t *proxy_uid)
{
	uid_t uid = (uid_t)-1;
	int fd = qprx_connect(socket_name ? socket_name : QPRX_DEFAULT_SOCKET);
	int ret;

	if (fd < 0)
		return fd;
	ret = check_proxy(fd, trust, &uid);
	if (proxy_uid)
		*proxy_uid = uid;
	if (ret < 0) {
		close(fd);
		return ret;
	}
	return fd;
}

int qprx_client_transport_open(struct qmi_transport *out, const char *socket_name,
			       const char *device_path, const struct qprx_trust *trust,
			       uid_t *proxy_uid)
{
	struct prx_client *pc;
	int fd, ret;

	if (!device_path || !*device_path)
		return -EINVAL;
	fd = connect_trusted(socket_name, trust, proxy_uid);
	if (fd < 0)
		return fd;
	ret = handshake(fd, device_path);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	pc = calloc(1, sizeof(*pc));
	if (!pc) {
		close(fd);
		return -ENOMEM;
	}
	pc->fd = fd;
	snprintf(pc->desc, sizeof(pc->desc), "%s", device_path);
	out->ops = &client_ops;
	out->impl = pc;
	return 0;
}

bool qprx_serving(const char *socket_name, const char *device_path)
{
	int fd, ret;

	if (!device_path || !*device_path)
		return false;
	fd = connect_trusted(socket_name, NULL, NULL);
	if (fd < 0)
		return false;
	ret = handshake(fd, device_path);
	close(fd);
	return ret == 0;
}
