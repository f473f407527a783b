/* SPDX-License-Identifier: MIT */
/*
 * The USB transport's bulk path without a device: libusb's submit, cancel and event handling
 * are replaced at link time (--wrap) by a fake bus whose modem reflects every OUT transfer into
 * the next IN transfer, and whose "libusb fd" is an eventfd in the loop. The transport itself
 * (its slots, free list, submission, completion callbacks, loop integration and close) is the
 * real one, and a real pump sits on top with a SOCK_SEQPACKET socketpair as its TUN, so a packet
 * goes TUN -> pump -> bulk OUT -> reflection -> bulk IN -> pump -> TUN.
 *
 * Allocation counting: malloc/calloc/realloc are wrapped too, and so are libusb_alloc_transfer
 * and libusb_dev_mem_alloc (libusb allocates inside them, where --wrap=malloc cannot see), so a
 * transfer or buffer allocated per packet anywhere in our code fails the steady-state check.
 * libusb's own allocation inside libusb_submit_transfer is outside this test (the fake replaces
 * it); bench/vm/vm-bulk.sh counts it on the real library. The fake bus is fake_bus.c.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <libusb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/both_loops.h"
#include "loop_settle.h"
#include "base/loop.h"
#include "net/fake_modem.h"
#include "net/pump.h"
#include "qmi/transport.h"
#include "usb/fake_bus.h"
#include "usb/transport_internal.h"

/* ---- the rig: a transport on the fake bus, a pump on a socketpair ------------------------- */

struct rig {
	struct qb_loop *loop;
	struct qmi_transport t;
	struct qnet_pump *pump;
	int sv[2]; /* sv[0]: the pump's "TUN"; sv[1]: the kernel's side of it */
};

static void ctrl_rx_ignored(void *user, const uint8_t *buf, size_t len)
{
	(void)user;
	(void)buf;
	(void)len;
}

static void closed_unexpected(void *user, int err)
{
	(void)user;
	cr_assert_fail("the transport closed: %s", strerror(-err));
}

static const struct qmi_transport_cbs cbs = {
	.ctrl_rx = ctrl_rx_ignored,
	.data_rx = qnet_pump_data_rx,
	.data_tx_ready = qnet_pump_data_tx_ready,
	.closed = closed_unexpected,
};

static struct qusb_tr *fake_tr(void)
{
	struct qusb_tr *tr = calloc(1, sizeof(*tr));
	cr_assert_not_null(tr);
	tr->ctx = (libusb_context *)&fk;
	tr->h = (libusb_device_handle *)&fk;
	tr->func = (struct qusb_func){
		.ep_notify = 0x81, .notify_mps = 16, .ep_in = 0x82, .ep_out = 0x02, .bulk_mps = 512
	};
	snprintf(tr->desc, sizeof(tr->desc), "usb:fake");
	snprintf(tr->path, sizeof(tr->path), "fake");
	tr->n_rx = 4;
	tr->rx_size = FK_ECHO_SIZE;
	tr->n_tx = 8;
	tr->tx_size = FK_ECHO_SIZE;
	return tr;
}

/* Where the transfers go: through libusb, or straight on (fake) usbfs; on a usbfs that caps a
 * URB at 16 KB (a kernel before 3.6), through libusb, which splits larger transfers. */
enum mode {
	VIA_LIBUSB,
	VIA_USBFS,
	VIA_USBFS_16K
};

static void rig_up(struct rig *r, enum qb_loop_kind kind, bool dev_mem, enum mode mode,
		   const struct qnet_pump_qmap *q)
{
	int ret;

	if (mode == VIA_USBFS && !qusb_urb_built())
		cr_skip_test(
			"this build runs every transfer through libusb: no usbfs path to test");
	memset(r, 0, sizeof(*r));
	memset(&fk, 0, sizeof(fk));
	fk.dev_mem = dev_mem;
	fk.usbfs = mode != VIA_LIBUSB;
	fk.caps = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_MMAP;
	if (mode == VIA_USBFS)
		fk.caps |= USBDEVFS_CAP_NO_PACKET_SIZE_LIM;
	fk.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	cr_assert_geq(fk.efd, 0);
	fk.pfd = (struct libusb_pollfd){ .fd = fk.efd, .events = POLLIN };
	fk.pfds[0] = &fk.pfd;

	r->loop = new_loop(kind);
	struct qusb_tr *tr = fake_tr();
	cr_assert_eq(qusb_tr_alloc_transfers(tr), 0);
	cr_assert_eq(tr->tx.dev, dev_mem);
	qusb_tr_export(tr, &r->t);
	cr_assert_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, r->sv), 0);
	ret = qnet_pump_new(&r->pump, r->loop, r->sv[0], qnet_pump_send_transport, &r->t, NULL);
	cr_assert_eq(ret, 0, "qnet_pump_new: %s", strerror(-ret));
	if (q) {
		ret = qnet_pump_set_qmap(r->pump, q);
		cr_assert_eq(ret, 0, "qnet_pump_set_qmap: %s", strerror(-ret));
	}
	ret = r->t.ops->start(r->t.impl, r->loop, &cbs, r->pump);
	cr_assert_eq(ret, 0, "start: %s", strerror(-ret));
	cr_assert_eq(tr->urb_direct, mode == VIA_USBFS);
}

static void rig_down(struct rig *r)
{
	qmi_transport_destroy(&r->t);
	qnet_pump_free(r->pump);
	qb_loop_free(r->loop);
	close(r->sv[0]);
	close(r->sv[1]);
	close(fk.efd);
}

static void settle(struct rig *r)
{
	settle_loop(r->loop);
}

/* Sends n packets of len bytes from the "kernel" through the TUN, lets everything settle, and
 * checks that each came back once, in order, byte for byte. */
static void echo_round(struct rig *r, uint32_t *seq, unsigned n, size_t len)
{
	uint8_t buf[2048], want[2048];
	uint32_t first = *seq;

	for (unsigned i = 0; i < n; i++, (*seq)++) {
		mkpkt(buf, len, *seq);
		cr_assert_eq(write(r->sv[1], buf, len), (ssize_t)len);
	}
	settle(r);
	for (unsigned i = 0; i < n; i++) {
		ssize_t got = recv(r->sv[1], buf, sizeof(buf), MSG_DONTWAIT);
		cr_assert_eq(got, (ssize_t)len, "echo %u of %u: %zd bytes", i, n, got);
		mkpkt(want, len, first + i);
		cr_assert_eq(memcmp(buf, want, len), 0, "echo %u is not what was sent", i);
	}
	cr_assert_lt(recv(r->sv[1], buf, sizeof(buf), MSG_DONTWAIT), 0, "an extra echo");
}

/* Steady state: no allocation for 1000 packets each way, with bursts larger than the pool of
 * OUT transfers, so that backpressure and data_tx_ready take part. */
static void t_no_alloc(enum qb_loop_kind kind, bool dev_mem, enum mode mode,
		       const struct qnet_pump_qmap *q)
{
	struct rig r;
	uint32_t seq = 0;
	unsigned long before = 0;

	rig_up(&r, kind, dev_mem, mode, q);
	for (unsigned round = 0; round < 60; round++) {
		if (round == 10) /* warmed up: the loop's arrays have their size */
			before = allocs;
		echo_round(&r, &seq, 20, 300 + round % 7);
	}
	cr_assert_eq(allocs - before, 0, "%lu allocations for 1000 packets each way",
		     allocs - before);
	cr_assert_eq(qnet_pump_stats(r.pump)->up_pkts, 1200);
	cr_assert_eq(qnet_pump_stats(r.pump)->down_pkts, 1200);
	if (!q)
		cr_assert_eq(fk.out_transfers, 1200, "raw-IP: one transfer per packet");
	else
		cr_assert_lt(fk.out_transfers, 1200, "QMAP: packets share transfers");
	if (mode == VIA_USBFS)
		cr_assert(fk.urb_submits > 0 && fk.libusb_submits == 0, "not direct");
	else
		cr_assert(fk.libusb_submits > 0 && fk.urb_submits == 0, "not through libusb");
	rig_down(&r);
}

static const struct qnet_pump_qmap qmap = {
	.ul = true, .dl = true, .mux_id = 0, .ul_max_dgrams = 16, .ul_max_size = FK_ECHO_SIZE
};

/* Each loop, each path, raw-IP and QMAP, usbfs-mapped and heap buffers. */
struct no_alloc_case {
	enum qb_loop_kind kind;
	bool dev_mem;
	enum mode mode;
	bool qmap;
};

static struct no_alloc_case no_alloc_cases[] = {
	{ QB_LOOP_POLL, false, VIA_LIBUSB, false }, { QB_LOOP_URING, false, VIA_LIBUSB, false },
	{ QB_LOOP_URING, true, VIA_LIBUSB, false }, { QB_LOOP_POLL, true, VIA_LIBUSB, true },
	{ QB_LOOP_URING, true, VIA_LIBUSB, true },  { QB_LOOP_POLL, true, VIA_USBFS, false },
	{ QB_LOOP_URING, false, VIA_USBFS, false }, { QB_LOOP_POLL, false, VIA_USBFS, true },
	{ QB_LOOP_URING, true, VIA_USBFS, true },   { QB_LOOP_POLL, true, VIA_USBFS_16K, true },
};

ParameterizedTestParameters(usb_bulk_path, no_alloc)
{
	return cr_make_param_array(struct no_alloc_case, no_alloc_cases,
				   sizeof(no_alloc_cases) / sizeof(no_alloc_cases[0]));
}

ParameterizedTest(struct no_alloc_case *c, usb_bulk_path, no_alloc)
{
	t_no_alloc(c->kind, c->dev_mem, c->mode, c->qmap ? &qmap : NULL);
}

/* ---- receive transfers resized to a downlink grant ---------------------------------------- */

static size_t in_len(struct fk_xfer x)
{
	return x.t ? (size_t)x.t->length : (size_t)x.u->buffer_length;
}

/* data_set_rx on a running session: the transfers out are cancelled on the path that carries
 * them (the URB discard in direct mode), come back, and go out again at the new size; the old
 * buffers go only once the last cancelled one is back. Traffic flows on, without allocation. */
static void t_resize(bool dev_mem, enum mode mode)
{
	struct rig r;
	uint32_t seq = 0;
	unsigned long before;

	rig_up(&r, QB_LOOP_POLL, dev_mem, mode, &qmap);
	struct qusb_tr *tr = r.t.impl;
	echo_round(&r, &seq, 20, 500);
	cr_assert_eq(fk.n_in, 4);
	cr_assert_eq(r.t.ops->data_set_rx(r.t.impl, 65536, 8), 0);
	cr_assert_eq(tr->rx_stale, 4, "the four transfers out are being cancelled");
	cr_assert_not_null(tr->rx_old.mem, "the old buffers stay while transfers use them");
	cr_assert_eq(r.t.ops->data_set_rx(r.t.impl, 32768, 8), -EBUSY);
	settle(&r);
	cr_assert_eq(tr->rx_stale, 0, "%u cancelled transfers never came back", tr->rx_stale);
	cr_assert_null(tr->rx_old.mem);
	cr_assert_eq(fk.n_in, 8);
	for (unsigned i = 0; i < fk.n_in; i++)
		cr_assert_eq(in_len(fk.in[i]), 65536, "transfer %u: %zu bytes", i,
			     in_len(fk.in[i]));

	before = allocs;
	for (unsigned round = 0; round < 20; round++)
		echo_round(&r, &seq, 20, 300 + round % 7);
	cr_assert_eq(allocs - before, 0, "%lu allocations after the resize", allocs - before);

	cr_assert_eq(r.t.ops->data_set_rx(r.t.impl, 16384, 2), 0); /* fewer: the rest rest */
	settle(&r);
	cr_assert_eq(tr->rx_stale, 0);
	cr_assert_eq(fk.n_in, 2);
	for (unsigned i = 0; i < fk.n_in; i++)
		cr_assert_eq(in_len(fk.in[i]), 16384);
	echo_round(&r, &seq, 20, 700);
	if (mode == VIA_USBFS)
		cr_assert(fk.urb_submits > 0 && fk.libusb_submits == 0, "not direct");
	rig_down(&r);
}

Test(usb_bulk_path, resize_usbfs)
{
	t_resize(true, VIA_USBFS);
}

Test(usb_bulk_path, resize_usbfs_heap)
{
	t_resize(false, VIA_USBFS);
}

Test(usb_bulk_path, resize_libusb)
{
	t_resize(true, VIA_LIBUSB);
}

/* Direct mode, unplugged: the kernel gives back what was in flight as shut down, then says
 * ENODEV; every transfer completes, and the closed callback reports -ENODEV. */
static int closed_err;
static unsigned closed_calls;

static void closed_record(void *user, int err)
{
	(void)user;
	closed_err = err;
	closed_calls++;
}

Test(usb_bulk_path, usbfs_unplug_ends_the_session)
{
	static const struct qmi_transport_cbs unplug_cbs = {
		.ctrl_rx = ctrl_rx_ignored,
		.data_rx = qnet_pump_data_rx,
		.data_tx_ready = qnet_pump_data_tx_ready,
		.closed = closed_record,
	};
	struct rig r;
	uint32_t seq = 0;

	rig_up(&r, QB_LOOP_POLL, true, VIA_USBFS, NULL);
	echo_round(&r, &seq, 5, 200);
	struct qusb_tr *tr = r.t.impl;
	tr->cbs = &unplug_cbs;
	cr_assert_gt(tr->inflight, 0);
	/* On a disconnect the kernel completes the URBs still in flight (they stay reapable). */
	fk.unplugged = true;
	while (fk.n_in) {
		struct fk_xfer x = fk.in[--fk.n_in];
		fk_complete(x, -ESHUTDOWN, 0);
	}
	fk_signal();
	settle(&r);
	cr_assert_eq(closed_calls, 1);
	cr_assert_eq(closed_err, -ENODEV);
	cr_assert_eq(tr->inflight, 0, "%u transfers never completed", tr->inflight);
	rig_down(&r);
	closed_calls = 0;
}

/* ---- building a transfer in place -------------------------------------------------------- */

static void run_until_idle(struct rig *r)
{
	settle(r);
	uint8_t buf[2048];
	while (recv(r->sv[1], buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

Test(usb_bulk_path, in_place_sends_the_lent_buffer_without_a_copy)
{
	struct rig r;
	uint8_t *buf, *again;
	size_t cap, cap2;
	uint8_t pkt[600];

	rig_up(&r, QB_LOOP_POLL, true, VIA_USBFS, NULL);
	cr_assert_not_null(r.t.ops->data_tx_buf);
	cr_assert_not_null(r.t.ops->data_tx_send);
	cr_assert_eq(r.t.ops->data_tx_send(r.t.impl, 100), -EINVAL, "nothing was lent");
	cr_assert_eq(r.t.ops->data_tx_buf(r.t.impl, &buf, &cap), 0);
	cr_assert_eq(cap, FK_ECHO_SIZE);
	mkpkt(buf, sizeof(pkt), 7);
	/* Asking again lends the same buffer, bytes kept; data_send uses another one. */
	cr_assert_eq(r.t.ops->data_tx_buf(r.t.impl, &again, &cap2), 0);
	cr_assert_eq(again, buf);
	mkpkt(pkt, 200, 8);
	cr_assert_eq(r.t.ops->data_send(r.t.impl, pkt, 200), 0);
	cr_assert_eq(fk.last_out_len, 200);
	cr_assert_eq(r.t.ops->data_tx_send(r.t.impl, 0), -EMSGSIZE);
	cr_assert_eq(r.t.ops->data_tx_send(r.t.impl, FK_ECHO_SIZE + 1), -EMSGSIZE);
	cr_assert_eq(r.t.ops->data_tx_send(r.t.impl, sizeof(pkt)), 0);
	cr_assert_eq(fk.out_transfers, 2);
	mkpkt(pkt, sizeof(pkt), 7);
	cr_assert_eq(fk.last_out_len, sizeof(pkt));
	cr_assert_eq(memcmp(fk.last_out, pkt, sizeof(pkt)), 0);
	cr_assert_eq(r.t.ops->data_tx_send(r.t.impl, 100), -EINVAL, "sent: no longer lent");
	run_until_idle(&r);
	rig_down(&r);
}

/* Every buffer in flight: -ENOBUFS, then data_tx_ready; the in-flight limit holds a small
 * transfer back with its buffer still lent and its bytes kept. */
Test(usb_bulk_path, in_place_backpressure_keeps_the_bytes)
{
	struct rig r;
	uint8_t *buf, *again;
	size_t cap;
	uint8_t pkt[100];

	rig_up(&r, QB_LOOP_POLL, false, VIA_LIBUSB, NULL);
	fk.no_reflect = true;
	mkpkt(pkt, sizeof(pkt), 1);
	for (unsigned i = 0; i < 8; i++)
		cr_assert_eq(r.t.ops->data_send(r.t.impl, pkt, sizeof(pkt)), 0);
	cr_assert_eq(r.t.ops->data_tx_buf(r.t.impl, &buf, &cap), -ENOBUFS);
	settle(&r); /* the eight complete */
	cr_assert_eq(r.t.ops->data_set_inflight(r.t.impl, 1), 0);
	cr_assert_eq(r.t.ops->data_send(r.t.impl, pkt, sizeof(pkt)), 0); /* the one allowed */
	cr_assert_eq(r.t.ops->data_tx_buf(r.t.impl, &buf, &cap), 0);
	mkpkt(buf, sizeof(pkt), 2);
	cr_assert_eq(r.t.ops->data_tx_send(r.t.impl, sizeof(pkt)), -ENOBUFS);
	cr_assert_eq(fk.out_transfers, 9);
	settle(&r); /* the one in flight completes: room again */
	cr_assert_eq(r.t.ops->data_tx_buf(r.t.impl, &again, &cap), 0);
	cr_assert_eq(again, buf, "the held transfer keeps its buffer");
	cr_assert_eq(r.t.ops->data_tx_send(r.t.impl, sizeof(pkt)), 0);
	mkpkt(pkt, sizeof(pkt), 2);
	cr_assert_eq(memcmp(fk.last_out, pkt, sizeof(pkt)), 0);
	settle(&r);
	rig_down(&r);
}

/* In place, steady state: no allocation either. */
Test(usb_bulk_path, no_alloc_in_place)
{
	struct rig r;
	unsigned long before = 0;
	uint8_t *buf;
	size_t cap;

	rig_up(&r, QB_LOOP_URING, true, VIA_USBFS, NULL);
	fk.no_reflect = true;
	for (unsigned round = 0; round < 60; round++) {
		if (round == 10)
			before = allocs;
		for (unsigned i = 0; i < 8; i++) {
			cr_assert_eq(r.t.ops->data_tx_buf(r.t.impl, &buf, &cap), 0);
			mkpkt(buf, 400, round * 8 + i);
			cr_assert_eq(r.t.ops->data_tx_send(r.t.impl, 400), 0);
		}
		cr_assert_eq(r.t.ops->data_tx_buf(r.t.impl, &buf, &cap), -ENOBUFS);
		settle(&r);
	}
	cr_assert_eq(allocs - before, 0, "%lu allocations for 400 transfers", allocs - before);
	cr_assert_eq(fk.out_transfers, 480);
	rig_down(&r);
}
