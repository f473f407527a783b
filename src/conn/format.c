/* SPDX-License-Identifier: MIT */
/*
 * The data format and the data path one modem's sessions share (struct qconn_link).
 *
 * auto and qmap ask with WDA Set Data Format for MAP v5 both ways (the checksum header; 5G
 * firmware wants it), then for MAP v1 if that is refused; auto then takes raw-IP. The request
 * names the data port (Endpoint Info: HSUSB and the interface holding the bulk endpoints, as
 * Bind Mux Data Port does later) and asks for QCONN_DL_DGRAMS downlink datagrams in aggregates
 * of QCONN_DL_SIZE bytes, the size vendors' drivers ask of 5G parts; the modem's answer
 * (protocol, uplink limits, downlink size) is what the pumps then use. Firmware may grant more
 * than asked: the transport's receive transfers are resized to the downlink grant, up to what
 * they can hold (64 KB over USB), with enough of them in flight to keep the bus busy. Only a
 * grant above that is unusable.
 *
 * Under QMAP every session's pump sits behind one struct qnet_mux, on its own mux id (1, 2,
 * ...); under raw-IP the one session's pump takes the transport's data callbacks directly.
 */
#include "base/errors.h"
#include "conn/conn_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmi/transport.h"

#define QCONN_DL_SIZE 32768
#define QCONN_DL_DGRAMS 32
#define QCONN_UL_SIZE 32768 /* our uplink wish: the transports' send transfers hold it */
#define QCONN_UL_DGRAMS 32
#define QCONN_RX_FIXED 32768 /* what a transport that tells nothing receives */
/* Receive transfers in flight: about this many bytes, within QCONN_RX_MIN..QCONN_RX_MAX
 * transfers (32 KB aggregates: 16, 512 KB; 64 KB ones: 16, 1 MB; small ones: up to 64). */
#define QCONN_RX_BYTES (512u * 1024)
#define QCONN_RX_MIN 16
#define QCONN_RX_MAX 64
/* Small uplink aggregates in flight: one. The next one packs whatever the TUN delivers while
 * it is on the wire (natural batching, no timer); queued behind it on the same bulk pipe it
 * would not leave sooner. Full aggregates may use every transfer (the transport's rule), so
 * the pipe stays busy at saturation. */
#define QCONN_QMAP_INFLIGHT 1

enum {
	STEP_V5,
	STEP_V1,
	STEP_RAW
};

/* ---- the data path ---- */

int qconn_link_send(void *link, const uint8_t *pkt, size_t len)
{
	struct qconn_link *l = link;

	if (l->qmap)
		return qnet_mux_send(l->mux, pkt, len);
	return qnet_pump_send_transport(qmi_dev_transport(l->dev), pkt, len);
}

int qconn_link_tx(struct qconn_link *l, struct qnet_pump_tx *out)
{
	struct qnet_pump_tx t;

	if (qnet_pump_tx_transport(&t, qmi_dev_transport(l->dev)) < 0)
		return -ENOTSUP;
	qnet_mux_tx(l->mux, &t, out); /* under raw-IP too: no session there, no answer waits */
	return 0;
}

static void link_rx(void *user, const uint8_t *pkt, size_t len)
{
	struct qconn_link *l = user;

	if (l->qmap)
		qnet_mux_data_rx(l->mux, pkt, len);
	else if (l->raw)
		qnet_pump_data_rx(l->raw, pkt, len);
}

static void link_tx_ready(void *user)
{
	struct qconn_link *l = user;

	if (l->qmap)
		qnet_mux_data_tx_ready(l->mux);
	else if (l->raw)
		qnet_pump_data_tx_ready(l->raw);
}

static void link_closed(void *user, int err)
{
	struct qconn_link *l = user;
	struct qb_list *pos, *tmp;

	qb_list_for_each_safe (pos, tmp, &l->sessions)
		qconn_fail(qb_list_entry(pos, struct qconn, link_node), err, NULL, false,
			   "the modem went away: %s", qb_strerror(-err));
}

/* What the transport says of its data port, or zeros. */
static struct qmi_data_port data_port(struct qmi_dev *dev)
{
	struct qmi_transport *t = qmi_dev_transport(dev);
	struct qmi_data_port p = { 0 };

	if (t && t->ops && t->ops->data_port && t->ops->data_port(t->impl, &p) < 0)
		memset(&p, 0, sizeof(p));
	return p;
}

static bool can_resize(struct qmi_dev *dev)
{
	struct qmi_transport *t = qmi_dev_transport(dev);

	return t && t->ops && t->ops->data_set_rx;
}

/* The largest downlink aggregate our receive transfers can be made to hold; p: dev's port. */
static size_t rx_limit(struct qmi_dev *dev, const struct qmi_data_port *p, size_t asked)
{
	size_t n = can_resize(dev) && p->rx_size_max ? p->rx_size_max
		   : p->rx_size                      ? p->rx_size
						     : QCONN_RX_FIXED;

	return asked && asked < n ? asked : n;
}

int qconn_link_new(struct qconn_link **out, struct qmi_dev *dev, const struct qconn_link_opts *o)
{
	static const struct qmi_dev_data_cbs cbs = {
		.data_rx = link_rx,
		.data_tx_ready = link_tx_ready,
		.closed = link_closed,
	};
	struct qconn_link *l = calloc(1, sizeof(*l));
	struct qmi_data_port p = data_port(dev);
	int ret;

	*out = NULL;
	if (!l)
		return -ENOMEM;
	l->dev = dev;
	l->o = *o;
	l->o.rx_max = rx_limit(dev, &p, o->rx_max);
	l->next_mux = 1;
	l->ep = (struct qmi_data_endpoint){ .type = p.ep_type ? p.ep_type : QMI_DATA_ENDPOINT_HSUSB,
					    .interface_number = p.iface };
	qb_list_init(&l->sessions);
	ret = qnet_mux_new(&l->mux, qnet_pump_send_transport, qmi_dev_transport(dev));
	if (ret < 0) {
		free(l);
		return ret;
	}
	qmi_dev_set_data_cbs(dev, &cbs, l);
	*out = l;
	return 0;
}

void qconn_link_free(struct qconn_link *l)
{
	if (!l)
		return;
	qmi_dev_set_data_cbs(l->dev, NULL, NULL);
	qnet_mux_free(l->mux);
	free(l);
}

const char *qconn_link_format(const struct qconn_link *l)
{
	return l->st == QCONN_LINK_SET ? l->desc : "";
}

const struct qnet_mux_stats *qconn_link_mux_stats(const struct qconn_link *l)
{
	return l->st == QCONN_LINK_SET && l->qmap ? qnet_mux_stats(l->mux) : NULL;
}

static bool mux_used(struct qconn_link *l, unsigned id)
{
	struct qb_list *pos, *tmp;

	qb_list_for_each_safe (pos, tmp, &l->sessions) {
		const struct qconn *o = qb_list_entry(pos, struct qconn, link_node);

		if (o->mux_id == id)
			return true;
	}
	return false;
}

void qconn_link_join(struct qconn *c)
{
	struct qconn_link *l = c->link;
	unsigned id = c->o.mux_id;

	/* The first free id from next_mux on; an id asked for that is taken fails at attach. */
	for (unsigned n = 0; !id && n < 254; n++) {
		unsigned cand = (l->next_mux + n - 1) % 254 + 1;

		if (!mux_used(l, cand)) {
			id = cand;
			l->next_mux = (uint8_t)(cand % 254 + 1);
		}
	}
	c->mux_id = (uint8_t)id;
	qb_list_add_tail(&l->sessions, &c->link_node);
}

static void ask(struct qconn_link *l, struct qconn *c);

void qconn_link_leave(struct qconn *c)
{
	struct qconn_link *l = c->link;
	struct qb_list *pos, *tmp;

	if (!l || !qb_list_linked(&c->link_node))
		return;
	qb_list_del(&c->link_node);
	if (c->attached && l->qmap)
		qnet_mux_detach(l->mux, c->mux_id);
	else if (c->attached && l->raw == c->pump)
		l->raw = NULL;
	c->attached = false;
	if (l->asker != c)
		return;
	/* Its answer will not reach anyone: the next waiting session asks again. */
	l->asker = NULL;
	l->st = QCONN_LINK_NEW;
	qb_list_for_each_safe (pos, tmp, &l->sessions) {
		struct qconn *o = qb_list_entry(pos, struct qconn, link_node);

		if (o->fmt_waiting && !qconn_over(o)) {
			ask(l, o);
			break;
		}
	}
}

/* ---- the format each session takes ---- */

/* true when the transport paces (and so reports every completed transfer) */
static bool set_inflight(struct qconn_link *l, unsigned max)
{
	struct qmi_transport *t = qmi_dev_transport(l->dev);

	return t && t->ops && t->ops->data_set_inflight &&
	       t->ops->data_set_inflight(t->impl, max) == 0;
}

static void apply(struct qconn_link *l, struct qconn *c)
{
	int ret;

	c->fmt_waiting = false;
	if (qconn_over(c))
		return;
	if (!l->qmap) {
		if (l->raw && l->raw != c->pump) {
			qconn_fail(c, -EOPNOTSUPP, NULL, false,
				   "the modem's data format is %s, which carries one session: "
				   "another PDN needs QMAP",
				   l->desc);
			return;
		}
		qnet_pump_set_qmap(c->pump, NULL);
		l->raw = c->pump;
		c->attached = true;
		snprintf(c->fmt_desc, sizeof(c->fmt_desc), "%s", l->desc);
	} else {
		struct qnet_pump_qmap q = l->grant;

		q.mux_id = c->mux_id;
		ret = qnet_pump_set_qmap(c->pump, &q);
		if (!ret)
			ret = qnet_mux_attach(l->mux, c->mux_id, c->pump);
		if (ret < 0) {
			qconn_fail(c, ret, NULL, true, "couldn't use mux id %u: %s", c->mux_id,
				   ret == -EEXIST ? "another session has it" : qb_strerror(-ret));
			return;
		}
		c->attached = true;
		snprintf(c->fmt_desc, sizeof(c->fmt_desc), "%s, mux id %u", l->desc, c->mux_id);
	}
	qconn_progress(c, "data format: %s (%s)", c->fmt_desc,
		       c->have_wda ? "WDA Set Data Format" : "CTL");
	qconn_done(c);
}

static void settle(struct qconn_link *l)
{
	struct qb_list *pos, *tmp;

	l->st = QCONN_LINK_SET;
	l->asker = NULL;
	qb_list_for_each_safe (pos, tmp, &l->sessions) {
		struct qconn *c = qb_list_entry(pos, struct qconn, link_node);

		if (c->fmt_waiting)
			apply(l, c);
	}
}

/* Every waiting session fails (the format could not be set); a later one asks again. A modem
 * that refuses QMAP when only QMAP will do refuses it the next time too. */
static void fail_all(struct qconn_link *l, int err, const struct qmi_result *r, const char *why)
{
	struct qb_list *pos, *tmp;

	l->st = QCONN_LINK_NEW;
	l->asker = NULL;
	qb_list_for_each_safe (pos, tmp, &l->sessions) {
		struct qconn *c = qb_list_entry(pos, struct qconn, link_node);

		if (!c->fmt_waiting)
			continue;
		c->fmt_waiting = false;
		if (err == -QB_EMODEM && l->o.format == QCONN_FMT_QMAP)
			qconn_fail_final(c, err, r, false, "%s", why);
		else
			qconn_fail(c, err, r, false, "%s", why);
	}
}

/* The downlink aggregate size we ask for. */
static uint32_t asked_dl(const struct qconn_link *l)
{
	return l->o.rx_max < QCONN_DL_SIZE ? (uint32_t)l->o.rx_max : QCONN_DL_SIZE;
}

static const char *proto_name(uint32_t p)
{
	return p == QMI_WDA_AGGREGATION_QMAPV5 ? "v5" : "v1";
}

/* Receive transfers that hold a downlink aggregate of dl bytes (rounded up to whole packets, so
 * none ends inside one), enough of them to keep the bus busy. Describes them in rx. */
static int size_rx(struct qconn_link *l, uint32_t dl, char *rx, size_t rxlen, char *why, size_t len)
{
	struct qmi_transport *t = qmi_dev_transport(l->dev);
	struct qmi_data_port p = data_port(l->dev);
	size_t mps = p.rx_mps ? p.rx_mps : 1;
	size_t size = ((size_t)dl + mps - 1) / mps * mps;
	size_t count;
	int ret;

	if (!can_resize(l->dev)) {
		if (p.rx_size)
			snprintf(rx, rxlen, ", RX %u x %zu B", p.rx_count, p.rx_size);
		return 0;
	}
	if (size > l->o.rx_max)
		size = dl; /* a limit that is no multiple of the packet size */
	count = QCONN_RX_BYTES / size;
	count = count < QCONN_RX_MIN ? QCONN_RX_MIN : count > QCONN_RX_MAX ? QCONN_RX_MAX : count;
	ret = t->ops->data_set_rx(t->impl, size, (unsigned)count);
	if (ret < 0) {
		snprintf(why, len, "couldn't make the receive transfers %zu B: %s", size,
			 qb_strerror(-ret));
		return ret;
	}
	snprintf(rx, rxlen, ", RX %zu x %zu B", count, size);
	return 0;
}

/* The QMAP terms of a successful answer to a QMAP request: 0, or -errno with why said. */
static int take_grant(struct qconn_link *l, const struct qmi_wda_set_data_format_resp *w, char *why,
		      size_t len)
{
	uint32_t asked = l->step == STEP_V5 ? QMI_WDA_AGGREGATION_QMAPV5 : QMI_WDA_AGGREGATION_QMAP;
	uint32_t ul = w->has_ul_aggregation_protocol ? w->ul_aggregation_protocol : 0;
	uint32_t dl = w->has_dl_aggregation_protocol ? w->dl_aggregation_protocol : 0;
	struct qnet_pump_qmap q = { 0 };
	char rx[48];

	if ((ul && ul != asked) || (dl && dl != asked)) {
		snprintf(why, len, "the modem answered with aggregation protocols %u/%u", ul, dl);
		return -EPROTO;
	}
	if (!ul && !dl) {
		snprintf(why, len, "the modem left aggregation off");
		return -ENOTSUP;
	}
	if (dl && w->has_dl_max_size && w->dl_max_size > l->o.rx_max) {
		snprintf(why, len, "its %u-byte downlink aggregates exceed our %zu-byte transfers",
			 w->dl_max_size, l->o.rx_max);
		return -EMSGSIZE;
	}
	/* Without a granted size, the modem keeps to what was asked. */
	rx[0] = '\0';
	if (dl && size_rx(l, w->has_dl_max_size && w->dl_max_size ? w->dl_max_size : asked_dl(l),
			  rx, sizeof(rx), why, len) < 0)
		return -EMSGSIZE;
	q.ul = ul != 0;
	q.dl = dl != 0;
	q.v5 = asked == QMI_WDA_AGGREGATION_QMAPV5;
	/* Without a granted UL size or count, one packet per transfer stays within any modem's. */
	q.ul_max_dgrams = w->has_ul_max_datagrams && w->ul_max_datagrams ? w->ul_max_datagrams : 1;
	q.ul_max_size = w->has_ul_max_size && w->ul_max_size ? w->ul_max_size : 2048 + 8;
	if (q.ul_max_dgrams > 64)
		q.ul_max_dgrams = 64;
	if (q.ul_max_size > QCONN_UL_SIZE)
		q.ul_max_size = QCONN_UL_SIZE;
	q.paced = q.ul && set_inflight(l, QCONN_QMAP_INFLIGHT);
	l->grant = q;
	l->dl_dgrams = w->has_dl_max_datagrams ? w->dl_max_datagrams : 0;
	l->dl_size = w->has_dl_max_size ? w->dl_max_size : 0;
	l->qmap = true;
	qnet_mux_set_v5(l->mux, q.v5);
	snprintf(l->desc, sizeof(l->desc), "qmap %s (UL %s: %u x %zu B, DL %s: %u x %u B%s)",
		 proto_name(asked), q.ul ? "aggregated" : "raw-ip", q.ul ? q.ul_max_dgrams : 1,
		 q.ul ? q.ul_max_size : (size_t)0, q.dl ? "aggregated" : "raw-ip", l->dl_dgrams,
		 l->dl_size, rx);
	return 0;
}

static void send_format(struct qconn_link *l, struct qconn *c);

/* The QMAP request at this step was refused or is unusable: the next step, or the end. */
static void next_step(struct qconn_link *l, struct qconn *c, int err, const struct qmi_result *r,
		      const char *why, bool to_raw)
{
	char line[200];

	snprintf(line, sizeof(line), "the modem refused QMAP %s (%s)",
		 l->step == STEP_V5 ? "v5" : "v1", why);
	if (l->step == STEP_V5 && !to_raw) {
		qconn_progress(c, "%s; asking for QMAP v1", line);
		l->step = STEP_V1;
	} else if (l->o.format == QCONN_FMT_QMAP) {
		fail_all(l, err, r, line);
		return;
	} else {
		qconn_progress(c, "%s; falling back to raw-ip", line);
		snprintf(l->desc, sizeof(l->desc), "raw-ip (the modem refused QMAP: %s)", why);
		l->step = STEP_RAW;
	}
	send_format(l, c);
}

static void on_format(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	struct qconn_link *l = c->link;
	struct qmi_wda_set_data_format_resp w;
	struct qmi_ctl_set_data_format_resp ctl;
	struct qmi_result r;
	char eb[96], why[160];

	if (qconn_over(c) || l->asker != c)
		return;
	if (!c->have_wda) {
		err = qconn_response(err, resp, &qmi_ctl_set_data_format_resp_def, &ctl, &r);
		if (!err && ctl.has_protocol && ctl.protocol != QMI_CTL_LINK_PROTOCOL_RAW_IP) {
			snprintf(why, sizeof(why),
				 "the modem refused raw-IP: it kept link protocol %u",
				 ctl.protocol);
			fail_all(l, -EPROTO, &r, why);
			return;
		}
	} else {
		err = qconn_response(err, resp, &qmi_wda_set_data_format_resp_def, &w, &r);
		if (!err && w.has_link_layer_protocol &&
		    w.link_layer_protocol != QMI_WDA_LINK_LAYER_RAW_IP) {
			snprintf(why, sizeof(why),
				 "the modem refused raw-IP: it kept link layer '%s'",
				 qconn_name(qmi_wda_link_layer_name(w.link_layer_protocol)));
			if (l->step != STEP_RAW) {
				next_step(l, c, -EPROTO, &r, why, false);
				return;
			}
			fail_all(l, -EPROTO, &r, why);
			return;
		}
		if (l->step != STEP_RAW && err == -QB_EMODEM) {
			next_step(l, c, err, &r, qconn_errtext(err, &r, eb, sizeof(eb)), false);
			return;
		}
		if (l->step != STEP_RAW && !err) {
			int ret = take_grant(l, &w, why, sizeof(why));

			if (ret < 0) {
				next_step(l, c, ret, &r, why, ret == -EMSGSIZE);
				return;
			}
		}
	}
	if (err) {
		snprintf(why, sizeof(why), "couldn't set the %s data format (%s): %s",
			 l->step == STEP_RAW ? "raw-IP" : "QMAP", c->have_wda ? "WDA" : "CTL",
			 qconn_errtext(err, &r, eb, sizeof(eb)));
		fail_all(l, err, &r, why);
		return;
	}
	settle(l);
}

static void send_format(struct qconn_link *l, struct qconn *c)
{
	int err;

	if (c->have_wda) {
		bool qmap = l->step != STEP_RAW;
		uint32_t agg = l->step == STEP_V5   ? QMI_WDA_AGGREGATION_QMAPV5
			       : l->step == STEP_V1 ? QMI_WDA_AGGREGATION_QMAP
						    : QMI_WDA_AGGREGATION_DISABLED;
		uint32_t dl = asked_dl(l);
		struct qmi_wda_set_data_format_req q = {
			.has_link_layer_protocol = true,
			.link_layer_protocol = QMI_WDA_LINK_LAYER_RAW_IP,
			.has_ul_aggregation_protocol = true,
			.ul_aggregation_protocol = agg,
			.has_dl_aggregation_protocol = true,
			.dl_aggregation_protocol = agg,
			.has_dl_max_datagrams = qmap,
			.dl_max_datagrams = QCONN_DL_DGRAMS,
			.has_dl_max_size = qmap,
			.dl_max_size = dl,
			.has_endpoint = qmap,
			.endpoint = l->ep,
			.has_ul_max_datagrams = qmap,
			.ul_max_datagrams = QCONN_UL_DGRAMS,
			.has_ul_max_size = qmap,
			.ul_max_size = QCONN_UL_SIZE,
		};

		if (!qmap) {
			l->qmap = false;
			set_inflight(l, 0);
		}
		err = qconn_send_msg(c, c->wda_cid, &qmi_wda_set_data_format_req_def, &q, 0,
				     on_format, c);
	} else {
		struct qmi_ctl_set_data_format_req q = {
			.has_format = true,
			.format = QMI_CTL_DATA_FORMAT_QOS_ABSENT,
			.has_protocol = true,
			.protocol = QMI_CTL_LINK_PROTOCOL_RAW_IP,
		};

		err = qconn_send_msg(c, QMI_CID_NONE, &qmi_ctl_set_data_format_req_def, &q, 0,
				     on_format, c);
	}
	if (err) {
		char why[96];

		snprintf(why, sizeof(why), "couldn't send Set Data Format: %s", qb_strerror(-err));
		fail_all(l, err, NULL, why);
	}
}

static void ask(struct qconn_link *l, struct qconn *c)
{
	l->st = QCONN_LINK_ASKING;
	l->asker = c;
	l->qmap = false;
	l->step = l->o.format == QCONN_FMT_RAW_IP ? STEP_RAW : STEP_V5;
	snprintf(l->desc, sizeof(l->desc), "raw-ip%s",
		 l->o.format == QCONN_FMT_RAW_IP ? " (--data-format raw-ip)" : "");
	if (l->step != STEP_RAW && !c->have_wda) {
		if (l->o.format == QCONN_FMT_QMAP) {
			c->fmt_waiting = true;
			fail_all(l, -EOPNOTSUPP, NULL, "QMAP needs WDA, which the modem lacks");
			return;
		}
		qconn_progress(c, "QMAP needs WDA, which the modem lacks; using raw-ip");
		snprintf(l->desc, sizeof(l->desc), "raw-ip (the modem has no WDA service)");
		l->step = STEP_RAW;
	}
	send_format(l, c);
}

void qconn_format_enter(struct qconn *c)
{
	struct qconn_link *l = c->link;

	c->fmt_waiting = true;
	if (l->st == QCONN_LINK_SET)
		apply(l, c);
	else if (l->st == QCONN_LINK_NEW)
		ask(l, c);
	/* else: the asking session's answer settles this one too */
}
