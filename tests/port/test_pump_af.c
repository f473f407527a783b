/* SPDX-License-Identifier: MIT */
/*
 * The pump over a TUN whose packets carry a 4-byte address family (macOS utun): tun_io_af.c is
 * built into this test in place of Linux's bare framing, and a SOCK_SEQPACKET socketpair keeps
 * packet boundaries as a TUN does. The pump must see bare IP, and a packet the framing rejects
 * must cost that packet alone.
 */
#include "../net/fake_modem.h"
#include "loop_settle.h"
#include "base/loop.h"
#include "net/pump.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

struct rig {
	struct qb_loop *loop;
	struct qnet_pump *pump;
	struct fake_modem modem;
	int sv[2]; /* sv[0]: the pump's "TUN"; sv[1]: the kernel's side */
};

static void rig_up(struct rig *r)
{
	int ret;

	memset(r, 0, sizeof(*r));
	cr_assert_eq(qb_loop_new(&r->loop, QB_LOOP_POLL), 0);
	cr_assert_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, r->sv), 0);
	cr_assert_eq(fcntl(r->sv[1], F_SETFL, O_NONBLOCK), 0);
	ret = qnet_pump_new(&r->pump, r->loop, r->sv[0], fake_send, &r->modem, NULL);
	cr_assert_eq(ret, 0, "qnet_pump_new: %s", strerror(-ret));
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

/* One framed packet from the "kernel": family fam (host order), then an IPv4 test packet. */
static void kernel_send(struct rig *r, uint32_t fam, uint32_t seq)
{
	uint8_t hdr[4] = { (uint8_t)(fam >> 24), (uint8_t)(fam >> 16), (uint8_t)(fam >> 8),
			   (uint8_t)fam };
	uint8_t pkt[100];
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { pkt, sizeof(pkt) } };

	mkpkt(pkt, sizeof(pkt), seq);
	cr_assert_eq(writev(r->sv[1], iov, 2), (ssize_t)(sizeof(hdr) + sizeof(pkt)));
}

Test(port_pump_af, uplink_strips_the_family_and_skips_a_rejected_packet)
{
	struct rig r;

	rig_up(&r);
	kernel_send(&r, AF_INET, 0);
	kernel_send(&r, 0x7777, 1);   /* no such family: this packet alone is lost */
	kernel_send(&r, AF_INET6, 2); /* says IPv6, carries IPv4: rejected too */
	kernel_send(&r, AF_INET, 3);
	settle(&r);
	cr_assert_eq(r.modem.count, 2, "the pump stopped at the rejected packet");
	cr_assert_eq(pktseq(r.modem.pkt[0]), 0);
	cr_assert_eq(r.modem.len[0], 100, "the header reached the modem");
	cr_assert_eq(r.modem.pkt[0][0], 0x45);
	cr_assert_eq(pktseq(r.modem.pkt[1]), 3);
	cr_assert_eq(qnet_pump_stats(r.pump)->drop_up_bad, 2);
	cr_assert_eq(qnet_pump_stats(r.pump)->up_read_errors, 0);
	cr_assert_eq(qnet_pump_drops(qnet_pump_stats(r.pump)), 2);
	/* Still reading afterwards. */
	kernel_send(&r, AF_INET, 4);
	settle(&r);
	cr_assert_eq(r.modem.count, 3);
	cr_assert_eq(pktseq(r.modem.pkt[2]), 4);
	rig_down(&r);
}

Test(port_pump_af, downlink_gains_the_family)
{
	uint8_t pkt[80], got[200];
	struct rig r;

	rig_up(&r);
	mkpkt(pkt, sizeof(pkt), 9);
	qnet_pump_data_rx(r.pump, pkt, sizeof(pkt));
	settle(&r);
	cr_assert_eq(read(r.sv[1], got, sizeof(got)), (ssize_t)(4 + sizeof(pkt)));
	cr_assert_arr_eq(got, ((uint8_t[]){ 0, 0, 0, AF_INET }), 4);
	cr_assert_arr_eq(got + 4, pkt, sizeof(pkt));
	cr_assert_eq(qnet_pump_stats(r.pump)->down_pkts, 1);
	rig_down(&r);
}
