/* SPDX-License-Identifier: MIT */
/*
 * The operator network: a TUN created inside another network namespace, where real peers (a
 * TCP server, ping, iperf) run. The modem forwards the host's packets into it and hands what
 * comes back to the host. The TUN is opened while this thread is inside the namespace: the
 * device stays bound to that namespace after the thread returns to its own.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/loop.h"

struct qsim_opnet {
	struct qsim *sim;
	int fd;
	struct qnet_watch *watch;
	uint64_t write_drops;
};

static void opnet_forward(void *user, const uint8_t *pkt, size_t len)
{
	struct qsim_opnet *o = user;

	/* A full TUN queue drops, as a congested network would; never block the loop. */
	if (write(o->fd, pkt, len) != (ssize_t)len)
		o->write_drops++;
}

static void opnet_readable(void *user, int fd, unsigned revents)
{
	struct qsim_opnet *o = user;
	uint8_t buf[2048];

	for (int i = 0; i < 64; i++) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			break;
		qsim_net_in(o->sim, buf, (size_t)n);
	}
}

/* Runs inside the target namespace: create the TUN and bring it up. */
static int tun_create(const char *ifname, int *out)
{
	struct ifreq ifr;
	int fd, s = -1, ret = 0;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		ret = -errno;
		goto out;
	}
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		ret = -errno;
		goto out;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		ret = -errno;
out:
	if (s >= 0)
		close(s);
	if (ret < 0)
		close(fd);
	else
		*out = fd;
	return ret;
}

int qsim_opnet_open(struct qsim *sim, const char *netns_path, const char *ifname)
{
	struct qsim_opnet *o = NULL;
	int self = -1, target = -1, fd = -1, ret;

	if (!sim || !netns_path || !ifname || strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	if (sim->opnet)
		return -EBUSY;
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	target = open(netns_path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || target < 0) {
		ret = -errno;
		goto out;
	}
	if (setns(target, CLONE_NEWNET) < 0) {
		ret = -errno;
		goto out;
	}
	ret = tun_create(ifname, &fd);
	if (setns(self, CLONE_NEWNET) < 0) {
		/* Stuck in the wrong namespace: nothing after this would be correct. */
		perror("qmiusb sim: cannot return to the original network namespace");
		abort();
	}
	if (ret < 0)
		goto out;
	o = calloc(1, sizeof(*o));
	if (!o) {
		ret = -ENOMEM;
		goto out;
	}
	o->sim = sim;
	o->fd = fd;
	ret = qnet_loop_watch(sim->loop, fd, POLLIN, opnet_readable, o, &o->watch);
	if (ret < 0)
		goto out;
	fd = -1;
	sim->opnet = o;
	o = NULL;
	qsim_set_forward(sim, opnet_forward, sim->opnet);
	qsim_set_data_mode(sim, QSIM_DATA_FORWARD);
out:
	free(o);
	if (fd >= 0)
		close(fd);
	if (self >= 0)
		close(self);
	if (target >= 0)
		close(target);
	return ret;
}

void qsim_opnet_close(struct qsim *sim)
{
	struct qsim_opnet *o = sim ? sim->opnet : NULL;

	if (!o)
		return;
	qnet_watch_remove(o->watch);
	close(o->fd);
	free(o);
	sim->opnet = NULL;
	qsim_set_forward(sim, NULL, NULL);
	if (sim->data_mode == QSIM_DATA_FORWARD)
		sim->data_mode = QSIM_DATA_GATEWAY;
}
