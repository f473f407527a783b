/* SPDX-License-Identifier: MIT */
/*
 * The pump on io_uring: one multishot read filling uplink buffers from a provided-buffer ring
 * (Linux 6.7+), or `reads` TUN reads always in flight on registered buffers; downlink packets
 * become writes from registered buffers; all of them ride in the loop's batched submit.
 * The buffers belong to the kernel while their operation is in the ring: a closing pump ignores
 * its completions and goes (pump_closed) when the last one has returned.
 */
#include "net/pump_internal.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>

/* Not in liburing 2.3's enum yet: the value after IORING_OP_SENDMSG_ZC. */
#define OP_READ_MULTISHOT 49

/* A completion came back: false when the pump is closing and it must be ignored. */
static bool op_done(struct qnet_pump *p, bool last)
{
	if (last)
		p->inflight--;
	if (!p->closing)
		return true;
	if (last && !p->inflight)
		pump_closed(p);
	return false;
}

static void uring_read(struct qnet_pump *p, struct pump_buf *b);

static void up_done(struct qb_uring_op *op, int res, unsigned flags)
{
	struct pump_buf *b = (struct pump_buf *)op;
	struct qnet_pump *p = b->p;

	if (!op_done(p, true))
		return;
	if (res == -EAGAIN || res == -EINTR) {
		uring_read(p, b);
		return;
	}
	if (res <= 0) {
		pump_read_error(p, res); /* this buffer stops */
		return;
	}
	if ((unsigned)res >= p->buf_size) {
		p->st.drop_up_too_big++;
		uring_read(p, b);
		return;
	}
	b->len = (uint32_t)res;
	if (pump_up_packet(p, b))
		uring_read(p, b);
}

static void queue_write(struct qnet_pump *p, struct pump_buf *b);

static void down_done(struct qb_uring_op *op, int res, unsigned flags)
{
	struct pump_buf *b = (struct pump_buf *)op;
	struct qnet_pump *p = b->p;

	if (!op_done(p, true))
		return;
	if (res == (int)b->len) {
		p->st.down_pkts++;
		p->st.down_bytes += b->len;
	} else if (res == -EAGAIN || res == -ENOBUFS) {
		p->st.drop_down_no_buf++;
	} else if (res == -EOPNOTSUPP && (b->flags_nowait)) {
		/* This file cannot say "would block" (TUN before Linux 6.x): write again without
		 * asking, in completion order, which is the order they were queued in. */
		p->write_nowait = false;
		queue_write(p, b);
		return;
	} else {
		p->st.drop_down_write++;
	}
	qb_list_add_tail(&p->free_tx, &b->node);
}

static void ms_arm(struct qnet_pump *p);

static void ms_done(struct qb_uring_op *op, int res, unsigned flags)
{
	struct qnet_pump *p = qb_container_of(op, struct qnet_pump, ms_op);
	bool more = flags & IORING_CQE_F_MORE;
	struct pump_buf *b = NULL;

	if (!more)
		p->ms_armed = false;
	if (!op_done(p, !more))
		return;
	if (flags & IORING_CQE_F_BUFFER) {
		unsigned bid = flags >> IORING_CQE_BUFFER_SHIFT;

		if (bid < p->reads)
			b = &p->bufs[bid];
	}
	if (res > 0 && b) {
		if ((unsigned)res >= p->buf_size) {
			p->st.drop_up_too_big++;
			uring_read(p, b);
		} else {
			b->len = (uint32_t)res;
			if (pump_up_packet(p, b))
				uring_read(p, b);
		}
	} else if (b) {
		uring_read(p, b);
	}
	if (more || p->ms_armed)
		return;
	/* -ENOBUFS: the kernel found the buffer ring empty. Buffers returned since (by the
	 * completions before this one) let it go on; with every buffer held (paused),
	 * uring_read() re-arms when one comes back. */
	if (res == -ECANCELED || (res == -ENOBUFS && p->held_n >= p->reads))
		return;
	if (res < 0 && res != -ENOBUFS && res != -EAGAIN && res != -EINTR) {
		pump_read_error(p, res);
		return;
	}
	ms_arm(p);
}

static void ms_arm(struct qnet_pump *p)
{
	struct io_uring_sqe *sqe;

	if (p->ms_armed || p->closing)
		return;
	sqe = qb_uring_get_sqe(p->loop);
	if (!sqe) {
		pump_read_error(p, -EBUSY);
		return;
	}
	io_uring_prep_rw(OP_READ_MULTISHOT, sqe, p->fd, NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = (uint16_t)p->bgid;
	p->ms_op.cb = ms_done;
	qb_uring_sqe_set_op(sqe, &p->ms_op);
	p->ms_armed = true;
	p->inflight++;
}

static void uring_read(struct qnet_pump *p, struct pump_buf *b)
{
	struct io_uring_sqe *sqe;

	if (p->closing)
		return; /* freed from inside send(): nothing new goes into the ring */
	if (p->multishot) {
		io_uring_buf_ring_add(p->br, b->data, p->buf_size, b->idx,
				      io_uring_buf_ring_mask(p->br_entries), 0);
		io_uring_buf_ring_advance(p->br, 1);
		ms_arm(p);
		return;
	}
	sqe = qb_uring_get_sqe(p->loop);
	if (!sqe) {
		pump_read_error(p, -EBUSY);
		return;
	}
	if (p->registered)
		io_uring_prep_read_fixed(sqe, p->fd, b->data, p->buf_size, 0, b->idx);
	else
		io_uring_prep_read(sqe, p->fd, b->data, p->buf_size, 0);
	b->op.cb = up_done;
	qb_uring_sqe_set_op(sqe, &b->op);
	p->inflight++;
}

static void queue_write(struct qnet_pump *p, struct pump_buf *b)
{
	struct io_uring_sqe *sqe = qb_uring_get_sqe(p->loop);

	if (!sqe) {
		p->st.drop_down_write++;
		qb_list_add_tail(&p->free_tx, &b->node);
		return;
	}
	if (p->registered)
		io_uring_prep_write_fixed(sqe, p->fd, b->data, b->len, 0, b->idx);
	else
		io_uring_prep_write(sqe, p->fd, b->data, b->len, 0);
	/* RWF_NOWAIT: a write that would wait fails instead. A TUN write never waits, but a
	 * waiting write would let a later one overtake it; a drop keeps the order, as poll() does. */
	b->flags_nowait = p->write_nowait;
	if (p->write_nowait)
		sqe->rw_flags = RWF_NOWAIT;
	b->op.cb = down_done;
	qb_uring_sqe_set_op(sqe, &b->op);
	p->inflight++;
}

static void uring_write(struct qnet_pump *p, const uint8_t *pkt, size_t len)
{
	struct qb_list *n = qb_list_first(&p->free_tx);
	struct pump_buf *b;

	if (!n) {
		p->st.drop_down_no_buf++;
		return;
	}
	b = qb_list_entry(n, struct pump_buf, node);
	qb_list_del(n);
	memcpy(b->data, pkt, len);
	b->len = (uint32_t)len;
	queue_write(p, b);
}

/* Multishot reads when the kernel has them and a buffer group id is free on this ring; else
 * the fixed reads stay. */
static void ms_setup(struct qnet_pump *p, struct io_uring *ring)
{
	struct io_uring_probe *probe = io_uring_get_probe_ring(ring);
	struct io_uring_buf_reg reg;
	unsigned entries = 1;
	bool ok = probe && io_uring_opcode_supported(probe, OP_READ_MULTISHOT);
	void *mem;
	int bgid;

	io_uring_free_probe(probe);
	if (!ok || p->fixed_reads)
		return;
	while (entries < p->reads)
		entries <<= 1;
	mem = mmap(NULL, entries * sizeof(struct io_uring_buf), PROT_READ | PROT_WRITE,
		   MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
	if (mem == MAP_FAILED)
		return;
	for (bgid = 0; bgid < 64; bgid++) {
		memset(&reg, 0, sizeof(reg));
		reg.ring_addr = (uint64_t)(uintptr_t)mem;
		reg.ring_entries = entries;
		reg.bgid = (uint16_t)bgid;
		if (io_uring_register_buf_ring(ring, &reg, 0) == 0)
			break;
	}
	if (bgid == 64) {
		munmap(mem, entries * sizeof(struct io_uring_buf));
		return;
	}
	p->br = mem;
	p->br_entries = entries;
	p->bgid = bgid;
	io_uring_buf_ring_init(p->br);
	p->multishot = true;
}

static int uring_start(struct qnet_pump *p, bool first_held)
{
	struct io_uring *ring = qb_loop_uring(p->loop);
	unsigned n = p->reads + p->tx_bufs, i;
	struct iovec *iov = calloc(n, sizeof(*iov));

	if (!iov)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		iov[i] = (struct iovec){ p->bufs[i].data, p->buf_size };
	/* One registration per ring: a second pump on the same loop (or a locked-memory limit)
	 * falls back to plain reads and writes, which only costs a page-pinning per operation. */
	p->registered = io_uring_register_buffers(ring, iov, n) == 0;
	p->write_nowait = true;
	free(iov);
	ms_setup(p, ring);
	for (i = first_held ? 1 : 0; i < p->reads; i++)
		uring_read(p, &p->bufs[i]);
	return 0;
}

static unsigned uring_stop(struct qnet_pump *p)
{
	struct io_uring *ring = qb_loop_uring(p->loop);
	struct io_uring_sync_cancel_reg reg;

	if (p->inflight) {
		/* Queued SQEs go in first so the cancel sees them; their completions (-ECANCELED
		 * or done) then wait in the CQ for the loop's next iteration, or its free. */
		io_uring_submit(ring);
		memset(&reg, 0, sizeof(reg));
		reg.fd = p->fd;
		reg.flags = IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL;
		reg.timeout.tv_sec = -1;
		reg.timeout.tv_nsec = -1;
		io_uring_register_sync_cancel(ring, &reg);
	}
	return p->inflight;
}

/* Runs while the ring is still there (the last completion may arrive from qb_loop_free(), just
 * before the ring goes). */
static void uring_release(struct qnet_pump *p)
{
	struct io_uring *ring = qb_loop_uring(p->loop);

	if (ring && p->registered)
		io_uring_unregister_buffers(ring);
	p->registered = false;
	if (p->br) {
		if (ring)
			io_uring_unregister_buf_ring(ring, p->bgid);
		munmap(p->br, p->br_entries * sizeof(struct io_uring_buf));
		p->br = NULL;
	}
}

static void uring_pause(struct qnet_pump *p, bool paused)
{
	/* A held packet keeps its buffer out of the ring: reads stop by themselves once every
	 * uplink buffer is held, and resume as each is recycled. */
}

const struct pump_backend pump_uring = {
	.passes = false,
	.start = uring_start,
	.stop = uring_stop,
	.release = uring_release,
	.recycle = uring_read,
	.pause = uring_pause,
	.write = uring_write,
};
