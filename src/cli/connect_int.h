/* SPDX-License-Identifier: MIT */
/*
 * Private to the connection manager (connect_*.c): the machine's state and the helpers its steps
 * share. connect_conn.c holds the core and the helpers; connect_format.c, connect_wait.c,
 * connect_call.c and connect_publish.c hold one part of the machine each.
 */
#ifndef QCLI_CONNECT_INT_H
#define QCLI_CONNECT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/connect.h"
#include "qmi/device.h"
#include "qmi/messages.h"

enum cstate { S_FORMAT, S_SIM, S_REG, S_CALL, S_UP, S_BACKOFF, S_FAILED };

struct qconn;

struct cfam {
	struct qconn *c;
	int family; /* 4 or 6 */
	uint8_t cid;
	bool connected;
	bool busy; /* a request of this family is in flight */
	uint32_t pdh;
	struct qmi_sub *sub;
	struct qmi_wds_get_current_settings_resp cs;
	bool have_settings;
};

struct qconn {
	struct qcli *cli;
	struct qconn_opts o;
	struct qmi_dev *dev;
	struct qb_loop *loop;
	enum cstate st;
	int exit_code;
	bool ever_up;
	bool have_wda, have_uim;
	bool fmt_qmap;      /* the Set Data Format in flight asks for QMAP */
	char fmt_desc[128]; /* the data format in use, for the summary and `status` */
	uint8_t wda_cid, nas_cid, uim_cid;
	struct cfam fam[2];
	unsigned nfam;
	struct qb_timer_old *timer;
	uint64_t deadline;
	unsigned backoff_ms;
	char last[160]; /* the last progress line, to print changes only */
	struct qnet_tun *tun;
	struct qnet_netconf *nc;
	struct qnet_pump *pump;
	unsigned pending; /* requests whose callback has not run yet */
	bool dead;        /* qconn_stop() ran: the last callback frees c */
	/* Published for `qmiusb status` / `disconnect` (connect_state.h). */
	char state_path[320];
	struct qb_timer_old *tick;
	unsigned ticks;
	bool stats_busy;
	struct qmi_wds_get_packet_statistics_resp wds;
	bool have_wds;
	char addr4[64], addr6[64];
	unsigned mtu;
	uint64_t since_ms;
};

void qconn_progress(struct qconn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void qconn_fail(struct qconn *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void qconn_later(struct qconn *c, unsigned ms, void (*fn)(void *));
void qconn_backoff(struct qconn *c);
/* Every response callback starts here: false when the machine should go on. */
bool qconn_gone(struct qconn *c);
/* Encodes msg with its def and sends it; cb runs once with the response (see qmi_dev_send). */
int qconn_send_msg(struct qconn *c, uint8_t cid, const struct qmi_msg_def *def, const void *msg,
		   unsigned timeout_ms, qmi_resp_cb cb, void *user);
/* The response's result and decoded body. 0 success; -EREMOTEIO (*r says why, body decoded
 * anyway: failures carry call end reasons); else the transport's -errno. */
int qconn_response(int err, const struct qmi_frame *resp, const struct qmi_msg_def *def, void *out,
		   struct qmi_result *r);
const char *qconn_errtext(int err, const struct qmi_result *r, char *buf, size_t len);
int qconn_exit_for(int err);

void qconn_step_format(struct qconn *c);
void qconn_step_sim(struct qconn *c);
void qconn_step_reg(struct qconn *c);
void qconn_step_call(struct qconn *c);

void qconn_publish(struct qconn *c);
void qconn_tick(void *user);

#endif
