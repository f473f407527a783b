/* SPDX-License-Identifier: MIT */
/*
 * macOS utun: a PF_SYSTEM control socket connected to the utun kernel control. Unit N+1 asks
 * for utunN; unit 0 lets the kernel choose. The interface lives as long as the socket, so it is
 * always "created" (utun has no persistent interfaces a user could own). Packets carry a 4-byte
 * address family, handled by tun_io_af.c.
 */
#include "net/tun.h"
#include "net/macos_sdk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/kern_control.h>
#include <sys/socket.h>
#include <unistd.h>

/* "utunN" to the control unit N+1; 0 for "" or NULL; -1 for any other name. */
static long utun_unit(const char *ifname)
{
	char *end;
	long n;

	if (!ifname || !*ifname)
		return 0;
	if (strncmp(ifname, "utun", 4) != 0 || !ifname[4])
		return -1;
	errno = 0;
	n = strtol(ifname + 4, &end, 10);
	if (errno || *end || n < 0 || n > 65534)
		return -1;
	return n + 1;
}

int qnet_tun_open(struct qnet_tun **out, const char *ifname, char *err, size_t errlen)
{
	struct qnet_tun *tun = NULL;
	struct ctl_info info;
	struct sockaddr_ctl sc;
	socklen_t len;
	long unit = utun_unit(ifname);
	int ret;

	if (unit < 0) {
		snprintf(err, errlen, "'%s' cannot be a utun interface: macOS names them utunN",
			 ifname);
		return -EINVAL;
	}
	tun = calloc(1, sizeof(*tun));
	if (!tun) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	tun->fd = socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL);
	if (tun->fd < 0 || fcntl(tun->fd, F_SETFD, FD_CLOEXEC) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open a PF_SYSTEM socket: %s", strerror(errno));
		goto fail;
	}
	memset(&info, 0, sizeof(info));
	snprintf(info.ctl_name, sizeof(info.ctl_name), "%s", QNET_UTUN_CONTROL_NAME);
	if (ioctl(tun->fd, CTLIOCGINFO, &info) < 0) {
		ret = -errno;
		snprintf(err, errlen, "no utun kernel control: %s", strerror(errno));
		goto fail;
	}
	memset(&sc, 0, sizeof(sc));
	sc.sc_len = sizeof(sc);
	sc.sc_family = AF_SYSTEM;
	sc.ss_sysaddr = AF_SYS_CONTROL;
	sc.sc_id = info.ctl_id;
	sc.sc_unit = (uint32_t)unit;
	if (connect(tun->fd, (struct sockaddr *)&sc, sizeof(sc)) < 0) {
		ret = -errno;
		if (ret == -EPERM)
			snprintf(err, errlen, "creating a utun interface needs root");
		else if (ret == -EBUSY)
			snprintf(err, errlen, "%s is in use by another program", ifname);
		else
			snprintf(err, errlen, "cannot create a utun interface: %s", strerror(-ret));
		goto fail;
	}
	len = sizeof(tun->name);
	if (getsockopt(tun->fd, SYSPROTO_CONTROL, QNET_UTUN_OPT_IFNAME, tun->name, &len) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot learn the utun name: %s", strerror(errno));
		goto fail;
	}
	tun->name[sizeof(tun->name) - 1] = '\0';
	tun->ifindex = (int)if_nametoindex(tun->name);
	if (!tun->ifindex) {
		ret = -errno;
		snprintf(err, errlen, "%s vanished: %s", tun->name, strerror(errno));
		goto fail;
	}
	tun->created = true;
	*out = tun;
	return 0;
fail:
	qnet_tun_close(tun);
	return ret;
}

/* utun has no offloads. */
int qnet_tun_open_offload(struct qnet_tun **out, const char *ifname, enum qnet_tun_offload mode,
			  char *err, size_t errlen)
{
	if (mode == QNET_TUN_OFFLOAD_ON) {
		snprintf(err, errlen, "utun has no offloads; use --offload auto or off");
		return -EOPNOTSUPP;
	}
	return qnet_tun_open(out, ifname, err, errlen);
}
