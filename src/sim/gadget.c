/* SPDX-License-Identifier: MIT */
/*
 * The gadget's endpoint side. ep0 is watched by the loop (FunctionFS ep0 polls); the three data
 * endpoints run on Linux AIO with completions signalled on an eventfd the loop watches, so no
 * call here blocks waiting for the host except the short data stage of a control request the
 * host is already in the middle of. The endpoint files are non-blocking: a submission before
 * FUNCTIONFS_ENABLE fails with EAGAIN instead of sleeping, and the next ENABLE fills them again.
 */
#include "sim/gadget.h"

#include "qmi/qmux.h"
#include "sim/gadget_int.h"
#include "sim/sim.h"
#include "base/loop.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { EP_INT, EP_BIN, EP_BOUT, EP_COUNT };

#define BIN_XFERS 8
/* With QMAP, aggregates in flight on bulk IN before the modem keeps packing (a full aggregate
 * still goes while any transfer is free): one on the wire; the next packs meanwhile. */
#define QMAP_BIN_INFLIGHT 1
#define BOUT_XFERS 4
#define DATA_BUF 16384      /* one packet per transfer; a multiple of every max packet size */
#define NOTIFY_LEN 8
#define RESP_QUEUE_MAX 64   /* responses the host has not fetched; older ones are dropped */
#define NOTIFY_PENDING_MAX 64
#define ERRORS_MAX 64       /* consecutive endpoint errors before waiting for the next ENABLE */

/* CDC class requests (USB CDC 1.2, 6.2). */
#define CDC_SEND_ENCAPSULATED_COMMAND 0x00
#define CDC_GET_ENCAPSULATED_RESPONSE 0x01
#define CDC_SET_CONTROL_LINE_STATE 0x22
#define CDC_NOTIFY_RESPONSE_AVAILABLE 0x01
#define REQ_OUT_CLASS_INTF (USB_DIR_OUT | USB_TYPE_CLASS | USB_RECIP_INTERFACE) /* 0x21 */
#define REQ_IN_CLASS_INTF (USB_DIR_IN | USB_TYPE_CLASS | USB_RECIP_INTERFACE)   /* 0xA1 */

struct gx { /* one AIO transfer; its buffer is the gadget's and reused */
	struct iocb cb;
	int ep;
	bool busy;
	bool parked;  /* failed while (or because) the function was disabled: wait for ENABLE */
	unsigned gen; /* g->gen when submitted */
	uint8_t *buf;
};

struct resp { /* a frame waiting for GetEncapsulatedResponse; owned by the queue */
	struct resp *next;
	size_t len, off;
	uint8_t data[];
};

struct qsim_gadget {
	struct qb_loop *loop;
	struct qsim *sim;
	FILE *log;
	struct qsim_gcfs cfs;
	int ep0, ep[EP_COUNT], evfd;
	aio_context_t ctx;
	bool have_ctx, enabled, unbound;
	struct qb_watch *ep0_w, *ev_w;
	unsigned bulk_in_mps; /* for the zero-length packet after a full-packet multiple */
	unsigned errors;      /* consecutive endpoint errors */
	unsigned ep0_errors;  /* consecutive failed ep0 reads */
	unsigned gen;         /* counts ENABLEs */

	struct gx intr;
	uint8_t intr_buf[NOTIFY_LEN];
	unsigned notify_pending;
	struct gx bin[BIN_XFERS], bin_zlp[BIN_XFERS];
	struct gx bout[BOUT_XFERS];
	uint8_t *data_mem; /* (BIN_XFERS + BOUT_XFERS) * DATA_BUF */
	uint8_t zlp_buf[1];

	struct resp *rq_head, **rq_tail;
	unsigned rq_len;
	uint8_t ep0_buf[QMI_FRAME_MAX];
	struct qsim_gadget_stats st;
};

static void glog(struct qsim_gadget *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void glog(struct qsim_gadget *g, const char *fmt, ...)
{
	va_list ap;

	if (!g->log)
		return;
	va_start(ap, fmt);
	fputs("qmiusb sim: gadget: ", g->log);
	vfprintf(g->log, fmt, ap);
	fputc('\n', g->log);
	fflush(g->log);
	va_end(ap);
}

static int aio_submit1(struct qsim_gadget *g, struct gx *x, unsigned opcode, size_t len)
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
static void submit_failed(struct qsim_gadget *g, const char *what, int err)
{
	if (err == -EAGAIN || err == -ESHUTDOWN || err == -ENODEV)
		return;
	glog(g, "cannot queue %s: %s", what, strerror(-err));
}

static void intr_fill(struct qsim_gadget *g)
{
	int ret;

	if (!g->enabled || g->intr.busy || g->intr.parked || !g->notify_pending)
		return;
	/* RESPONSE_AVAILABLE: bmRequestType A1, bNotification 01, wValue 0, wIndex = our
	 * interface (0: the only one in the configuration), wLength 0. */
	const uint8_t n[NOTIFY_LEN] = { REQ_IN_CLASS_INTF, CDC_NOTIFY_RESPONSE_AVAILABLE, 0, 0,
					0, 0, 0, 0 };

	memcpy(g->intr_buf, n, sizeof(n));
	ret = aio_submit1(g, &g->intr, IOCB_CMD_PWRITE, NOTIFY_LEN);
	if (ret)
		submit_failed(g, "a notification", ret);
}

static void bout_fill(struct qsim_gadget *g)
{
	for (unsigned i = 0; i < BOUT_XFERS && g->enabled; i++) {
		int ret;

		if (g->bout[i].busy || g->bout[i].parked)
			continue;
		ret = aio_submit1(g, &g->bout[i], IOCB_CMD_PREAD, DATA_BUF);
		if (ret) {
			submit_failed(g, "a bulk OUT read", ret);
			break;
		}
	}
}

static void fill_all(struct qsim_gadget *g)
{
	bout_fill(g);
	intr_fill(g);
}

/* ---- the modem's output ---- */

static void out_ctrl(void *user, const uint8_t *frame, size_t len)
{
	struct qsim_gadget *g = user;
	struct resp *r = malloc(sizeof(*r) + len);

	if (!r) {
		g->st.ctrl_dropped++;
		return;
	}
	r->next = NULL;
	r->len = len;
	r->off = 0;
	if (len)
		memcpy(r->data, frame, len);
	if (g->rq_len >= RESP_QUEUE_MAX) { /* a host that never fetches must not grow us */
		struct resp *old = g->rq_head;

		g->rq_head = old->next;
		if (!g->rq_head)
			g->rq_tail = &g->rq_head;
		g->rq_len--;
		free(old);
		g->st.ctrl_dropped++;
	}
	*g->rq_tail = r;
	g->rq_tail = &r->next;
	g->rq_len++;
}

static void out_notify(void *user)
{
	struct qsim_gadget *g = user;

	if (g->notify_pending < NOTIFY_PENDING_MAX)
		g->notify_pending++;
	intr_fill(g);
}

static void out_data(void *user, const uint8_t *pkt, size_t len)
{
	struct qsim_gadget *g = user;
	unsigned i;
	int ret;

	if (!g->enabled || len > DATA_BUF) {
		g->st.data_dropped++;
		return;
	}
	for (i = 0; i < BIN_XFERS; i++)
		if (!g->bin[i].busy && !g->bin_zlp[i].busy)
			break;
	if (i == BIN_XFERS) { /* the host is not reading: drop, as a radio would */
		g->st.data_dropped++;
		return;
	}
	memcpy(g->bin[i].buf, pkt, len);
	ret = aio_submit1(g, &g->bin[i], IOCB_CMD_PWRITE, len);
	if (ret) {
		submit_failed(g, "a bulk IN write", ret);
		g->st.data_dropped++;
		return;
	}
	/* The host reads into transfers larger than one packet: a packet that ends exactly on a
	 * max-packet boundary needs a zero-length packet to end the transfer. */
	if (len && g->bulk_in_mps && len % g->bulk_in_mps == 0) {
		ret = aio_submit1(g, &g->bin_zlp[i], IOCB_CMD_PWRITE, 0);
		if (ret)
			submit_failed(g, "a zero-length packet", ret);
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
	for (unsigned i = 0; i < BIN_XFERS; i++)
		if (g->bin[i].busy || g->bin_zlp[i].busy)
			busy++;
	return busy >= (qsim_qmap_dl(g->sim) ? QMAP_BIN_INFLIGHT : BIN_XFERS);
}

static const struct qsim_output gadget_output = {
	.ctrl = out_ctrl,
	.notify = out_notify,
	.data = out_data,
	.data_busy = out_data_busy,
};

/* ---- AIO completions ---- */

static void xfer_done(struct qsim_gadget *g, struct gx *x, long res)
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
				glog(g, "endpoint %d: %s", x->ep + 1, strerror((int)-res));
			if (++g->errors >= ERRORS_MAX) {
				glog(g, "too many endpoint errors; waiting for the host to re-enable");
				g->enabled = false;
			}
		}
		return;
	}
	g->errors = 0;
	switch (x->ep) {
	case EP_INT:
		if (res == NOTIFY_LEN && g->notify_pending) {
			g->notify_pending--;
			g->st.notifications++;
		}
		break;
	case EP_BIN:
		if (x->buf != g->zlp_buf)
			g->st.data_in++;
		break;
	case EP_BOUT:
		if (res > 0) {
			g->st.data_out++;
			/* The modem counts and judges the packet itself (no call, not IP, ...). */
			(void)qsim_data_in(g->sim, x->buf, (size_t)res);
		}
		break;
	}
}

static void on_aio(void *user, int fd, unsigned revents)
{
	struct qsim_gadget *g = user;
	struct io_event evs[16];
	struct timespec zero = { 0, 0 };
	uint64_t n;
	long got;

	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		glog(g, "eventfd: %s", strerror(errno));
	/* Replies to every bulk OUT transfer completed in this pass leave as one QMAP aggregate
	 * (when the host negotiated QMAP), sent at the batch end or when a bulk IN slot frees. */
	qsim_data_batch_begin(g->sim);
	do {
		got = syscall(SYS_io_getevents, g->ctx, 0L, 16L, evs, &zero);
		for (long i = 0; i < got; i++)
			xfer_done(g, (struct gx *)(uintptr_t)evs[i].data, (long)evs[i].res);
	} while (got == 16);
	fill_all(g);
	qsim_data_batch_end(g->sim);
}

/* ---- ep0 ---- */

/*
 * The data (or status) stage of the pending setup. FunctionFS waits for it interruptibly, and
 * io_uring's task-work notifications interrupt such waits (EINTR) although no signal was sent;
 * the setup is still pending then, so the stage is simply queued again.
 */
static ssize_t ep0_stage(struct qsim_gadget *g, bool in, void *buf, size_t len)
{
	ssize_t n;
	int tries = 0;

	do
		n = in ? write(g->ep0, buf, len) : read(g->ep0, buf, len);
	while (n < 0 && errno == EINTR && ++tries < 100);
	return n;
}

/* 0 once ep0 is halted for this setup, else -errno (e.g. -EIDRM: the host gave up first). */
static int ep0_stall(struct qsim_gadget *g, const struct usb_ctrlrequest *r)
{
	/* FunctionFS stalls when the data stage goes the wrong way, and says so with EL2HLT. */
	if (ep0_stage(g, !(r->bRequestType & USB_DIR_IN), NULL, 0) < 0)
		return errno == EL2HLT ? 0 : -errno;
	return -EPROTO; /* taken as a data stage: not a stall */
}

/*
 * resp-stall=N: a modem with a transient failure refuses the fetch but keeps the response and
 * says again that one is waiting, so a host that reads a stall as "nothing queued" still gets it
 * with its next request; with resp-stall-silent it says nothing, and only a host that fetches
 * again on its own gets the response. True when this request was answered with a stall.
 */
static bool ep0_resp_stall(struct qsim_gadget *g, const struct usb_ctrlrequest *req)
{
	int ret;

	if (!g->rq_head || g->st.resp_stalls >= qsim_get_faults(g->sim)->resp_stall)
		return false;
	ret = ep0_stall(g, req);
	if (ret < 0) { /* not stalled: answer it as usual (or find the setup gone) */
		glog(g, "GetEncapsulatedResponse: cannot stall: %s", strerror(-ret));
		return false;
	}
	bool silent = qsim_get_faults(g->sim)->resp_stall_silent;

	g->st.resp_stalls++;
	glog(g, "GetEncapsulatedResponse stalled (resp-stall %llu of %u); response kept, %s",
	     (unsigned long long)g->st.resp_stalls, qsim_get_faults(g->sim)->resp_stall,
	     silent ? "not announced again" : "announced again");
	if (!silent)
		out_notify(g);
	return true;
}

static void ep0_get_response(struct qsim_gadget *g, const struct usb_ctrlrequest *req)
{
	struct resp *r = g->rq_head;
	size_t wlen = le16toh(req->wLength);
	size_t n = 0;

	if (ep0_resp_stall(g, req))
		return;
	if (r) {
		n = r->len - r->off;
		if (n > wlen)
			n = wlen; /* the rest is fetched by the next request */
	}
	if (ep0_stage(g, true, r ? r->data + r->off : g->ep0_buf, n) < 0) {
		glog(g, "GetEncapsulatedResponse: %s", strerror(errno));
		return; /* the host gave up; keep the frame for its next request */
	}
	if (!r || !n)
		g->st.empty_responses++;
	else
		g->st.responses++;
	if (!r)
		return;
	r->off += n;
	if (r->off >= r->len) {
		g->rq_head = r->next;
		if (!g->rq_head)
			g->rq_tail = &g->rq_head;
		g->rq_len--;
		free(r);
	}
}

static void ep0_setup(struct qsim_gadget *g, const struct usb_ctrlrequest *r)
{
	size_t wlen = le16toh(r->wLength);
	ssize_t n;

	if (r->bRequestType == REQ_OUT_CLASS_INTF && r->bRequest == CDC_SEND_ENCAPSULATED_COMMAND) {
		if (wlen > sizeof(g->ep0_buf)) {
			(void)ep0_stall(g, r);
			return;
		}
		n = ep0_stage(g, false, g->ep0_buf, wlen);
		if (n < 0) {
			glog(g, "SendEncapsulatedCommand: %s", strerror(errno));
			return;
		}
		g->st.commands++;
		/* An invalid frame is the modem's to ignore (and count), as a real one would. */
		(void)qsim_ctrl_in(g->sim, g->ep0_buf, (size_t)n);
	} else if (r->bRequestType == REQ_IN_CLASS_INTF &&
		   r->bRequest == CDC_GET_ENCAPSULATED_RESPONSE) {
		ep0_get_response(g, r);
	} else if (r->bRequestType == REQ_OUT_CLASS_INTF &&
		   r->bRequest == CDC_SET_CONTROL_LINE_STATE && wlen == 0) {
		/* qmi_wwan sends DTR at bind for this device class: a stall would fail the bind. The
		 * log line lets the VM tier check that qmiusb asserts DTR as qmi_wwan does. */
		(void)ep0_stage(g, false, NULL, 0);
		glog(g, "SET_CONTROL_LINE_STATE DTR=%u RTS=%u", le16toh(r->wValue) & 1u,
		     (le16toh(r->wValue) >> 1) & 1u);
	} else {
		(void)ep0_stall(g, r);
	}
}

static void on_enable(struct qsim_gadget *g)
{
	char speed[32];

	g->enabled = true;
	g->unbound = false;
	g->errors = 0;
	g->gen++;
	g->st.enables++;
	g->intr.parked = false;
	for (unsigned i = 0; i < BOUT_XFERS; i++)
		g->bout[i].parked = false;
	qsim_gcfs_speed(&g->cfs, speed, sizeof(speed));
	g->bulk_in_mps = strncmp(speed, "full", 4) == 0 ? 64 : 512;
	glog(g, "enabled (%s)", speed[0] ? speed : "speed unknown");
	fill_all(g);
}

static void on_ep0(void *user, int fd, unsigned revents)
{
	struct qsim_gadget *g = user;
	struct usb_functionfs_event ev[4];
	ssize_t n = read(fd, ev, sizeof(ev));

	if (n < 0) {
		/* EIDRM: a newer event cancelled a setup before we read it; the next read gets it. */
		if (errno == EAGAIN || errno == EINTR || errno == EIDRM)
			return;
		if (!g->ep0_errors)
			glog(g, "ep0: %s", strerror(errno));
		if (++g->ep0_errors >= ERRORS_MAX) { /* a dead ep0 would spin the loop */
			glog(g, "ep0 keeps failing; no more control requests");
			qb_watch_remove(g->ep0_w);
			g->ep0_w = NULL;
		}
		return;
	}
	g->ep0_errors = 0;
	for (size_t i = 0; i < (size_t)n / sizeof(ev[0]); i++) {
		switch (ev[i].type) {
		case FUNCTIONFS_ENABLE:
			on_enable(g);
			break;
		case FUNCTIONFS_DISABLE:
			g->enabled = false;
			glog(g, "disabled");
			break;
		case FUNCTIONFS_UNBIND:
			g->enabled = false;
			if (!g->unbound)
				glog(g, "unbound from the host (unplugged)");
			g->unbound = true;
			break;
		case FUNCTIONFS_SETUP:
			ep0_setup(g, &ev[i].u.setup);
			break;
		default: /* BIND, SUSPEND, RESUME: nothing to do */
			break;
		}
	}
}

/* ---- lifecycle ---- */

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static int open_endpoints(struct qsim_gadget *g, char *err, size_t errlen)
{
	uint8_t blob[256];
	char path[PATH_MAX + 8];
	long len;
	int ret;

	snprintf(path, sizeof(path), "%s/ep0", g->cfs.mnt);
	g->ep0 = open(path, O_RDWR | O_CLOEXEC);
	if (g->ep0 < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return ret;
	}
	/* Descriptors, then strings: only then do the endpoint files appear. */
	len = qsim_gadget_descriptors(blob, sizeof(blob));
	ret = len < 0 ? (int)len : write_all(g->ep0, blob, (size_t)len);
	if (ret) {
		snprintf(err, errlen, "FunctionFS refused the descriptors: %s", strerror(-ret));
		return ret;
	}
	len = qsim_gadget_strings(blob, sizeof(blob));
	ret = len < 0 ? (int)len : write_all(g->ep0, blob, (size_t)len);
	if (ret) {
		snprintf(err, errlen, "FunctionFS refused the strings: %s", strerror(-ret));
		return ret;
	}
	if (fcntl(g->ep0, F_SETFL, O_RDWR | O_NONBLOCK) < 0)
		return -errno;
	for (int i = 0; i < EP_COUNT; i++) {
		snprintf(path, sizeof(path), "%s/ep%d", g->cfs.mnt, i + 1);
		g->ep[i] = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (g->ep[i] < 0) {
			ret = -errno;
			snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
			return ret;
		}
	}
	return 0;
}

static int setup_io(struct qsim_gadget *g, char *err, size_t errlen)
{
	int ret;

	g->data_mem = malloc((size_t)(BIN_XFERS + BOUT_XFERS) * DATA_BUF);
	if (!g->data_mem)
		return -ENOMEM;
	g->intr = (struct gx){ .ep = EP_INT, .buf = g->intr_buf };
	for (unsigned i = 0; i < BIN_XFERS; i++) {
		g->bin[i] = (struct gx){ .ep = EP_BIN, .buf = g->data_mem + (size_t)i * DATA_BUF };
		g->bin_zlp[i] = (struct gx){ .ep = EP_BIN, .buf = g->zlp_buf };
	}
	for (unsigned i = 0; i < BOUT_XFERS; i++)
		g->bout[i] = (struct gx){ .ep = EP_BOUT,
					  .buf = g->data_mem + (size_t)(BIN_XFERS + i) * DATA_BUF };

	g->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (g->evfd < 0)
		return -errno;
	if (syscall(SYS_io_setup, 2L * (1 + 2 * BIN_XFERS + BOUT_XFERS), &g->ctx) < 0) {
		ret = -errno;
		snprintf(err, errlen, "io_setup: %s", strerror(errno));
		return ret;
	}
	g->have_ctx = true;
	ret = qb_loop_watch(g->loop, g->evfd, POLLIN, on_aio, g, &g->ev_w);
	if (!ret)
		ret = qb_loop_watch(g->loop, g->ep0, POLLIN, on_ep0, g, &g->ep0_w);
	return ret;
}

int qsim_gadget_new(struct qsim_gadget **out, struct qb_loop *loop, struct qsim *sim,
		    const struct qsim_gadget_opts *opts, char *err, size_t errlen)
{
	struct qsim_gadget *g = calloc(1, sizeof(*g));
	uint16_t vid = opts && opts->vid ? opts->vid : QSIM_GADGET_VID;
	uint16_t pid = opts && opts->pid ? opts->pid : QSIM_GADGET_PID;
	char scratch[1];
	int ret;

	if (!err || !errlen) {
		err = scratch;
		errlen = sizeof(scratch);
	}
	err[0] = 0;
	if (!g)
		return -ENOMEM;
	g->loop = loop;
	g->sim = sim;
	g->log = opts ? opts->log : NULL;
	g->ep0 = g->evfd = -1;
	for (int i = 0; i < EP_COUNT; i++)
		g->ep[i] = -1;
	g->rq_tail = &g->rq_head;

	ret = qsim_gcfs_create(&g->cfs, vid, pid, err, errlen);
	if (ret) {
		free(g);
		return ret;
	}
	ret = open_endpoints(g, err, errlen);
	if (!ret)
		ret = setup_io(g, err, errlen);
	if (ret) {
		if (!err[0])
			snprintf(err, errlen, "%s", strerror(-ret));
		qsim_gadget_free(g);
		return ret;
	}
	qsim_set_output(sim, &gadget_output, g);
	/* Last: binding before the descriptors are written fails with ENODEV. */
	ret = qsim_gcfs_bind(&g->cfs, opts ? opts->udc : NULL, err, errlen);
	if (ret) {
		qsim_gadget_free(g);
		return ret;
	}
	glog(g, "%04x:%04x on %s (configfs %s)", vid, pid, g->cfs.udc, g->cfs.dir);
	*out = g;
	return 0;
}

void qsim_gadget_free(struct qsim_gadget *g)
{
	char err[PATH_MAX + 64];

	if (!g)
		return;
	if (g->sim)
		qsim_set_output(g->sim, NULL, NULL);
	qb_watch_remove(g->ep0_w);
	qb_watch_remove(g->ev_w);
	/* Unbinding disables the function, which completes every transfer with -ESHUTDOWN;
	 * io_destroy then cancels what is left and waits, so no transfer outlives its buffer. */
	qsim_gcfs_unbind(&g->cfs);
	if (g->have_ctx)
		syscall(SYS_io_destroy, g->ctx);
	for (int i = 0; i < EP_COUNT; i++)
		if (g->ep[i] >= 0)
			close(g->ep[i]);
	if (g->ep0 >= 0)
		close(g->ep0);
	if (g->evfd >= 0)
		close(g->evfd);
	if (qsim_gcfs_destroy(&g->cfs, err, sizeof(err)) < 0)
		glog(g, "teardown: %s", err);
	while (g->rq_head) {
		struct resp *r = g->rq_head;

		g->rq_head = r->next;
		free(r);
	}
	free(g->data_mem);
	free(g);
}

const char *qsim_gadget_udc(const struct qsim_gadget *g)
{
	return g->cfs.udc;
}

void qsim_gadget_get_stats(const struct qsim_gadget *g, struct qsim_gadget_stats *out)
{
	*out = g->st;
}
