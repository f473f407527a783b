/* SPDX-License-Identifier: MIT */
#include "net/tun.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int qnet_tun_open(struct qnet_tun **out, const char *ifname, char *err, size_t errlen)
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
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname && *ifname ? ifname : "qmiusb%d");
	if (ioctl(tun->fd, TUNSETIFF, &ifr) < 0) {
		ret = -errno;
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
	*out = tun;
	return 0;
fail:
	qnet_tun_close(tun);
	return ret;
}
