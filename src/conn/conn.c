/* SPDX-License-Identifier: MIT */
/*
 * The connection manager's core: start and stop, the table of states, the one event callback,
 * and the requests in flight. Each step sends one request with qmi_dev_send() and continues in
 * its response callback; waits are the embedded timer.
 */
#include "base/errors.h"
#include "conn/conn_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/netconf.h"
#include "net/pump.h"
#include "net/tun.h"
#include "qmi/errors.h"
#include "qmi/msgdb.h"

/* ---- the table of states ---- */

static const struct {
	const char *name;
	void (*enter)(struct qconn *c); /* NULL: nothing to start */
	enum qconn_state next;          /* where qconn_done() goes */
} states[QCONN_NSTATES] = {
	[QCONN_SETUP] = { "setup", qconn_setup_enter, QCONN_FORMAT },
	[QCONN_FORMAT] = { "format", qconn_format_enter, QCONN_SIM },
	[QCONN_SIM] = { "sim", qconn_sim_enter, QCONN_REG },
	[QCONN_REG] = { "registering", qconn_reg_enter, QCONN_CALL },
	[QCONN_CALL] = { "connecting", qconn_call_enter, QCONN_UP },
	[QCONN_UP] = { "up", NULL, QCONN_UP },
	[QCONN_BACKOFF] = { "reconnecting", qconn_backoff_enter, QCONN_SIM }, /* see next() */
	[QCONN_FAILED] = { "failed", NULL, QCONN_FAILED },
	[QCONN_STOPPED] = { "stopped", NULL, QCONN_STOPPED },
};

const char *qconn_state_name(enum qconn_state st)
{
	return (unsigned)st < QCONN_NSTATES ? states[st].name : "unknown";
}

void qconn_go(struct qconn *c, enum qconn_state st)
{
	struct qconn_event ev = { .kind = QCONN_EV_STATE };

	qb_timer_stop(&c->timer);
	c->st = st;
	if (st == QCONN_BACKOFF) {
		ev.text = c->why;
		ev.delay_ms = c->backoff_ms;
	}
	qconn_emit_ev(c, &ev);
	if (states[st].enter && c->st == st)
		states[st].enter(c);
}

/* A new attempt redoes the SIM step (a modem reset asks for the PIN and goes low-power
 * again), the format first while this session has none, and the setup before that while it
 * lacks its TUN or a client id. */
static enum qconn_state next(const struct qconn *c)
{
	if (c->st == QCONN_BACKOFF && !c->set_up)
		return QCONN_SETUP;
	if (c->st == QCONN_BACKOFF && !c->attached)
		return QCONN_FORMAT;
	return states[c->st].next;
}

static void on_timer(void *user)
{
	struct qconn *c = user;

	if (c->timer_fn && !qconn_over(c))
		c->timer_fn(c);
}

void qconn_later(struct qconn *c, unsigned ms, void (*fn)(struct qconn *c))
{
	c->timer_fn = fn;
	qb_timer_start(&c->timer, ms);
}

void qconn_done(struct qconn *c)
{
	if (!qconn_over(c))
		qconn_go(c, next(c));
}

bool qconn_over(const struct qconn *c)
{
	return c->st == QCONN_FAILED || c->st == QCONN_STOPPED;
}

enum qconn_state qconn_get_state(const struct qconn *c)
{
	return c->st;
}

/* ---- events ---- */

void qconn_emit_ev(struct qconn *c, struct qconn_event *ev)
{
	ev->state = c->st;
	if (c->o.cb)
		c->o.cb(c->o.cb_user, c, ev);
}

void qconn_emit(struct qconn *c, enum qconn_event_kind kind, const char *text)
{
	struct qconn_event ev = { .kind = kind, .text = text };

	qconn_emit_ev(c, &ev);
}

void qconn_progress(struct qconn *c, const char *fmt, ...)
{
	char line[sizeof(c->last)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!strcmp(line, c->last))
		return;
	snprintf(c->last, sizeof(c->last), "%s", line);
	qconn_emit(c, QCONN_EV_PROGRESS, c->last);
}

void qconn_warn(struct qconn *c, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	qconn_emit(c, QCONN_EV_WARNING, line);
}

/* What no new attempt can change. A modem that went away is closed for good: waiting for it
 * to come back is the caller's (it opens a new device). */
static bool final(const struct qconn *c, int err, bool local)
{
	if ((c->o.once && !c->ever_up) || qmi_dev_closed(c->dev))
		return true;
	if (err == -EOPNOTSUPP || err == -ENODEV || err == -EPIPE)
		return true;
	return local && (err == -EPERM || err == -EACCES || err == -EINVAL);
}

enum how {
	RETRY, /* unless final() */
	FINAL,
	SIM /* final, and the SIM's */
};

__attribute__((format(printf, 6, 0))) static void fail_v(struct qconn *c, enum how how, int err,
							 const struct qmi_result *r, bool local,
							 const char *fmt, va_list ap)
{
	struct qconn_event ev = {
		.kind = QCONN_EV_ERROR, .err = err, .local = local, .sim = how == SIM
	};
	char msg[sizeof(c->why)];

	if (qconn_over(c))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	qb_timer_stop(&c->timer);
	if (how == RETRY && !final(c, err, local)) {
		snprintf(c->why, sizeof(c->why), "%s", msg);
		qconn_go(c, QCONN_BACKOFF);
		return;
	}
	if (r)
		ev.qmi = *r;
	ev.text = msg;
	qconn_emit_ev(c, &ev);
	qconn_go(c, QCONN_FAILED);
}

void qconn_fail(struct qconn *c, int err, const struct qmi_result *r, bool local, const char *fmt,
		...)
{
	va_list ap;

	va_start(ap, fmt);
	fail_v(c, RETRY, err, r, local, fmt, ap);
	va_end(ap);
}

void qconn_fail_final(struct qconn *c, int err, const struct qmi_result *r, bool local,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail_v(c, FINAL, err, r, local, fmt, ap);
	va_end(ap);
}

void qconn_fail_sim(struct qconn *c, int err, const struct qmi_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail_v(c, SIM, err, r, false, fmt, ap);
	va_end(ap);
}

/* ---- requests in flight ---- */

/* One per request: the device calls it back even after c is gone, so it outlives c when
 * needed (c == NULL then) and frees itself. */
struct qconn_req {
	struct qb_list node;
	struct qconn *c;
	qmi_resp_cb cb;
	void *user;
};

static void on_resp(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn_req *q = user;

	if (q->c) {
		qb_list_del(&q->node);
		q->cb(q->user, err, resp);
	}
	free(q);
}

int qconn_send_msg(struct qconn *c, uint8_t cid, const struct qmi_msg_def *def, const void *msg,
		   unsigned timeout_ms, qmi_resp_cb cb, void *user)
{
	struct qconn_req *q = calloc(1, sizeof(*q));
	int err;

	if (!q)
		return -ENOMEM;
	*q = (struct qconn_req){ .c = c, .cb = cb, .user = user };
	qb_list_add_tail(&c->reqs, &q->node);
	err = qmi_dev_send_msg(c->dev, cid, def, msg, timeout_ms ? timeout_ms : c->o.timeout_ms,
			       on_resp, q);
	if (err) {
		qb_list_del(&q->node);
		free(q);
	}
	return err;
}

int qconn_response(int err, const struct qmi_frame *resp, const struct qmi_msg_def *def, void *out,
		   struct qmi_result *r)
{
	memset(r, 0, sizeof(*r));
	if (err)
		return err;
	err = qmi_result_get(resp, r);
	if (err)
		return -EBADMSG;
	if (def && qmi_msg_decode(def, resp->tlvs, resp->tlvs_len, out) < 0 && !r->status)
		return -EBADMSG;
	return r->status ? -QB_EMODEM : 0;
}

const char *qconn_qmi_error_str(uint16_t code, char *buf, size_t len)
{
	snprintf(buf, len, "QMI error %u (%s)", code, qconn_name(qmi_error_name(code)));
	return buf;
}

const char *qconn_errtext(int err, const struct qmi_result *r, char *buf, size_t len)
{
	if (err == -QB_EMODEM)
		return qconn_qmi_error_str(r->error, buf, len);
	if (err == -ETIMEDOUT)
		return "no response from the modem";
	snprintf(buf, len, "%s", qb_strerror(-err));
	return buf;
}

/* ---- indications and the data path ---- */

/* The network (or the modem) ended a call. */
void qconn_wds_ind(void *user, const struct qmi_frame *ind)
{
	struct qconn_fam *f = user;
	struct qmi_wds_packet_service_status_ind s;
	char why[128] = "";

	if (ind->msg_id != QMI_WDS_PACKET_SERVICE_STATUS_IND ||
	    qmi_msg_decode(&qmi_wds_packet_service_status_ind_def, ind->tlvs, ind->tlvs_len, &s) <
		    0 ||
	    !s.has_connection_status)
		return;
	if (s.connection_status.status != QMI_WDS_CONNECTION_STATUS_DISCONNECTED || !f->connected)
		return;
	f->connected = false;
	f->have_settings = false;
	if (s.has_call_end_reason)
		snprintf(why, sizeof(why), ": call end reason '%s' (%u)",
			 qconn_name(qmi_wds_call_end_reason_name(s.call_end_reason)),
			 s.call_end_reason);
	if (!qconn_over(f->c))
		qconn_call_ended(f, why);
}

/* ---- start and stop ---- */

void qconn_opts_init(struct qconn_opts *o)
{
	*o = (struct qconn_opts){
		.families = QCONN_V4,
		.auth = -1,
		.profile = -1,
		.sim_timeout_ms = 30000,
		.reg_timeout_ms = 60000,
		.backoff_min_ms = 1000,
		.backoff_max_ms = 60000,
	};
}

static void begin(struct qconn *c)
{
	qconn_go(c, QCONN_SETUP);
}

int qconn_start(struct qconn **out, struct qmi_dev *dev, const struct qconn_opts *o)
{
	struct qconn *c = calloc(1, sizeof(*c));

	*out = c;
	if (!c)
		return -ENOMEM;
	c->o = *o;
	c->dev = dev;
	c->link = o->link;
	if (!c->link) {
		struct qconn_link_opts lo = { .format = o->data_format };
		int ret = qconn_link_new(&c->link, dev, &lo);

		if (ret < 0) {
			free(c);
			*out = NULL;
			return ret;
		}
		c->own_link = true;
	}
	c->loop = qmi_dev_loop(dev);
	c->backoff_ms = o->backoff_min_ms;
	qb_list_init(&c->reqs);
	qb_timer_init(&c->timer, c->loop, on_timer, c);
	qb_timer_init(&c->tick, c->loop, qconn_tick, c);
	if (o->families & QCONN_V4)
		c->fam[c->nfam++].family = 4;
	if (o->families & QCONN_V6)
		c->fam[c->nfam++].family = 6;
	for (unsigned i = 0; i < c->nfam; i++)
		c->fam[i].c = c;
	qconn_link_join(c);
	qb_timer_start(&c->tick, 1000);
	/* Not from here: the caller has c before any event, and no step runs inside its call. */
	qconn_later(c, 0, begin);
	return 0;
}

unsigned qconn_cids(const struct qconn *c, struct qconn_cid *out, unsigned max)
{
	for (unsigned i = 0; i < c->ncids && i < max; i++)
		out[i] = c->cids[i];
	return c->ncids;
}

bool qconn_cids_complete(const struct qconn *c)
{
	return c->set_up;
}

static void stop_calls(struct qconn *c)
{
	for (unsigned i = 0; i < c->nfam; i++) {
		struct qconn_fam *f = &c->fam[i];
		struct qmi_wds_stop_network_req q = { .has_packet_data_handle = true,
						      .packet_data_handle = f->pdh };
		struct qmi_result r = { 0 };
		char eb[96];
		int err;

		qmi_dev_unsubscribe(f->sub);
		f->sub = NULL;
		if (!f->connected || qmi_dev_closed(c->dev))
			continue;
		err = qmi_dev_call(c->dev, f->cid, &qmi_wds_stop_network_req_def, &q,
				   &qmi_wds_stop_network_resp_def, NULL, &r, c->o.timeout_ms);
		if (!err && r.status)
			err = -QB_EMODEM;
		if (err)
			qconn_warn(c, "couldn't stop the IPv%d call: %s", f->family,
				   qconn_errtext(err, &r, eb, sizeof(eb)));
		else
			qconn_emit(c, QCONN_EV_PROGRESS,
				   f->family == 4 ? "IPv4 call stopped" : "IPv6 call stopped");
		f->connected = false;
	}
}

static void free_conn(struct qb_close *cl)
{
	free(qb_container_of(cl, struct qconn, close));
}

void qconn_stop(struct qconn *c)
{
	struct qb_list *pos, *tmp;
	char line[64];

	if (!c || c->st == QCONN_STOPPED)
		return;
	qb_timer_stop(&c->timer);
	qb_timer_stop(&c->tick);
	c->st = QCONN_STOPPED; /* no more steps from late responses */
	/* Requests still in flight complete without us. */
	qb_list_for_each_safe (pos, tmp, &c->reqs) {
		qb_list_entry(pos, struct qconn_req, node)->c = NULL;
		qb_list_del(pos);
	}
	stop_calls(c);
	if (c->nc) {
		qnet_netconf_undo(c->nc);
		c->nc = NULL;
		qconn_emit(c, QCONN_EV_DOWN, "stopped");
	}
	qconn_link_leave(c); /* the pump is no longer the link's */
	qnet_pump_free(c->pump);
	c->pump = NULL;
	if (c->own_link)
		qconn_link_free(c->link);
	c->link = NULL;
	if (c->tun) {
		snprintf(line, sizeof(line), "%s %s", c->tun->name,
			 c->tun->created ? "removed" : "unconfigured");
		qnet_tun_close(c->tun);
		c->tun = NULL;
		qconn_emit(c, QCONN_EV_PROGRESS, line);
	}
	qconn_setup_undo(c);
	qconn_emit(c, QCONN_EV_STATE, NULL);
	qb_loop_close(c->loop, &c->close, free_conn);
}
