/* SPDX-License-Identifier: MIT */
/*
 * The operator network: a TUN created inside another network namespace, where real peers (a
 * TCP server, ping, iperf) run. The modem forwards the host's packets into it and hands what
 * comes back to the host. The TUN and the rtnetlink socket that configures it are opened while
 * this thread is inside the namespace: both stay bound to it after the thread returns.
 *
 * The TUN gets the operator side's own addresses, 10.64.255.1/16 and 2001:db8:ffff::1/32, whose
 * prefix routes cover every subscriber session (10.64.0.0/30 + 4n, 2001:db8:1:n::/64), so a
 * peer in the namespace answers the subscribers without any further setup.
 */
#include "sim/sim_int.h"

#include <arpa/inet.h>
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

#include "base/loop.h"
#include "net/netconf.h"

struct qsim_opnet {
	struct qsim *sim;
	int fd;
	struct qb_watch *watch;
	/* What this modem added to the TUN (NULL: nothing): undone before the TUN goes, which
	 * matters for a persistent TUN the user made. IPv6 is separate so that a namespace with
	 * IPv6 disabled still gets IPv4. */
	struct qnet_netconf *nc4, *nc6;
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

	(void)revents;
	/* What one wakeup brings goes out in as few downlink aggregates as fit, as a loaded
	 * modem's would. */
	qsim_data_batch_begin(o->sim);
	for (int i = 0; i < 64; i++) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			break;
		/* The namespace's own chatter (router solicitations, MLD) has no subscriber as its
		 * destination and is dropped here, as the network would. */
		qsim_net_in(o->sim, buf, (size_t)n);
	}
	qsim_data_batch_end(o->sim);
}

/* Runs inside the target namespace: create the TUN and bring it up. */
static int tun_create(const char *ifname, int *out, int *ifindex)
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
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0 || ioctl(s, SIOCGIFINDEX, &ifr) < 0) {
		ret = -errno;
		goto out;
	}
	*ifindex = ifr.ifr_ifindex;
out:
	if (s >= 0)
		close(s);
	if (ret < 0)
		close(fd);
	else
		*out = fd;
	return ret;
}

/* Runs inside the target namespace: the operator side's addresses (see the top of the file). */
static int tun_configure(struct qsim_opnet *o, int ifindex, const char *ifname)
{
	struct qnet_ipconf c4 = { .has_v4 = true, .v4_prefix = QSIM_OPNET_PREFIX4 };
	struct qnet_ipconf c6 = { .has_v6 = true, .v6_prefix = QSIM_OPNET_PREFIX6 };
	char err[256] = "";
	char *advice = NULL;
	size_t advice_len = 0;
	FILE *sink;
	int ret;

	c4.v4_addr.s_addr = htonl(QSIM_OPNET_ADDR4);
	inet_pton(AF_INET6, QSIM_OPNET_ADDR6, &c6.v6_addr);
	/* qnet_netconf_apply() writes advice only without CAP_NET_ADMIN in the namespace; the
	 * modem has no console of its own, so that case is reported as -EPERM instead. */
	sink = open_memstream(&advice, &advice_len);
	if (!sink)
		return -ENOMEM;
	ret = qnet_netconf_apply(&o->nc4, ifindex, ifname, &c4, sink, err, sizeof(err));
	if (ret == 1) {
		qnet_netconf_undo(o->nc4);
		o->nc4 = NULL;
		ret = -EPERM;
	}
	if (ret == 0 &&
	    qnet_netconf_apply(&o->nc6, ifindex, ifname, &c6, sink, err, sizeof(err)) != 0) {
		/* IPv6 may be disabled in that namespace: the operator network is IPv4 then. */
		qnet_netconf_undo(o->nc6);
		o->nc6 = NULL;
	}
	fclose(sink);
	free(advice);
	return ret;
}

/* "name" (no slash) means the iproute2 namespace /run/netns/name. */
static int open_netns(const char *netns)
{
	char path[256];

	if (strchr(netns, '/'))
		return open(netns, O_RDONLY | O_CLOEXEC);
	if ((size_t)snprintf(path, sizeof(path), "/run/netns/%s", netns) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(path, O_RDONLY | O_CLOEXEC);
}

int qsim_opnet_open(struct qsim *sim, const char *netns_path, const char *ifname)
{
	struct qsim_opnet *o = NULL;
	int self = -1, target = -1, fd = -1, ifindex = 0, ret;

	if (!sim || !netns_path || !*netns_path || !ifname || !*ifname ||
	    strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	if (sim->opnet)
		return -EBUSY;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->fd = -1;
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	target = open_netns(netns_path);
	if (self < 0 || target < 0) {
		ret = -errno;
		goto out;
	}
	if (setns(target, CLONE_NEWNET) < 0) {
		ret = -errno;
		goto out;
	}
	ret = tun_create(ifname, &fd, &ifindex);
	if (ret == 0)
		ret = tun_configure(o, ifindex, ifname);
	if (setns(self, CLONE_NEWNET) < 0) {
		/* Stuck in the wrong namespace: nothing after this would be correct. */
		perror("qmiusb sim: cannot return to the original network namespace");
		abort();
	}
	if (ret < 0)
		goto out;
	o->sim = sim;
	o->fd = fd;
	ret = qb_loop_watch(sim->loop, fd, POLLIN, opnet_readable, o, &o->watch);
	if (ret < 0)
		goto out;
	fd = -1;
	sim->opnet = o;
	o = NULL;
	qsim_set_forward(sim, opnet_forward, sim->opnet);
	qsim_set_data_mode(sim, QSIM_DATA_FORWARD);
out:
	if (o) {
		/* The sockets inside are bound to the namespace: undo works from out here. */
		qnet_netconf_undo(o->nc6);
		qnet_netconf_undo(o->nc4);
		free(o);
	}
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
	qb_watch_remove(o->watch);
	qnet_netconf_undo(o->nc6);
	qnet_netconf_undo(o->nc4);
	close(o->fd);
	free(o);
	sim->opnet = NULL;
	qsim_set_forward(sim, NULL, NULL);
	if (sim->data_mode == QSIM_DATA_FORWARD)
		sim->data_mode = QSIM_DATA_GATEWAY;
}
