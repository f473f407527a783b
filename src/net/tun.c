/* SPDX-License-Identifier: MIT */
#include "net/tun.h"
#include "net/offload.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20 /* Linux 6.2 */
#define TUN_F_USO6 0x40
#endif

/* The offloads the kernel takes, most first: it answers EINVAL to a flag it does not know. */
static unsigned set_offloads(int fd)
{
	static const struct {
		unsigned long tun;
		unsigned ours;
	} tries[] = {
		{ TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6,
		  QNET_OFF_CSUM | QNET_OFF_TSO4 | QNET_OFF_TSO6 | QNET_OFF_USO },
		{ TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6,
		  QNET_OFF_CSUM | QNET_OFF_TSO4 | QNET_OFF_TSO6 },
		{ TUN_F_CSUM, QNET_OFF_CSUM },
	};

	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++)
		if (ioctl(fd, TUNSETOFFLOAD, tries[i].tun) == 0)
			return tries[i].ours;
	return 0;
}

/* The virtio-net header in the 10-byte layout: num_buffers (the 12-byte one) only matters to
 * a virtio NIC merging receive buffers, which a TUN never does, and the header travels in its
 * own iovec, so the IP header's alignment does not depend on its size. */
static unsigned offloads(struct qnet_tun *tun, enum qnet_tun_offload mode)
{
	struct ifreq ifr;
	int sz = QNET_VNET_HDR_LEN;
	unsigned off;

	memset(&ifr, 0, sizeof(ifr));
	if (mode == QNET_TUN_OFFLOAD_OFF || ioctl(tun->fd, TUNGETIFF, &ifr) < 0 ||
	    !(ifr.ifr_flags & IFF_VNET_HDR))
		return 0;
	if (ioctl(tun->fd, TUNSETVNETHDRSZ, &sz) < 0)
		return 0; /* cannot happen: 10 is the smallest size and the default */
	off = QNET_OFF_VNET | set_offloads(tun->fd);
	if (!(off & QNET_OFF_CSUM))
		ioctl(tun->fd, TUNSETOFFLOAD, 0UL);
	return off;
}

int qnet_tun_open(struct qnet_tun **out, const char *ifname, char *err, size_t errlen)
{
	return qnet_tun_open_offload(out, ifname, QNET_TUN_OFFLOAD_OFF, err, errlen);
}

int qnet_tun_open_offload(struct qnet_tun **out, const char *ifname, enum qnet_tun_offload mode,
			  char *err, size_t errlen)
{
	struct qnet_tun *tun = NULL;
	struct ifreq ifr;
	bool existed = false;
	int ret;

	if (ifname && strlen(ifname) >= IF_NAMESIZE) {
		snprintf(err, errlen, "interface name '%s' is longer than %d characters", ifname,
			 IF_NAMESIZE - 1);
		return -EINVAL;
	}
	tun = calloc(1, sizeof(*tun));
	if (!tun) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	tun->fd = -1;
	if (ifname && *ifname)
		existed = if_nametoindex(ifname) != 0;
	tun->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (tun->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open /dev/net/tun: %s", strerror(errno));
		goto fail;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | (mode != QNET_TUN_OFFLOAD_OFF ? IFF_VNET_HDR : 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname && *ifname ? ifname : "qmiusb%d");
	ret = ioctl(tun->fd, TUNSETIFF, &ifr) < 0 ? -errno : 0;
	if (ret == -EINVAL && mode == QNET_TUN_OFFLOAD_AUTO) {
		ifr.ifr_flags = IFF_TUN | IFF_NO_PI; /* a kernel or TUN without the header */
		ret = ioctl(tun->fd, TUNSETIFF, &ifr) < 0 ? -errno : 0;
	}
	if (ret < 0) {
		if (ret == -EPERM && existed)
			snprintf(
				err, errlen,
				"cannot attach to %s: it is not a TUN owned by this user (create it with "
				"'ip tuntap add dev %s mode tun user $USER' as root)",
				ifname, ifname);
		else if (ret == -EPERM)
			snprintf(
				err, errlen,
				"creating a TUN needs CAP_NET_ADMIN; as root run 'ip tuntap add dev "
				"wwtun0 mode tun user $USER' once and pass --ifname wwtun0");
		else if (ret == -EINVAL && existed)
			snprintf(err, errlen,
				 "%s exists and is not a TUN (IFF_TUN, no packet info)", ifname);
		else
			snprintf(err, errlen, "TUNSETIFF %s: %s", ifr.ifr_name, strerror(-ret));
		goto fail;
	}
	memcpy(tun->name, ifr.ifr_name, IF_NAMESIZE);
	tun->name[IF_NAMESIZE - 1] = '\0';
	tun->ifindex = (int)if_nametoindex(tun->name);
	if (!tun->ifindex) {
		ret = -errno;
		snprintf(err, errlen, "%s vanished: %s", tun->name, strerror(errno));
		goto fail;
	}
	tun->created = !existed;
	tun->offloads = offloads(tun, mode);
	if (mode == QNET_TUN_OFFLOAD_ON &&
	    (~tun->offloads & (QNET_OFF_VNET | QNET_OFF_CSUM | QNET_OFF_TSO4 | QNET_OFF_TSO6))) {
		char have[48];

		ret = -EOPNOTSUPP;
		snprintf(err, errlen,
			 "%s cannot take the TUN offloads (it has: %s); use --offload auto or off",
			 tun->name, qnet_offload_name(tun->offloads, have, sizeof(have)));
		goto fail;
	}
	*out = tun;
	return 0;
fail:
	qnet_tun_close(tun);
	return ret;
}
