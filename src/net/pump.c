/* SPDX-License-Identifier: MIT */
/*
 * The pump's core: its buffers, the backpressure rule, and its lifetime. What a transfer looks
 * like is the framing's business (pump_rawip.c, pump_qmap.c); how the TUN is read and written is
 * the backend's (pump_poll.c, pump_uring.c).
 */
#include "net/pump_internal.h"
#include "net/tun_io.h"

#include "qmi/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int qnet_pump_send_transport(void *transport, const uint8_t *pkt, size_t len)
{
	struct qmi_transport *t = transport;

	if (!t->ops || !t->ops->data_send)
		return -ENOTSUP;
	return t->ops->data_send(t->impl, pkt, len);
}

static int tx_buf_transport(void *transport, uint8_t **buf, size_t *cap)
{
	struct qmi_transport *t = transport;

	return t->ops ? t->ops->data_tx_buf(t->impl, buf, cap) : -ENOTCONN;
}

static int tx_send_transport(void *transport, size_t len)
{
	struct qmi_transport *t = transport;

	return t->ops ? t->ops->data_tx_send(t->impl, len) : -ENOTCONN;
}

int qnet_pump_tx_transport(struct qnet_pump_tx *out, struct qmi_transport *t)
{
	if (!t || !t->ops || !t->ops->data_tx_buf || !t->ops->data_tx_send)
		return -ENOTSUP;
	*out = (struct qnet_pump_tx){ tx_buf_transport, tx_send_transport, t };
	return 0;
}

int pump_lend(struct qnet_pump *p)
{
	uint8_t *buf;
	size_t cap;
	int ret;

	if (p->lent)
		return 0;
	ret = p->tx.buf(p->tx.ctx, &buf, &cap);
	if (ret == -ENOBUFS)
		p->lent_wait = true;
	if (ret < 0)
		return ret;
	p->lent = buf;
	p->lent_cap = cap;
	return 0;
}

const struct qnet_pump_stats *qnet_pump_stats(const struct qnet_pump *p)
{
	return &p->st;
}

uint64_t qnet_pump_drops(const struct qnet_pump_stats *s)
{
	return s->drop_up_too_big + s->drop_up_bad + s->drop_up_send + s->drop_down_no_buf +
	       s->drop_down_too_big + s->drop_down_bad + s->drop_down_write +
	       s->drop_down_qmap_bad + s->drop_down_qmap_trunc;
}

/* What moves the TUN reads when the pump reads in passes (the poll backend). */
static const char *loop_label(struct qb_loop *loop)
{
#ifdef QMIUSB_HAVE_URING
	if (qb_loop_uring(loop))
		return "io_uring loop, readiness-driven TUN I/O";
#endif
	(void)loop;
	return "poll";
}

/* qnet_pump_backend's answer for a pump that reads in passes on either loop (with offloads, or
 * in place); the other backends name themselves. */
static void describe(struct qnet_pump *p)
{
	char names[48];

	if (!(p->offloads & QNET_OFF_VNET) && !p->inplace)
		return;
	snprintf(p->desc, sizeof(p->desc), "%s%s%s%s", loop_label(p->loop),
		 p->offloads & QNET_OFF_VNET ? ", offloads " : "",
		 p->offloads & QNET_OFF_VNET ? qnet_offload_name(p->offloads, names, sizeof(names))
					     : "",
		 p->inplace ? ", in place" : "");
}

const char *qnet_pump_backend(const struct qnet_pump *p)
{
	if (p->desc[0])
		return p->desc;
#ifdef QMIUSB_HAVE_URING
	if (p->be == &pump_uring)
		return p->multishot ? "io_uring multishot" : "io_uring fixed";
	if (qb_loop_uring(p->loop))
		return "io_uring loop, readiness-driven TUN I/O (the TUN cannot do NOWAIT)";
#endif
	return "poll";
}

/*
 * Every send() may free the pump (qnet_pump_free from inside it): after one, a closing pump
 * stops where it is.
 *
 * The backpressure rule. When the modem side answers -ENOBUFS the packet (or the aggregate
 * holding it) is held and TUN reads stop; every later packet waits behind it, so order is kept
 * across a pause. data_tx_ready passes the held packets on, oldest first, and reads resume once
 * nothing is held. A packet is only held in the uplink buffer it was read into, so at most
 * `reads` are ever held; the rest wait in the TUN's own kernel queue.
 */
bool pump_blocked(const struct qnet_pump *p)
{
	return !qb_list_empty(&p->held) || p->agg_held || p->lent_len || p->lent_wait;
}

void pump_note_refused(struct qnet_pump *p, unsigned frames, bool new_pause)
{
	if (new_pause)
		p->st.up_paused++;
	if (frames + p->held_n > p->st.up_held_max)
		p->st.up_held_max = frames + p->held_n;
}

bool pump_up_packet(struct qnet_pump *p, struct pump_buf *b)
{
	if (p->closing)
		return false; /* freed from inside send(): the buffer goes with the pump */
	if (!pump_blocked(p) && p->ul->up(p, b) == 0)
		return true;
	pump_note_refused(p, 1, !pump_blocked(p));
	qb_list_add_tail(&p->held, &b->node);
	p->held_n++;
	return false;
}

bool pump_release_held(struct qnet_pump *p)
{
	struct qb_list *n;

	while ((n = qb_list_first(&p->held)) && !p->agg_held && !p->closing) {
		struct pump_buf *b = qb_list_entry(n, struct pump_buf, node);

		if (p->ul->up(p, b) == -ENOBUFS)
			break;
		qb_list_del(&b->node);
		p->held_n--;
		p->be->recycle(p, b);
	}
	return !pump_blocked(p);
}

void qnet_pump_data_tx_ready(void *pump)
{
	struct qnet_pump *p = pump;

	/* The transport may report readiness from inside data_send(): the outer flush continues. */
	if (p->closing || p->flushing)
		return;
	p->flushing = true;
	/* MAP command answers first; with the modem's flow control off nothing else goes. */
	if (!pump_cmds_flush(&p->cmds, p->send, p->send_ctx, &p->closing) || p->flow_off) {
		p->flushing = false;
		return;
	}
	p->ul->tx_ready(p);
	p->flushing = false;
	if (!p->closing && !pump_blocked(p) && !p->awaiting) {
		p->be->pause(p, false);
		/* The rest of a super-packet waits in the pump, not in the TUN: no wakeup brings
		 * it. */
		if (p->gso_on)
			p->be->pass(p);
	}
}

void pump_read_error(struct qnet_pump *p, int err)
{
	/* A broken TUN (its interface deleted: EBADFD) would fail every read again: reading
	 * stops, and the counters tell. */
	p->st.up_read_errors++;
	p->st.up_last_read_error = err ? err : -EIO;
}

bool pump_down_check(struct qnet_pump *p, const uint8_t *pkt, size_t len)
{
	if (!len || ((pkt[0] >> 4) != 4 && (pkt[0] >> 4) != 6)) {
		p->st.drop_down_bad++;
		return false;
	}
	if (len > p->buf_size) {
		p->st.drop_down_too_big++;
		return false;
	}
	return true;
}

void pump_down_packet(struct qnet_pump *p, const uint8_t *pkt, size_t len)
{
	if (pump_down_check(p, pkt, len))
		p->be->write(p, pkt, len);
}

void qnet_pump_data_rx(void *pump, const uint8_t *pkt, size_t len)
{
	struct qnet_pump *p = pump;

	if (!p->closing)
		p->dl->down(p, pkt, len);
}

static int set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	return fcntl(fd, F_SETFL, fl) < 0 ? -errno : 0;
}

#ifdef QMIUSB_HAVE_URING
/*
 * Whether the file lets io_uring try it without blocking (FMODE_NOWAIT; TUN has it only in
 * newer kernels, Linux 6.1 lacks it). Without it every io_uring read and write on the TUN is
 * handed to a kernel worker thread and blocks there: a thread switch per packet. RWF_NOWAIT
 * asks the same question of preadv2() (qnet_tun_read_nowait); on a file that can answer, an
 * empty TUN says EAGAIN, and a waiting packet is read (returned: the caller passes it on, it is
 * not lost).
 */
static ssize_t probe_nowait(struct qnet_pump *p, bool *nowait)
{
	ssize_t n = qnet_tun_read_nowait(p->fd, p->bufs[0].data, p->buf_size);

	*nowait = !(n < 0 && errno == EOPNOTSUPP);
	return n > 0 ? n : 0;
}
#endif

/* A packet the probe read: the first uplink packet. False when it is held. */
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

static void pump_destroy(struct qnet_pump *p)
{
	free(p->agg_mem);
	free(p->off_mem);
	free(p->mem);
	free(p->bufs);
	free(p);
}

/* The pump and its buffers, from the options. *out is set whenever the pump itself was
 * allocated, also on failure (then for pump_destroy). */
static int pump_alloc(struct qnet_pump **out, const struct qnet_pump_opts *opts)
{
	struct qnet_pump *p = calloc(1, sizeof(*p));
	unsigned i, n;

	if (!p)
		return -ENOMEM;
	p->reads = opts && opts->reads ? opts->reads : 16;
	p->fixed_reads = opts && opts->fixed_reads;
	p->tx_bufs = opts && opts->tx_bufs ? opts->tx_bufs : 64;
	p->buf_size = opts && opts->buf_size ? opts->buf_size : 2048;
	p->pass_max = p->reads;
	p->offloads = opts ? opts->offloads : 0;
	p->inplace = opts && opts->tx;
	if (p->inplace)
		p->tx = *opts->tx;
	p->ul = p->dl = &pump_rawip;
	qb_list_init(&p->held);
	qb_list_init(&p->free_tx);
	p->cmds.answers = &p->st.qmap_cmd_answers;
	p->cmds.drop_answer = &p->st.qmap_cmd_answers_lost;
	p->cmds.bad = &p->st.qmap_cmd_bad;
	*out = p;
	if (p->reads > 1024 || p->tx_bufs > 1024 || p->buf_size < 64 || p->buf_size > 65536 ||
	    (p->inplace && (!p->tx.buf || !p->tx.send)))
		return -EINVAL;
	n = p->reads + p->tx_bufs;
	p->bufs = calloc(n, sizeof(*p->bufs));
	p->mem = aligned_alloc(4096, ((size_t)n * p->buf_size + 4095) & ~(size_t)4095);
	if (!p->bufs || !p->mem)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		p->bufs[i].p = p;
		p->bufs[i].idx = (uint16_t)i;
		p->bufs[i].data = p->mem + (size_t)i * p->buf_size;
		qb_list_init(&p->bufs[i].node);
		if (i >= p->reads)
			qb_list_add_tail(&p->free_tx, &p->bufs[i].node);
	}
	return pump_off_init(p);
}

int qnet_pump_new(struct qnet_pump **out, struct qb_loop *loop, int tun_fd, qnet_pump_send_fn send,
		  void *send_ctx, const struct qnet_pump_opts *opts)
{
	struct qnet_pump *p = NULL;
	bool nowait = false, held = false;
	ssize_t first = 0;
	int ret;

	if (tun_fd < 0 || !send)
		return -EINVAL;
	ret = pump_alloc(&p, opts);
	if (ret < 0)
		goto fail;
	p->loop = loop;
	p->fd = tun_fd;
	p->send = send;
	p->send_ctx = send_ctx;
	p->be = &pump_poll;
	qb_timer_init(&p->agg_timer, loop, pump_agg_timer_fire, p);
#ifdef QMIUSB_HAVE_URING
	/* The offload path reads in passes: one read may bring a whole super-packet. So does the
	 * in-place path: a read lands in the transport's buffer, which only one pass may hold. */
	if (qb_loop_uring(loop) && !(p->offloads & QNET_OFF_VNET) && !p->inplace) {
		first = probe_nowait(p, &nowait);
		if (nowait)
			p->be = &pump_uring;
	}
#endif
	describe(p);
	/* io_uring honours O_NONBLOCK by failing reads with -EAGAIN instead of waiting in the
	 * ring; poll() needs it so a spurious wakeup cannot block the loop. */
	ret = set_nonblock(tun_fd, !nowait);
	if (ret < 0)
		goto fail;
	if (first > 0)
		held = !first_packet(p, (size_t)first);
	ret = p->be->start(p, held);
	if (ret < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	if (p)
		pump_destroy(p);
	return ret;
}

static void pump_close_cb(struct qb_close *c)
{
	pump_destroy(qb_container_of(c, struct qnet_pump, close));
}

void pump_closed(struct qnet_pump *p)
{
	p->be->release(p);
	qb_loop_close(p->loop, &p->close, pump_close_cb);
}

/* The pump may be freed from inside one of its own callbacks (a send() that tears the
 * connection down): it only closes here, and goes once its I/O has returned and no callback is
 * on the stack. */
void qnet_pump_free(struct qnet_pump *p)
{
	if (!p || p->closing)
		return;
	p->closing = true;
	qb_timer_stop(&p->agg_timer);
	if (!p->be->stop(p))
		pump_closed(p);
}
