/* SPDX-License-Identifier: MIT */
/*
 * The TUN device the data path writes raw IP packets to: IFF_TUN | IFF_NO_PI, created for the
 * session or attached to a persistent one the user owns (`ip tuntap add mode tun user U`).
 */
#ifndef QNET_TUN_H
#define QNET_TUN_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

struct qnet_tun {
	int fd; /* owned; O_CLOEXEC */
	char name[IF_NAMESIZE];
	int ifindex;
	bool created; /* false: an existing persistent TUN we attached to */
	/* QNET_OFF_* (net/offload.h): with QNET_OFF_VNET every packet read or written carries a
	 * virtio-net header (qnet_tun_read_vnet, qnet_tun_write_vnet); 0 elsewhere. */
	unsigned offloads;
};

/* --offload: auto takes what the kernel and the TUN allow; on fails when the TUN cannot carry
 * the virtio-net header or the kernel refuses checksum and TCP segmentation offloads. */
enum qnet_tun_offload {
	QNET_TUN_OFFLOAD_AUTO,
	QNET_TUN_OFFLOAD_ON,
	QNET_TUN_OFFLOAD_OFF,
};

/* ifname NULL or "" lets the kernel pick "qmiusb%d". On failure err says what to do (e.g. that
 * creating needs CAP_NET_ADMIN and how to pre-create one). 0 or -errno. */
int qnet_tun_open(struct qnet_tun **out, const char *ifname, char *err, size_t errlen);
/* The same with offloads (none where the system has none: macOS). On Linux: IFF_VNET_HDR, then
 * TUNSETOFFLOAD with checksum, TSO4/6 and UDP segmentation (Linux 6.2+), fewer when the kernel
 * refuses; a TUN that ends up without the header (TUNGETIFF says) has none. */
int qnet_tun_open_offload(struct qnet_tun **out, const char *ifname, enum qnet_tun_offload mode,
			  char *err, size_t errlen);
/* Closes the fd; a TUN we created disappears with it, a persistent one stays. Accepts NULL. */
void qnet_tun_close(struct qnet_tun *tun);
/* Blocking or not; the io_uring pump wants a blocking fd (io_uring honours O_NONBLOCK by failing
 * with -EAGAIN instead of waiting), the poll() pump a non-blocking one. 0 or -errno. */
int qnet_tun_set_nonblock(struct qnet_tun *tun, bool nonblock);

#endif
