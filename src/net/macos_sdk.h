/* SPDX-License-Identifier: MIT */
/*
 * What the public macOS SDK headers leave out and the utun and interface code needs. Each value
 * is one the kernel has kept stable; the source is named beside it.
 */
#ifndef QNET_MACOS_SDK_H
#define QNET_MACOS_SDK_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/ioccom.h>
#include <time.h>

/* <sys/sys_domain.h> (XNU bsd/sys/sys_domain.h): the control protocol of PF_SYSTEM sockets and
 * the sub-family of a kernel control address. */
#ifndef SYSPROTO_CONTROL
#define SYSPROTO_CONTROL 2
#endif
#ifndef AF_SYS_CONTROL
#define AF_SYS_CONTROL 2
#endif

/* <net/if_utun.h> (XNU bsd/net/if_utun.h): the utun kernel control and its name option. */
#define QNET_UTUN_CONTROL_NAME "com.apple.net.utun_control"
#define QNET_UTUN_OPT_IFNAME 2

/* <netinet6/in6_var.h> (XNU bsd/netinet6/in6_var.h), the user-space layout. */
struct qnet_in6_addrlifetime {
	time_t ia6t_expire;
	time_t ia6t_preferred;
	uint32_t ia6t_vltime;
	uint32_t ia6t_pltime;
};

struct qnet_in6_aliasreq {
	char ifra_name[IFNAMSIZ];
	struct sockaddr_in6 ifra_addr;
	struct sockaddr_in6 ifra_dstaddr;
	struct sockaddr_in6 ifra_prefixmask;
	int ifra_flags;
	struct qnet_in6_addrlifetime ifra_lifetime;
};

#define QNET_SIOCAIFADDR_IN6 _IOW('i', 26, struct qnet_in6_aliasreq)
#define QNET_ND6_INFINITE_LIFETIME 0xffffffffu

#endif
