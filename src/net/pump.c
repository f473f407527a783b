/* SPDX-License-Identifier: MIT */
/* The pump's front end and its poll() half; the io_uring half is pump_uring.c. */
#include "net/pump_internal.h"

#include "base/loop.h"
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
	       s->drop_down_bad + s->drop_down_write + s->drop_down_qmap_bad +
	       s->drop_down_qmap_trunc;
}

const char *qnet_pump_backend(const struct qnet_pump *p)
{
#ifdef QMIUSB_HAVE_URING
	if (p->uring)
		return p->multishot ? "io_uring multishot" : "io_uring fixed";
	if (qb_loop_uring(p->loop))
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

/* ---- QMAP uplink ---- */

/* Sends the aggregate: 0 (sent, or dropped and counted), or -ENOBUFS (held until tx_ready). */
static int agg_send(struct qnet_pump *p)
{
	int ret;

	if (!p->agg.len)
		return 0;
	ret = p->send(p->send_ctx, p->agg.buf, p->agg.len);
	if (ret == -ENOBUFS) {
		if (!p->agg_held)
			p->st.up_paused++;
		p->agg_held = true;
		if (p->agg.frames + p->held > p->st.up_held_max)
			p->st.up_held_max = p->agg.frames + p->held;
		return ret;
	}
	if (ret < 0) {
		p->st.drop_up_send += p->agg.frames;
	} else {
		p->st.up_pkts += p->agg.frames;
		p->st.up_bytes += p->agg_bytes;
		p->st.up_aggs++;
	}
	p->agg_held = false;
	qmi_qmap_agg_reset(&p->agg);
	p->agg_bytes = 0;
	return 0;
}

static void agg_timer_fire(void *user)
{
	struct qnet_pump *p = user;

	p->agg_timer = NULL;
	if (!p->agg_held)
		agg_send(p);
}

bool pump_up_qmap(struct qnet_pump *p, struct pump_buf *b)
{
	int ret;

	if (p->agg_held || p->held_head) {
		held_push(p, b); /* behind the held aggregate: order is kept */
		return false;
	}
	ret = qmi_qmap_agg_add(&p->agg, b->data, b->len);
	if (ret == -ENOSPC) {
		if (agg_send(p) < 0) {
			held_push(p, b);
			return false;
		}
		ret = qmi_qmap_agg_add(&p->agg, b->data, b->len);
	}
	if (ret < 0) {
		p->st.drop_up_too_big++; /* above the granted aggregate size */
		return true;
	}
	p->agg_bytes += b->len;
	if (!qmi_qmap_agg_room(&p->agg, p->buf_size))
		agg_send(p); /* full: held or not, the packet is in the aggregate */
	else if (p->uring && !p->agg_timer)
		/* io_uring delivers reads one completion at a time: send after this pass. */
		qb_loop_timer_old(p->loop, 0, agg_timer_fire, p, &p->agg_timer);
	return true;
}

static void poll_up_read(struct qnet_pump *p, int fd);

static void qmap_tx_ready(struct qnet_pump *p)
{
	if (p->awaiting && !p->uring) {
		/* Paced: a transfer completed; send what the TUN holds now (watching it again if
		 * nothing was there). */
		p->awaiting = false;
		poll_up_read(p, p->fd);
		return;
	}
	if (p->agg_held && !p->uring && !p->held_head) {
		/* A transfer slot freed: what waits in the TUN joins the held aggregate first. */
		p->agg_held = false;
		poll_up_read(p, p->fd);
		return;
	}
	if (p->agg_held && agg_send(p) == -ENOBUFS)
		return;
	while (p->held_head) {
		struct pump_buf *b = p->held_head;

		if (qmi_qmap_agg_add(&p->agg, b->data, b->len) == -ENOSPC) {
			if (agg_send(p) == -ENOBUFS)
				return;
			continue;
		}
		p->agg_bytes += b->len;
		held_pop(p);
#ifdef QMIUSB_HAVE_URING
		if (p->uring)
			pump_uring_read(p, b);
#endif
	}
	agg_send(p);
}

int qnet_pump_set_qmap(struct qnet_pump *p, const struct qnet_pump_qmap *q)
{
	bool ul = q && q->ul, dl = q && q->dl;
	uint8_t *mem = NULL;

	if (p->held_head || p->agg_held || p->agg.len)
		return -EBUSY; /* packets framed for the old format are still waiting */
	if (ul) {
		size_t size = q->ul_max_size;

		if (size < QMI_QMAP_HDR_LEN + p->buf_size || size > QMI_QMAP_MAX_PAYLOAD + 1)
			return -EINVAL;
		mem = malloc(size);
		if (!mem)
			return -ENOMEM;
		free(p->agg_mem);
		p->agg_mem = mem;
		qmi_qmap_agg_init(&p->agg, mem, size, q->ul_max_dgrams ? q->ul_max_dgrams : 1,
				  q->mux_id, true);
	}
	p->qmap_ul = ul;
	p->qmap_dl = dl;
	p->paced = ul && q->paced;
	if (p->awaiting && !p->paced) {
		p->awaiting = false;
		if (!p->uring)
			qb_watch_set_events(p->watch, POLLIN);
	}
	p->mux_id = q ? q->mux_id : 0;
	return 0;
}

bool pump_up_packet(struct qnet_pump *p, struct pump_buf *b)
{
	if (p->qmap_ul)
		return pump_up_qmap(p, b);
	/* Behind a held packet every later one waits too: order is kept across a pause. */
	if (!p->held_head && send_one(p, b) == 0)
		return true;
	if (!p->held_head)
		p->st.up_paused++;
	held_push(p, b);
	return false;
}

/* QMAP, nothing held: reads straight into the aggregate (no copy). 1 read a packet, 0 nothing
 * more to read now, -1 stop (send refused, or a read error). */
static int qmap_read_into_agg(struct qnet_pump *p, int fd)
{
	uint8_t *dst = qmi_qmap_agg_reserve(&p->agg, p->buf_size);
	ssize_t n;

	if (!dst) {
		if (agg_send(p) < 0)
			return -1;
		dst = qmi_qmap_agg_reserve(&p->agg, p->buf_size);
		if (!dst)
			return -1; /* cannot happen: qnet_pump_set_qmap checked the size */
	}
	n = read(fd, dst, p->buf_size);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR) {
			p->st.up_read_errors++;
			p->st.up_last_read_error = -errno;
			qb_watch_set_events(p->watch, 0);
			return -1;
		}
		return 0;
	}
	if (n == 0)
		return 0;
	if ((size_t)n >= p->buf_size) {
		p->st.drop_up_too_big++;
		return 1;
	}
	qmi_qmap_agg_commit(&p->agg, (size_t)n);
	p->agg_bytes += (size_t)n;
	return 1;
}

static void poll_up_read(struct qnet_pump *p, int fd)
{
	struct pump_buf *b = &p->bufs[0];
	unsigned i;

	/* With QMAP one wakeup may fill a whole aggregate. */
	unsigned budget = p->qmap_ul && p->agg.max_frames > p->reads ? p->agg.max_frames : p->reads;

	for (i = 0; i < budget && !p->held_head && !p->agg_held; i++) {
		if (p->qmap_ul) {
			if (qmap_read_into_agg(p, fd) <= 0)
				break;
			continue;
		}
		ssize_t n = read(fd, b->data, p->buf_size);

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR) {
				/* A broken TUN (its interface deleted: EBADFD) stays readable and
				 * fails again: stop reading, as the io_uring path does, and let
				 * the counters tell. */
				p->st.up_read_errors++;
				p->st.up_last_read_error = -errno;
				qb_watch_set_events(p->watch, 0);
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
			qb_watch_set_events(p->watch, 0); /* paused until data_tx_ready */
	}
	/* Natural batching: what this wakeup read leaves now, as one transfer. */
	if (p->qmap_ul && !p->agg_held) {
		bool any = p->agg.len > 0;

		if (agg_send(p) < 0 || (any && p->paced && !p->agg_held)) {
			p->awaiting = !p->agg_held; /* paced: the completion brings us back */
			qb_watch_set_events(p->watch, 0);
		}
	} else if (p->qmap_ul) {
		qb_watch_set_events(p->watch, 0); /* held: paused until data_tx_ready */
	}
}

static void poll_up_ready(void *user, int fd, unsigned revents)
{
	poll_up_read(user, fd);
}

void qnet_pump_data_tx_ready(void *pump)
{
	struct qnet_pump *p = pump;

	/* The transport may report readiness from inside data_send(): the outer flush continues. */
	if (p->dead || p->flushing)
		return;
	p->flushing = true;
	if (p->qmap_ul) {
		qmap_tx_ready(p);
		p->flushing = false;
		if (!p->held_head && !p->agg_held && !p->awaiting && !p->uring)
			qb_watch_set_events(p->watch, POLLIN);
		return;
	}
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
		qb_watch_set_events(p->watch, POLLIN);
}

static void down_one(struct qnet_pump *p, const uint8_t *pkt, size_t len)
{
	ssize_t n;

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

/* One transfer of MAP frames: each is judged alone, so a bad frame costs only itself, unless
 * its length cannot be trusted (then the rest of this transfer is lost, and counted). */
static void down_qmap(struct qnet_pump *p, const uint8_t *buf, size_t len)
{
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;
	int r;

	p->st.down_aggs++;
	qmi_qmap_iter_init(&it, buf, len);
	while ((r = qmi_qmap_next(&it, &f)) > 0 && !p->dead) {
		if (f.kind == QMI_QMAP_COMMAND)
			p->st.down_qmap_commands++;
		else if (f.kind == QMI_QMAP_BAD || f.mux_id != p->mux_id)
			p->st.drop_down_qmap_bad++;
		else
			down_one(p, f.pkt, f.len);
	}
	if (r < 0)
		p->st.drop_down_qmap_trunc++;
}

void qnet_pump_data_rx(void *pump, const uint8_t *pkt, size_t len)
{
	struct qnet_pump *p = pump;

	if (p->dead)
		return;
	if (p->qmap_dl)
		down_qmap(p, pkt, len);
	else
		down_one(p, pkt, len);
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

int qnet_pump_new(struct qnet_pump **out, struct qb_loop *loop, int tun_fd,
		  qnet_pump_send_fn send, void *send_ctx, const struct qnet_pump_opts *opts)
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
	p->uring = qb_loop_uring(loop) != NULL;
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
	ret = qb_loop_watch(loop, tun_fd, POLLIN, poll_up_ready, p, &p->watch);
	if (ret < 0)
		goto fail;
	if (first > 0 && !first_packet(p, (size_t)first))
		qb_watch_set_events(p->watch, 0);
	*out = p;
	return 0;
fail:
	pump_destroy(p);
	return ret;
}

void pump_destroy(struct qnet_pump *p)
{
	free(p->agg_mem);
	free(p->mem);
	free(p->bufs);
	free(p);
}

void qnet_pump_free(struct qnet_pump *p)
{
	if (!p)
		return;
	qb_watch_remove(p->watch);
	p->watch = NULL;
	qb_timer_old_cancel(p->agg_timer);
	p->agg_timer = NULL;
	p->dead = true;
#ifdef QMIUSB_HAVE_URING
	if (p->uring) {
		pump_uring_stop(p); /* frees p now or when the last operation completes */
		return;
	}
#endif
	pump_destroy(p);
}
