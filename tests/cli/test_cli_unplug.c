/* SPDX-License-Identifier: MIT */
/*
 * The device disappears in the middle of a command: a transport wrapped around the sim's that
 * reports -ENODEV (what the USB backend reports for an unplugged modem) after a number of
 * requests. The command must end with exit 6 and say so, without touching the dead device.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "base/loop.h"
#include "qmi/device.h"
#include "sim/sim.h"

#define HAS(hay, needle) cr_assert(strstr((hay), (needle)), "missing <%s> in:\n%s", (needle), (hay))

struct unplug {
	struct qmi_transport inner;
	const struct qmi_transport_cbs *cbs;
	void *user;
	struct qmi_transport_cbs mine;
	struct qb_loop *loop;
	struct qb_timer plug; /* pulls the plug on the next iteration */
	unsigned sends, unplug_after;
	bool gone;
	unsigned sends_after_gone;
	unsigned *report; /* the test's counter, written when the transport is destroyed */
};

static void fwd_ctrl(void *user, const uint8_t *buf, size_t len)
{
	struct unplug *u = user;

	if (!u->gone)
		u->cbs->ctrl_rx(u->user, buf, len);
}

static void fwd_data(void *user, const uint8_t *pkt, size_t len)
{
	struct unplug *u = user;

	if (!u->gone && u->cbs->data_rx)
		u->cbs->data_rx(u->user, pkt, len);
}

static void fwd_ready(void *user)
{
	struct unplug *u = user;

	if (!u->gone && u->cbs->data_tx_ready)
		u->cbs->data_tx_ready(u->user);
}

static void fwd_closed(void *user, int err)
{
	struct unplug *u = user;

	if (!u->gone) {
		u->gone = true;
		u->cbs->closed(u->user, err);
	}
}

static void pull_the_plug(void *user)
{
	fwd_closed(user, -ENODEV);
}

static int u_start(void *impl, struct qb_loop *loop, const struct qmi_transport_cbs *cbs,
		   void *user)
{
	struct unplug *u = impl;

	u->cbs = cbs;
	u->user = user;
	u->loop = loop;
	qb_timer_init(&u->plug, loop, pull_the_plug, u);
	u->mine = (struct qmi_transport_cbs){ fwd_ctrl, fwd_data, fwd_ready, fwd_closed };
	return u->inner.ops->start(u->inner.impl, loop, &u->mine, u);
}

static int u_ctrl_send(void *impl, const uint8_t *frame, size_t len)
{
	struct unplug *u = impl;

	if (u->gone) {
		u->sends_after_gone++;
		return -ENODEV;
	}
	if (++u->sends == u->unplug_after)
		qb_timer_start(&u->plug, 0);
	return u->inner.ops->ctrl_send(u->inner.impl, frame, len);
}

static int u_data_send(void *impl, const uint8_t *pkt, size_t len)
{
	return -ENOTSUP;
}

static const char *u_describe(void *impl)
{
	return "unplug";
}

static void u_destroy(void *impl)
{
	struct unplug *u = impl;

	if (!u)
		return;
	*u->report = u->sends_after_gone;
	qb_timer_stop(&u->plug);
	qmi_transport_destroy(&u->inner);
	free(u);
}

static const struct qmi_transport_ops unplug_ops = {
	.name = "unplug",
	.start = u_start,
	.ctrl_send = u_ctrl_send,
	.data_send = u_data_send,
	.describe = u_describe,
	.destroy = u_destroy,
};

/* A session whose device goes away after `after` control messages, then `cmd`. */
static int run_unplugged(unsigned after, int (*cmd)(struct qcli *, int, char **), const char *name,
			 bool json, char **out, char **err, unsigned *after_gone)
{
	struct qcli cli;
	struct qcli_json j;
	size_t ol = 0, el = 0;
	FILE *o = open_memstream(out, &ol), *e = open_memstream(err, &el);
	struct qmi_dev_opts opts = { .timeout_ms = 5000 };
	struct qmi_transport tr;
	struct unplug *u = calloc(1, sizeof(*u));
	char argv0[16];
	char *argv[] = { argv0, NULL };
	int rc;

	snprintf(argv0, sizeof(argv0), "%s", name);
	qcli_init(&cli, o, e);
	cli.device = "unplug";
	cr_assert_eq(qb_loop_new(&cli.loop, QB_LOOP_AUTO), 0);
	cr_assert_eq(qsim_new(&cli.sim, cli.loop, NULL), 0);
	cr_assert_eq(qsim_transport_new(cli.sim, &u->inner), 0);
	u->unplug_after = after;
	u->report = after_gone;
	tr = (struct qmi_transport){ &unplug_ops, u };
	cr_assert_eq(qmi_dev_new(&cli.dev, cli.loop, tr, &opts), 0);
	snprintf(cli.devname, sizeof(cli.devname), "unplug");
	if (json) {
		qcli_json_init(&j, o);
		cli.js = &j;
		qcli_json_obj_begin(&j, NULL);
	}
	rc = cmd(&cli, 1, argv);
	qcli_session_close(&cli);
	if (json) {
		qcli_json_error(&cli);
		qcli_json_obj_end(&j);
		cr_assert_eq(qcli_json_finish(&j), 0);
	}
	fclose(o);
	fclose(e);
	return rc;
}

Test(unplug, during_the_batch_is_exit_6)
{
	char *out, *err;
	unsigned after_gone = 99;
	/* info: sends 1-2 allocate clients, 3-11 are the batch; the plug goes after the 3rd. */
	int rc = run_unplugged(3, qcli_cmd_info, "info", false, &out, &err, &after_gone);

	cr_assert_eq(rc, QCLI_EXIT_UNPLUGGED, "rc %d: %s", rc, err);
	HAS(err, "the device was unplugged");
	/* Nobody tried to release client ids on a dead device. */
	cr_assert_eq(after_gone, 0);
	free(out);
	free(err);
}

Test(unplug, during_client_allocation_is_exit_6)
{
	char *out, *err;
	unsigned after_gone = 99;
	int rc = run_unplugged(1, qcli_cmd_signal, "signal", true, &out, &err, &after_gone);

	cr_assert_eq(rc, QCLI_EXIT_UNPLUGGED, "rc %d: %s", rc, err);
	HAS(err, "error: couldn't allocate a nas client: the device was unplugged");
	HAS(out, "\"kind\":\"unplugged\"");
	HAS(out, "\"exit_code\":6");
	cr_assert_str_eq(strstr(out, "{\"error\""), out, "%s", out); /* nothing else printed */
	free(out);
	free(err);
}
