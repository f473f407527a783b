/* SPDX-License-Identifier: MIT */
/*
 * The pump's logic on both loops, with a SOCK_SEQPACKET socketpair standing in for the TUN
 * (it keeps packet boundaries as a TUN does) and an in-memory modem with a bounded queue.
 * Allocation counting: this binary links with --wrap=malloc/calloc/realloc, so every allocation
 * made by the pump or the loop in steady state is seen.
 */
#include "fake_modem.h"
#include "loop_settle.h"
#include "base/loop.h"
#include "net/pump.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "alloc_wrap.h"

struct rig {
	struct qb_loop *loop;
	struct qnet_pump *pump;
	struct fake_modem modem;
	int sv[2];           /* sv[0]: the pump's "TUN"; sv[1]: the kernel's side of it */
	unsigned free_after; /* > 0: the pump is freed from inside its send() of that packet */
	unsigned sends;
};

static int rig_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct rig *r = ctx;
	int ret = fake_send(&r->modem, pkt, len);

	cr_assert_not_null(r->pump, "send() after the pump was freed");
	if (++r->sends == r->free_after) {
		qnet_pump_free(r->pump);
		r->pump = NULL;
	}
	return ret;
}

/* The io_uring pump has two uplink modes; FIXED selects fixed reads where multishot exists. */
#define FIXED ((enum qb_loop_kind)100)

static void rig_up(struct rig *r, enum qb_loop_kind kind, const struct qnet_pump_opts *o)
{
	struct qnet_pump_opts oo = o ? *o : (struct qnet_pump_opts){ 0 };
	int ret;

	if (kind == FIXED) {
		kind = QB_LOOP_URING;
		oo.fixed_reads = true;
	}
	o = &oo;
	memset(r, 0, sizeof(*r));
	ret = qb_loop_new(&r->loop, kind);
	if (ret == -ENOSYS && kind == QB_LOOP_URING)
		cr_skip_test("io_uring is not available here");
	cr_assert_eq(ret, 0);
	cr_assert_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, r->sv), 0);
	cr_assert_eq(fcntl(r->sv[1], F_SETFL, O_NONBLOCK), 0);
	ret = qnet_pump_new(&r->pump, r->loop, r->sv[0], rig_send, r, o);
	cr_assert_eq(ret, 0, "qnet_pump_new: %s", strerror(-ret));
	if (kind == QB_LOOP_POLL)
		cr_assert_str_eq(qnet_pump_backend(r->pump), "poll");
	else if (oo.fixed_reads)
		cr_assert_str_eq(qnet_pump_backend(r->pump), "io_uring fixed");
	else
		cr_assert_eq(strncmp(qnet_pump_backend(r->pump), "io_uring", 8), 0);
}

static void rig_down(struct rig *r)
{
	qnet_pump_free(r->pump);
	qb_loop_free(r->loop);
	close(r->sv[0]);
	close(r->sv[1]);
}

static void settle(struct rig *r)
{
	settle_loop(r->loop);
}

static void kernel_send(struct rig *r, uint32_t seq, size_t len)
{
	uint8_t buf[FAKE_PKT + 64];

	mkpkt(buf, len, seq);
	cr_assert_eq(write(r->sv[1], buf, len), (ssize_t)len, "write: %s", strerror(errno));
}

static const struct qnet_pump_stats *st(struct rig *r)
{
	return qnet_pump_stats(r->pump);
}

/* Uplink: everything the "kernel" sends reaches the modem in order, across many batches. */
static void t_up_order(enum qb_loop_kind kind)
{
	struct rig r;
	uint32_t seq = 0, next = 0;
	unsigned i, round;

	rig_up(&r, kind, NULL);
	for (round = 0; round < 50; round++) {
		for (i = 0; i < 40; i++, seq++)
			kernel_send(&r, seq, 60 + (seq % 1400));
		settle(&r);
		for (i = 0; i < r.modem.count; i++) {
			cr_assert_eq(pktseq(r.modem.pkt[i]), next, "got %u want %u",
				     pktseq(r.modem.pkt[i]), next);
			cr_assert_eq(r.modem.len[i], 60 + (next % 1400));
			next++;
		}
		r.modem.count = 0;
	}
	cr_assert_eq(next, seq);
	cr_assert_eq(st(&r)->up_pkts, seq);
	cr_assert_eq(qnet_pump_drops(st(&r)), 0);
	rig_down(&r);
}

/* The modem takes 3 packets, the pump holds at most `reads`, the rest waits in the "TUN"; after
 * each data_tx_ready more arrive, in order, none lost. */
static void t_backpressure(enum qb_loop_kind kind)
{
	const struct qnet_pump_opts o = { .reads = 4 };
	struct rig r;
	uint32_t next = 0;
	unsigned i, guard = 0;

	rig_up(&r, kind, &o);
	r.modem.cap = 3;
	for (i = 0; i < 30; i++)
		kernel_send(&r, i, 100);
	settle(&r);
	cr_assert_eq(r.modem.count, 3);
	cr_assert_eq(st(&r)->up_paused, 1);
	cr_assert_geq(st(&r)->up_held_max, 1);
	cr_assert_leq(st(&r)->up_held_max, 4);
	/* Paused means paused: more iterations move nothing. */
	settle(&r);
	cr_assert_eq(r.modem.count, 3);
	while (next < 30 && guard++ < 100) {
		for (i = 0; i < r.modem.count; i++)
			cr_assert_eq(pktseq(r.modem.pkt[i]), next++);
		r.modem.count = 0;
		qnet_pump_data_tx_ready(r.pump);
		settle(&r);
	}
	cr_assert_eq(next, 30);
	cr_assert_eq(st(&r)->up_pkts, 30);
	cr_assert_leq(st(&r)->up_held_max, 4);
	cr_assert_geq(st(&r)->up_paused, 1);
	cr_assert_eq(qnet_pump_drops(st(&r)), 0);
	/* Resumed: a packet now flows straight through. */
	r.modem.count = 0;
	r.modem.cap = 0;
	qnet_pump_data_tx_ready(r.pump);
	kernel_send(&r, 30, 100);
	settle(&r);
	cr_assert_eq(r.modem.count, 1);
	cr_assert_eq(pktseq(r.modem.pkt[0]), 30);
	rig_down(&r);
}

/* Downlink: whatever the pump accepts reaches the "TUN" in order; what it cannot buffer is
 * counted, and accepted + dropped = offered. */
static void t_down_order_and_drops(enum qb_loop_kind kind)
{
	const struct qnet_pump_opts o = { .tx_bufs = 16 };
	struct rig r;
	uint8_t pkt[256], in[FAKE_PKT];
	uint32_t seq, last = 0;
	unsigned got = 0, i;
	ssize_t n;

	rig_up(&r, kind, &o);
	for (seq = 1; seq <= 3000; seq++) {
		mkpkt(pkt, sizeof(pkt), seq);
		qnet_pump_data_rx(r.pump, pkt, sizeof(pkt));
		if (seq % 50 == 0)
			qb_loop_run_once(r.loop, 0);
	}
	settle(&r);
	while ((n = read(r.sv[1], in, sizeof(in))) > 0) {
		cr_assert_eq(n, (ssize_t)sizeof(pkt));
		cr_assert_gt(pktseq(in), last, "out of order: %u after %u", pktseq(in), last);
		last = pktseq(in);
		got++;
		if (got % 64 == 0)
			settle(&r); /* room in the socket: writes waiting in the ring finish */
	}
	settle(&r);
	while ((n = read(r.sv[1], in, sizeof(in))) > 0) {
		cr_assert_gt(pktseq(in), last);
		last = pktseq(in);
		got++;
	}
	cr_assert_eq(st(&r)->down_pkts, got);
	cr_assert_eq(st(&r)->down_pkts + st(&r)->drop_down_no_buf, 3000, "%lu + %lu",
		     (unsigned long)st(&r)->down_pkts, (unsigned long)st(&r)->drop_down_no_buf);
	cr_assert_gt(st(&r)->drop_down_no_buf, 0, "the socket cannot hold 3000 packets");
	/* Within the pool nothing is lost. */
	for (i = 0; i < 16; i++) {
		mkpkt(pkt, sizeof(pkt), 5000 + i);
		qnet_pump_data_rx(r.pump, pkt, sizeof(pkt));
	}
	settle(&r);
	for (i = 0; i < 16; i++) {
		cr_assert_eq(read(r.sv[1], in, sizeof(in)), (ssize_t)sizeof(pkt));
		cr_assert_eq(pktseq(in), 5000 + i);
	}
	rig_down(&r);
}

static void t_drop_reasons(enum qb_loop_kind kind)
{
	const struct qnet_pump_opts o = { .buf_size = 512 };
	struct rig r;
	uint8_t pkt[600];

	rig_up(&r, kind, &o);
	mkpkt(pkt, sizeof(pkt), 1);
	qnet_pump_data_rx(r.pump, pkt, 0);
	pkt[0] = 0x15; /* IP version 1 */
	qnet_pump_data_rx(r.pump, pkt, 100);
	pkt[0] = 0x60;
	qnet_pump_data_rx(r.pump, pkt, 513);
	qnet_pump_data_rx(r.pump, pkt, 512);
	kernel_send(&r, 2, 512); /* fills the buffer: may be truncated */
	kernel_send(&r, 3, 511);
	settle(&r);
	r.modem.fail_with = -EIO;
	kernel_send(&r, 4, 100);
	settle(&r);
	cr_assert_eq(st(&r)->drop_down_bad, 2);
	cr_assert_eq(st(&r)->drop_down_too_big, 1);
	cr_assert_eq(st(&r)->down_pkts, 1);
	cr_assert_eq(st(&r)->drop_up_too_big, 1);
	cr_assert_eq(st(&r)->drop_up_send, 1);
	cr_assert_eq(st(&r)->up_pkts, 1);
	cr_assert_eq(r.modem.count, 1);
	cr_assert_eq(pktseq(r.modem.pkt[0]), 3);
	cr_assert_eq(qnet_pump_drops(st(&r)), 5);
	rig_down(&r);
}

static void t_no_alloc_per_packet(enum qb_loop_kind kind)
{
	struct rig r;
	uint8_t pkt[300], in[FAKE_PKT];
	unsigned long before;
	unsigned i, round;

	rig_up(&r, kind, NULL);
	for (round = 0; round < 60; round++) {
		if (round == 10) /* warmed up: the loop's arrays have their size */
			before = allocs;
		for (i = 0; i < 20; i++) {
			kernel_send(&r, round * 20 + i, 300);
			mkpkt(pkt, sizeof(pkt), round * 20 + i);
			qnet_pump_data_rx(r.pump, pkt, sizeof(pkt));
		}
		settle(&r);
		r.modem.count = 0;
		while (read(r.sv[1], in, sizeof(in)) > 0)
			;
	}
	cr_assert_eq(allocs - before, 0, "%lu allocations for 2000 packets", allocs - before);
	cr_assert_eq(st(&r)->up_pkts, 1200);
	cr_assert_eq(st(&r)->down_pkts, 1200);
	rig_down(&r);
}

/* Freeing the pump with reads and writes in the ring, then running or freeing the loop: ASan
 * sees neither a use after free nor a leak. */
static void t_free_in_flight(enum qb_loop_kind kind)
{
	struct rig r;
	uint8_t pkt[100];
	int i;

	rig_up(&r, kind, NULL);
	mkpkt(pkt, sizeof(pkt), 1);
	for (i = 0; i < 5; i++)
		qnet_pump_data_rx(r.pump, pkt, sizeof(pkt));
	qnet_pump_free(r.pump);
	r.pump = NULL;
	kernel_send(&r, 1, 100);
	settle(&r);
	rig_down(&r);

	rig_up(&r, kind, NULL);
	qb_loop_run_once(r.loop, 0);
	qnet_pump_data_rx(r.pump, pkt, sizeof(pkt));
	qnet_pump_free(r.pump);
	r.pump = NULL;
	rig_down(&r);
	qnet_pump_free(NULL);
}

/* The owner frees the pump from inside its send() (a transport error tearing the connection
 * down), with more packets read in the same pass or completed in the same batch, and again from
 * a data_tx_ready flush of held packets: the pump calls nothing more, and goes once its I/O has
 * returned (ASan sees neither a use after free nor a leak). */
static void t_free_from_send(enum qb_loop_kind kind)
{
	struct rig r;
	unsigned i;

	rig_up(&r, kind, NULL);
	r.free_after = 2;
	for (i = 0; i < 8; i++)
		kernel_send(&r, i, 100);
	settle(&r);
	cr_assert_null(r.pump);
	cr_assert_eq(r.sends, 2);
	cr_assert_eq(r.modem.count, 2);
	rig_down(&r);

	rig_up(&r, kind, &(struct qnet_pump_opts){ .reads = 4 });
	r.modem.cap = 1;
	for (i = 0; i < 8; i++)
		kernel_send(&r, i, 100);
	settle(&r);
	cr_assert_eq(r.modem.count, 1);
	r.free_after = r.sends + 1; /* the first held packet the flush sends */
	r.modem.cap = 0;
	qnet_pump_data_tx_ready(r.pump);
	cr_assert_null(r.pump);
	cr_assert_eq(r.modem.count, 2);
	settle(&r);
	cr_assert_eq(r.modem.count, 2);
	rig_down(&r);
}

Test(pump, bad_args)
{
	struct qb_loop *loop;
	struct qnet_pump *p = NULL;
	const struct qnet_pump_opts big = { .buf_size = 1 << 20 };

	cr_assert_eq(qb_loop_new(&loop, QB_LOOP_POLL), 0);
	cr_assert_eq(qnet_pump_new(&p, loop, -1, fake_send, NULL, NULL), -EINVAL);
	cr_assert_eq(qnet_pump_new(&p, loop, 0, NULL, NULL, NULL), -EINVAL);
	cr_assert_eq(qnet_pump_new(&p, loop, 0, fake_send, NULL, &big), -EINVAL);
	qb_loop_free(loop);
}

#define BOTH(name)                                                                                 \
	Test(pump_poll, name)                                                                      \
	{                                                                                          \
		t_##name(QB_LOOP_POLL);                                                            \
	}                                                                                          \
	Test(pump_uring, name)                                                                     \
	{                                                                                          \
		t_##name(QB_LOOP_URING);                                                           \
	}                                                                                          \
	Test(pump_uring_fixed, name)                                                               \
	{                                                                                          \
		t_##name(FIXED);                                                                   \
	}

BOTH(up_order)
BOTH(backpressure)
BOTH(down_order_and_drops)
BOTH(drop_reasons)
BOTH(no_alloc_per_packet)
BOTH(free_in_flight)
BOTH(free_from_send)

/* A file that cannot do non-blocking attempts (a pty: no FMODE_NOWAIT, like TUN on Linux 6.1):
 * on the io_uring loop the pump must use readiness-driven reads and writes, not io_uring's
 * worker threads; the packet the NOWAIT probe reads first is passed on, not lost. A pty is a
 * byte stream, so the test moves one packet at a time. */
#include <pty.h>
#include <termios.h>

static void wait_modem(struct rig *r, unsigned n)
{
	unsigned guard = 0;

	while (r->modem.count < n && guard++ < 200)
		cr_assert_geq(qb_loop_run_once(r->loop, 50), 0);
}

Test(pump_uring, file_without_nowait_is_readiness_driven)
{
	struct rig r;
	struct termios t;
	uint8_t pkt[100], in[256];
	int master, slave, ret;
	unsigned guard = 0;
	ssize_t n = 0;

	memset(&r, 0, sizeof(r));
	ret = qb_loop_new(&r.loop, QB_LOOP_URING);
	if (ret == -ENOSYS)
		cr_skip_test("io_uring is not available here");
	cr_assert_eq(ret, 0);
	cr_assert_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
	cfmakeraw(&t);
	cr_assert_eq(tcsetattr(slave, TCSANOW, &t), 0);
	mkpkt(pkt, sizeof(pkt), 1);
	cr_assert_eq(write(slave, pkt, sizeof(pkt)), (ssize_t)sizeof(pkt));
	/* The tty layer hands bytes over asynchronously: give it a moment so the probe usually
	 * finds this packet. Either way it must arrive exactly once. */
	usleep(10000);
	cr_assert_eq(qnet_pump_new(&r.pump, r.loop, master, fake_send, &r.modem, NULL), 0);
	cr_assert_str_eq(qnet_pump_backend(r.pump),
			 "io_uring loop, readiness-driven TUN I/O (the TUN cannot do NOWAIT)");
	wait_modem(&r, 1);
	cr_assert_eq(r.modem.count, 1, "the probe's packet was lost");
	cr_assert_eq(pktseq(r.modem.pkt[0]), 1);
	cr_assert_eq(r.modem.len[0], sizeof(pkt));
	mkpkt(pkt, sizeof(pkt), 2);
	cr_assert_eq(write(slave, pkt, sizeof(pkt)), (ssize_t)sizeof(pkt));
	wait_modem(&r, 2);
	cr_assert_eq(r.modem.count, 2);
	cr_assert_eq(pktseq(r.modem.pkt[1]), 2);
	/* Downlink: a plain write, seen on the other side whole. */
	mkpkt(pkt, sizeof(pkt), 3);
	qnet_pump_data_rx(r.pump, pkt, sizeof(pkt));
	cr_assert_eq(qnet_pump_stats(r.pump)->down_pkts, 1);
	while (n < (ssize_t)sizeof(pkt) && guard++ < 100) {
		ssize_t k = read(slave, in + n, sizeof(in) - (size_t)n);

		cr_assert_gt(k, 0);
		n += k;
	}
	cr_assert_eq(n, (ssize_t)sizeof(pkt));
	cr_assert_eq(memcmp(in, pkt, sizeof(pkt)), 0);
	cr_assert_eq(qnet_pump_drops(qnet_pump_stats(r.pump)), 0);
	qnet_pump_free(r.pump);
	qb_loop_free(r.loop);
	close(master);
	close(slave);
}
