/* SPDX-License-Identifier: MIT */
/*
 * The connection manager's state machine. Each step sends one request with qmi_dev_send() and
 * continues in its response callback; waits are one-shot timers. The states:
 *
 *   FORMAT -> SIM -> REG -> CALL (per family) -> SETTINGS -> UP
 *                            ^                                |  network drops a call
 *                            +------- BACKOFF <---------------+
 *
 * A failure before the first UP is final (reported, exit code kept); after it, a failed call
 * attempt only grows the backoff.
 */
#include "cli/connect.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/connect_state.h"
#include "net/loop.h"
#include "net/netconf.h"
#include "net/pump.h"
#include "net/tun.h"
#include "qmi/device.h"
#include "qmi/errors.h"
#include "qmi/messages.h"
#include "qmi/msgdb.h"

enum cstate { S_FORMAT, S_SIM, S_REG, S_CALL, S_UP, S_BACKOFF, S_FAILED };

#define CALL_TIMEOUT_MS 60000u /* Start Network may take long on a real network */
#define POLL_MS 1000u

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
	struct qnet_loop *loop;
	enum cstate st;
	int exit_code;
	bool ever_up;
	bool have_wda, have_uim;
	bool fmt_qmap;      /* the Set Data Format in flight asks for QMAP */
	char fmt_desc[128]; /* the data format in use, for the summary and `status` */
	uint8_t wda_cid, nas_cid, uim_cid;
	struct cfam fam[2];
	unsigned nfam;
	struct qnet_timer *timer;
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
	struct qnet_timer *tick;
	unsigned ticks;
	bool stats_busy;
	struct qmi_wds_get_packet_statistics_resp wds;
	bool have_wds;
	char addr4[64], addr6[64];
	unsigned mtu;
	uint64_t since_ms;
};

static void step_sim(struct qconn *c);
static void step_reg(struct qconn *c);
static void publish(struct qconn *c);
static void step_call(struct qconn *c);

/* ---- helpers ---- */

static void progress(struct qconn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(struct qconn *c, const char *fmt, ...)
{
	char line[sizeof(c->last)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!strcmp(line, c->last))
		return;
	snprintf(c->last, sizeof(c->last), "%s", line);
	fprintf(c->cli->out, "[%s] %s\n", c->cli->devname, line);
	fflush(c->cli->out);
	publish(c);
}

static void fail(struct qconn *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(struct qconn *c, int code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (c->st == S_FAILED)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	qnet_timer_cancel(c->timer);
	c->timer = NULL;
	c->st = S_FAILED;
	c->exit_code = qcli_fail(c->cli, code, "%s", msg);
}

static void later(struct qconn *c, unsigned ms, void (*fn)(void *))
{
	qnet_timer_cancel(c->timer);
	c->timer = NULL;
	if (qnet_loop_timer(c->loop, ms, fn, c, &c->timer) < 0)
		fail(c, QCLI_EXIT_FAILURE, "out of memory");
}

/* Every response callback starts here: false when the machine should go on. */
static bool gone(struct qconn *c)
{
	c->pending--;
	if (c->dead) {
		if (!c->pending)
			free(c);
		return true;
	}
	return c->st == S_FAILED;
}

/* Encodes msg with its def and sends it; cb runs once with the response (see qmi_dev_send). */
static int send_msg(struct qconn *c, uint8_t cid, const struct qmi_msg_def *def, const void *msg,
		    unsigned timeout_ms, qmi_resp_cb cb, void *user)
{
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;
	enum qmi_frame_err why;
	size_t len;
	int err;

	err = qmi_msg_build(def, msg, cid, 1, buf, sizeof(buf), &len);
	if (!err)
		err = qmi_frame_parse(buf, len, &f, &why);
	if (!err)
		err = qmi_dev_send(c->dev, def->service, cid, def->msg_id, f.tlvs, f.tlvs_len,
				   timeout_ms ? timeout_ms : c->cli->timeout_ms, cb, user);
	if (!err)
		c->pending++;
	return err;
}

/* The response's result and decoded body. 0 success; -EREMOTEIO (*r says why, body decoded
 * anyway: failures carry call end reasons); else the transport's -errno. */
static int response(int err, const struct qmi_frame *resp, const struct qmi_msg_def *def, void *out,
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
	return r->status ? -EREMOTEIO : 0;
}

static const char *errtext(int err, const struct qmi_result *r, char *buf, size_t len)
{
	if (err == -EREMOTEIO)
		return qcli_qmi_error_str(r->error, buf, len);
	if (err == -ETIMEDOUT)
		return "no response from the modem";
	snprintf(buf, len, "%s", strerror(-err));
	return buf;
}

static int exit_for(int err)
{
	return err == -EREMOTEIO ? QCLI_EXIT_QMI : qcli_exit_for_errno(err);
}

/* ---- the published state ---- */

static const char *state_name(const struct qconn *c)
{
	if (c->st == S_UP)
		return "up";
	if (c->st == S_FAILED)
		return "failed";
	return c->ever_up ? "reconnecting" : "connecting";
}

static void publish(struct qconn *c)
{
	const struct qnet_pump_stats *ps = c->pump ? qnet_pump_stats(c->pump) : NULL;
	char body[2048];
	FILE *f;

	if (!c->state_path[0])
		return;
	f = fmemopen(body, sizeof(body), "w");
	if (!f)
		return;
	fprintf(f, "pid=%ld\ndevice=%s\ninterface=%s\nstate=%s\nlast=%s\n", (long)getpid(),
		c->cli->devname, c->tun ? c->tun->name : "", state_name(c), c->last);
	/* Packet service status is per WDS client: `status` through the share asks this one. */
	fprintf(f, "wds_cid=%u\n", c->fam[0].cid);
	if (c->st == S_UP) {
		fprintf(f, "uptime_s=%llu\n",
			(unsigned long long)((qnet_now_ms() - c->since_ms) / 1000));
		if (c->addr4[0])
			fprintf(f, "ipv4=%s\n", c->addr4);
		if (c->addr6[0])
			fprintf(f, "ipv6=%s\n", c->addr6);
		fprintf(f, "mtu=%u\n", c->mtu);
	}
	if (ps) {
		fprintf(f, "data_path=%s\n", qnet_pump_backend(c->pump));
		if (c->fmt_desc[0])
			fprintf(f, "data_format=%s\n", c->fmt_desc);
		if (ps->up_aggs || ps->down_aggs)
			fprintf(f, "qmap_up_transfers=%llu\nqmap_down_transfers=%llu\n"
				   "qmap_commands=%llu\ndrop_down_qmap_bad=%llu\n"
				   "drop_down_qmap_trunc=%llu\n",
				(unsigned long long)ps->up_aggs, (unsigned long long)ps->down_aggs,
				(unsigned long long)ps->down_qmap_commands,
				(unsigned long long)ps->drop_down_qmap_bad,
				(unsigned long long)ps->drop_down_qmap_trunc);
		fprintf(f, "tun_rx_packets=%llu\ntun_rx_bytes=%llu\n",
			(unsigned long long)ps->up_pkts, (unsigned long long)ps->up_bytes);
		fprintf(f, "tun_tx_packets=%llu\ntun_tx_bytes=%llu\n",
			(unsigned long long)ps->down_pkts, (unsigned long long)ps->down_bytes);
		fprintf(f, "drops=%llu\n", (unsigned long long)qnet_pump_drops(ps));
		fprintf(f, "drop_up_too_big=%llu\ndrop_up_send=%llu\ndrop_down_no_buf=%llu\n"
			   "drop_down_too_big=%llu\ndrop_down_bad=%llu\ndrop_down_write=%llu\n",
			(unsigned long long)ps->drop_up_too_big, (unsigned long long)ps->drop_up_send,
			(unsigned long long)ps->drop_down_no_buf,
			(unsigned long long)ps->drop_down_too_big,
			(unsigned long long)ps->drop_down_bad, (unsigned long long)ps->drop_down_write);
		fprintf(f, "backpressure_pauses=%llu\n", (unsigned long long)ps->up_paused);
		fprintf(f, "tun_read_errors=%llu\n", (unsigned long long)ps->up_read_errors);
	}
	if (c->have_wds) {
		const struct qmi_wds_get_packet_statistics_resp *w = &c->wds;

		if (w->has_tx_packets_ok)
			fprintf(f, "modem_tx_packets_ok=%u\n", w->tx_packets_ok);
		if (w->has_rx_packets_ok)
			fprintf(f, "modem_rx_packets_ok=%u\n", w->rx_packets_ok);
		if (w->has_tx_bytes_ok)
			fprintf(f, "modem_tx_bytes_ok=%llu\n", (unsigned long long)w->tx_bytes_ok);
		if (w->has_rx_bytes_ok)
			fprintf(f, "modem_rx_bytes_ok=%llu\n", (unsigned long long)w->rx_bytes_ok);
		if (w->has_tx_packets_dropped)
			fprintf(f, "modem_tx_packets_dropped=%u\n", w->tx_packets_dropped);
		if (w->has_rx_packets_dropped)
			fprintf(f, "modem_rx_packets_dropped=%u\n", w->rx_packets_dropped);
	}
	fputc('\0', f);
	fclose(f);
	body[sizeof(body) - 1] = '\0';
	qconn_state_write(c->state_path, body);
}

static void on_stats(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	struct qmi_result r;

	if (gone(c))
		return;

	c->stats_busy = false;
	if (response(err, resp, &qmi_wds_get_packet_statistics_resp_def, &c->wds, &r) == 0)
		c->have_wds = true;
}

/* Once a second: the published state; every fifth, the modem's own packet counters. */
static void tick(void *user)
{
	struct qconn *c = user;

	c->tick = NULL;
	if (c->ticks++ % 5 == 0 && c->st == S_UP && !c->stats_busy) {
		struct qmi_wds_get_packet_statistics_req q = {
			.has_mask = true,
			.mask = QMI_WDS_STATS_TX_PACKETS_OK | QMI_WDS_STATS_RX_PACKETS_OK |
				QMI_WDS_STATS_TX_BYTES_OK | QMI_WDS_STATS_RX_BYTES_OK |
				QMI_WDS_STATS_TX_PACKETS_DROPPED | QMI_WDS_STATS_RX_PACKETS_DROPPED,
		};

		if (send_msg(c, c->fam[0].cid, &qmi_wds_get_packet_statistics_req_def, &q, 0,
			     on_stats, c) == 0)
			c->stats_busy = true;
	}
	publish(c);
	qnet_loop_timer(c->loop, 1000, tick, c, &c->tick);
}

/* ---- data format ---- */

/*
 * raw-IP by default. With --data-format qmap, WDA Set Data Format asks for QMAP (MAP v1) both
 * ways on the default data port, mux id 0, with no Bind Mux Data Port: the limits asked for are
 * what our transfers hold (QCONN_QMAP_MAX bytes, ModemManager's 32 datagrams), and the modem's
 * answer is what the pump then uses. A modem that refuses (QMI error, or aggregation left
 * disabled) gets the plain raw-IP request, and the run goes on in raw-IP, saying so.
 */
#define QCONN_QMAP_MAX 16384 /* the USB and sim transports' bulk transfer size */
#define QCONN_QMAP_DGRAMS 32
/* Small uplink aggregates in flight: one. The next one packs whatever the TUN delivers while
 * it is on the wire (natural batching, no timer); queued behind it on the same bulk pipe it
 * would not leave sooner. Full aggregates may use every transfer (the transport's rule), so
 * the pipe stays busy at saturation. */
#define QCONN_QMAP_INFLIGHT 1

/* true when the transport paces (and so reports every completed transfer) */
static bool set_inflight(struct qconn *c, unsigned max)
{
	struct qmi_transport *t = qmi_dev_transport(c->dev);

	return t && t->ops && t->ops->data_set_inflight &&
	       t->ops->data_set_inflight(t->impl, max) == 0;
}

static void send_format(struct qconn *c, bool qmap);

static int apply_qmap(struct qconn *c, const struct qmi_wda_set_data_format_resp *w, char *desc,
		      size_t len)
{
	struct qnet_pump_qmap q = { .mux_id = 0 };
	int ret;

	q.ul = w->has_ul_aggregation_protocol &&
	       w->ul_aggregation_protocol == QMI_WDA_AGGREGATION_QMAP;
	q.dl = w->has_dl_aggregation_protocol &&
	       w->dl_aggregation_protocol == QMI_WDA_AGGREGATION_QMAP;
	/* Without a granted UL size or count, one packet per transfer stays within any modem's. */
	q.ul_max_dgrams = w->has_ul_max_datagrams && w->ul_max_datagrams ? w->ul_max_datagrams : 1;
	q.ul_max_size = w->has_ul_max_size && w->ul_max_size ? w->ul_max_size : 2048 + 4;
	if (!q.ul && !q.dl) { /* granted nothing: the pump stays on raw IP */
		snprintf(desc, len, "raw-ip (the modem left aggregation off)");
		return 0;
	}
	if (q.ul_max_dgrams > 64)
		q.ul_max_dgrams = 64;
	if (q.ul_max_size > QCONN_QMAP_MAX)
		q.ul_max_size = QCONN_QMAP_MAX;
	if (q.dl && w->has_dl_max_size && w->dl_max_size > QCONN_QMAP_MAX)
		return -EMSGSIZE; /* its aggregates would not fit our transfers */
	q.paced = q.ul && set_inflight(c, QCONN_QMAP_INFLIGHT);
	ret = qnet_pump_set_qmap(c->pump, &q);
	if (ret < 0) {
		set_inflight(c, 0);
		return ret;
	}
	snprintf(desc, len, "qmap, mux id 0 (UL %s: %u x %zu B, DL %s: %u x %u B)",
		 q.ul ? "aggregated" : "raw-ip", q.ul ? q.ul_max_dgrams : 1,
		 q.ul ? q.ul_max_size : (size_t)0, q.dl ? "aggregated" : "raw-ip",
		 w->has_dl_max_datagrams ? w->dl_max_datagrams : 0,
		 w->has_dl_max_size ? w->dl_max_size : 0);
	return 0;
}

static void on_format(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	struct qmi_wda_set_data_format_resp w;
	struct qmi_ctl_set_data_format_resp ctl;
	struct qmi_result r;
	char eb[96], desc[128] = "raw-ip";
	bool asked_qmap = c->fmt_qmap;

	if (gone(c))
		return;

	c->fmt_qmap = false;
	if (c->have_wda) {
		err = response(err, resp, &qmi_wda_set_data_format_resp_def, &w, &r);
		if (asked_qmap && err == -EREMOTEIO) {
			progress(c, "the modem refused QMAP (%s); falling back to raw-ip",
				 errtext(err, &r, eb, sizeof(eb)));
			return send_format(c, false);
		}
		if (!err && w.has_link_layer_protocol && w.link_layer_protocol != QMI_WDA_LINK_LAYER_RAW_IP)
			return fail(c, QCLI_EXIT_QMI,
				    "the modem refused raw-IP: it kept link layer '%s'",
				    qcli_name(qmi_wda_link_layer_name(w.link_layer_protocol)));
		if (!err && asked_qmap) {
			int ret = apply_qmap(c, &w, desc, sizeof(desc));

			if (ret < 0) {
				progress(c, "the modem's QMAP terms are unusable (%s); falling back "
					    "to raw-ip", strerror(-ret));
				return send_format(c, false);
			}
		}
	} else {
		err = response(err, resp, &qmi_ctl_set_data_format_resp_def, &ctl, &r);
		if (!err && ctl.has_protocol && ctl.protocol != QMI_CTL_LINK_PROTOCOL_RAW_IP)
			return fail(c, QCLI_EXIT_QMI,
				    "the modem refused raw-IP: it kept link protocol %u", ctl.protocol);
	}
	if (err)
		return fail(c, exit_for(err), "couldn't set the raw-IP data format (%s): %s",
			    c->have_wda ? "WDA" : "CTL", errtext(err, &r, eb, sizeof(eb)));
	snprintf(c->fmt_desc, sizeof(c->fmt_desc), "%s", desc);
	progress(c, "data format: %s (%s)", desc, c->have_wda ? "WDA Set Data Format" : "CTL");
	step_sim(c);
}

static void send_format(struct qconn *c, bool qmap)
{
	int err;

	c->st = S_FORMAT;
	c->fmt_qmap = qmap;
	if (c->have_wda) {
		uint32_t agg = qmap ? QMI_WDA_AGGREGATION_QMAP : QMI_WDA_AGGREGATION_DISABLED;
		struct qmi_wda_set_data_format_req q = {
			.has_link_layer_protocol = true,
			.link_layer_protocol = QMI_WDA_LINK_LAYER_RAW_IP,
			.has_ul_aggregation_protocol = true,
			.ul_aggregation_protocol = agg,
			.has_dl_aggregation_protocol = true,
			.dl_aggregation_protocol = agg,
			.has_dl_max_datagrams = qmap,
			.dl_max_datagrams = QCONN_QMAP_DGRAMS,
			.has_dl_max_size = qmap,
			.dl_max_size = QCONN_QMAP_MAX,
			.has_ul_max_datagrams = qmap,
			.ul_max_datagrams = QCONN_QMAP_DGRAMS,
			.has_ul_max_size = qmap,
			.ul_max_size = QCONN_QMAP_MAX,
		};

		if (!qmap) {
			qnet_pump_set_qmap(c->pump, NULL);
			set_inflight(c, 0);
		}
		err = send_msg(c, c->wda_cid, &qmi_wda_set_data_format_req_def, &q, 0, on_format, c);
	} else {
		struct qmi_ctl_set_data_format_req q = {
			.has_format = true,
			.format = QMI_CTL_DATA_FORMAT_QOS_ABSENT,
			.has_protocol = true,
			.protocol = QMI_CTL_LINK_PROTOCOL_RAW_IP,
		};

		c->fmt_qmap = false;
		err = send_msg(c, QMI_CID_NONE, &qmi_ctl_set_data_format_req_def, &q, 0, on_format, c);
	}
	if (err)
		fail(c, qcli_exit_for_errno(err), "couldn't send Set Data Format: %s", strerror(-err));
}

static void step_format(struct qconn *c)
{
	if (c->o.qmap && !c->have_wda)
		progress(c, "QMAP needs WDA, which the modem lacks; using raw-ip");
	send_format(c, c->o.qmap && c->have_wda);
}

/* ---- SIM ---- */

static void poll_sim(void *user);

/* "ready", or what the card or its application waits for. */
static const char *sim_state(const struct qmi_uim_card_status *cs, bool *ready)
{
	const struct qmi_uim_card *card;
	unsigned slot = 0, app = 0;

	*ready = false;
	if (cs->index_gw_primary != 0xFFFF) {
		slot = cs->index_gw_primary >> 8;
		app = cs->index_gw_primary & 0xFF;
	}
	if (slot >= cs->n_cards)
		return "no card";
	card = &cs->cards[slot];
	if (card->card_state != QMI_UIM_CARD_STATE_PRESENT)
		return qcli_name(qmi_uim_card_state_name(card->card_state));
	if (app >= card->n_applications)
		return "no application";
	*ready = card->applications[app].state == QMI_UIM_APP_STATE_READY;
	return qcli_name(qmi_uim_app_state_name(card->applications[app].state));
}

static void on_sim(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	struct qmi_uim_get_card_status_resp *s = calloc(1, sizeof(*s));
	struct qmi_result r;
	const char *state = "unknown";
	bool ready = false;
	char eb[96];

	if (gone(c))
		return;

	if (!s)
		return fail(c, QCLI_EXIT_FAILURE, "out of memory");
	err = response(err, resp, &qmi_uim_get_card_status_resp_def, s, &r);
	if (!err && s->has_card_status)
		state = sim_state(&s->card_status, &ready);
	else if (err)
		state = errtext(err, &r, eb, sizeof(eb));
	free(s);
	if (err == -ENODEV || err == -EPIPE)
		return fail(c, exit_for(err), "the modem went away: %s", strerror(-err));
	if (ready) {
		progress(c, "SIM: ready");
		return step_reg(c);
	}
	progress(c, "waiting for the SIM: %s", state);
	if (qnet_now_ms() >= c->deadline)
		return fail(c, QCLI_EXIT_TIMEOUT, "the SIM is not ready after %u s: %s",
			    c->o.sim_timeout_ms / 1000, state);
	later(c, POLL_MS, poll_sim);
}

static void poll_sim(void *user)
{
	struct qconn *c = user;
	int err;

	c->timer = NULL;
	err = send_msg(c, c->uim_cid, &qmi_uim_get_card_status_req_def, NULL, 0, on_sim, c);
	if (err)
		fail(c, qcli_exit_for_errno(err), "couldn't ask for the card status: %s",
		     strerror(-err));
}

static void step_sim(struct qconn *c)
{
	c->st = S_SIM;
	if (!c->have_uim) {
		progress(c, "SIM: no UIM service, not checked");
		return step_reg(c);
	}
	c->deadline = qnet_now_ms() + c->o.sim_timeout_ms;
	poll_sim(c);
}

/* ---- registration ---- */

static void poll_reg(void *user);

static void on_reg(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	struct qmi_nas_get_serving_system_resp *s = calloc(1, sizeof(*s));
	struct qmi_result r;
	char state[128], eb[96];
	bool ok = false;

	if (gone(c))
		return;

	if (!s)
		return fail(c, QCLI_EXIT_FAILURE, "out of memory");
	err = response(err, resp, &qmi_nas_get_serving_system_resp_def, s, &r);
	if (!err && s->has_serving_system) {
		const struct qmi_nas_serving_system *ss = &s->serving_system;
		const char *radio = ss->n_radio_interfaces ?
			qcli_name(qmi_nas_radio_interface_name(ss->radio_interfaces[0])) : "none";

		ok = ss->registration_state == QMI_NAS_REGISTRATION_STATE_REGISTERED &&
		     ss->ps_attach_state == QMI_NAS_ATTACH_STATE_ATTACHED;
		snprintf(state, sizeof(state), "%s, packet domain %s, radio %s",
			 qcli_name(qmi_nas_registration_state_name(ss->registration_state)),
			 qcli_name(qmi_nas_attach_state_name(ss->ps_attach_state)), radio);
	} else {
		snprintf(state, sizeof(state), "%s",
			 err ? errtext(err, &r, eb, sizeof(eb)) : "no serving system");
	}
	free(s);
	if (err == -ENODEV || err == -EPIPE)
		return fail(c, exit_for(err), "the modem went away: %s", strerror(-err));
	if (ok) {
		progress(c, "registration: %s", state);
		return step_call(c);
	}
	progress(c, "waiting for registration: %s", state);
	if (qnet_now_ms() >= c->deadline) {
		if (c->ever_up) /* reconnecting: keep trying, the network may come back */
			return later(c, c->backoff_ms, poll_reg);
		return fail(c, QCLI_EXIT_TIMEOUT, "not registered for packet data after %u s: %s",
			    c->o.reg_timeout_ms / 1000, state);
	}
	later(c, POLL_MS, poll_reg);
}

static void poll_reg(void *user)
{
	struct qconn *c = user;
	int err;

	c->timer = NULL;
	err = send_msg(c, c->nas_cid, &qmi_nas_get_serving_system_req_def, NULL, 0, on_reg, c);
	if (err)
		fail(c, qcli_exit_for_errno(err), "couldn't ask for the serving system: %s",
		     strerror(-err));
}

static void step_reg(struct qconn *c)
{
	c->st = S_REG;
	c->deadline = qnet_now_ms() + c->o.reg_timeout_ms;
	poll_reg(c);
}

/* ---- the calls ---- */

static bool all(struct qconn *c, bool settings)
{
	for (unsigned i = 0; i < c->nfam; i++)
		if (!c->fam[i].connected || (settings && !c->fam[i].have_settings))
			return false;
	return true;
}

static unsigned prefix_of_mask(uint32_t mask)
{
	unsigned n = 0;

	while (mask & 0x80000000u) {
		n++;
		mask <<= 1;
	}
	return n;
}

static void addr4(uint32_t host_order, struct in_addr *out)
{
	out->s_addr = htonl(host_order);
}

static void print_summary(struct qconn *c, const struct qnet_ipconf *ip, int applied)
{
	FILE *o = c->cli->out;
	char a[INET6_ADDRSTRLEN];
	unsigned i;

	fprintf(o, "[%s] connected: interface %s\n", c->cli->devname, c->tun->name);
	for (i = 0; i < c->nfam; i++) {
		const struct cfam *f = &c->fam[i];

		if (f->family == 4 && f->cs.has_ipv4_address) {
			fprintf(o, "\tIPv4 address: %s/%u\n",
				inet_ntop(AF_INET, &ip->v4_addr, a, sizeof(a)), ip->v4_prefix);
			if (f->cs.has_ipv4_gateway)
				fprintf(o, "\tIPv4 gateway: %s\n",
					inet_ntop(AF_INET, &ip->v4_gw, a, sizeof(a)));
		}
		if (f->family == 6 && f->cs.has_ipv6_address) {
			fprintf(o, "\tIPv6 address: %s/%u\n",
				inet_ntop(AF_INET6, &ip->v6_addr, a, sizeof(a)), ip->v6_prefix);
			if (f->cs.has_ipv6_gateway)
				fprintf(o, "\tIPv6 gateway: %s\n",
					inet_ntop(AF_INET6, &ip->v6_gw, a, sizeof(a)));
		}
	}
	for (i = 0; i < ip->n_dns4; i++)
		fprintf(o, "\tDNS: %s\n", inet_ntop(AF_INET, &ip->dns4[i], a, sizeof(a)));
	for (i = 0; i < ip->n_dns6; i++)
		fprintf(o, "\tDNS: %s\n", inet_ntop(AF_INET6, &ip->dns6[i], a, sizeof(a)));
	fprintf(o, "\tMTU: %u\n", ip->mtu);
	fprintf(o, "\troutes: %s\n", ip->routes ? "default via the interface" : "none (--no-routes)");
	if (c->o.dns_file)
		fprintf(o, "\tDNS written to %s\n", c->o.dns_file);
	if (applied == 1)
		fprintf(o, "\tconfiguration: to be applied by root (see above)\n");
	fprintf(o, "\tdata path: %s\n", qnet_pump_backend(c->pump));
	fprintf(o, "\tdata format: %s\n", c->fmt_desc[0] ? c->fmt_desc : "raw-ip");
	fflush(o);
}

static void configure(struct qconn *c)
{
	struct qnet_ipconf ip = { .routes = !c->o.no_routes, .mtu = 1500 };
	char err[256] = "";
	unsigned i;
	int ret;

	for (i = 0; i < c->nfam; i++) {
		const struct qmi_wds_get_current_settings_resp *s = &c->fam[i].cs;

		if (s->has_mtu && s->mtu >= 576 && s->mtu <= 9000)
			ip.mtu = s->mtu;
		if (c->fam[i].family == 4 && s->has_ipv4_address) {
			ip.has_v4 = true;
			addr4(s->ipv4_address, &ip.v4_addr);
			ip.v4_prefix = s->has_ipv4_subnet_mask ?
				(uint8_t)prefix_of_mask(s->ipv4_subnet_mask) : 32;
			if (s->has_ipv4_gateway)
				addr4(s->ipv4_gateway, &ip.v4_gw);
			if (s->has_ipv4_primary_dns && ip.n_dns4 < QNET_DNS_MAX)
				addr4(s->ipv4_primary_dns, &ip.dns4[ip.n_dns4++]);
			if (s->has_ipv4_secondary_dns && ip.n_dns4 < QNET_DNS_MAX)
				addr4(s->ipv4_secondary_dns, &ip.dns4[ip.n_dns4++]);
		}
		if (c->fam[i].family == 6 && s->has_ipv6_address) {
			ip.has_v6 = true;
			memcpy(&ip.v6_addr, s->ipv6_address.address, 16);
			ip.v6_prefix = s->ipv6_address.prefix_length <= 128 ?
				s->ipv6_address.prefix_length : 64;
			if (s->has_ipv6_gateway)
				memcpy(&ip.v6_gw, s->ipv6_gateway.address, 16);
			if (s->has_ipv6_primary_dns && ip.n_dns6 < QNET_DNS_MAX)
				memcpy(&ip.dns6[ip.n_dns6++], s->ipv6_primary_dns, 16);
			if (s->has_ipv6_secondary_dns && ip.n_dns6 < QNET_DNS_MAX)
				memcpy(&ip.dns6[ip.n_dns6++], s->ipv6_secondary_dns, 16);
		}
	}
	if (!ip.has_v4 && !ip.has_v6)
		return fail(c, QCLI_EXIT_QMI, "the modem gave no IP address for the call");
	ret = qnet_netconf_apply(&c->nc, c->tun->ifindex, c->tun->name, &ip, c->cli->err, err,
				 sizeof(err));
	if (ret < 0)
		return fail(c, QCLI_EXIT_FAILURE, "couldn't configure %s: %s", c->tun->name, err);
	if (c->o.dns_file) {
		int e = qnet_netconf_write_dns(c->o.dns_file, &ip);

		if (e)
			fprintf(c->cli->err, "warning: couldn't write %s: %s\n", c->o.dns_file,
				strerror(-e));
	}
	c->addr4[0] = c->addr6[0] = '\0';
	if (ip.has_v4)
		snprintf(c->addr4, sizeof(c->addr4), "%s/%u",
			 inet_ntop(AF_INET, &ip.v4_addr, err, sizeof(err)), ip.v4_prefix);
	if (ip.has_v6)
		snprintf(c->addr6, sizeof(c->addr6), "%s/%u",
			 inet_ntop(AF_INET6, &ip.v6_addr, err, sizeof(err)), ip.v6_prefix);
	c->mtu = ip.mtu;
	c->since_ms = qnet_now_ms();
	c->st = S_UP;
	c->ever_up = true;
	c->backoff_ms = c->o.backoff_min_ms;
	snprintf(c->last, sizeof(c->last), "connected");
	print_summary(c, &ip, ret);
	if (c->o.on_up)
		c->o.on_up(c->o.on_up_user, c->tun->name, &ip, qnet_pump_backend(c->pump));
	publish(c);
}

static void on_settings(void *user, int err, const struct qmi_frame *resp)
{
	struct cfam *f = user;
	struct qconn *c = f->c;
	struct qmi_result r;
	char eb[96];

	f->busy = false;
	if (gone(c))
		return;
	err = response(err, resp, &qmi_wds_get_current_settings_resp_def, &f->cs, &r);
	if (err)
		return fail(c, exit_for(err), "couldn't get the IPv%d settings: %s", f->family,
			    errtext(err, &r, eb, sizeof(eb)));
	f->have_settings = true;
	if (all(c, true) && c->st == S_CALL)
		configure(c);
}

static void get_settings(struct cfam *f)
{
	struct qmi_wds_get_current_settings_req q = {
		.has_requested_settings = true,
		.requested_settings = QMI_WDS_REQUESTED_DNS_ADDRESS | QMI_WDS_REQUESTED_IP_ADDRESS |
				      QMI_WDS_REQUESTED_GATEWAY_INFO | QMI_WDS_REQUESTED_MTU |
				      QMI_WDS_REQUESTED_IP_FAMILY,
	};
	int err;

	f->have_settings = false;
	f->busy = true;
	err = send_msg(f->c, f->cid, &qmi_wds_get_current_settings_req_def, &q, 0, on_settings, f);
	if (err) {
		f->busy = false;
		fail(f->c, qcli_exit_for_errno(err), "couldn't ask for the settings: %s",
		     strerror(-err));
	}
}

static void retry(void *user);

static void call_failed(struct cfam *f, int err, const struct qmi_result *r,
			const struct qmi_wds_start_network_resp *s)
{
	struct qconn *c = f->c;
	char why[200], eb[96];

	if (err == -EREMOTEIO && s->has_call_end_reason) {
		int n = snprintf(why, sizeof(why), "call end reason '%s' (%u)",
				 qcli_name(qmi_wds_call_end_reason_name(s->call_end_reason)),
				 s->call_end_reason);

		if (s->has_verbose_call_end_reason && n > 0 && (size_t)n < sizeof(why))
			snprintf(why + n, sizeof(why) - (size_t)n, ", verbose %s '%s' (%d)",
				 qcli_name(qmi_wds_verbose_cer_type_name(
					 s->verbose_call_end_reason.type)),
				 qcli_name(qmi_wds_verbose_call_end_reason_name(
					 s->verbose_call_end_reason.type,
					 s->verbose_call_end_reason.reason)),
				 s->verbose_call_end_reason.reason);
	} else {
		snprintf(why, sizeof(why), "%s", errtext(err, r, eb, sizeof(eb)));
	}
	if (!c->ever_up) {
		fail(c, exit_for(err), "the IPv%d call failed: %s", f->family, why);
		/* After fail(): recording the failure resets the JSON error's QMI part. */
		if (err == -EREMOTEIO) {
			c->cli->error.has_qmi = true;
			c->cli->error.qmi_error = r->error;
		}
		return;
	}
	progress(c, "the IPv%d call failed: %s; next try in %u s", f->family, why,
		 c->backoff_ms / 1000);
	c->st = S_BACKOFF;
	later(c, c->backoff_ms, retry);
	c->backoff_ms = c->backoff_ms * 2 > c->o.backoff_max_ms ? c->o.backoff_max_ms :
								c->backoff_ms * 2;
}

static void on_start(void *user, int err, const struct qmi_frame *resp)
{
	struct cfam *f = user;
	struct qconn *c = f->c;
	struct qmi_wds_start_network_resp s;
	struct qmi_result r;

	f->busy = false;
	if (gone(c))
		return;
	memset(&s, 0, sizeof(s));
	err = response(err, resp, &qmi_wds_start_network_resp_def, &s, &r);
	if (c->st != S_CALL)
		return; /* failed meanwhile, or the other family's failure started a backoff */
	/* NoEffect: this client's call is already up (a repeated Start); take its handle. */
	if (err == -EREMOTEIO && r.error == QMI_ERR_NO_EFFECT && s.has_packet_data_handle)
		err = 0;
	if (err)
		return call_failed(f, err, &r, &s);
	f->connected = true;
	f->pdh = s.packet_data_handle;
	progress(c, "IPv%d call up (packet data handle 0x%08x)", f->family, f->pdh);
	get_settings(f);
}

static void start_call(struct cfam *f)
{
	struct qconn *c = f->c;
	struct qmi_wds_start_network_req *q = calloc(1, sizeof(*q));
	int err;

	if (!q)
		return fail(c, QCLI_EXIT_FAILURE, "out of memory");
	if (c->o.apn) {
		q->has_apn = true;
		snprintf(q->apn, sizeof(q->apn), "%s", c->o.apn);
	}
	if (c->o.auth >= 0) {
		q->has_auth = true;
		q->auth = (uint8_t)c->o.auth;
	}
	if (c->o.user) {
		q->has_username = true;
		snprintf(q->username, sizeof(q->username), "%s", c->o.user);
	}
	if (c->o.password) {
		q->has_password = true;
		snprintf(q->password, sizeof(q->password), "%s", c->o.password);
	}
	if (c->o.profile >= 0) {
		q->has_profile_index_3gpp = true;
		q->profile_index_3gpp = (uint8_t)c->o.profile;
	}
	q->has_ip_family = true;
	q->ip_family = (uint8_t)f->family;
	f->busy = true;
	err = send_msg(c, f->cid, &qmi_wds_start_network_req_def, q, CALL_TIMEOUT_MS, on_start, f);
	free(q);
	if (err) {
		f->busy = false;
		fail(c, qcli_exit_for_errno(err), "couldn't send Start Network: %s", strerror(-err));
	}
}

static void step_call(struct qconn *c)
{
	unsigned i;

	c->st = S_CALL;
	progress(c, "starting the %s call%s (APN '%s')",
		 c->nfam == 2 ? "IPv4 and IPv6" : (c->fam[0].family == 4 ? "IPv4" : "IPv6"),
		 c->nfam == 2 ? "s" : "", c->o.apn ? c->o.apn : "");
	for (i = 0; i < c->nfam && c->st == S_CALL; i++) {
		struct cfam *f = &c->fam[i];

		if (f->busy)
			continue;
		if (f->connected)
			get_settings(f);
		else
			start_call(f);
	}
}

static void retry(void *user)
{
	struct qconn *c = user;

	c->timer = NULL;
	step_reg(c);
}

/* The network (or the modem) ended a call: take the configuration down and call again. */
static void on_ind(void *user, const struct qmi_frame *ind)
{
	struct cfam *f = user;
	struct qconn *c = f->c;
	struct qmi_wds_packet_service_status_ind s;
	char why[128] = "";

	if (ind->msg_id != QMI_WDS_PACKET_SERVICE_STATUS_IND ||
	    qmi_msg_decode(&qmi_wds_packet_service_status_ind_def, ind->tlvs, ind->tlvs_len, &s) < 0 ||
	    !s.has_connection_status)
		return;
	if (s.connection_status.status != QMI_WDS_CONNECTION_STATUS_DISCONNECTED || !f->connected)
		return;
	f->connected = false;
	f->have_settings = false;
	if (s.has_call_end_reason)
		snprintf(why, sizeof(why), ": call end reason '%s' (%u)",
			 qcli_name(qmi_wds_call_end_reason_name(s.call_end_reason)),
			 s.call_end_reason);
	if (c->st == S_FAILED)
		return;
	progress(c, "the network ended the IPv%d call%s", f->family, why);
	qnet_netconf_undo(c->nc);
	c->nc = NULL;
	if (!c->ever_up && c->st == S_CALL)
		return fail(c, QCLI_EXIT_FAILURE, "the IPv%d call ended while connecting%s",
			    f->family, why);
	if (c->st == S_BACKOFF || c->st == S_REG)
		return; /* a retry is already planned */
	c->st = S_BACKOFF;
	progress(c, "reconnecting in %u s", c->backoff_ms / 1000);
	later(c, c->backoff_ms, retry);
	c->backoff_ms = c->backoff_ms * 2 > c->o.backoff_max_ms ? c->o.backoff_max_ms :
								c->backoff_ms * 2;
}

static void on_closed(void *user, int err)
{
	struct qconn *c = user;

	if (c->st != S_FAILED)
		fail(c, exit_for(err), "the modem went away: %s", strerror(-err));
}

static void pump_rx(void *user, const uint8_t *pkt, size_t len)
{
	struct qconn *c = user;

	qnet_pump_data_rx(c->pump, pkt, len);
}

static void pump_tx_ready(void *user)
{
	struct qconn *c = user;

	qnet_pump_data_tx_ready(c->pump);
}

/* ---- setup and teardown ---- */

static int alloc_cid(struct qconn *c, uint8_t svc, uint8_t *cid, bool optional)
{
	struct qmi_result r = { 0 };
	char eb[96];
	int err;

	if (c->cli->n_clients >= QCLI_MAX_CLIENTS)
		return qcli_fail(c->cli, QCLI_EXIT_FAILURE, "too many client ids");
	err = qmi_dev_alloc_cid(c->dev, svc, cid, &r);
	if (err) {
		if (optional)
			return -1;
		return qcli_fail(c->cli, exit_for(err), "couldn't allocate a %s client: %s",
				 qcli_name(qmi_service_name(svc)), errtext(err, &r, eb, sizeof(eb)));
	}
	/* The session releases it at the end, whatever happens in between. */
	c->cli->clients[c->cli->n_clients++] = (struct qcli_client){ .svc = svc, .cid = *cid };
	return 0;
}

int qconn_start(struct qconn **out, struct qcli *cli, const struct qconn_opts *o)
{
	static const struct qmi_dev_data_cbs data_cbs = {
		.data_rx = pump_rx,
		.data_tx_ready = pump_tx_ready,
		.closed = on_closed,
	};
	struct qconn *c = calloc(1, sizeof(*c));
	char err[256] = "";
	unsigned i;
	int rc, ret;

	if (!c)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "out of memory");
	c->cli = cli;
	c->o = *o;
	c->dev = cli->dev;
	c->loop = cli->loop;
	c->backoff_ms = o->backoff_min_ms;
	if (o->families & QCONN_V4)
		c->fam[c->nfam++].family = 4;
	if (o->families & QCONN_V6)
		c->fam[c->nfam++].family = 6;
	*out = c;

	if (qconn_state_path(cli->devname, c->state_path, sizeof(c->state_path), 1) < 0)
		c->state_path[0] = '\0';
	qnet_loop_timer(c->loop, 1000, tick, c, &c->tick);
	ret = qnet_tun_open(&c->tun, o->ifname, err, sizeof(err));
	if (ret < 0)
		return c->st = S_FAILED, c->exit_code = qcli_fail(cli, QCLI_EXIT_FAILURE, "%s", err);
	progress(c, "TUN device %s %s", c->tun->name, c->tun->created ? "created" : "attached");
	ret = qnet_pump_new(&c->pump, c->loop, c->tun->fd, qnet_pump_send_transport,
			    qmi_dev_transport(c->dev), NULL);
	if (ret < 0)
		return c->st = S_FAILED,
		       c->exit_code = qcli_fail(cli, QCLI_EXIT_FAILURE, "couldn't start the data path: %s",
						strerror(-ret));
	qmi_dev_set_data_cbs(c->dev, &data_cbs, c);

	c->have_wda = alloc_cid(c, QMI_SVC_WDA, &c->wda_cid, true) == 0;
	c->have_uim = alloc_cid(c, QMI_SVC_UIM, &c->uim_cid, true) == 0;
	rc = alloc_cid(c, QMI_SVC_NAS, &c->nas_cid, false);
	for (i = 0; !rc && i < c->nfam; i++) {
		c->fam[i].c = c;
		rc = alloc_cid(c, QMI_SVC_WDS, &c->fam[i].cid, false);
		if (!rc && qmi_dev_subscribe(c->dev, QMI_SVC_WDS, c->fam[i].cid, on_ind, &c->fam[i],
					     &c->fam[i].sub) < 0)
			rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "couldn't follow WDS indications");
	}
	if (rc)
		return c->st = S_FAILED, c->exit_code = rc;
	step_format(c);
	return c->st == S_FAILED ? c->exit_code : QCLI_EXIT_OK;
}

bool qconn_failed(const struct qconn *c, int *exit_code)
{
	if (c->st != S_FAILED)
		return false;
	*exit_code = c->exit_code;
	return true;
}

void qconn_stop(struct qconn *c)
{
	unsigned i;

	if (!c)
		return;
	qnet_timer_cancel(c->timer);
	c->timer = NULL;
	qnet_timer_cancel(c->tick);
	c->tick = NULL;
	c->st = S_FAILED; /* no more steps from late responses */
	for (i = 0; i < c->nfam; i++) {
		struct cfam *f = &c->fam[i];
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
				   &qmi_wds_stop_network_resp_def, NULL, &r, c->cli->timeout_ms);
		if (!err && r.status)
			err = -EREMOTEIO;
		if (err)
			fprintf(c->cli->err, "warning: couldn't stop the IPv%d call: %s\n", f->family,
				errtext(err, &r, eb, sizeof(eb)));
		else
			fprintf(c->cli->out, "[%s] IPv%d call stopped\n", c->cli->devname, f->family);
		f->connected = false;
	}
	qnet_netconf_undo(c->nc);
	if (c->dev)
		qmi_dev_set_data_cbs(c->dev, NULL, NULL);
	qnet_pump_free(c->pump);
	if (c->tun)
		fprintf(c->cli->out, "[%s] %s %s\n", c->cli->devname, c->tun->name,
			c->tun->created ? "removed" : "unconfigured");
	qnet_tun_close(c->tun);
	c->tun = NULL;
	if (c->state_path[0])
		unlink(c->state_path); /* last: `disconnect` waits for this */
	c->state_path[0] = '\0';
	c->pump = NULL;
	c->nc = NULL;
	fflush(c->cli->out);
	/* Requests still in flight complete (-ECANCELED at the latest when the session frees the
	 * device); the last of their callbacks frees c. */
	c->dead = true;
	if (!c->pending)
		free(c);
}
