/* SPDX-License-Identifier: MIT */
/* TUN creation and rtnetlink configuration, each test in its own network namespace. The checks
 * read the kernel's state through interfaces other than libnl (getifaddrs, ioctls, /proc). */
#include "net/netconf.h"
#include "net/offload.h"
#include "net/tun.h"
#include "net/tun_io.h"
#include "netns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <ifaddrs.h>
#include <linux/capability.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static bool has_addr(const char *ifname, int family, const char *want)
{
	struct ifaddrs *ifa, *i;
	char buf[INET6_ADDRSTRLEN];
	bool found = false;

	cr_assert_eq(getifaddrs(&ifa), 0);
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family || strcmp(i->ifa_name, ifname))
			continue;
		if (family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf,
				  sizeof(buf));
		else
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, buf,
				  sizeof(buf));
		if (!strcmp(buf, want))
			found = true;
	}
	freeifaddrs(ifa);
	return found;
}

static struct ifreq ifreq_get(const char *ifname, unsigned long req)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(s, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	cr_assert_eq(ioctl(s, req, &ifr), 0, "ioctl on %s: %s", ifname, strerror(errno));
	close(s);
	return ifr;
}

static int mtu_of(const char *ifname)
{
	return ifreq_get(ifname, SIOCGIFMTU).ifr_mtu;
}

static bool is_up(const char *ifname)
{
	return ifreq_get(ifname, SIOCGIFFLAGS).ifr_flags & IFF_UP;
}

/* A default route through ifname in /proc/net/route (v4) or /proc/net/ipv6_route (v6). */
static bool has_default_route(const char *ifname, int family)
{
	char line[512], dev[IF_NAMESIZE + 1];
	bool found = false;
	FILE *f = fopen(family == AF_INET ? "/proc/net/route" : "/proc/net/ipv6_route", "r");

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (family == AF_INET) {
			unsigned dst, mask;

			if (sscanf(line, "%16s %x %*x %*x %*d %*d %*d %x", dev, &dst, &mask) == 3 &&
			    !strcmp(dev, ifname) && dst == 0 && mask == 0)
				found = true;
		} else {
			char dst[33];
			unsigned plen;

			if (sscanf(line, "%32s %x %*s %*x %*s %*x %*x %*x %*x %16s", dst, &plen,
				   dev) == 3 &&
			    !strcmp(dev, ifname) && plen == 0 &&
			    !strcmp(dst, "00000000000000000000000000000000"))
				found = true;
		}
	}
	fclose(f);
	return found;
}

static struct qnet_ipconf sample_conf(void)
{
	struct qnet_ipconf c = { .has_v4 = true,
				 .v4_prefix = 30,
				 .has_v6 = true,
				 .v6_prefix = 64,
				 .mtu = 1400,
				 .routes = true };

	inet_pton(AF_INET, "10.64.1.2", &c.v4_addr);
	inet_pton(AF_INET, "10.64.1.1", &c.v4_gw);
	inet_pton(AF_INET6, "2001:db8:5::2", &c.v6_addr);
	inet_pton(AF_INET, "10.64.0.53", &c.dns4[0]);
	inet_pton(AF_INET6, "2001:db8:53::1", &c.dns6[0]);
	c.n_dns4 = c.n_dns6 = 1;
	return c;
}

Test(tun, create_configure_teardown)
{
	struct qnet_tun *tun = NULL;
	struct qnet_netconf *nc = NULL;
	struct qnet_ipconf c = sample_conf();
	char err[256] = "";
	int ret;

	enter_new_netns();
	ret = qnet_tun_open(&tun, "qtest0", err, sizeof(err));
	cr_assert_eq(ret, 0, "%s", err);
	cr_assert(tun->created);
	cr_assert_str_eq(tun->name, "qtest0");
	cr_assert_eq((unsigned)tun->ifindex, if_nametoindex("qtest0"));
	cr_assert_eq(mtu_of("qtest0"), 1500);
	cr_assert_not(is_up("qtest0"));

	ret = qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err));
	cr_assert_eq(ret, 0, "%d %s", ret, err);
	cr_assert_eq(mtu_of("qtest0"), 1400);
	cr_assert(is_up("qtest0"));
	cr_assert(has_addr("qtest0", AF_INET, "10.64.1.2"));
	cr_assert(has_addr("qtest0", AF_INET6, "2001:db8:5::2"));
	cr_assert(has_default_route("qtest0", AF_INET));
	cr_assert(has_default_route("qtest0", AF_INET6));

	qnet_netconf_undo(nc);
	cr_assert_eq(mtu_of("qtest0"), 1500);
	cr_assert_not(is_up("qtest0"));
	cr_assert_not(has_addr("qtest0", AF_INET, "10.64.1.2"));
	cr_assert_not(has_addr("qtest0", AF_INET6, "2001:db8:5::2"));
	cr_assert_not(has_default_route("qtest0", AF_INET));
	cr_assert_not(has_default_route("qtest0", AF_INET6));
	qnet_tun_close(tun);
	cr_assert_eq(if_nametoindex("qtest0"), 0, "a TUN we created goes away with its fd");
	qnet_netconf_undo(NULL);
	qnet_tun_close(NULL);
}

Test(tun, no_routes_and_kernel_picked_name)
{
	struct qnet_tun *tun = NULL;
	struct qnet_netconf *nc = NULL;
	struct qnet_ipconf c = sample_conf();
	char err[256] = "";

	enter_new_netns();
	cr_assert_eq(qnet_tun_open(&tun, NULL, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(strncmp(tun->name, "qmiusb", 6), 0, "%s", tun->name);
	c.routes = false;
	c.has_v6 = false;
	c.mtu = 0;
	cr_assert_eq(qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err)),
		     0, "%s", err);
	cr_assert(has_addr(tun->name, AF_INET, "10.64.1.2"));
	cr_assert_not(has_default_route(tun->name, AF_INET));
	cr_assert_eq(mtu_of(tun->name), 1500);
	qnet_netconf_undo(nc);
	qnet_tun_close(tun);
}

static void make_persistent(const char *name)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	cr_assert_geq(fd, 0);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	cr_assert_eq(ioctl(fd, TUNSETIFF, &ifr), 0);
	cr_assert_eq(ioctl(fd, TUNSETOWNER, (unsigned long)geteuid()), 0);
	cr_assert_eq(ioctl(fd, TUNSETPERSIST, 1), 0);
	close(fd);
}

Test(tun, persistent_keeps_what_the_user_set)
{
	struct qnet_tun *tun = NULL;
	struct qnet_netconf *nc = NULL;
	struct qnet_ipconf c = sample_conf();
	char err[256] = "";

	enter_new_netns();
	make_persistent("wwtun0");
	/* The user already brought the link up and set the IPv4 address: not ours to undo. */
	cr_assert_eq(system("ip link set dev wwtun0 up && ip addr add 10.64.1.2/30 dev wwtun0"), 0);
	cr_assert_eq(qnet_tun_open(&tun, "wwtun0", err, sizeof(err)), 0, "%s", err);
	cr_assert_not(tun->created);
	cr_assert_eq(qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err)),
		     0, "%s", err);
	cr_assert(has_addr("wwtun0", AF_INET6, "2001:db8:5::2"));
	qnet_netconf_undo(nc);
	cr_assert(is_up("wwtun0"));
	cr_assert(has_addr("wwtun0", AF_INET, "10.64.1.2"));
	cr_assert_not(has_addr("wwtun0", AF_INET6, "2001:db8:5::2"));
	cr_assert_eq(mtu_of("wwtun0"), 1500);
	qnet_tun_close(tun);
	cr_assert_neq(if_nametoindex("wwtun0"), 0, "a persistent TUN stays");
}

static void drop_net_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	cr_assert_eq(syscall(SYS_capget, &h, d), 0);
	d[CAP_NET_ADMIN / 32].effective &= ~(1u << (CAP_NET_ADMIN % 32));
	d[CAP_NET_ADMIN / 32].permitted &= ~(1u << (CAP_NET_ADMIN % 32));
	cr_assert_eq(syscall(SYS_capset, &h, d), 0, "capset: %s", strerror(errno));
}

Test(tun, without_net_admin_prints_the_commands)
{
	struct qnet_tun *tun = NULL;
	struct qnet_netconf *nc = NULL;
	struct qnet_ipconf c = sample_conf();
	char err[256] = "", *advice = NULL;
	size_t advice_len = 0;
	FILE *f;

	enter_new_netns();
	make_persistent("wwtun1");
	drop_net_admin();
	/* Creating needs the capability; attaching to our own persistent TUN does not. */
	cr_assert_eq(qnet_tun_open(&tun, "qtest9", err, sizeof(err)), -EPERM);
	cr_assert(strstr(err, "CAP_NET_ADMIN"), "%s", err);
	cr_assert_eq(qnet_tun_open(&tun, "wwtun1", err, sizeof(err)), 0, "%s", err);
	f = open_memstream(&advice, &advice_len);
	cr_assert_eq(qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, f, err, sizeof(err)), 1);
	fflush(f);
	cr_assert(strstr(advice, "ip link set dev wwtun1 mtu 1400 up\n"), "%s", advice);
	cr_assert(strstr(advice, "ip addr add 10.64.1.2/30 dev wwtun1\n"), "%s", advice);
	cr_assert(strstr(advice, "ip -6 addr add 2001:db8:5::2/64 dev wwtun1 nodad\n"), "%s",
		  advice);
	cr_assert(strstr(advice, "ip route add default dev wwtun1 metric 700\n"), "%s", advice);
	cr_assert(strstr(advice, "ip -6 route add default dev wwtun1 metric 700\n"), "%s", advice);
	cr_assert_not(is_up("wwtun1"));
	/* The teardown tells the user what to undo, in the same stream. */
	qnet_netconf_undo(nc);
	fclose(f);
	cr_assert(strstr(advice, "may not undo the configuration of wwtun1; as root, run:\n"
				 "ip route del default dev wwtun1 metric 700\n"
				 "ip -6 route del default dev wwtun1 metric 700\n"
				 "ip addr del 10.64.1.2/30 dev wwtun1\n"
				 "ip -6 addr del 2001:db8:5::2/64 dev wwtun1\n"),
		  "%s", advice);
	qnet_tun_close(tun);
	free(advice);
}

Test(tun, dns_file)
{
	struct qnet_ipconf c = sample_conf();
	char path[] = "/tmp/qmiusb-dns-XXXXXX", buf[256];
	int fd = mkstemp(path);
	ssize_t n;

	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(qnet_netconf_write_dns(path, &c), 0);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	unlink(path);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	cr_assert(strstr(buf, "nameserver 10.64.0.53\nnameserver 2001:db8:53::1\n"), "%s", buf);
	cr_assert_eq(qnet_netconf_write_dns("/nonexistent-dir/x", &c), -ENOENT);
}

static void trap_name(char *buf, size_t cap, const char *path, unsigned i)
{
	if (i == 0)
		snprintf(buf, cap, "%s", path);
	else if (i == 1)
		snprintf(buf, cap, "%s.qmiusb-tmp", path);
	else
		snprintf(buf, cap, "%s.%d.tmp", path, (int)getpid());
}

/* Symlinks planted at the DNS file's name and at the temporary names a writer could predict
 * (another user's trap in a shared directory) are never written through. */
Test(tun, dns_file_symlinks_not_followed)
{
	struct qnet_ipconf c = sample_conf();
	char dir[] = "/tmp/qmiusb-dns-XXXXXX", path[64], victim[64], name[96], buf[64];
	struct stat st;
	unsigned i;
	int fd;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/resolv.conf", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	fd = open(victim, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "keep\n", 5), 5);
	close(fd);
	for (i = 0; i < 3; i++) {
		trap_name(name, sizeof(name), path, i);
		cr_assert_eq(symlink(victim, name), 0);
	}
	cr_assert_eq(qnet_netconf_write_dns(path, &c), 0);
	cr_assert_eq(lstat(path, &st), 0);
	cr_assert(S_ISREG(st.st_mode), "the symlink is still there");
	fd = open(victim, O_RDONLY);
	cr_assert_eq(read(fd, buf, sizeof(buf)), 5, "written through a symlink");
	close(fd);
	cr_assert_eq(memcmp(buf, "keep\n", 5), 0, "written through a symlink");
	for (i = 0; i < 3; i++) {
		trap_name(name, sizeof(name), path, i);
		unlink(name);
	}
	unlink(victim);
	cr_assert_eq(rmdir(dir), 0, "a temporary file was left behind");
}

Test(tun, bad_names)
{
	struct qnet_tun *tun = NULL;
	char err[256] = "";

	enter_new_netns();
	cr_assert_eq(qnet_tun_open(&tun, "a-name-far-too-long-for-linux", err, sizeof(err)),
		     -EINVAL);
	cr_assert(strstr(err, "longer"), "%s", err);
	cr_assert_eq(qnet_tun_open(&tun, "lo", err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "not a TUN"), "%s", err);
}

/* TUN offloads: on and auto give the virtio-net header with checksum and TCP segmentation (and
 * UDP segmentation from Linux 6.2), and a UDP_SEGMENT send comes out of the TUN as one
 * super-datagram with its header (or, without UDP segmentation, as segments whose checksum is
 * left partial); off gives plain packets. */
Test(tun, offloads)
{
	const unsigned base = QNET_OFF_VNET | QNET_OFF_CSUM | QNET_OFF_TSO4 | QNET_OFF_TSO6;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct qnet_tun *tun = NULL;
	struct qnet_netconf *nc = NULL;
	struct qnet_ipconf c = sample_conf();
	static uint8_t payload[3000], pkt[5000];
	uint8_t hdr[QNET_VNET_HDR_LEN];
	struct qnet_vnet v;
	struct ifreq ifr = { 0 };
	char err[256] = "";
	int s, gso = 1000;
	ssize_t n;

	enter_new_netns();
	cr_assert_eq(qnet_tun_open_offload(&tun, "qoff0", QNET_TUN_OFFLOAD_OFF, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(tun->offloads, 0);
	cr_assert_eq(ioctl(tun->fd, TUNGETIFF, &ifr), 0);
	cr_assert_not(ifr.ifr_flags & IFF_VNET_HDR);
	qnet_tun_close(tun);
	cr_assert_eq(qnet_tun_open_offload(&tun, "qoff0", QNET_TUN_OFFLOAD_ON, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_eq(tun->offloads & base, base);
	cr_assert_eq(qnet_tun_set_nonblock(tun, true), 0);
	cr_assert_eq(qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err)),
		     0, "%s", err);
	inet_pton(AF_INET, "10.64.1.1", &to.sin_addr);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	cr_assert_eq(setsockopt(s, IPPROTO_UDP, 103 /* UDP_SEGMENT */, &gso, sizeof(gso)), 0);
	cr_assert_eq(sendto(s, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to)),
		     (ssize_t)sizeof(payload));
	do /* the stack's own chatter (IPv6) first */
		n = qnet_tun_read_vnet(tun->fd, hdr, pkt, sizeof(pkt), NULL, 0);
	while (n > 0 && pkt[0] >> 4 != 4);
	cr_assert_gt(n, 0, "%s", strerror(errno));
	qnet_vnet_get(hdr, &v);
	cr_assert(v.flags & QNET_VNET_F_NEEDS_CSUM);
	cr_assert_eq(v.csum_start, 20);
	cr_assert_eq(v.csum_offset, 6);
	if (tun->offloads & QNET_OFF_USO) {
		cr_assert_eq(v.gso_type, QNET_VNET_GSO_UDP_L4);
		cr_assert_eq(v.gso_size, 1000);
		cr_assert_eq(n, 28 + 3000);
	} else {
		cr_assert_eq(v.gso_type, QNET_VNET_GSO_NONE);
		cr_assert_eq(n, 28 + 1000);
	}
	close(s);
	qnet_netconf_undo(nc);
	qnet_tun_close(tun);
}
