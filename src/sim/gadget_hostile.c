/* SPDX-License-Identifier: MIT */
/*
 * The hostile-device modes of the gadget (fault knobs, src/sim/sim.h): a device that babbles,
 * lies about lengths and client ids, storms the interrupt endpoint, floods indications, sends
 * junk on bulk IN and drops off the bus in the middle of a fetch. Each piece of junk that is
 * meant to be fetched is also announced, so a host that fetches once per RESPONSE_AVAILABLE is
 * still offered the real response after it: recovering is possible, and is what is tested.
 */
#include "sim/gadget_int.h"

#include "sim/sim.h"

#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#define STORM_NOTIFICATIONS 64
#define RESP_LONG_TAIL 4096 /* junk after each frame: past any host's wLength with it */
#define FLOOD_PERIOD_MS 2
#define FLOOD_QUEUE_MAX 8 /* the flood waits while this many frames are unfetched */
#define RECONNECT_MS 1000
#define FOREIGN_CID 0xfe /* above any client id a host gets from a default modem */
#define FOREIGN_SVC 0x2b /* a service this modem does not have */
#define QMUX_HDR 6       /* marker, length (2), control flags, service, client id */

static const struct qsim_faults *faults(const struct qsim_gadget *g)
{
	return qsim_get_faults(g->sim);
}

static uint32_t next_rand(struct qsim_gadget *g)
{
	uint32_t x = g->rng; /* xorshift32: never 0 once seeded non-zero */

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	g->rng = x;
	return x;
}

void qsim_ghostile_fill(struct qsim_gadget *g, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)next_rand(g);
}

static void queue_announced(struct qsim_gadget *g, const uint8_t *frame, size_t len)
{
	qsim_gio_queue_ctrl(g, frame, len);
	qsim_gio_announce(g);
	g->st.hostile++;
}

static void set_qmux_len(uint8_t *frame, uint16_t len)
{
	frame[1] = (uint8_t)(len & 0xff);
	frame[2] = (uint8_t)(len >> 8);
}

/* qmux-lie: the same response (same transaction) three times with a QMUX length that lies --
 * past the end of the transfer, down to a bare QMUX header, and two bytes short of the TLVs --
 * then the true one. A host must drop the liars without reading past what it received. */
static void queue_qmux_lies(struct qsim_gadget *g, const uint8_t *frame, size_t len)
{
	uint8_t copy[QMI_FRAME_MAX];
	uint16_t real = (uint16_t)(len - 1);
	const uint16_t lies[] = { (uint16_t)(real + 100), QMUX_HDR - 2, (uint16_t)(real - 2) };

	if (len <= QMUX_HDR + 2 || len > sizeof(copy))
		return;
	for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		memcpy(copy, frame, len);
		set_qmux_len(copy, lies[i]);
		queue_announced(g, copy, len);
	}
}

/* foreign-cid: the same service response addressed to a client id never allocated, and to a
 * service the modem does not have. A host must not take either for its own. */
static void queue_foreign(struct qsim_gadget *g, const uint8_t *frame, size_t len)
{
	uint8_t copy[QMI_FRAME_MAX];

	if (len <= QMUX_HDR || len > sizeof(copy) || frame[4] == 0 /* CTL has no client ids */)
		return;
	memcpy(copy, frame, len);
	copy[5] = FOREIGN_CID;
	queue_announced(g, copy, len);
	memcpy(copy, frame, len);
	copy[4] = FOREIGN_SVC;
	queue_announced(g, copy, len);
}

void qsim_ghostile_before_ctrl(struct qsim_gadget *g, const uint8_t *frame, size_t len)
{
	const struct qsim_faults *f = faults(g);

	if (f->qmux_lie)
		queue_qmux_lies(g, frame, len);
	if (f->foreign_cid)
		queue_foreign(g, frame, len);
	if (f->resp_babble) { /* a transfer of junk of any length up to the host's 4 KiB */
		uint8_t junk[4096];
		size_t n = 1 + next_rand(g) % sizeof(junk);

		qsim_ghostile_fill(g, junk, n);
		queue_announced(g, junk, n);
	}
}

size_t qsim_ghostile_ctrl_tail(struct qsim_gadget *g)
{
	return faults(g)->resp_long ? RESP_LONG_TAIL : 0;
}

unsigned qsim_ghostile_announcements(struct qsim_gadget *g)
{
	if (faults(g)->notify_unknown)
		g->junk_notify++;
	if (!faults(g)->notify_storm)
		return 1;
	g->st.hostile += STORM_NOTIFICATIONS - 1;
	return STORM_NOTIFICATIONS;
}

bool qsim_ghostile_junk_notify(struct qsim_gadget *g, uint8_t *buf)
{
	/* bNotification values a QMI host has no use for: NETWORK_CONNECTION, SERIAL_STATE and
	 * CONNECTION_SPEED_CHANGE (whose data never follows), and two that are not defined. */
	static const uint8_t types[] = { 0x00, 0x20, 0x2a, 0x7f, 0xff };
	uint8_t type;

	if (!g->junk_notify)
		return false;
	g->junk_notify--;
	g->st.hostile++;
	type = types[g->junk_notify_seq++ % sizeof(types)];
	const uint8_t n[QSIM_NOTIFY_LEN] = { 0xa1, type, 1, 0, 0, 0, type == 0x2a ? 8 : 0, 0 };

	memcpy(buf, n, sizeof(n));
	return true;
}

/* usb-reset: gone from the bus with the host's fetch unanswered. A modem that resets forgets
 * its clients; the CTL Sync fed to it here does that, and its answer is not the host's. */
static void usb_reset(struct qsim_gadget *g)
{
	static const uint8_t sync[] = { 0x01, 11,   0,    0x00, 0x00, 0x00, /* QMUX: CTL */
					0x00, 0xfe, 0x27, 0x00, 0x00, 0x00 /* Sync, no TLVs */ };

	if (!g->cfs.udc[0])
		return;
	/* Unbinding from the controller is an unplug to the host, as in the VM tier's unplug
	 * check; the FunctionFS stays open and bound again later is a new plug. */
	snprintf(g->reset_udc, sizeof(g->reset_udc), "%s", g->cfs.udc);
	qsim_gcfs_unbind(&g->cfs);
	qsim_glog(g, "usb-reset: off the bus at fetch %u, bulk OUT packet %u; back in %d ms",
		  g->fetches_found, g->packets_out, RECONNECT_MS);
	g->off_bus = true;
	g->st.hostile++;
	g->enabled = false;
	(void)qsim_ctrl_in(g->sim, sync, sizeof(sync));
	qsim_gio_free_queue(g);
	g->notify_pending = 0;
	g->junk_notify = 0;
	qb_timer_start(&g->reconnect_timer, RECONNECT_MS);
}

static void on_reconnect(void *user)
{
	struct qsim_gadget *g = user;
	char err[PATH_MAX + 64];
	int ret = qsim_gcfs_bind(&g->cfs, g->reset_udc, err, sizeof(err));

	g->off_bus = false;
	if (ret < 0)
		qsim_glog(g, "usb-reset: cannot come back: %s", err);
	else
		qsim_glog(g, "usb-reset: back on the bus");
}

bool qsim_ghostile_fetch(struct qsim_gadget *g, bool found, size_t wlen)
{
	const struct qsim_faults *f = faults(g);

	if (g->off_bus)
		return true;
	if (found && ++g->fetches_found == f->usb_reset_at) {
		usb_reset(g);
		return true;
	}
	if (!found && f->resp_babble) {
		if (wlen >= sizeof(g->ep0_buf))
			return false;
		qsim_ghostile_fill(g, g->ep0_buf, wlen);
		g->st.hostile++;
		return true;
	}
	return false;
}

bool qsim_ghostile_data_out(struct qsim_gadget *g)
{
	if (g->off_bus || ++g->packets_out != faults(g)->usb_reset_data_at)
		return g->off_bus;
	usb_reset(g);
	return true;
}

void qsim_ghostile_before_data(struct qsim_gadget *g)
{
	const struct qsim_faults *f = faults(g);
	size_t len;
	int ret;

	if ((!f->bulk_garbage && !f->bulk_oversize) || !g->enabled || g->bin_junk.busy)
		return;
	if (f->bulk_oversize && (!f->bulk_garbage || next_rand(g) & 1)) {
		len = qsim_qmap_dl(g->sim) ? qsim_data_max_transfer(g->sim) : QSIM_HOST_RX;
		len += QSIM_OVERSIZE_BY;
	} else {
		len = 1 + next_rand(g) % 1500;
		if (g->bulk_in_mps && len % g->bulk_in_mps == 0)
			len--; /* no zero-length packet to end it: keep it short of a boundary */
	}
	qsim_ghostile_fill(g, g->bin_junk.buf, len);
	ret = qsim_gio_submit(g, &g->bin_junk, IOCB_CMD_PWRITE, len);
	if (ret)
		qsim_gio_submit_failed(g, "a junk bulk IN write", ret);
}

/* ind-flood: a DMS Event Report without TLVs and an indication of a service that does not exist,
 * both to every client, for as long as the gadget lives. */
static void on_flood(void *user)
{
	struct qsim_gadget *g = user;
	uint8_t ind[] = {
		0x01, 12,   0,    0x80, 0x02, 0xff,      /* QMUX: from the modem, DMS, broadcast */
		0x04, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00 /* indication 0x0001 */
	};

	if (g->enabled && g->rq_len < FLOOD_QUEUE_MAX) {
		queue_announced(g, ind, sizeof(ind));
		ind[4] = FOREIGN_SVC;
		queue_announced(g, ind, sizeof(ind));
	}
	qb_timer_start(&g->flood_timer, FLOOD_PERIOD_MS);
}

void qsim_ghostile_enabled(struct qsim_gadget *g)
{
	if (faults(g)->ind_flood && !qb_timer_active(&g->flood_timer))
		qb_timer_start(&g->flood_timer, FLOOD_PERIOD_MS);
}

void qsim_ghostile_init(struct qsim_gadget *g)
{
	uint32_t seed = faults(g)->seed;

	g->rng = seed ? seed : 0x9e3779b9u;
	qb_timer_init(&g->flood_timer, g->loop, on_flood, g);
	qb_timer_init(&g->reconnect_timer, g->loop, on_reconnect, g);
}

void qsim_ghostile_stop(struct qsim_gadget *g)
{
	qb_timer_stop(&g->flood_timer);
	qb_timer_stop(&g->reconnect_timer);
}
