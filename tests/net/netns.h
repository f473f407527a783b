/* SPDX-License-Identifier: MIT */
/* Test helper: move the calling test process into a fresh network namespace. */
#ifndef TESTS_NET_NETNS_H
#define TESTS_NET_NETNS_H

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

/* Criterion runs each test in its own process, so the namespace dies with the test. */
static inline void enter_new_netns(void)
{
	if (unshare(CLONE_NEWNET) < 0) {
		if (errno == EPERM)
			cr_skip_test("no CAP_SYS_ADMIN for a network namespace: %s",
				     strerror(errno));
		cr_assert_fail("unshare(CLONE_NEWNET): %s", strerror(errno));
	}
	if (access("/dev/net/tun", R_OK | W_OK) < 0)
		cr_skip_test("/dev/net/tun is missing: %s", strerror(errno));
}

#endif
