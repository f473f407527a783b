/* SPDX-License-Identifier: MIT */
/*
 * The data port as the connection manager names it and sizes it, against the software modem:
 * WDA Set Data Format and WDS Bind Mux Data Port carry the endpoint info of the interface that
 * holds the bulk endpoints (the QMI interface of a single-interface modem, the data interface of
 * a CDC Union one: golden bytes for both, from real modems' descriptor sets), and a downlink
 * grant above what was asked (64 KB) is taken, with the receive transfers resized to it.
 *
 * The transport is the in-process one, seen through a wrapper that records the requests and
 * answers data_port for the USB function of a layout; a variant cannot resize.
 */
#include "conn_harness.h"

#include <stdlib.h>

#include "qmi/messages.h"
#include "sim/layout.h"
#include "usb/desc.h"
#include "usb/usb.h"

TestSuite(conn_qmaprx, .timeout = 60);

/* The wrapped transport: the sim's ops and impl, a function's data port, the requests seen. */
struct wrap {
	struct qmi_transport inner;
	struct qusb_func func;
	uint8_t wda_tlvs[256], bind_tlvs[64];
	size_t wda_len, bind_len;
	unsigned resizes;
};

static int w_start(void *impl, struct qb_loop *loop, const struct qmi_transport_cbs *cbs,
		   void *user)
{
	struct wrap *w = impl;

	return w->inner.ops->start(w->inner.impl, loop, cbs, user);
}

static void keep(uint8_t *dst, size_t cap, size_t *len, const struct qmi_frame *f)
{
	cr_assert_leq(f->tlvs_len, cap);
	memcpy(dst, f->tlvs, f->tlvs_len);
	*len = f->tlvs_len;
}

static int w_ctrl_send(void *impl, const uint8_t *frame, size_t len)
{
	struct wrap *w = impl;
	struct qmi_frame f;

	if (qmi_frame_parse(frame, len, &f, NULL) == 0) {
		if (f.service == QMI_SVC_WDA && f.msg_id == QMI_WDA_SET_DATA_FORMAT)
			keep(w->wda_tlvs, sizeof(w->wda_tlvs), &w->wda_len, &f);
		if (f.service == QMI_SVC_WDS && f.msg_id == QMI_WDS_BIND_MUX_DATA_PORT)
			keep(w->bind_tlvs, sizeof(w->bind_tlvs), &w->bind_len, &f);
	}
	return w->inner.ops->ctrl_send(w->inner.impl, frame, len);
}

static int w_data_send(void *impl, const uint8_t *pkt, size_t len)
{
	struct wrap *w = impl;

	return w->inner.ops->data_send(w->inner.impl, pkt, len);
}

static const char *w_describe(void *impl)
{
	return "usb:1-1:0";
}

static void w_destroy(void *impl)
{
	struct wrap *w = impl;

	qmi_transport_destroy(&w->inner);
}

static int w_data_port(void *impl, struct qmi_data_port *out)
{
	struct wrap *w = impl;
	struct qmi_data_port in;
	int ret = w->inner.ops->data_port(w->inner.impl, &in);

	qusb_func_data_port(&w->func, out);
	out->rx_size_max = in.rx_size_max;
	out->rx_size = in.rx_size;
	out->rx_count = in.rx_count;
	return ret;
}

static int w_data_set_rx(void *impl, size_t size, unsigned count)
{
	struct wrap *w = impl;

	w->resizes++;
	return w->inner.ops->data_set_rx(w->inner.impl, size, count);
}

static const struct qmi_transport_ops w_ops = {
	.name = "wrap",
	.start = w_start,
	.ctrl_send = w_ctrl_send,
	.data_send = w_data_send,
	.describe = w_describe,
	.destroy = w_destroy,
	.data_port = w_data_port,
	.data_set_rx = w_data_set_rx,
};

/* The same transport with receive transfers of a fixed size (32 KB, the sim's). */
static struct qmi_transport_ops w_ops_fixed;

/* The QMI function of the first configuration of layout name, as the USB backend finds it. */
static struct qusb_func layout_func(const char *name)
{
	const struct qsim_layout *l = qsim_layout_find(name);
	const char *file = getenv("QMIUSB_QUIRKS_FILE");
	static struct qusb_config cfg;
	struct qusb_quirks table;
	struct qusb_func f;
	uint8_t raw[1024];
	long n;

	cr_assert(l && file, "layout %s, quirks file %s", name, file ? file : "(unset)");
	qusb_quirks_init(&table);
	cr_assert_eq(qusb_quirks_load_file(&table, file, NULL, NULL), 0);
	n = qsim_layout_config_bytes(l, 0, QSIM_HIGH_SPEED, raw, sizeof(raw));
	cr_assert(n > 0 && (size_t)n <= sizeof(raw));
	cr_assert_eq(qusb_config_parse(raw, (size_t)n, &cfg), 0);
	cr_assert_eq(qusb_find_qmi(&cfg, l->vid, l->pid, &table, &f, 1), 1);
	qusb_quirks_clear(&table);
	f.quirk = NULL; /* the table is gone */
	return f;
}

/* The modem with spec behind the wrapper (in a network namespace of the test's own). */
static struct wrap *wrapped(struct ch *h, const char *spec, const char *layout,
			    const struct qmi_transport_ops *ops)
{
	struct wrap *w = calloc(1, sizeof(*w));
	struct qmi_transport *t;

	cr_assert_not_null(w);
	enter_new_netns();
	ch_init(h, spec);
	t = qmi_dev_transport(h->dev);
	w->inner = *t;
	w->func = layout_func(layout);
	qsim_set_data_iface(h->sim, w->func.ctrl_iface);
	/* From here on the core calls the wrapper; the sim still delivers to the core directly. */
	t->ops = ops;
	t->impl = w;
	h->o.apn = "internet";
	return w;
}

/* The manager up through the wrapper. */
static struct wrap *up_through(struct ch *h, const char *spec, const char *layout,
			       const struct qmi_transport_ops *ops)
{
	struct wrap *w = wrapped(h, spec, layout, ops);

	ch_start(h);
	cr_assert(ch_run_until(h, QCONN_UP, 10000), "state %s", qconn_state_name(h->st));
	return w;
}

static void down(struct ch *h, struct wrap *w)
{
	ch_fini(h); /* destroys the wrapper's inner transport through w_destroy */
	free(w);
}

/* TLV type t of a TLV area: its value, or NULL. */
static const uint8_t *tlv(const uint8_t *p, size_t len, uint8_t t, size_t *vlen)
{
	for (size_t off = 0; off + 3 <= len;) {
		size_t l = (size_t)p[off + 1] | (size_t)p[off + 2] << 8;

		if (p[off] == t && off + 3 + l <= len) {
			*vlen = l;
			return p + off + 3;
		}
		off += 3 + l;
	}
	return NULL;
}

static void check_endpoint(const struct wrap *w, uint8_t iface)
{
	const uint8_t want[8] = { 0x02, 0, 0, 0, iface, 0, 0, 0 }; /* HSUSB, the interface */
	const uint8_t *v;
	size_t n = 0;

	v = tlv(w->wda_tlvs, w->wda_len, 0x17, &n);
	cr_assert(v && n == 8, "WDA Set Data Format without Endpoint Info");
	cr_assert_arr_eq(v, want, 8, "WDA endpoint: type %u, interface %u", v[0], v[4]);
	v = tlv(w->bind_tlvs, w->bind_len, 0x10, &n);
	cr_assert(v && n == 8, "Bind Mux Data Port without Endpoint Info");
	cr_assert_arr_eq(v, want, 8, "Bind endpoint: type %u, interface %u", v[0], v[4]);
}

/* A Quectel EC25: QMI and its bulk endpoints on interface 4. */
Test(conn_qmaprx, endpoint_info_of_a_single_interface_modem)
{
	struct ch h;
	struct wrap *w = up_through(&h, NULL, "ec25", &w_ops);

	cr_assert_eq(w->func.ctrl_iface, 4);
	check_endpoint(w, 4);
	down(&h, w);
}

/* A Huawei E398 in CDC Union form: QMI on interface 2, its bulk endpoints on interface 3. The
 * endpoint info names the QMI interface, as ModemManager does on qmi_wwan (cdc-wdm's). */
Test(conn_qmaprx, endpoint_info_of_a_cdc_union_modem)
{
	struct ch h;
	struct wrap *w = up_through(&h, NULL, "e398-union", &w_ops);

	cr_assert(w->func.cdc_union);
	cr_assert_eq(w->func.ctrl_iface, 2);
	cr_assert_eq(w->func.data_iface, 3);
	check_endpoint(w, 2);
	down(&h, w);
}

/* Asked for 32 KB, granted 64 KB: QMAP all the same, and the receive transfers hold one granted
 * aggregate each, 16 of them (1 MB). The request still asks for 32 KB. */
Test(conn_qmaprx, a_64k_grant_is_taken_and_sizes_rx)
{
	static const uint8_t asked[4] = { 0x00, 0x80, 0x00, 0x00 }; /* 32768 */
	struct qmi_data_port p;
	const struct ch_event *e;
	const uint8_t *v;
	struct ch h;
	struct wrap *w = up_through(&h, "dl-agg=65536", "ec25", &w_ops);
	size_t n = 0;

	v = tlv(w->wda_tlvs, w->wda_len, 0x16, &n);
	cr_assert(v && n == 4);
	cr_assert_arr_eq(v, asked, 4);
	cr_assert(ch_said(&h, "data format: qmap v5 (UL aggregated: 32 x 32768 B, DL aggregated: "
			      "32 x 65536 B, RX 16 x 65536 B), mux id 1"),
		  "%s", (e = ch_last(&h, QCONN_EV_PROGRESS)) ? e->text : "no progress");
	cr_assert_eq(w->resizes, 1);
	cr_assert_eq(w->inner.ops->data_port(w->inner.impl, &p), 0);
	cr_assert_eq(p.rx_size, 65536);
	cr_assert_eq(p.rx_count, 16);
	down(&h, w);
}

/* A grant above what a transport that cannot resize receives (32 KB): raw-IP, saying why. */
Test(conn_qmaprx, a_grant_above_fixed_receive_transfers_falls_back_to_raw_ip)
{
	struct ch h;
	struct wrap *w;

	w_ops_fixed = w_ops;
	w_ops_fixed.data_set_rx = NULL;
	w = up_through(&h, "dl-agg=65536", "ec25", &w_ops_fixed);

	cr_assert(ch_said(&h, "its 65536-byte downlink aggregates exceed our 32768-byte transfers"
			      "); falling back to raw-ip"));
	cr_assert(ch_said(&h, "data format: raw-ip (the modem refused QMAP: its 65536-byte"));
	down(&h, w);
}
