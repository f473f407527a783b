/* SPDX-License-Identifier: MIT */
/* The 4-byte address family at the TUN seam: the pure framing, and read/write through it on a
 * datagram socket pair standing in for a utun socket. */
#include "net/tun_af.h"
#include "net/tun_io.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const struct qnet_tun_af mac = { 2, 30 };
static const uint8_t v4[20] = { 0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17 };
static const uint8_t v6[40] = { 0x60, 0, 0, 0, 0, 0, 59, 64 };

Test(tun_af, header_names_the_family_big_endian)
{
	uint8_t hdr[4];

	cr_assert_eq(qnet_tun_af_make(&mac, v4, sizeof(v4), hdr), 0);
	cr_assert_arr_eq(hdr, ((uint8_t[]){ 0, 0, 0, 2 }), 4);
	cr_assert_eq(qnet_tun_af_make(&mac, v6, sizeof(v6), hdr), 0);
	cr_assert_arr_eq(hdr, ((uint8_t[]){ 0, 0, 0, 30 }), 4);
}

Test(tun_af, refuses_what_is_not_ip)
{
	uint8_t hdr[4] = { 9, 9, 9, 9 };
	const uint8_t arp[1] = { 0x00 };

	cr_assert_eq(qnet_tun_af_make(&mac, arp, sizeof(arp), hdr), -EPROTO);
	cr_assert_eq(qnet_tun_af_make(&mac, v4, 0, hdr), -EPROTO);
	cr_assert_eq(hdr[0], 9, "nothing written for a refused packet");
}

Test(tun_af, check_wants_the_family_of_the_packet)
{
	cr_assert_eq(qnet_tun_af_check(&mac, (uint8_t[]){ 0, 0, 0, 2 }, v4, sizeof(v4)), 0);
	cr_assert_eq(qnet_tun_af_check(&mac, (uint8_t[]){ 0, 0, 0, 30 }, v6, sizeof(v6)), 0);
	cr_assert_eq(qnet_tun_af_check(&mac, (uint8_t[]){ 0, 0, 0, 30 }, v4, sizeof(v4)), -EPROTO);
	cr_assert_eq(qnet_tun_af_check(&mac, (uint8_t[]){ 2, 0, 0, 0 }, v4, sizeof(v4)), -EPROTO);
	cr_assert_eq(qnet_tun_af_check(&mac, (uint8_t[]){ 0, 0, 0, 2 }, v4, 0), -EPROTO);
}

static void pair(int sv[2])
{
	cr_assert_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv), 0);
}

Test(tun_io_af, write_puts_the_host_family_in_front)
{
	uint8_t got[64];
	int sv[2];

	pair(sv);
	cr_assert_eq(qnet_tun_write(sv[0], v6, sizeof(v6)), (ssize_t)sizeof(v6));
	cr_assert_eq(read(sv[1], got, sizeof(got)), (ssize_t)(4 + sizeof(v6)));
	cr_assert_arr_eq(got, ((uint8_t[]){ 0, 0, 0, AF_INET6 }), 4);
	cr_assert_arr_eq(got + 4, v6, sizeof(v6));

	errno = 0;
	cr_assert_eq(qnet_tun_write(sv[0], (uint8_t[]){ 0x10, 0 }, 2), -1);
	cr_assert_eq(errno, EPROTO);
	cr_assert_eq(read(sv[1], got, sizeof(got)), -1, "a refused packet is not sent");
	close(sv[0]);
	close(sv[1]);
}

Test(tun_io_af, read_strips_the_family_and_drops_a_bad_one_alone)
{
	uint8_t msg[4 + sizeof(v4)] = { 0, 0, 0, AF_INET }, got[64];
	int sv[2];

	memcpy(msg + 4, v4, sizeof(v4));
	pair(sv);
	cr_assert_eq(write(sv[1], (uint8_t[]){ 0, 0, 0, AF_INET6, 0x45, 0 }, 6), 6);
	cr_assert_eq(write(sv[1], (uint8_t[]){ 0, 0 }, 2), 2);
	cr_assert_eq(write(sv[1], msg, sizeof(msg)), (ssize_t)sizeof(msg));

	errno = 0;
	cr_assert_eq(qnet_tun_read(sv[0], got, sizeof(got)), -1, "family and version disagree");
	cr_assert_eq(errno, EPROTO);
	errno = 0;
	cr_assert_eq(qnet_tun_read(sv[0], got, sizeof(got)), -1, "shorter than the header");
	cr_assert_eq(errno, EPROTO);
	cr_assert_eq(qnet_tun_read(sv[0], got, sizeof(got)), (ssize_t)sizeof(v4));
	cr_assert_arr_eq(got, v4, sizeof(v4));
	errno = 0;
	cr_assert_eq(qnet_tun_read(sv[0], got, sizeof(got)), -1);
	cr_assert_eq(errno, EAGAIN);
	close(sv[0]);
	close(sv[1]);
}

Test(tun_io_af, no_per_call_nowait)
{
	uint8_t b[8];

	errno = 0;
	cr_assert_eq(qnet_tun_read_nowait(0, b, sizeof(b)), -1);
	cr_assert_eq(errno, EOPNOTSUPP, "the pump then falls back to readiness");
}
