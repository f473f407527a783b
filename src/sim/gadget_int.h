/* SPDX-License-Identifier: MIT */
/*
 * The gadget's parts, one job per file: gadget.c builds and tears it down, gadget_io.c runs the
 * data and interrupt endpoints (AIO) and takes the modem's output, gadget_ep0.c answers control
 * requests, gadget_hostile.c holds the hostile-device modes, gadget_configfs.c the configfs
 * gadget and gadget_desc.c the descriptor blobs.
 */
#ifndef QSIM_GADGET_INT_H
#define QSIM_GADGET_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <linux/aio_abi.h>

#include "base/list.h"
#include "base/loop.h"
#include "qmi/qmux.h"
#include "sim/gadget.h"

/* One configfs gadget with one FunctionFS function, and what of it exists so far, so that a
 * half-built gadget is torn down exactly as far as it got. */
struct qsim_gcfs {
	char dir[256]; /* /sys/kernel/config/usb_gadget/<name> */
	char inst[48]; /* FunctionFS instance: functions/ffs.<inst>, mount source <inst> */
	char mnt[256]; /* where the FunctionFS is mounted (ep0, ep1, ...) */
	char udc[64];  /* bound controller, "" while unbound */
	bool made_dir, made_strings, made_config, made_config_strings, made_func, linked, made_mnt,
		mounted;
	/* A second configuration (a layout's other one) with a FunctionFS function that never
	 * answers: configs/c.<value2>, functions/ffs.<inst>x mounted on mnt2. */
	uint8_t value2;
	char mnt2[256];
	bool made_config2, made_config2_strings, made_func2, linked2, made_mnt2, mounted2;
};

/* Creates the gadget, its function and mounts the FunctionFS. 0 or -errno with err filled. */
int qsim_gcfs_create(struct qsim_gcfs *c, uint16_t vid, uint16_t pid, uint16_t bcd_usb, char *err,
		     size_t errlen);
/* Adds configuration `value` (2..) with its own FunctionFS function, mounted on c->mnt2. */
int qsim_gcfs_add_config(struct qsim_gcfs *c, uint8_t value, char *err, size_t errlen);
/* Binds to udc (NULL: the first one in /sys/class/udc). Only after the descriptors are written. */
int qsim_gcfs_bind(struct qsim_gcfs *c, const char *udc, char *err, size_t errlen);
/* Unbinds (ignoring a controller already unbound from outside). */
void qsim_gcfs_unbind(struct qsim_gcfs *c);
/* Undoes qsim_gcfs_create; ep0 and the endpoint files must be closed first. Returns 0, or the
 * first failure (-errno) with err naming the step; the other steps are still tried. */
int qsim_gcfs_destroy(struct qsim_gcfs *c, char *err, size_t errlen);
/* "high-speed", "full-speed", ... of the bound controller, into buf ("" if unknown). */
void qsim_gcfs_speed(const struct qsim_gcfs *c, char *buf, size_t len);

enum {
	QSIM_EP_INT,
	QSIM_EP_BIN,
	QSIM_EP_BOUT,
	QSIM_EP_COUNT
};

#define QSIM_BIN_XFERS 8
#define QSIM_BOUT_XFERS 4
/* A packet or a QMAP aggregate (dl-agg=N grants up to 64 KB); a multiple of every max packet
 * size. */
#define QSIM_DATA_BUF QSIM_DL_AGG_MAX
/* bulk-oversize: this much longer than the largest bulk IN transfer the host reads now (the
 * downlink aggregate granted, which it sizes its receive transfers to, or before a grant
 * QSIM_HOST_RX, more than qmiusb reads with), and not a multiple of any max packet size, so a
 * short packet ends it. */
#define QSIM_OVERSIZE_BY 1000
/* Bulk OUT reads: no uplink transfer is longer than the largest uplink aggregate the modem
 * grants. Not the whole buffer: FunctionFS allocates a kernel buffer of the read's length for
 * every request, and 64 KB reads made every echo through the gadget 4.6 us dearer than 32 KB
 * ones (bench-vm-qmap, 1500 B, one in flight). */
#define QSIM_BOUT_READ QSIM_QMAP_MAX_SIZE
#define QSIM_HOST_RX 32768
#define QSIM_OVERSIZE (QSIM_DATA_BUF + QSIM_OVERSIZE_BY)
#define QSIM_NOTIFY_LEN 8
#define QSIM_ERRORS_MAX 64 /* consecutive endpoint errors before waiting for the next ENABLE */

struct qsim_gx { /* one AIO transfer; its buffer is the gadget's and reused */
	struct iocb cb;
	int ep;
	bool busy;
	bool parked;  /* failed while (or because) the function was disabled: wait for ENABLE */
	unsigned gen; /* g->gen when submitted */
	uint8_t *buf;
};

struct qsim_gresp { /* a frame waiting for GetEncapsulatedResponse; owned by the queue */
	struct qb_list link;
	size_t len, off;
	uint8_t data[];
};

struct qsim_gadget {
	struct qb_loop *loop;
	struct qsim *sim;
	FILE *log;
	struct qsim_gcfs cfs;
	const struct qsim_layout *layout; /* NULL: the single-interface gadget */
	int ep0, ep[QSIM_EP_COUNT], evfd;
	int ep0_other; /* ep0 of the layout's other configuration's function, or -1 */
	aio_context_t ctx;
	bool have_ctx, enabled, unbound;
	struct qb_watch *ep0_w, *ev_w;
	unsigned bulk_in_mps; /* for the zero-length packet after a full-packet multiple */
	unsigned errors;      /* consecutive endpoint errors */
	unsigned ep0_errors;  /* consecutive failed ep0 reads */
	unsigned gen;         /* counts ENABLEs */

	struct qsim_gx intr;
	uint8_t intr_buf[QSIM_NOTIFY_LEN];
	unsigned notify_pending;
	struct qsim_gx bin[QSIM_BIN_XFERS], bin_zlp[QSIM_BIN_XFERS];
	struct qsim_gx bout[QSIM_BOUT_XFERS];
	uint8_t *data_mem; /* (BIN_XFERS + BOUT_XFERS) * DATA_BUF + OVERSIZE (bin_junk's) */
	uint8_t zlp_buf[1];

	struct qb_list rq; /* of struct qsim_gresp, oldest first */
	unsigned rq_len;
	uint8_t ep0_buf[QMI_FRAME_MAX];
	struct qsim_gadget_stats st;
	timer_t stage_timer; /* bounds a blocking ep0 data stage (gadget_ep0.c) */
	bool have_stage_timer;

	/* Hostile modes (gadget_hostile.c). */
	struct qsim_gx bin_junk;  /* bulk-garbage / bulk-oversize transfers */
	unsigned junk_notify;     /* notify-unknown notifications owed */
	unsigned junk_notify_seq; /* which unknown type comes next */
	uint32_t rng;             /* junk bytes; per gadget, seeded from the seed knob */
	unsigned fetches_found;   /* GetEncapsulatedResponse requests that found a response */
	unsigned packets_out;     /* bulk OUT packets received (usb-reset-data) */
	bool off_bus;             /* usb-reset: unbound, waiting for the reconnect timer */
	char reset_udc[64];       /* usb-reset: the controller to bind to again */
	struct qb_timer flood_timer, reconnect_timer;
};

void qsim_glog(struct qsim_gadget *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* gadget_io.c */
extern const struct qsim_output qsim_gadget_output;
int qsim_gio_submit(struct qsim_gadget *g, struct qsim_gx *x, unsigned opcode, size_t len);
void qsim_gio_submit_failed(struct qsim_gadget *g, const char *what, int err);
void qsim_gio_fill_all(struct qsim_gadget *g);
void qsim_gio_intr_fill(struct qsim_gadget *g);
void qsim_gio_on_aio(void *user, int fd, unsigned revents);
/* Queues a frame for GetEncapsulatedResponse (dropping the oldest past the queue's cap). */
void qsim_gio_queue_ctrl(struct qsim_gadget *g, const uint8_t *frame, size_t len);
void qsim_gio_announce(struct qsim_gadget *g); /* one more RESPONSE_AVAILABLE owed */
void qsim_gio_free_queue(struct qsim_gadget *g);

/* gadget_ep0.c */
void qsim_gep0_on_event(void *user, int fd, unsigned revents);
/* The timer that bounds a blocking data stage (installs a no-op SIGALRM handler). 0 or -errno. */
int qsim_gep0_timer_init(struct qsim_gadget *g);
void qsim_gep0_timer_free(struct qsim_gadget *g); /* accepts a gadget without one */

/* gadget_hostile.c: each is a no-op unless its knob is set. */
void qsim_ghostile_init(struct qsim_gadget *g);
void qsim_ghostile_stop(struct qsim_gadget *g); /* timers; before the gadget is freed */
void qsim_ghostile_before_ctrl(struct qsim_gadget *g, const uint8_t *frame, size_t len);
size_t qsim_ghostile_ctrl_tail(struct qsim_gadget *g); /* resp-long: junk bytes after a frame */
void qsim_ghostile_fill(struct qsim_gadget *g, uint8_t *buf, size_t len);
/* How many RESPONSE_AVAILABLE per response (notify-storm). */
unsigned qsim_ghostile_announcements(struct qsim_gadget *g);
/* notify-unknown: fills the next unknown notification into buf; false when none is owed. */
bool qsim_ghostile_junk_notify(struct qsim_gadget *g, uint8_t *buf);
/* True when the fetch is answered here (babble when empty, usb-reset), not by the queue. */
bool qsim_ghostile_fetch(struct qsim_gadget *g, bool found, size_t wlen);
void qsim_ghostile_before_data(struct qsim_gadget *g);
/* True when the bulk OUT packet just received ended in a reset (usb-reset-data): drop it. */
bool qsim_ghostile_data_out(struct qsim_gadget *g);
void qsim_ghostile_enabled(struct qsim_gadget *g);

#endif
