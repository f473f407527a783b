/* SPDX-License-Identifier: MIT */
/* The pump's front end and its poll() half; the io_uring half is pump_uring.c. */
#include "net/pump_internal.h"

#include "net/loop.h"
#include "qmi/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int qnet_pump_send_transport(void *transport, const uint8_t *pkt, size_t len)
{
	struct qmi_transport *t = transport;

	if (!t->ops || !t->ops->data_send)
		return -ENOTSUP;
	return t->ops->data_send(t->impl, pkt, len);
}

const struct qnet_pump_stats *qnet_pump_stats(const struct qnet_pump *p)
{
	return &p->st;
}

uint64_t qnet_pump_drops(const struct qnet_pump_stats *s)
{
	return s->drop_up_too_big + s->drop_up_send + s->drop_down_no_buf + s->drop_down_too_big +
	       s->drop_down_bad + s->drop_down_write;
}

const char *qnet_pump_backend(const struct qnet_pump *p)
{
#ifdef QMIUSB_HAVE_URING
	if (p->uring)
		return p->multishot ? "io_uring multishot" : "io_uring fixed";
	if (qnet_loop_uring(p->loop))
		return "io_uring loop, readiness-driven TUN I/O (the TUN cannot do NOWAIT)";
#endif
	return "poll";
}

static void held_push(struct qnet_pump *p, struct pump_buf *b)
{
	b->next = NULL;
	if (p->held_tail)
		p->held_tail->next = b;
	else
		p->held_head = b;
	p->held_tail = b;
	if (++p->held > p->st.up_held_max)
		p->st.up_held_max = p->held;
}

static struct pump_buf *held_pop(struct qnet_pump *p)
{
	struct pump_buf *b = p->held_head;

	p->held_head = b->next;
	if (!p->held_head)
		p->held_tail = NULL;
	p->held--;
	return b;
}

/* 0 sent (or dropped and counted), -ENOBUFS: keep it. */
static int send_one(struct qnet_pump *p, const struct pump_buf *b)
{
	int ret = p->send(p->send_ctx, b->data, b->len);

	if (ret == -ENOBUFS)
		return ret;
	if (ret < 0) {
		p->st.drop_up_send++;
	} else {
		p->st.up_pkts++;
		p->st.up_bytes += b->len;
	}
	return 0;
}

bool pump_up_packet(struct qnet_pump *p, struct pump_buf *b)
{
	/* Behind a held packet every later one waits too: order is kept across a pause. */
	if (!p->held_head && send_one(p, b) == 0)
		return true;
	if (!p->held_head)
		p->st.up_paused++;
	held_push(p, b);
	return false;
}

static void poll_up_ready(void *user, int fd, unsigned revents)
{
	struct qnet_pump *p = user;
	struct pump_buf *b = &p->bufs[0];
	unsigned i;

	for (i = 0; i < p->reads && !p->held_head; i++) {
		ssize_t n = read(fd, b->data, p->buf_size);

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR) {
				/* A broken TUN (its interface deleted: EBADFD) stays readable and
				 * fails again: stop reading, as the io_uring path does, and let
				 * the counters tell. */
				p->st.up_read_errors++;
				p->st.up_last_read_error = -errno;
				qnet_watch_set_events(p->watch, 0);
			}
			break;
		}
		if (n == 0)
			break;
		if ((size_t)n >= p->buf_size) {
			p->st.drop_up_too_big++;
			continue;
		}
		b->len = (uint32_t)n;
		if (!pump_up_packet(p, b))
			qnet_watch_set_events(p->watch, 0); /* paused until data_tx_ready */
	}
}

void qnet_pump_data_tx_ready(void *pump)
{
	struct qnet_pump *p = pump;

	/* The transport may report readiness from inside data_send(): the outer flush continues. */
	if (p->dead || p->flushing)
		return;
	p->flushing = true;
	while (p->held_head) {
		struct pump_buf *b = p->held_head;

		if (send_one(p, b) == -ENOBUFS)
			break;
		held_pop(p);
#ifdef QMIUSB_HAVE_URING
		if (p->uring)
			pump_uring_read(p, b);
#endif
	}
	p->flushing = false;
	if (!p->held_head && !p->uring)
		qnet_watch_set_events(p->watch, POLLIN);
}

void qnet_pump_data_rx(void *pump, const uint8_t *pkt, size_t len)
{
	struct qnet_pump *p = pump;
	ssize_t n;

	if (p->dead)
		return;
	if (!len || ((pkt[0] >> 4) != 4 && (pkt[0] >> 4) != 6)) {
		p->st.drop_down_bad++;
		return;
	}
	if (len > p->buf_size) {
		p->st.drop_down_too_big++;
		return;
	}
#ifdef QMIUSB_HAVE_URING
	if (p->uring) {
		pump_uring_write(p, pkt, len);
		return;
	}
#endif
	/* A TUN write hands the packet to the stack at once; it only fails, never waits. */
	n = write(p->fd, pkt, len);
	if (n == (ssize_t)len) {
		p->st.down_pkts++;
		p->st.down_bytes += len;
	} else if (n < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
		p->st.drop_down_no_buf++;
	} else {
		p->st.drop_down_write++;
	}
}

static int set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	return fcntl(fd, F_SETFL, fl) < 0 ? -errno : 0;
}

/*
 * Whether the file lets io_uring try it without blocking (FMODE_NOWAIT; TUN has it only in
 * newer kernels, Linux 6.1 lacks it). Without it every io_uring read and write on the TUN is
 * handed to a kernel worker thread and blocks there: a thread switch per packet. RWF_NOWAIT
 * asks the same question of preadv2(); on a file that can answer, an empty TUN says EAGAIN, and
 * a waiting packet is read (returned: the caller passes it on, it is not lost).
 */
static ssize_t probe_nowait(struct qnet_pump *p, bool *nowait)
{
	struct iovec iov = { p->bufs[0].data, p->buf_size };
	ssize_t n = preadv2(p->fd, &iov, 1, -1, RWF_NOWAIT);

	*nowait = !(n < 0 && errno == EOPNOTSUPP);
	return n > 0 ? n : 0;
}

/* A packet the probe read: the first uplink packet. False when it is held (paused). */
static bool first_packet(struct qnet_pump *p, size_t n)
{
	struct pump_buf *b = &p->bufs[0];

	if (n >= p->buf_size) {
		p->st.drop_up_too_big++;
		return true;
	}
	b->len = (uint32_t)n;
	return pump_up_packet(p, b);
}

int qnet_pump_new(struct qnet_pump **out, struct qnet_loop *loop, int tun_fd, qnet_pump_send_fn send,
		  void *send_ctx, const struct qnet_pump_opts *opts)
{
	struct qnet_pump *p;
	ssize_t first = 0;
	unsigned i, n;
	int ret;

	if (tun_fd < 0 || !send)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->loop = loop;
	p->fd = tun_fd;
	p->send = send;
	p->send_ctx = send_ctx;
	p->reads = opts && opts->reads ? opts->reads : 16;
	p->fixed_reads = opts && opts->fixed_reads;
	p->tx_bufs = opts && opts->tx_bufs ? opts->tx_bufs : 64;
	p->buf_size = opts && opts->buf_size ? opts->buf_size : 2048;
	ret = -EINVAL;
	if (p->reads > 1024 || p->tx_bufs > 1024 || p->buf_size < 64 || p->buf_size > 65536)
		goto fail;
#ifdef QMIUSB_HAVE_URING
	p->uring = qnet_loop_uring(loop) != NULL;
#endif
	n = p->reads + p->tx_bufs;
	ret = -ENOMEM;
	p->bufs = calloc(n, sizeof(*p->bufs));
	p->mem = aligned_alloc(4096, ((size_t)n * p->buf_size + 4095) & ~(size_t)4095);
	if (!p->bufs || !p->mem)
		goto fail;
	for (i = 0; i < n; i++) {
		p->bufs[i].p = p;
		p->bufs[i].idx = (uint16_t)i;
		p->bufs[i].data = p->mem + (size_t)i * p->buf_size;
	}
	for (i = p->reads; i < n; i++) {
		p->bufs[i].next = p->free_tx;
		p->free_tx = &p->bufs[i];
	}
	if (p->uring) {
		bool nowait;

		first = probe_nowait(p, &nowait);
		p->uring = nowait;
	}
	/* io_uring honours O_NONBLOCK by failing reads with -EAGAIN instead of waiting in the
	 * ring; poll() needs it so a spurious wakeup cannot block the loop. */
	ret = set_nonblock(tun_fd, !p->uring);
	if (ret < 0)
		goto fail;
#ifdef QMIUSB_HAVE_URING
	if (p->uring) {
		ret = pump_uring_start(p, first > 0 ? !first_packet(p, (size_t)first) : false);
		if (ret < 0)
			goto fail;
		*out = p;
		return 0;
	}
#endif
	ret = qnet_loop_watch(loop, tun_fd, POLLIN, poll_up_ready, p, &p->watch);
	if (ret < 0)
		goto fail;
	if (first > 0 && !first_packet(p, (size_t)first))
		qnet_watch_set_events(p->watch, 0);
	*out = p;
	return 0;
fail:
	pump_destroy(p);
	return ret;
}

void pump_destroy(struct qnet_pump *p)
{
	free(p->mem);
	free(p->bufs);
	free(p);
}

void qnet_pump_free(struct qnet_pump *p)
{
	if (!p)
		return;
	qnet_watch_remove(p->watch);
	p->watch = NULL;
	p->dead = true;
#ifdef QMIUSB_HAVE_URING
	if (p->uring) {
		pump_uring_stop(p); /* frees p now or when the last operation completes */
		return;
	}
#endif
	pump_destroy(p);
}
