/* SPDX-License-Identifier: MIT */
/*
 * The start is a step like the others: a modem still booting, a full client id table, or a
 * TUN another process holds, waits in BACKOFF and comes up when it clears, keeping the ids it already got; once
 * makes it final; a stop while an id is being allocated releases every id, the one answered
 * after the stop too; no right to create the TUN is final.
 */
#include "conn_harness.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/errors.h"
#include "net/tun.h"
#include "qmi/errors.h"
#include "qmi/qmux.h"

TestSuite(conn_start, .timeout = 60);

static const uint8_t all_svcs[] = { QMI_SVC_WDA, QMI_SVC_UIM, QMI_SVC_DMS, QMI_SVC_NAS,
				    QMI_SVC_WDS };

static unsigned ids_held(const struct ch *h)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sizeof(all_svcs); i++)
		n += qsim_cid_count(h->sim, all_svcs[i]);
	return n;
}

/* Another program holds the one NAS client id the modem gives: the table is full. */
static uint8_t take_the_nas_id(struct ch *h)
{
	struct qmi_result r = { 0 };
	uint8_t cid = 0;

	cr_assert_eq(qmi_dev_alloc_cid(h->dev, QMI_SVC_NAS, &cid, &r), 0);
	return cid;
}

static void give_back(struct ch *h, uint8_t svc, uint8_t cid)
{
	struct qmi_result r = { 0 };

	cr_assert_eq(qmi_dev_release_cid(h->dev, svc, cid, &r), 0);
}

Test(conn_start, client_ids_exhausted_then_freed_comes_up)
{
	const struct ch_event *b;
	struct qconn_cid ids[8];
	struct ch h;
	uint8_t theirs;

	enter_new_netns();
	ch_init(&h, "cid-limit=1");
	theirs = take_the_nas_id(&h);
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_BACKOFF, 5000), "state %s", qconn_state_name(h.st));
	b = ch_first_backoff(&h);
	cr_assert(strstr(b->text,
			 "couldn't allocate a nas client: QMI error 5 (ClientIdsExhausted)"),
		  "%s", b->text);
	cr_assert_not(qconn_cids_complete(h.c));
	/* The ones it got are held while it waits, and counted. */
	cr_assert_eq(qconn_cids(h.c, ids, 8), 3);
	ch_run_for(&h, 300); /* a few attempts, none of them allocating again */
	cr_assert_eq(qconn_cids(h.c, ids, 8), 3);
	give_back(&h, QMI_SVC_NAS, theirs);
	cr_assert(ch_run_until(&h, QCONN_UP, 10000), "state %s", qconn_state_name(h.st));
	cr_assert_eq(h.errors, 0);
	cr_assert_geq(ch_count_state(&h, QCONN_SETUP), 2);
	cr_assert(qconn_cids_complete(h.c));
	cr_assert_eq(qconn_cids(h.c, ids, 8), 5);
	cr_assert_eq(ids_held(&h), 5);
	ch_fini(&h);
}

Test(conn_start, once_keeps_exhausted_ids_final)
{
	const struct ch_event *e;
	struct ch h;
	uint8_t theirs;

	enter_new_netns();
	ch_init(&h, "cid-limit=1");
	theirs = take_the_nas_id(&h);
	h.o.once = true;
	e = ch_start_to_failure(&h);
	cr_assert_eq(e->err, -QB_EMODEM);
	cr_assert_eq(e->qmi.error, QMI_ERR_CLIENT_IDS_EXHAUSTED);
	cr_assert_eq(e->state, QCONN_SETUP);
	cr_assert_eq(ch_count_state(&h, QCONN_BACKOFF), 0);
	give_back(&h, QMI_SVC_NAS, theirs);
	qconn_stop(h.c);
	h.c = NULL;
	cr_assert_eq(ids_held(&h), 0, "the ids it got before the failure were kept");
	ch_fini(&h);
}

/* A modem still booting answers Allocate CID with DeviceNotReady: the optional clients are
 * asked again too (WDA: QMAP), not done without. */
Test(conn_start, booting_modem_gives_ids_later)
{
	const struct ch_event *b;
	struct qconn_info in;
	struct ch h;

	enter_new_netns();
	ch_init(&h, "cid-not-ready=400");
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_UP, 10000), "state %s", qconn_state_name(h.st));
	cr_assert_eq(h.errors, 0);
	b = ch_first_backoff(&h);
	cr_assert_not_null(b);
	cr_assert(strstr(b->text, "couldn't allocate a wda client: QMI error 52 (DeviceNotReady)"),
		  "%s", b->text);
	qconn_get_info(h.c, &in);
	cr_assert(strstr(in.data_format, "qmap"), "%s", in.data_format);
	cr_assert_eq(ids_held(&h), 5);
	ch_fini(&h);
}

/* The modem answers slowly: stopped with ids held and one Allocate CID in flight. */
Test(conn_start, stop_mid_allocation_releases_every_id)
{
	struct qconn_cid ids[8];
	uint64_t end;
	struct ch h;

	enter_new_netns();
	ch_init(&h, "delay=300");
	ch_start(&h);
	end = qb_now_ms() + 10000;
	while (qconn_cids(h.c, ids, 8) < 2 && qb_now_ms() < end)
		qb_loop_run_once(h.loop, 50);
	cr_assert_eq(qconn_cids(h.c, ids, 8), 2);
	cr_assert_eq(qconn_get_state(h.c), QCONN_SETUP);
	qconn_stop(h.c);
	h.c = NULL;
	/* The answer in flight comes after the stop; its id goes back then. */
	end = qb_now_ms() + 5000;
	while (ids_held(&h) && qb_now_ms() < end)
		qb_loop_run_once(h.loop, 50);
	for (unsigned i = 0; i < sizeof(all_svcs); i++)
		cr_assert_eq(qsim_cid_count(h.sim, all_svcs[i]), 0, "service %u: an id left",
			     all_svcs[i]);
	ch_fini(&h);
}

Test(conn_start, tun_in_use_is_retried)
{
	const struct ch_event *b;
	struct qnet_tun *theirs = NULL;
	char ifname[IF_NAMESIZE], err[256];
	struct ch h;

	enter_new_netns();
	/* Another program has the TUN open (one without multi-queue takes a single owner). */
	cr_assert_eq(qnet_tun_open(&theirs, "wwbusy0", err, sizeof(err)), 0, "%s", err);
	ch_init(&h, NULL);
	h.o.ifname = "wwbusy0";
	ch_start(&h);
	cr_assert(ch_run_until(&h, QCONN_BACKOFF, 5000), "state %s", qconn_state_name(h.st));
	b = ch_first_backoff(&h);
	cr_assert(strstr(b->text, "wwbusy0") && strstr(b->text, qb_strerror(EBUSY)), "%s", b->text);
	ch_run_for(&h, 200);
	cr_assert_neq(qconn_get_state(h.c), QCONN_FAILED);
	qnet_tun_close(theirs);
	cr_assert(ch_run_until(&h, QCONN_UP, 10000), "state %s", qconn_state_name(h.st));
	cr_assert_eq(h.errors, 0);
	cr_assert(ch_tun_name(&h, ifname));
	cr_assert_str_eq(ifname, "wwbusy0");
	cr_assert(ch_said(&h, "TUN device wwbusy0 created"));
	ch_fini(&h);
}

static void drop_net_admin(void)
{
	struct __user_cap_header_struct hd = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	cr_assert_eq(syscall(SYS_capget, &hd, d), 0);
	d[CAP_NET_ADMIN / 32].effective &= ~(1u << (CAP_NET_ADMIN % 32));
	cr_assert_eq(syscall(SYS_capset, &hd, d), 0, "capset: %s", strerror(errno));
}

/* No right to create a TUN: no retry gives it. */
Test(conn_start, tun_not_permitted_is_final)
{
	const struct ch_event *e;
	struct ch h;

	enter_new_netns();
	drop_net_admin();
	ch_init(&h, NULL);
	e = ch_start_to_failure(&h);
	cr_assert_eq(e->err, -EPERM);
	cr_assert(e->local);
	cr_assert(strstr(e->text, "CAP_NET_ADMIN"), "%s", e->text);
	cr_assert_eq(ch_count_state(&h, QCONN_BACKOFF), 0);
	ch_fini(&h);
}
