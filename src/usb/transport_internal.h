/* SPDX-License-Identifier: MIT */
/*
 * The USB transport's state, shared by open.c (claiming the device), transport.c (the session's
 * lifetime and its loop integration), transport_ctrl.c (the CDC control channel) and
 * transport_bulk.c (the data endpoints).
 */
#ifndef QUSB_TRANSPORT_INTERNAL_H
#define QUSB_TRANSPORT_INTERNAL_H

#include <libusb.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/loop.h"
#include "usb/usb.h"

#define QUSB_RESP_MAX 4096 /* GET_ENCAPSULATED_RESPONSE buffer, as cdc-wdm under qmi_wwan */
#define QUSB_CMD_MAX 8192  /* one QMUX frame (QMI_FRAME_MAX) */
#define QUSB_CMD_QUEUE 16  /* frames waiting behind the one in flight */
/* Generous: a busy modem (or a starved VM) can take seconds on ep0, and a timed-out
 * SendEncapsulatedCommand loses its frame. The QMI core keeps its own per-request timeout. */
#define QUSB_CTRL_TIMEOUT_MS 30000
#define QUSB_MAX_RESP_OWED 64
/* After a failed GetEncapsulatedResponse: fetches of our own, 10, 40, 160 and 640 ms apart. */
#define QUSB_RESP_REFETCH_MAX 4
#define QUSB_RESP_REFETCH_MS 10
#define QUSB_ERROR_WINDOW_MS 2000 /* transfer errors lasting this long end the session */
#define QUSB_RETRY_MS 50          /* pause before resubmitting after an error */
#define QUSB_MAX_WATCHES 16
/* Receive transfers data_set_rx may ask for: the slots exist from the start (a libusb transfer
 * each, no buffer), so a resize allocates buffer memory only. */
#define QUSB_RX_SLOTS 64
#define QUSB_RX_SIZE_MAX 65536 /* the largest downlink aggregate a receive transfer holds */

enum {
	QUSB_SLOT_NOTIFY,
	QUSB_SLOT_RESP,
	QUSB_SLOT_CMD,
	QUSB_SLOT_RX0
};

enum qusb_state {
	QUSB_ST_OPEN,    /* claimed, not started */
	QUSB_ST_STARTED, /* session running */
	QUSB_ST_CLOSING, /* ended; waiting for transfers before the closed callback */
	QUSB_ST_CLOSED,  /* closed callback delivered */
	QUSB_ST_DEAD,    /* being destroyed: no callbacks at all */
};

struct qusb_tr;

struct qusb_slot {
	struct qusb_tr *tr;
	struct libusb_transfer *t;
	libusb_transfer_cb_fn cb;
	struct qb_timer retry; /* resubmission after an error (resp: a fetch of our own) */
	unsigned index;
	bool busy;
	uint64_t since_ms; /* control slots: when submitted, for the watchdog */
};

struct qusb_tr {
	libusb_context *ctx;     /* owned: one per transport */
	libusb_device_handle *h; /* owned */
	libusb_device *dev;      /* referenced */
	uint16_t vid, pid;
	struct qusb_func func; /* func.quirk is cleared: the quirks table does not outlive open */
	char desc[48];         /* "usb:1-1.2:4" */
	char path[32];         /* "1-1.2": the device in /sys/bus/usb/devices */
	FILE *log;
	bool claimed[2], detached[2]; /* [0] control interface, [1] data interface if separate */
	bool reattach;

	struct qb_loop *loop;
	const struct qmi_transport_cbs *cbs;
	void *user;
	struct qb_watch *watch[QUSB_MAX_WATCHES];
	int watch_fd[QUSB_MAX_WATCHES];
	size_t n_watches;
	struct qb_timer tmo_timer;     /* libusb's next timeout, where its fds do not carry it */
	struct qb_timer closed_timer;  /* delivers the closed callback */
	struct qb_timer ctrl_watchdog; /* armed while a control transfer is in flight */
	struct qb_close close; /* destroy(): reaping and freeing, once libusb has returned */
	libusb_hotplug_callback_handle hotplug;
	bool hotplug_registered;

	struct qusb_slot *slots; /* NOTIFY, RESP, CMD, rx[rx_cap], tx[n_tx] */
	size_t n_slots;
	size_t n_rx, n_tx, rx_size, tx_size;
	size_t rx_cap; /* receive slots; the first n_rx are in use */
	/* Bulk buffers, owned: tx (n_tx * tx_size bytes) for the whole session, rx (n_rx * rx_size)
	 * until data_set_rx, rx_old the ones before data_set_rx until rx_stale is 0. */
	struct qusb_mem {
		uint8_t *mem;
		size_t len;
		bool dev; /* usbfs-mapped (libusb_dev_mem_alloc): no kernel copy */
	} tx, rx, rx_old;
	unsigned rx_stale; /* slots still out with rx_old's buffers */
	unsigned *tx_free; /* stack of free tx slot indexes */
	unsigned n_tx_free;
	unsigned tx_limit; /* transfers in flight at most (data_set_inflight), <= n_tx */
	unsigned tx_lent;  /* slot index + 1 of the tx buffer data_tx_buf lent (0: none) */
	bool want_tx_ready;

	uint8_t *notify_buf; /* func.notify_mps bytes */
	uint8_t *resp_buf;   /* setup + QUSB_RESP_MAX */
	uint8_t *cmd_buf;    /* setup + QUSB_CMD_MAX */
	uint8_t *q_buf;      /* QUSB_CMD_QUEUE * QUSB_CMD_MAX */
	size_t q_len[QUSB_CMD_QUEUE];
	unsigned q_head, q_count;
	unsigned resp_owed;      /* RESPONSE_AVAILABLE notifications not yet answered by a read */
	unsigned resp_refetches; /* own fetches since the last one that completed */
	unsigned errors_in_row;
	uint64_t first_error_ms;

	/* Transfers straight on usbfs (transport_urb_linux.c) rather than through libusb's event
	 * handling, for the whole session. */
	bool urb_direct;
	int urb_fd;                 /* libusb's descriptor for the device, borrowed */
	short urb_events;           /* what libusb polls it for: completions to reap */
	struct qb_watch *urb_watch; /* urb_events on urb_fd */
	void *urbs;                 /* one struct usbdevfs_urb per slot, owned */

	unsigned inflight;
	enum qusb_state state;
	int close_err;
};

int qusb_tr_alloc_transfers(struct qusb_tr *tr); /* after h, func and sizes are set */
void qusb_tr_free(struct qusb_tr *tr);           /* releases, reattaches, closes, frees */
void qusb_tr_export(struct qusb_tr *tr, struct qmi_transport *out);

/* transport.c: the session, for the channel files. */
static inline bool qusb_tr_live(const struct qusb_tr *tr)
{
	return tr->state == QUSB_ST_STARTED;
}
void qusb_tr_note(struct qusb_tr *tr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Ends a running session with err (-ENODEV: unplugged); a no-op once it has ended. */
void qusb_tr_fail(struct qusb_tr *tr, int err);
int qusb_tr_submit(struct qusb_slot *s);
void qusb_tr_cancel(struct qusb_slot *s); /* a completion (as cancelled, or not) follows */
/* Start of every transfer callback. False when the session is over and the callback must do
 * nothing more than this bookkeeping. */
bool qusb_tr_completed(struct qusb_slot *s);
const char *qusb_status_name(enum libusb_transfer_status st);

/* What to do with an interrupt or bulk transfer after a completion that was not a success. */
enum qusb_verdict {
	QUSB_AGAIN_NOW,
	QUSB_AGAIN_LATER,
	QUSB_STOP
};
enum qusb_verdict qusb_tr_judge(struct qusb_tr *tr, struct libusb_transfer *t, const char *what);
void qusb_tr_resubmit(struct qusb_slot *s, enum qusb_verdict v);

/* transport_urb_linux.c (transport_urb_none.c elsewhere: -ENOTSUP, libusb runs everything).
 * At start, after the slots' timers: 0 and urb_direct set, or -ENOTSUP (no usbfs descriptor,
 * or QMIUSB_USBFS_DIRECT=0 in the environment) for libusb's event handling, or -errno. */
int qusb_urb_start(struct qusb_tr *tr);
/* Whether this build has the usbfs path at all. */
bool qusb_urb_built(void);
int qusb_urb_submit(struct qusb_slot *s); /* 0 or -errno */
void qusb_urb_cancel(struct qusb_slot *s);
/* At the close: reaps until nothing is in flight (or waits_ms have passed), drops the watch. */
void qusb_urb_drain(struct qusb_tr *tr, unsigned waits_ms);

/* transport_ctrl.c */
void qusb_ctrl_setup(struct qusb_tr *tr);       /* at allocation: the control slots */
void qusb_ctrl_start(struct qusb_tr *tr);       /* at start, before any submission: its timers */
void qusb_ctrl_send_queued(struct qusb_tr *tr); /* what ctrl_send queued before the start */
int qusb_ctrl_send(void *impl, const uint8_t *frame, size_t len);

/* The completion of an always-pending IN transfer (interrupt or bulk): on success take() gets
 * the data and returns whether the session still runs, and the transfer goes out again; errors
 * are judged (what names the pipe). */
void qusb_tr_in_done(struct libusb_transfer *t, const char *what,
		     bool (*take)(struct qusb_tr *tr, struct libusb_transfer *t));

/* transport_bulk.c */
int qusb_bulk_setup(struct qusb_tr *tr); /* at allocation: buffers, slots; 0 or -ENOMEM */
void qusb_bulk_free(struct qusb_tr *tr);
int qusb_bulk_send(void *impl, const uint8_t *pkt, size_t len);
int qusb_bulk_set_inflight(void *impl, unsigned max);
int qusb_bulk_data_port(void *impl, struct qmi_data_port *out);
int qusb_bulk_set_rx(void *impl, size_t size, unsigned count);
int qusb_bulk_tx_buf(void *impl, uint8_t **buf, size_t *cap);
int qusb_bulk_tx_send(void *impl, size_t len);

#endif
