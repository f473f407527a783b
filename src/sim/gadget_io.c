/* SPDX-License-Identifier: MIT */
/*
 * The gadget's data and interrupt endpoints, and the modem's output. The three endpoints run on
 * Linux AIO with completions signalled on an eventfd the loop watches, so nothing here blocks.
 * The endpoint files are non-blocking: a submission before FUNCTIONFS_ENABLE fails with EAGAIN
 * instead of sleeping, and the next ENABLE fills them again.
 */
#include "sim/gadget_int.h"

#include "sim/sim.h"

#include <errno.h>
#include <linux/usb/ch9.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* With QMAP, aggregates in flight on bulk IN before the modem keeps packing (a full aggregate
 * still goes while any transfer is free): one on the wire; the next packs meanwhile. */
#define QMAP_BIN_INFLIGHT 1
#define RESP_QUEUE_MAX 64 /* responses the host has not fetched; older ones are dropped */
#define NOTIFY_PENDING_MAX 64

/* CDC notification RESPONSE_AVAILABLE (USB CDC 1.2, 6.3). */
#define CDC_NOTIFY_RESPONSE_AVAILABLE 0x01
#define REQ_IN_CLASS_INTF (USB_DIR_IN | USB_TYPE_CLASS | USB_RECIP_INTERFACE) /* 0xA1 */

int qsim_gio_submit(struct qsim_gadget *g, struct qsim_gx *x, unsigned opcode, size_t len)
{
	struct iocb *p = &x->cb;
	long r;

	memset(&x->cb, 0, sizeof(x->cb));
	x->cb.aio_data = (uint64_t)(uintptr_t)x;
	x->cb.aio_lio_opcode = (uint16_t)opcode;
	x->cb.aio_fildes = (uint32_t)g->ep[x->ep];
	x->cb.aio_buf = (uint64_t)(uintptr_t)x->buf;
	x->cb.aio_nbytes = len;
	x->cb.aio_flags = IOCB_FLAG_RESFD;
	x->cb.aio_resfd = (uint32_t)g->evfd;
	x->gen = g->gen;
	r = syscall(SYS_io_submit, g->ctx, 1L, &p);
	if (r == 1) {
		x->busy = true;
		return 0;
	}
	return r < 0 ? -errno : -EAGAIN;
}

/* io_submit itself rarely fails (FunctionFS reports most errors as completions); when it
 * does while the function is going away, ENABLE refills. Anything else is worth a line. */
void qsim_gio_submit_failed(struct qsim_gadget *g, const char *what, int err)
{
	if (err == -EAGAIN || err == -ESHUTDOWN || err == -ENODEV)
		return;
	qsim_glog(g, "cannot queue %s: %s", what, strerror(-err));
}

void qsim_gio_intr_fill(struct qsim_gadget *g)
{
	int ret;

	if (!g->enabled || g->intr.busy || g->intr.parked)
		return;
	if (!qsim_ghostile_junk_notify(g, g->intr_buf)) {
		if (!g->notify_pending)
			return;
		/* RESPONSE_AVAILABLE: bmRequestType A1, bNotification 01, wValue 0, wIndex = our
		 * interface (0: the only one in the configuration), wLength 0. */
		const uint8_t n[QSIM_NOTIFY_LEN] = {
			REQ_IN_CLASS_INTF, CDC_NOTIFY_RESPONSE_AVAILABLE, 0, 0, 0, 0, 0, 0
		};

		memcpy(g->intr_buf, n, sizeof(n));
	}
	ret = qsim_gio_submit(g, &g->intr, IOCB_CMD_PWRITE, QSIM_NOTIFY_LEN);
	if (ret)
		qsim_gio_submit_failed(g, "a notification", ret);
}

static void bout_fill(struct qsim_gadget *g)
{
	for (unsigned i = 0; i < QSIM_BOUT_XFERS && g->enabled; i++) {
		int ret;

		if (g->bout[i].busy || g->bout[i].parked)
			continue;
		ret = qsim_gio_submit(g, &g->bout[i], IOCB_CMD_PREAD, QSIM_BOUT_READ);
		if (ret) {
			qsim_gio_submit_failed(g, "a bulk OUT read", ret);
			break;
		}
	}
}

void qsim_gio_fill_all(struct qsim_gadget *g)
{
	bout_fill(g);
	qsim_gio_intr_fill(g);
}

/* ---- the modem's output ---- */

void qsim_gio_queue_ctrl(struct qsim_gadget *g, const uint8_t *frame, size_t len)
{
	size_t tail = qsim_ghostile_ctrl_tail(g);
	struct qsim_gresp *r = malloc(sizeof(*r) + len + tail);

	if (!r) {
		g->st.ctrl_dropped++;
		return;
	}
	r->len = len + tail;
	r->off = 0;
	if (len)
		memcpy(r->data, frame, len);
	qsim_ghostile_fill(g, r->data + len, tail);
	if (g->rq_len >= RESP_QUEUE_MAX) { /* a host that never fetches must not grow us */
		struct qsim_gresp *old = qb_list_entry(qb_list_first(&g->rq), struct qsim_gresp,
						       link);

		qb_list_del(&old->link);
		g->rq_len--;
		free(old);
		g->st.ctrl_dropped++;
	}
	qb_list_add_tail(&g->rq, &r->link);
	g->rq_len++;
	if (tail) { /* resp-long: announced again for the rest, which the first fetch cannot take */
		qsim_gio_announce(g);
		g->st.hostile++;
	}
}

void qsim_gio_free_queue(struct qsim_gadget *g)
{
	struct qb_list *pos, *tmp;

	qb_list_for_each_safe (pos, tmp, &g->rq) {
		qb_list_del(pos);
		free(qb_list_entry(pos, struct qsim_gresp, link));
	}
	g->rq_len = 0;
}

static void out_ctrl(void *user, const uint8_t *frame, size_t len)
{
	struct qsim_gadget *g = user;

	qsim_ghostile_before_ctrl(g, frame, len);
	qsim_gio_queue_ctrl(g, frame, len);
}

void qsim_gio_announce(struct qsim_gadget *g)
{
	if (g->notify_pending < NOTIFY_PENDING_MAX)
		g->notify_pending++;
	qsim_gio_intr_fill(g);
}

static void out_notify(void *user)
{
	struct qsim_gadget *g = user;

	for (unsigned i = qsim_ghostile_announcements(g); i; i--)
		qsim_gio_announce(g);
}

static void out_data(void *user, const uint8_t *pkt, size_t len)
{
	struct qsim_gadget *g = user;
	unsigned i;
	int ret;

	if (!g->enabled || len > QSIM_DATA_BUF) {
		g->st.data_dropped++;
		return;
	}
	qsim_ghostile_before_data(g);
	for (i = 0; i < QSIM_BIN_XFERS; i++)
		if (!g->bin[i].busy && !g->bin_zlp[i].busy)
			break;
	if (i == QSIM_BIN_XFERS) { /* the host is not reading: drop, as a radio would */
		g->st.data_dropped++;
		return;
	}
	memcpy(g->bin[i].buf, pkt, len);
	ret = qsim_gio_submit(g, &g->bin[i], IOCB_CMD_PWRITE, len);
	if (ret) {
		qsim_gio_submit_failed(g, "a bulk IN write", ret);
		g->st.data_dropped++;
		return;
	}
	/* The host reads into transfers larger than one packet: a packet that ends exactly on a
	 * max-packet boundary needs a zero-length packet to end the transfer. */
	if (len && g->bulk_in_mps && len % g->bulk_in_mps == 0) {
		ret = qsim_gio_submit(g, &g->bin_zlp[i], IOCB_CMD_PWRITE, 0);
		if (ret)
			qsim_gio_submit_failed(g, "a zero-length packet", ret);
	}
}

/* With QMAP the modem keeps packing while every bulk IN transfer is in flight, and sends the
 * aggregate when one completes (on_aio's batch end): the host's reading pace sets the batching. */
static bool out_data_busy(void *user)
{
	struct qsim_gadget *g = user;
	unsigned busy = 0;

	if (!g->enabled)
		return false; /* out_data counts the drop */
	for (unsigned i = 0; i < QSIM_BIN_XFERS; i++)
		if (g->bin[i].busy || g->bin_zlp[i].busy)
			busy++;
	return busy >= (qsim_qmap_dl(g->sim) ? QMAP_BIN_INFLIGHT : QSIM_BIN_XFERS);
}

const struct qsim_output qsim_gadget_output = {
	.ctrl = out_ctrl,
	.notify = out_notify,
	.data = out_data,
	.data_busy = out_data_busy,
};

/* ---- AIO completions ---- */

static void xfer_done(struct qsim_gadget *g, struct qsim_gx *x, long res)
{
	x->busy = false;
	if (res < 0) {
		/* A disable, an unbind or a submission before ENABLE (FunctionFS completes those with
		 * -EAGAIN) all end here. Resubmitting at once would spin while the function stays
		 * disabled, so the transfer waits for the next ENABLE -- unless that ENABLE has
		 * already been seen (usbnet's second ENABLE can be read before these completions). */
		if (res == -ESHUTDOWN || res == -ECONNRESET || res == -ENODEV || res == -EAGAIN) {
			x->parked = x->gen == g->gen;
		} else { /* a transfer error while enabled: retried, within limits */
			if (!g->errors)
				qsim_glog(g, "endpoint %d: %s", x->ep + 1, strerror((int)-res));
			if (++g->errors >= QSIM_ERRORS_MAX) {
				qsim_glog(g, "too many endpoint errors; waiting for the host to "
					     "re-enable");
				g->enabled = false;
			}
		}
		return;
	}
	g->errors = 0;
	switch (x->ep) {
	case QSIM_EP_INT:
		/* An unknown notification (notify-unknown) owes nothing. */
		if (res == QSIM_NOTIFY_LEN && g->intr_buf[1] == CDC_NOTIFY_RESPONSE_AVAILABLE &&
		    g->notify_pending) {
			g->notify_pending--;
			g->st.notifications++;
		}
		break;
	case QSIM_EP_BIN:
		if (x == &g->bin_junk)
			g->st.hostile++;
		else if (x->buf != g->zlp_buf)
			g->st.data_in++;
		break;
	case QSIM_EP_BOUT:
		if (res > 0 && !qsim_ghostile_data_out(g)) {
			g->st.data_out++;
			/* The modem counts and judges the packet itself (no call, not IP, ...). */
			(void)qsim_data_in(g->sim, x->buf, (size_t)res);
		}
		break;
	}
}

void qsim_gio_on_aio(void *user, int fd, unsigned revents)
{
	struct qsim_gadget *g = user;
	struct io_event evs[16];
	struct timespec zero = { 0, 0 };
	uint64_t n;
	long got;

	(void)revents;
	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		qsim_glog(g, "eventfd: %s", strerror(errno));
	/* Replies to every bulk OUT transfer completed in this pass leave as one QMAP aggregate
	 * (when the host negotiated QMAP), sent at the batch end or when a bulk IN slot frees. */
	qsim_data_batch_begin(g->sim);
	do {
		got = syscall(SYS_io_getevents, g->ctx, 0L, 16L, evs, &zero);
		for (long i = 0; i < got; i++)
			xfer_done(g, (struct qsim_gx *)(uintptr_t)evs[i].data, (long)evs[i].res);
	} while (got == 16);
	qsim_gio_fill_all(g);
	qsim_data_batch_end(g->sim);
}
