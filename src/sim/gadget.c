/* SPDX-License-Identifier: MIT */
/*
 * The gadget's lifecycle: builds the configfs gadget, writes the FunctionFS descriptors, opens
 * the endpoint files and the AIO context, and tears all of it down again. The endpoints' work is
 * in gadget_io.c and gadget_ep0.c.
 */
#include "sim/gadget.h"

#include "sim/gadget_int.h"
#include "sim/layout.h"
#include "sim/sim.h"
#include "base/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

void qsim_glog(struct qsim_gadget *g, const char *fmt, ...)
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

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static int open_endpoints(struct qsim_gadget *g, char *err, size_t errlen)
{
	uint8_t blob[2048];
	int files[QSIM_EP_COUNT] = { 1, 2, 3 }; /* ep<N> of the interrupt, bulk IN, bulk OUT */
	char path[PATH_MAX + 8];
	long len;
	int lie = qsim_get_faults(g->sim)->usb_desc_lie;
	int ret;

	snprintf(path, sizeof(path), "%s/ep0", g->cfs.mnt);
	g->ep0 = open(path, O_RDWR | O_CLOEXEC);
	if (g->ep0 < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return ret;
	}
	/* Descriptors, then strings: only then do the endpoint files appear. */
	if (g->layout)
		len = qsim_gadget_layout_descriptors(g->layout, blob, sizeof(blob), files);
	else
		len = qsim_gadget_descriptors_lie(blob, sizeof(blob), lie);
	ret = len < 0 ? (int)len : write_all(g->ep0, blob, (size_t)len);
	if (ret) {
		snprintf(err, errlen, "FunctionFS refused the descriptors: %s", strerror(-ret));
		return ret;
	}
	if (lie)
		qsim_glog(g, "descriptors lie (usb-desc=%d)", lie);
	len = qsim_gadget_strings(blob, sizeof(blob));
	ret = len < 0 ? (int)len : write_all(g->ep0, blob, (size_t)len);
	if (ret) {
		snprintf(err, errlen, "FunctionFS refused the strings: %s", strerror(-ret));
		return ret;
	}
	if (fcntl(g->ep0, F_SETFL, O_RDWR | O_NONBLOCK) < 0)
		return -errno;
	for (int i = 0; i < QSIM_EP_COUNT; i++) {
		snprintf(path, sizeof(path), "%s/ep%d", g->cfs.mnt, files[i]);
		g->ep[i] = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (g->ep[i] < 0) {
			ret = -errno;
			snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
			return ret;
		}
	}
	return 0;
}

/* A layout's other configuration: its function exists (descriptors and strings written, ep0
 * kept open so it stays ready) and never answers. */
static int other_config(struct qsim_gadget *g, char *err, size_t errlen)
{
	uint8_t blob[2048], value;
	char path[PATH_MAX + 8];
	long len = qsim_gadget_layout_other(g->layout, &value, blob, sizeof(blob));
	int ret;

	if (len == -ENOENT)
		return 0;
	ret = len < 0 ? (int)len : qsim_gcfs_add_config(&g->cfs, value, err, errlen);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/ep0", g->cfs.mnt2);
	g->ep0_other = open(path, O_RDWR | O_CLOEXEC);
	if (g->ep0_other < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return ret;
	}
	ret = write_all(g->ep0_other, blob, (size_t)len);
	if (!ret) {
		len = qsim_gadget_strings(blob, sizeof(blob));
		ret = len < 0 ? (int)len : write_all(g->ep0_other, blob, (size_t)len);
	}
	if (ret)
		snprintf(err, errlen, "FunctionFS refused configuration %u: %s", value,
			 strerror(-ret));
	return ret;
}

static int setup_io(struct qsim_gadget *g, char *err, size_t errlen)
{
	const size_t slots = QSIM_BIN_XFERS + QSIM_BOUT_XFERS;
	int ret;

	g->data_mem = malloc(slots * QSIM_DATA_BUF + QSIM_OVERSIZE);
	if (!g->data_mem)
		return -ENOMEM;
	g->intr = (struct qsim_gx){ .ep = QSIM_EP_INT, .buf = g->intr_buf };
	for (unsigned i = 0; i < QSIM_BIN_XFERS; i++) {
		g->bin[i] = (struct qsim_gx){ .ep = QSIM_EP_BIN,
					      .buf = g->data_mem + (size_t)i * QSIM_DATA_BUF };
		g->bin_zlp[i] = (struct qsim_gx){ .ep = QSIM_EP_BIN, .buf = g->zlp_buf };
	}
	for (unsigned i = 0; i < QSIM_BOUT_XFERS; i++)
		g->bout[i] = (struct qsim_gx){ .ep = QSIM_EP_BOUT,
					       .buf = g->data_mem + (size_t)(QSIM_BIN_XFERS + i) *
									    QSIM_DATA_BUF };
	g->bin_junk = (struct qsim_gx){ .ep = QSIM_EP_BIN,
					.buf = g->data_mem + slots * QSIM_DATA_BUF };

	g->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (g->evfd < 0)
		return -errno;
	if (syscall(SYS_io_setup, 2L * (2 + 2 * QSIM_BIN_XFERS + QSIM_BOUT_XFERS), &g->ctx) < 0) {
		ret = -errno;
		snprintf(err, errlen, "io_setup: %s", strerror(errno));
		return ret;
	}
	g->have_ctx = true;
	ret = qb_loop_watch(g->loop, g->evfd, POLLIN, qsim_gio_on_aio, g, &g->ev_w);
	if (!ret)
		ret = qb_loop_watch(g->loop, g->ep0, POLLIN, qsim_gep0_on_event, g, &g->ep0_w);
	return ret;
}

int qsim_gadget_new(struct qsim_gadget **out, struct qb_loop *loop, struct qsim *sim,
		    const struct qsim_gadget_opts *opts, char *err, size_t errlen)
{
	struct qsim_gadget *g = calloc(1, sizeof(*g));
	const struct qsim_layout *l = opts ? opts->layout : NULL;
	uint16_t vid = opts && opts->vid ? opts->vid : l ? l->vid : QSIM_GADGET_VID;
	uint16_t pid = opts && opts->pid ? opts->pid : l ? l->pid : QSIM_GADGET_PID;
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
	g->layout = l;
	g->ep0 = g->evfd = g->ep0_other = -1;
	for (int i = 0; i < QSIM_EP_COUNT; i++)
		g->ep[i] = -1;
	qb_list_init(&g->rq);
	qsim_ghostile_init(g);

	ret = qsim_gcfs_create(&g->cfs, vid, pid, l ? l->bcd_usb : 0x0200, err, errlen);
	if (ret) {
		free(g);
		return ret;
	}
	ret = open_endpoints(g, err, errlen);
	if (!ret && l)
		ret = other_config(g, err, errlen);
	if (!ret)
		ret = setup_io(g, err, errlen);
	if (!ret) {
		ret = qsim_gep0_timer_init(g);
		if (ret)
			snprintf(err, errlen, "cannot create the ep0 stage timer: %s",
				 strerror(-ret));
	}
	if (ret) {
		if (!err[0])
			snprintf(err, errlen, "%s", strerror(-ret));
		qsim_gadget_free(g);
		return ret;
	}
	qsim_set_output(sim, &qsim_gadget_output, g);
	qsim_set_data_max(sim, QSIM_DATA_BUF);
	qsim_set_data_iface(sim, l && l->qmi_iface > 0 ? (unsigned)l->qmi_iface : 0);
	/* Last: binding before the descriptors are written fails with ENODEV. */
	ret = qsim_gcfs_bind(&g->cfs, opts ? opts->udc : NULL, err, errlen);
	if (ret) {
		qsim_gadget_free(g);
		return ret;
	}
	qsim_glog(g, "%04x:%04x on %s (configfs %s)", vid, pid, g->cfs.udc, g->cfs.dir);
	*out = g;
	return 0;
}

/* What a test checks after the gadget is gone: no client id outlived its host, and the hostile
 * knobs did act. */
static void log_at_end(struct qsim_gadget *g)
{
	unsigned n = 0;

	for (unsigned svc = 1; svc <= 0xff; svc++)
		n += qsim_cid_count(g->sim, (uint8_t)svc);
	qsim_glog(g, "client ids still allocated: %u", n);
	qsim_glog(g, "hostile acts: %llu", (unsigned long long)g->st.hostile);
}

void qsim_gadget_free(struct qsim_gadget *g)
{
	char err[PATH_MAX + 64];

	if (!g)
		return;
	if (g->sim) {
		qsim_set_output(g->sim, NULL, NULL);
		log_at_end(g);
	}
	qsim_ghostile_stop(g);
	qb_watch_remove(g->ep0_w);
	qb_watch_remove(g->ev_w);
	/* Unbinding disables the function, which completes every transfer with -ESHUTDOWN;
	 * io_destroy then cancels what is left and waits, so no transfer outlives its buffer. */
	qsim_gcfs_unbind(&g->cfs);
	if (g->have_ctx)
		syscall(SYS_io_destroy, g->ctx);
	for (int i = 0; i < QSIM_EP_COUNT; i++)
		if (g->ep[i] >= 0)
			close(g->ep[i]);
	if (g->ep0 >= 0)
		close(g->ep0);
	if (g->ep0_other >= 0)
		close(g->ep0_other);
	if (g->evfd >= 0)
		close(g->evfd);
	qsim_gep0_timer_free(g);
	if (qsim_gcfs_destroy(&g->cfs, err, sizeof(err)) < 0)
		qsim_glog(g, "teardown: %s", err);
	qsim_gio_free_queue(g);
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
