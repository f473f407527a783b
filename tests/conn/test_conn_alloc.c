/* SPDX-License-Identifier: MIT */
/*
 * The allocation-failure walk over one connect lifecycle (start, up, stop): the Nth allocation
 * made by qmiusb's own code in that window fails, for every N up to the lifecycle's total. Each
 * run must end in a clean state: up, or a QCONN_EV_ERROR; then the stop leaves no TUN behind
 * and frees everything (LeakSanitizer checks at exit). This binary links with
 * --wrap=malloc/calloc/realloc; libraries outside the tree (libnl, libc) are not wrapped.
 */
#include "conn_harness.h"
#include "wrap_decls.h"

#include <stdlib.h>

/* Test-binary bookkeeping, not library state. */
static bool armed;
static unsigned long count, fail_at, failed;

static bool fail_now(void)
{
	if (!armed || ++count != fail_at)
		return false;
	failed++;
	return true;
}

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	return fail_now() ? NULL : __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

/* One lifecycle with the Nth allocation failing (0: none). Returns the allocations made. */
static unsigned long lifecycle(unsigned long n, bool *up)
{
	struct ch h;
	char ifname[IF_NAMESIZE] = "";
	unsigned long made;

	ch_init(&h, NULL);
	h.o.timeout_ms = 500;
	h.o.call_timeout_ms = 500;
	h.o.sim_timeout_ms = h.o.reg_timeout_ms = 500;
	count = 0;
	fail_at = n;
	armed = true;
	if (qconn_start(&h.c, h.dev, &h.o) < 0) {
		armed = false;
		cr_assert_null(h.c);
		cr_assert_eq(h.n_ev, 0);
		*up = false;
		qmi_dev_free(h.dev);
		qsim_free(h.sim);
		qb_loop_free(h.loop);
		return count;
	}
	ch_run_until(&h, QCONN_UP, 8000);
	*up = qconn_get_state(h.c) == QCONN_UP;
	if (!ch_tun_name(&h, ifname))
		ifname[0] = '\0';
	/* Up, or failed with its reason: never stuck half-way without a word. */
	cr_assert(*up || (h.st == QCONN_FAILED && h.errors == 1), "N=%lu: state %s, %u errors", n,
		  qconn_state_name(h.st), h.errors);
	qconn_stop(h.c);
	armed = false;
	made = count;
	cr_assert_eq(h.st, QCONN_STOPPED);
	if (ifname[0])
		cr_assert_not(ch_if_exists(ifname), "N=%lu: %s left behind", n, ifname);
	qmi_dev_free(h.dev);
	qsim_free(h.sim);
	qb_loop_free(h.loop);
	return made;
}

Test(conn_alloc, walk, .timeout = 900)
{
	unsigned long total, n, ups = 0;
	bool up;

	enter_new_netns();
	total = lifecycle(0, &up);
	cr_assert(up, "the lifecycle doesn't come up without failures");
	cr_assert_gt(total, 0);
	for (n = 1; n <= total; n++) {
		failed = 0;
		lifecycle(n, &up);
		cr_assert_eq(failed, 1, "N=%lu: the failure wasn't injected", n);
		ups += up;
	}
	cr_log_info("%lu allocations per lifecycle; %lu runs came up despite the failure", total,
		    ups);
}
