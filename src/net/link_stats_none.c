/* SPDX-License-Identifier: MIT */
/* Without rtnetlink the kernel's counters for the interface are not read: callers leave them
 * out, so they show as unknown rather than as zero. */
#include "net/link_stats.h"

#include <errno.h>

int qnet_link_stats_get(int ifindex, struct qnet_link_stats *out)
{
	return -EOPNOTSUPP;
}
