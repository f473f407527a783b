/* SPDX-License-Identifier: MIT */
/*
 * The connection manager: a state machine on an open device's loop that opens a TUN and gets
 * its client ids, sets the data format (QMAP when the modem grants it, else raw-IP), sets the
 * modem online, waits for the SIM (unlocking it), waits for packet-domain registration, binds
 * its mux id (QMAP), starts one WDS call per IP family, configures the TUN with the modem's
 * addresses, runs the data pump, follows Packet Service Status indications and reconnects
 * with backoff.
 *
 *   SETUP -> FORMAT -> SIM -> REG -> CALL -> UP
 *     ^        ^        ^                      |  any step fails, or the network ends a call
 *     +--------+--------+-------- BACKOFF <----+
 *
 * Everything it has to say goes through one callback (struct qconn_event): it never writes to
 * stdout or stderr and leaves what a failure means for the program to the caller. It stays on:
 * a failed attempt, before or after the first UP, waits in BACKOFF (capped exponential) and
 * starts again from the SIM step (from FORMAT while the data format is not set, from SETUP
 * while the TUN or a client id is missing). Only a failure that no retry can heal is final
 * (QCONN_EV_ERROR, then QCONN_FAILED): a SIM that needs a person (wrong or missing PIN,
 * PUK-locked, absent), a second session on a modem that carries one, QMAP refused where only
 * QMAP will do, a modem that went away, or a local refusal (-EPERM, -EACCES, -EINVAL: no right
 * to create or attach the TUN, a bad interface name). With opts.once every failure before the
 * first UP is final.
 *
 * SETUP keeps what it got across attempts: a modem still booting (no answer, or
 * DeviceNotReady or Internal to Allocate CID), a client id table that is full
 * (ClientIdsExhausted) or a TUN in use by another process (-EBUSY) is retried like any other
 * step. A client the modem does not have (WDA, UIM or DMS refused with another error) is done
 * without.
 *
 * The SIM step first sets a modem that is not online (low-power, ...) online, then gives a
 * card that asks for PIN1 opts.pin, once (UIM Verify PIN, or DMS UIM Verify PIN on modems
 * without it): a wrong PIN is never tried again.
 *
 * It owns its client ids: allocated in SETUP, released by qconn_stop() (unless keep_cids); an
 * id whose answer comes after the stop is released then, keep_cids or not (nobody knows it).
 * Nothing in it blocks except the final teardown, which runs the loop itself: qconn_stop()
 * may not be called from a callback of the device.
 */
#ifndef QCONN_CONN_H
#define QCONN_CONN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/errors.h"
#include "qmi/tlv.h"

struct qb_loop;
struct qconn_link;
struct qmi_dev;
struct qnet_ipconf;
struct qnet_pump_stats;
struct qnet_mux_stats;
struct qconn;

enum {
	QCONN_V4 = 1,
	QCONN_V6 = 2
};

enum qconn_state {
	QCONN_SETUP,   /* opening the TUN, getting the client ids */
	QCONN_FORMAT,  /* setting the data format */
	QCONN_SIM,     /* waiting for the SIM */
	QCONN_REG,     /* waiting for packet-domain registration */
	QCONN_CALL,    /* starting the calls and reading their settings */
	QCONN_UP,      /* configured, moving packets */
	QCONN_BACKOFF, /* waiting before the next attempt */
	QCONN_FAILED,  /* gave up: the QCONN_EV_ERROR event said why */
	QCONN_STOPPED, /* qconn_stop() ran */
	QCONN_NSTATES
};

enum qconn_event_kind {
	QCONN_EV_STATE,    /* c entered ev->state (BACKOFF: ev->text why, ev->delay_ms) */
	QCONN_EV_PROGRESS, /* ev->text: a step, as a sentence (repeats are not reported) */
	QCONN_EV_UP,       /* the calls are up and the interface configured: ev->up */
	QCONN_EV_DOWN,     /* the interface configuration was taken down (ev->text: why) */
	QCONN_EV_WARNING,  /* ev->text: something failed that the connection survives */
	QCONN_EV_ERROR,    /* final: ev->err, ev->qmi, ev->local, ev->text; QCONN_FAILED follows */
	QCONN_EV_TICK,     /* once a second: the counters (qconn_info) moved */
};

struct qconn_up {
	const char *ifname;
	const struct qnet_ipconf *ip;
	const char *data_path;   /* the pump's backend */
	const char *data_format; /* "raw-ip", or the QMAP terms */
	bool needs_root;         /* the configuration was only printed, as ip commands */
};

struct qconn_event {
	enum qconn_event_kind kind;
	enum qconn_state state; /* the state now */
	const char *text;       /* PROGRESS, DOWN, WARNING, ERROR, STATE BACKOFF; never NULL
				 * there (NULL for the other states) */
	unsigned delay_ms;      /* STATE BACKOFF: the next attempt starts in delay_ms */
	/* ERROR: the cause as a negative errno; -QB_EMODEM when the modem refused (qmi says
	 * how; for a call, with its end reason in text), -ETIMEDOUT when a wait ran out,
	 * -EPROTO when the modem's answer is unusable. local: the failure is this host's (TUN,
	 * interface configuration, resources), not the modem's. */
	int err;
	struct qmi_result qmi;
	bool local;
	/* ERROR: the SIM needs a person (a wrong or missing PIN, PUK-locked or blocked, no
	 * card): no restart helps. */
	bool sim;
	const struct qconn_up *up; /* UP */
};

typedef void (*qconn_event_cb)(void *user, struct qconn *c, const struct qconn_event *ev);

/* --data-format: auto asks for QMAP (MAP v5, then v1) and takes raw-IP if refused; qmap
 * fails where auto would fall back; raw-ip never asks for aggregation. */
enum qconn_data_format {
	QCONN_FMT_AUTO,
	QCONN_FMT_QMAP,
	QCONN_FMT_RAW_IP
};

/*
 * Several sessions (PDNs) on one modem share its data path: one struct qconn_link per device,
 * made before the sessions and freed after the last one's qconn_stop(). The first session to
 * reach its FORMAT step sets the data format for all; each session then gets its own mux id
 * (QMAP), TUN, pump and counters, and comes up, fails and reconnects on its own. On a raw-IP
 * modem (no muxing) only one session can carry data: a second one fails with -EOPNOTSUPP.
 * The link takes the device's data callbacks until it is freed.
 */
struct qconn_link_opts {
	enum qconn_data_format format;
	size_t rx_max; /* the largest downlink aggregate taken; 0: what the transport can receive */
};
int qconn_link_new(struct qconn_link **out, struct qmi_dev *dev, const struct qconn_link_opts *o);
void qconn_link_free(struct qconn_link *l); /* accepts NULL */
/* "" until the format is set; then what was granted (and why raw-IP, if it is). */
const char *qconn_link_format(const struct qconn_link *l);
/* The modem-wide QMAP counters; NULL before QMAP is in use. */
const struct qnet_mux_stats *qconn_link_mux_stats(const struct qconn_link *l);

struct qconn_opts {
	/* NULL: the session makes its own link (with data_format) and frees it in qconn_stop(). */
	struct qconn_link *link;
	enum qconn_data_format data_format;
	int offload;     /* enum qnet_tun_offload (--offload); 0: auto */
	uint8_t mux_id;  /* QMAP: 0 picks the link's next free one (1, 2, ...) */
	const char *apn; /* NULL: none sent, the profile's APN is used */
	const char *user, *password;
	const char *ifname;       /* NULL: the kernel picks qmiusb%d */
	const char *dns_file;     /* dns_mode QNET_DNS_FILE's path */
	int dns_mode;             /* enum qnet_dns_mode; 0: DNS servers are only reported */
	bool dns_force;           /* QNET_DNS_FILE may replace an existing file */
	unsigned route_metric;    /* 0: QNET_ROUTE_METRIC */
	const char *record_owner; /* see qnet_ipconf: crash records of the changes; NULL: none */
	unsigned families;        /* QCONN_V4 | QCONN_V6 */
	int auth;                 /* -1: not sent; else a QMI_WDS_AUTH_* mask */
	int profile;              /* -1: not sent */
	bool no_routes;
	bool keep_cids;           /* qconn_stop() leaves the client ids allocated */
	unsigned timeout_ms;      /* per request; 0: the device's default */
	unsigned call_timeout_ms; /* Start Network; 0: 60 s (it may take long on a network) */
	unsigned sim_timeout_ms, reg_timeout_ms;
	unsigned backoff_min_ms, backoff_max_ms;
	/* Single attempt: any failure before the first UP is final (once up, a drop still
	 * reconnects). */
	bool once;
	/* PIN1, sent once when the card asks; NULL: none. The caller owns it for c's life; the
	 * library wipes its own copies. */
	const char *pin;
	FILE *advice; /* where the ip commands go without CAP_NET_ADMIN; may be NULL */
	qconn_event_cb cb;
	void *cb_user;
};

/* Defaults: IPv4, 30 s SIM and 60 s registration timeouts, backoff 1..60 s. */
void qconn_opts_init(struct qconn_opts *o);

/* dev must be open (CTL) on its loop. Only allocates c and schedules the first step (SETUP)
 * on the loop: no event comes before it returns, and every failure after it is an event.
 * 0, or -ENOMEM; *out is set either way (NULL on -errno) and is freed by qconn_stop(). */
int qconn_start(struct qconn **out, struct qmi_dev *dev, const struct qconn_opts *o);
/* Stops the calls (synchronously), undoes the TUN configuration, closes the TUN, releases the
 * client ids and frees c once no loop callback is on the stack. Events may come from it
 * (PROGRESS, WARNING, then STATE QCONN_STOPPED). Accepts NULL. */
void qconn_stop(struct qconn *c);

enum qconn_state qconn_get_state(const struct qconn *c);
const char *qconn_state_name(enum qconn_state st);

struct qconn_cid {
	uint8_t svc, cid;
};
/* The client ids c holds, at most max into out; returns how many it holds. They only grow
 * during SETUP, and stay the same from the first time qconn_cids_complete() is true (it
 * stays true) until qconn_stop(). */
unsigned qconn_cids(const struct qconn *c, struct qconn_cid *out, unsigned max);
bool qconn_cids_complete(const struct qconn *c);

/* What a published state shows. Strings point into c and stay valid until the next event. */
struct qconn_info {
	enum qconn_state state;
	bool ever_up;
	const char *ifname;      /* "" before the TUN exists */
	const char *last;        /* the last progress sentence */
	const char *data_path;   /* NULL without a pump */
	const char *data_format; /* "" before the format is set */
	uint8_t mux_id;          /* QMAP: this session's; 0 on raw-IP */
	const char *ipv4, *ipv6; /* "A/prefix" or "" */
	unsigned mtu;
	uint64_t uptime_s; /* when up */
	uint8_t wds_cid;   /* the first family's WDS client (packet service status) */
	const struct qnet_pump_stats *pump; /* NULL without a pump */
	int ifindex;                        /* 0 before the TUN exists */
	/* The modem's WDS packet statistics as last read (every 5 s while up). */
	const struct qmi_wds_get_packet_statistics_resp *modem; /* NULL until read */
};
void qconn_get_info(const struct qconn *c, struct qconn_info *info);

#endif
