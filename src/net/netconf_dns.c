/* SPDX-License-Identifier: MIT */
/* The resolv.conf lines for a connection's DNS servers; no system-specific call. */
#include "net/netconf.h"

#include "base/rundir.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>

int qnet_netconf_write_dns(const char *path, const struct qnet_ipconf *cfg)
{
	/* Every line fits: "nameserver " + the longest address + "\n", per server. */
	char text[64 + 2 * QNET_DNS_MAX * (16 + INET6_ADDRSTRLEN)], a[INET6_ADDRSTRLEN];
	size_t len;
	unsigned i;

	len = (size_t)snprintf(text, sizeof(text), "# written by qmiusb connect\n");
	for (i = 0; i < cfg->n_dns4 && i < QNET_DNS_MAX; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "nameserver %s\n",
					inet_ntop(AF_INET, &cfg->dns4[i], a, sizeof(a)));
	for (i = 0; i < cfg->n_dns6 && i < QNET_DNS_MAX; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "nameserver %s\n",
					inet_ntop(AF_INET6, &cfg->dns6[i], a, sizeof(a)));
	/* A fresh temporary file beside it, created exclusively and never through a symlink,
	 * then renamed over it: a reader sees the old list or the new one. */
	return qb_write_atomic(AT_FDCWD, path, text, len, 0644);
}
