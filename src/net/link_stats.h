/* SPDX-License-Identifier: MIT */
/*
 * An interface's counters as the kernel keeps them (netlink link statistics, what `ip -s link`
 * shows). For a TUN these include what the pump never sees: packets the kernel dropped because
 * the TUN's queue was full while the reader was slow.
 */
#ifndef QNET_LINK_STATS_H
#define QNET_LINK_STATS_H

#include <stdint.h>

struct qnet_link_stats {
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
};

/* 0, -ENODEV (no such interface), or -errno. */
int qnet_link_stats_get(int ifindex, struct qnet_link_stats *out);

#endif
