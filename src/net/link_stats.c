/* SPDX-License-Identifier: MIT */
#include "net/link_stats.h"

#include <errno.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <string.h>

int qnet_link_stats_get(int ifindex, struct qnet_link_stats *out)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct rtnl_link *link = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!sk)
		return -ENOMEM;
	ret = nl_connect(sk, NETLINK_ROUTE);
	if (!ret)
		ret = rtnl_link_get_kernel(sk, ifindex, NULL, &link);
	if (ret < 0) {
		ret = ret == -NLE_OBJ_NOTFOUND || ret == -NLE_NODEV ? -ENODEV : -EIO;
		goto out;
	}
	out->rx_packets = rtnl_link_get_stat(link, RTNL_LINK_RX_PACKETS);
	out->tx_packets = rtnl_link_get_stat(link, RTNL_LINK_TX_PACKETS);
	out->rx_bytes = rtnl_link_get_stat(link, RTNL_LINK_RX_BYTES);
	out->tx_bytes = rtnl_link_get_stat(link, RTNL_LINK_TX_BYTES);
	out->rx_dropped = rtnl_link_get_stat(link, RTNL_LINK_RX_DROPPED);
	out->tx_dropped = rtnl_link_get_stat(link, RTNL_LINK_TX_DROPPED);
	out->rx_errors = rtnl_link_get_stat(link, RTNL_LINK_RX_ERRORS);
	out->tx_errors = rtnl_link_get_stat(link, RTNL_LINK_TX_ERRORS);
	ret = 0;
out:
	rtnl_link_put(link);
	nl_socket_free(sk);
	return ret;
}
