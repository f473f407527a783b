/* SPDX-License-Identifier: MIT */
/*
 * The pump on readiness (poll(), or an io_uring loop whose TUN cannot do non-blocking attempts):
 * a watch reads up to pass_max packets per wakeup, a pass, and downlink packets are written at
 * once. The TUN is non-blocking, so a spurious wakeup costs one -EAGAIN.
 */
#include "net/pump_internal.h"
#include "net/tun_io.h"

#include <errno.h>
#include <poll.h>

/* With offloads: pass_max reads, and every segment of the last super-packet read. */
static void offload_pass(struct qnet_pump *p)
{
	unsigned reads = 0;
	int r;

	while ((reads < p->pass_max || p->gso_on) && !pump_blocked(p) && !p->closing) {
		r = pump_off_up(p);
		if (r < 0) {
			pump_read_error(p, r);
			qb_watch_set_events(p->watch, 0);
		}
		if (r <= 0)
			break;
		reads += r == 1;
	}
}

static void plain_pass(struct qnet_pump *p)
{
	unsigned i;

	for (i = 0; i < p->pass_max && !pump_blocked(p) && !p->closing; i++) {
		uint8_t *dst = p->ul->read_buf(p);
		ssize_t n;

		if (!dst)
			break;
		n = qnet_tun_read(p->fd, dst, p->buf_size);
		if (n < 0 && errno == EPROTO) {
			p->st.drop_up_bad++; /* the framing rejected one packet; the next may be fine */
			continue;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR) {
				pump_read_error(p, -errno);
				qb_watch_set_events(p->watch, 0);
			}
			break;
		}
		if (n == 0)
			break;
		if ((size_t)n >= p->buf_size) {
			p->st.drop_up_too_big++; /* it filled the buffer: maybe truncated */
			continue;
		}
		p->ul->read_done(p, dst, (size_t)n);
	}
}

static void poll_pass(struct qnet_pump *p)
{
	if (p->offloads & QNET_OFF_VNET)
		offload_pass(p);
	else
		plain_pass(p);
	if (!p->closing)
		p->ul->pass_end(p);
	if (!p->closing && (pump_blocked(p) || p->awaiting))
		qb_watch_set_events(p->watch, 0); /* until data_tx_ready */
}

static void poll_ready(void *user, int fd, unsigned revents)
{
	poll_pass(user);
}

static int poll_start(struct qnet_pump *p, bool first_held)
{
	return qb_loop_watch(p->loop, p->fd, first_held ? 0 : POLLIN, poll_ready, p, &p->watch);
}

static unsigned poll_stop(struct qnet_pump *p)
{
	qb_watch_remove(p->watch);
	p->watch = NULL;
	return 0;
}

static void poll_release(struct qnet_pump *p)
{
}

static void poll_recycle(struct qnet_pump *p, struct pump_buf *b)
{
	/* Passes read into the framing's own buffer: nothing to give back. */
}

static void poll_pause(struct qnet_pump *p, bool paused)
{
	qb_watch_set_events(p->watch, paused ? 0 : POLLIN);
}

static void poll_write(struct qnet_pump *p, const uint8_t *pkt, size_t len)
{
	/* A TUN write hands the packet to the stack at once; it only fails, never waits. */
	ssize_t n;

	if (p->offloads & QNET_OFF_VNET) {
		pump_off_write(p, pkt, len);
		return;
	}
	n = qnet_tun_write(p->fd, pkt, len);
	if (n == (ssize_t)len) {
		p->st.down_pkts++;
		p->st.down_bytes += len;
	} else if (n < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
		p->st.drop_down_no_buf++;
	} else {
		p->st.drop_down_write++;
	}
}

const struct pump_backend pump_poll = {
	.passes = true,
	.start = poll_start,
	.stop = poll_stop,
	.release = poll_release,
	.recycle = poll_recycle,
	.pause = poll_pause,
	.pass = poll_pass,
	.write = poll_write,
};
