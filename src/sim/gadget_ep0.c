/* SPDX-License-Identifier: MIT */
/*
 * The gadget's ep0: FunctionFS events (enable, disable, unbind) and the CDC control requests
 * that carry QMI. ep0 is watched by the loop; the only blocking call is the short data stage of
 * a control request the host is already in the middle of.
 */
#include "sim/gadget_int.h"

#include "sim/sim.h"

#include <endian.h>
#include <errno.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* CDC class requests (USB CDC 1.2, 6.2). */
#define CDC_SEND_ENCAPSULATED_COMMAND 0x00
#define CDC_GET_ENCAPSULATED_RESPONSE 0x01
#define CDC_SET_CONTROL_LINE_STATE 0x22
#define REQ_OUT_CLASS_INTF (USB_DIR_OUT | USB_TYPE_CLASS | USB_RECIP_INTERFACE) /* 0x21 */
#define REQ_IN_CLASS_INTF (USB_DIR_IN | USB_TYPE_CLASS | USB_RECIP_INTERFACE)   /* 0xA1 */

/*
 * FunctionFS waits for the data stage until the host completes it, and a host that gave up on
 * the transfer (a process that exited with a fetch in flight) never does: only the next SETUP or
 * a signal ends that wait. The loop takes SIGTERM through a signalfd, so SIGTERM is blocked and
 * cannot; a timer of the gadget's own sends SIGALRM to this thread instead, whose handler does
 * nothing but interrupt the wait.
 */
#define STAGE_TIMEOUT_S 2

static void on_stage_alarm(int sig)
{
	(void)sig;
}

int qsim_gep0_timer_init(struct qsim_gadget *g)
{
	struct sigaction sa = { .sa_handler = on_stage_alarm }; /* no SA_RESTART: interrupt */
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGALRM };

	sigemptyset(&sa.sa_mask);
	sev._sigev_un._tid = gettid(); /* sigev_notify_thread_id, which older C libraries lack */
	if (sigaction(SIGALRM, &sa, NULL) < 0 ||
	    timer_create(CLOCK_MONOTONIC, &sev, &g->stage_timer) < 0)
		return -errno;
	g->have_stage_timer = true;
	return 0;
}

void qsim_gep0_timer_free(struct qsim_gadget *g)
{
	if (g->have_stage_timer)
		timer_delete(g->stage_timer);
	g->have_stage_timer = false;
}

static bool stage_timed_out(struct qsim_gadget *g)
{
	struct itimerspec left;

	return g->have_stage_timer && timer_gettime(g->stage_timer, &left) == 0 &&
	       !left.it_value.tv_sec && !left.it_value.tv_nsec;
}

/*
 * The data (or status) stage of the pending setup, bounded by STAGE_TIMEOUT_S (then -1 with
 * errno ETIMEDOUT; FunctionFS has taken the request back). io_uring's task-work notifications
 * interrupt the wait too (EINTR) although no signal was sent; the setup is still pending then,
 * so the stage is simply queued again.
 */
static ssize_t ep0_stage(struct qsim_gadget *g, bool in, void *buf, size_t len)
{
	const struct itimerspec arm = { .it_value = { .tv_sec = STAGE_TIMEOUT_S } };
	const struct itimerspec off = { 0 };
	ssize_t n;
	int tries = 0, err;

	if (g->have_stage_timer)
		(void)timer_settime(g->stage_timer, 0, &arm, NULL);
	for (;;) {
		n = in ? write(g->ep0, buf, len) : read(g->ep0, buf, len);
		if (n >= 0 || errno != EINTR)
			break;
		if (stage_timed_out(g)) {
			errno = ETIMEDOUT;
			break;
		}
		if (++tries >= 100)
			break;
	}
	err = errno;
	if (g->have_stage_timer)
		(void)timer_settime(g->stage_timer, 0, &off, NULL);
	errno = err;
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

	if (qb_list_empty(&g->rq) || g->st.resp_stalls >= qsim_get_faults(g->sim)->resp_stall)
		return false;
	ret = ep0_stall(g, req);
	if (ret < 0) { /* not stalled: answer it as usual (or find the setup gone) */
		qsim_glog(g, "GetEncapsulatedResponse: cannot stall: %s", strerror(-ret));
		return false;
	}
	bool silent = qsim_get_faults(g->sim)->resp_stall_silent;

	g->st.resp_stalls++;
	qsim_glog(g, "GetEncapsulatedResponse stalled (resp-stall %llu of %u); response kept, %s",
		  (unsigned long long)g->st.resp_stalls, qsim_get_faults(g->sim)->resp_stall,
		  silent ? "not announced again" : "announced again");
	if (!silent)
		qsim_gio_announce(g);
	return true;
}

static void ep0_get_response(struct qsim_gadget *g, const struct usb_ctrlrequest *req)
{
	struct qsim_gresp *r = NULL;
	size_t wlen = le16toh(req->wLength);
	size_t n = 0;
	uint8_t *src;

	if (ep0_resp_stall(g, req))
		return;
	if (!qb_list_empty(&g->rq))
		r = qb_list_entry(qb_list_first(&g->rq), struct qsim_gresp, link);
	if (qsim_ghostile_fetch(g, r != NULL, wlen)) {
		if (!g->off_bus && ep0_stage(g, true, g->ep0_buf, wlen) < 0)
			qsim_glog(g, "GetEncapsulatedResponse (junk): %s", strerror(errno));
		return;
	}
	if (r) {
		n = r->len - r->off;
		if (n > wlen)
			n = wlen; /* the rest is fetched by the next request */
	}
	src = r ? r->data + r->off : g->ep0_buf;
	if (ep0_stage(g, true, src, n) < 0) {
		qsim_glog(g, "GetEncapsulatedResponse: %s", strerror(errno));
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
		qb_list_del(&r->link);
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
			qsim_glog(g, "SendEncapsulatedCommand: %s", strerror(errno));
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
		qsim_glog(g, "SET_CONTROL_LINE_STATE DTR=%u RTS=%u", le16toh(r->wValue) & 1u,
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
	for (unsigned i = 0; i < QSIM_BOUT_XFERS; i++)
		g->bout[i].parked = false;
	qsim_gcfs_speed(&g->cfs, speed, sizeof(speed));
	g->bulk_in_mps = strncmp(speed, "full", 4) == 0    ? 64
			 : strncmp(speed, "super", 5) == 0 ? 1024
							   : 512;
	qsim_glog(g, "enabled (%s)", speed[0] ? speed : "speed unknown");
	qsim_ghostile_enabled(g);
	qsim_gio_fill_all(g);
}

void qsim_gep0_on_event(void *user, int fd, unsigned revents)
{
	struct qsim_gadget *g = user;
	struct usb_functionfs_event ev[4];
	ssize_t n = read(fd, ev, sizeof(ev));

	(void)revents;
	if (n < 0) {
		/* EIDRM: a newer event cancelled a setup before we read it; the next read gets it. */
		if (errno == EAGAIN || errno == EINTR || errno == EIDRM)
			return;
		if (!g->ep0_errors)
			qsim_glog(g, "ep0: %s", strerror(errno));
		if (++g->ep0_errors >= QSIM_ERRORS_MAX) { /* a dead ep0 would spin the loop */
			qsim_glog(g, "ep0 keeps failing; no more control requests");
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
			qsim_glog(g, "disabled");
			break;
		case FUNCTIONFS_UNBIND:
			g->enabled = false;
			if (!g->unbound)
				qsim_glog(g, "unbound from the host (unplugged)");
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
