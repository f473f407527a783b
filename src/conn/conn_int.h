/* SPDX-License-Identifier: MIT */
/*
 * Private to the connection manager: the machine's state and the helpers its steps share.
 * conn.c holds the core (start, stop, the transition table, requests and events); setup.c,
 * format.c, wait.c, call.c and stats.c hold one step each. Steps never call each other: a
 * step that is done calls qconn_done(), and the table says what comes next.
 */
#ifndef QCONN_CONN_INT_H
#define QCONN_CONN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/list.h"
#include "base/loop.h"
#include "conn/conn.h"
#include "qmi/device.h"
#include "qmi/messages.h"
#include "net/pump.h"

#define QCONN_MAX_CIDS 6 /* WDA, UIM, NAS, DMS, WDS per family */

struct qconn_fam {
	struct qconn *c;
	int family; /* 4 or 6 */
	uint8_t cid;
	bool connected;
	bool busy;  /* a request of this family is in flight */
	bool bound; /* QMAP: Bind Mux Data Port answered for this client */
	uint32_t pdh;
	struct qmi_sub *sub;
	struct qmi_wds_get_current_settings_resp cs;
	bool have_settings;
};

struct qconn {
	struct qconn_opts o;
	struct qmi_dev *dev;
	struct qb_loop *loop;
	enum qconn_state st;
	bool ever_up;
	/* The SETUP step (setup.c): the Allocate CID in flight (its answer may outlive c), the
	 * optional clients the modem refused for good (bit i: setup.c's list), and whether the
	 * TUN, the pump and every client id are held (a new attempt skips the step then). */
	struct qconn_cidreq *cidreq;
	uint8_t cids_refused;
	bool set_up;
	bool have_wda, have_uim, have_dms;
	struct qconn_link *link;
	bool own_link;            /* made by qconn_start(), freed with c */
	struct qb_list link_node; /* in link->sessions */
	bool fmt_waiting;         /* in FORMAT, waiting for the link's answer */
	bool attached;            /* the pump is the link's (mux id, or its one raw-IP pump) */
	uint8_t mux_id;
	char fmt_desc[200]; /* the data format in use */
	uint8_t wda_cid, nas_cid, uim_cid, dms_cid;
	/* PIN1 (unlock.c): never sent twice unless the first one was right. */
	enum {
		QCONN_PIN_UNSENT,
		QCONN_PIN_SENT, /* in flight, or its outcome unknown */
		QCONN_PIN_RIGHT
	} pin;
	bool pin_dms;        /* the PIN went through DMS UIM Verify PIN */
	unsigned mode_reads; /* Get Operating Mode answers in this SIM step */
	char mode[96];       /* the last one not online, with its offline reason */
	/* The SIM and registration waits' answer, decoded (asked every second: no allocation). */
	union {
		struct qmi_uim_get_card_status_resp card;
		struct qmi_nas_get_serving_system_resp ss;
	} wait;
	struct qconn_fam fam[2];
	unsigned nfam;
	struct qconn_cid cids[QCONN_MAX_CIDS]; /* what qconn_stop() releases */
	unsigned ncids;
	struct qb_timer timer; /* the step's wait (poll, backoff): runs timer_fn */
	void (*timer_fn)(struct qconn *c);
	uint64_t deadline;
	unsigned backoff_ms;
	char why[224]; /* the failure BACKOFF waits after */
	char last[160];
	struct qnet_tun *tun;
	struct qnet_netconf *nc;
	struct qnet_pump *pump;
	struct qb_list reqs; /* struct qconn_req in flight */
	struct qb_close close;
	/* Counters and addresses for qconn_get_info(). */
	struct qb_timer tick;
	unsigned ticks;
	bool stats_busy;
	struct qmi_wds_get_packet_statistics_resp wds;
	bool have_wds;
	char addr4[64], addr6[64];
	unsigned mtu;
	uint64_t since_ms;
};

/* The data path of one modem (format.c). */
struct qconn_link {
	struct qmi_dev *dev;
	struct qconn_link_opts o;
	enum {
		QCONN_LINK_NEW,
		QCONN_LINK_ASKING,
		QCONN_LINK_SET
	} st;
	struct qconn *asker;         /* the session whose WDA client asks */
	unsigned step;               /* the request in flight: 0 MAP v5, 1 MAP v1, 2 raw-IP */
	bool qmap;                   /* the format granted */
	struct qnet_pump_qmap grant; /* the QMAP terms every session's pump uses (mux id aside) */
	uint32_t dl_dgrams, dl_size;
	struct qmi_data_endpoint
		ep;     /* the claimed data interface, for WDA and Bind Mux Data Port */
	char desc[160]; /* what was granted, and why raw-IP */
	struct qnet_mux *mux;
	struct qnet_pump *raw;   /* raw-IP: the one session's pump */
	struct qb_list sessions; /* struct qconn.link_node */
	uint8_t next_mux;
};

/* format.c: the session joins / leaves its link (the pump exists at join). */
void qconn_link_join(struct qconn *c);
void qconn_link_leave(struct qconn *c);
/* The pumps' qnet_pump_send_fn, ctx = the link. */
int qconn_link_send(void *link, const uint8_t *pkt, size_t len);
/* The pumps' transfers built in place, ctx = the link: 0, or -ENOTSUP (the transport copies). */
int qconn_link_tx(struct qconn_link *l, struct qnet_pump_tx *out);

/* Moves to st and runs its entry (the table in conn.c). */
void qconn_go(struct qconn *c, enum qconn_state st);
/* Runs fn(c) in ms, replacing the wait planned before. */
void qconn_later(struct qconn *c, unsigned ms, void (*fn)(struct qconn *c));
/* The current step is done: go where the table says. */
void qconn_done(struct qconn *c);

void qconn_progress(struct qconn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void qconn_warn(struct qconn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void qconn_emit(struct qconn *c, enum qconn_event_kind kind, const char *text);
void qconn_emit_ev(struct qconn *c, struct qconn_event *ev); /* fills ev->state */
/* A failed attempt: err as in struct qconn_event, r may be NULL. BACKOFF and a new attempt,
 * unless it is one no retry heals (see conn.h) or opts.once: then QCONN_EV_ERROR and FAILED.
 * Ignored once failed. */
void qconn_fail(struct qconn *c, int err, const struct qmi_result *r, bool local, const char *fmt,
		...) __attribute__((format(printf, 5, 6)));
/* Final, whatever the options; qconn_fail_sim: the SIM needs a person (ev->sim). */
void qconn_fail_final(struct qconn *c, int err, const struct qmi_result *r, bool local,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void qconn_fail_sim(struct qconn *c, int err, const struct qmi_result *r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* True once failed or stopped: late answers change nothing. */
bool qconn_over(const struct qconn *c);

/* Encodes msg with its def and sends it; cb runs once with the response, unless c is stopped
 * first (then never). 0 or -errno. */
int qconn_send_msg(struct qconn *c, uint8_t cid, const struct qmi_msg_def *def, const void *msg,
		   unsigned timeout_ms, qmi_resp_cb cb, void *user);
/* The response's result and decoded body. 0 success; -QB_EMODEM (*r says why, body decoded
 * anyway: failures carry call end reasons); else the transport's -errno. */
int qconn_response(int err, const struct qmi_frame *resp, const struct qmi_msg_def *def, void *out,
		   struct qmi_result *r);
const char *qconn_errtext(int err, const struct qmi_result *r, char *buf, size_t len);
/* "QMI error 14 (CallFailed)". */
const char *qconn_qmi_error_str(uint16_t code, char *buf, size_t len);
static inline const char *qconn_name(const char *s)
{
	return s ? s : "unknown";
}

/* Step entries (the table's). */
void qconn_setup_enter(struct qconn *c);
void qconn_format_enter(struct qconn *c);
void qconn_sim_enter(struct qconn *c);
void qconn_reg_enter(struct qconn *c);
void qconn_call_enter(struct qconn *c);
void qconn_backoff_enter(struct qconn *c);
/* The SIM step: unlock.c sets the modem online (qconn_online), then wait.c waits for the card
 * (qconn_sim_card, with a fresh deadline), and unlock.c gives PIN1 to a card that asks for
 * it (retries: its verify tries left, or -1 when unknown), then asks wait.c again. */
void qconn_online(struct qconn *c);
void qconn_sim_card(struct qconn *c);
void qconn_pin_verify(struct qconn *c, int retries);
/* The WDS indications of family f (user); conn.c. */
void qconn_wds_ind(void *user, const struct qmi_frame *ind);
/* The network ended f's call. */
void qconn_call_ended(struct qconn_fam *f, const char *why);

/* setup.c, for qconn_stop(): forgets the Allocate CID in flight (a late id is released) and
 * releases the client ids held (unless keep_cids). */
void qconn_setup_undo(struct qconn *c);

/* stats.c: the once-a-second tick and the modem's packet counters. */
void qconn_tick(void *user);

#endif
