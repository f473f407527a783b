/* SPDX-License-Identifier: MIT */
/* The resolv.conf lines for a connection's DNS servers; no system-specific call. */
#include "net/netconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int qnet_netconf_write_dns(const char *path, const struct qnet_ipconf *cfg)
{
	char tmp[4096], a[INET6_ADDRSTRLEN];
	FILE *f;
	unsigned i;
	int ret = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.qmiusb-tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "# written by qmiusb connect\n");
	for (i = 0; i < cfg->n_dns4 && i < QNET_DNS_MAX; i++)
		fprintf(f, "nameserver %s\n", inet_ntop(AF_INET, &cfg->dns4[i], a, sizeof(a)));
	for (i = 0; i < cfg->n_dns6 && i < QNET_DNS_MAX; i++)
		fprintf(f, "nameserver %s\n", inet_ntop(AF_INET6, &cfg->dns6[i], a, sizeof(a)));
	if (fflush(f) != 0 || ferror(f))
		ret = -errno ? -errno : -EIO;
	if (fclose(f) != 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}
