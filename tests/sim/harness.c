/* SPDX-License-Identifier: MIT */
#include "sim/harness.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static void out_ctrl(void *user, const uint8_t *frame, size_t len)
{
	struct harness *h = user;
	struct h_event *e;

	cr_assert_lt(h->n_ev, H_MAX_EVENTS, "too many modem outputs");
	e = &h->ev[h->n_ev++];
	e->kind = H_CTRL;
	e->len = len;
	if (len)
		memcpy(e->buf, frame, len);
}

static void out_notify(void *user)
{
	struct harness *h = user;

	cr_assert_lt(h->n_ev, H_MAX_EVENTS, "too many modem outputs");
	h->ev[h->n_ev].kind = H_NOTIFY;
	h->ev[h->n_ev].len = 0;
	h->n_ev++;
}

static void out_data(void *user, const uint8_t *pkt, size_t len)
{
	struct harness *h = user;
	struct h_event *e;

	cr_assert_lt(h->n_ev, H_MAX_EVENTS, "too many modem outputs");
	cr_assert_leq(len, sizeof(e->buf));
	e = &h->ev[h->n_ev++];
	e->kind = H_DATA;
	e->len = len;
	memcpy(e->buf, pkt, len);
}

void h_init(struct harness *h, const char *spec)
{
	struct qsim_faults f;
	char err[128] = "";
	struct qsim_output o = { out_ctrl, out_notify, out_data, NULL };

	memset(h, 0, sizeof(*h));
	cr_assert_eq(qsim_faults_parse(&f, spec, err, sizeof(err)), 0, "%s", err);
	f.signal_static = true; /* tests step the signal themselves */
	cr_assert_eq(qb_loop_new(&h->loop, QB_LOOP_POLL), 0);
	cr_assert_eq(qsim_new(&h->sim, h->loop, &f), 0);
	h->ev = calloc(H_MAX_EVENTS, sizeof(*h->ev));
	cr_assert_not_null(h->ev);
	qsim_set_output(h->sim, &o, h);
	/* Let time-zero state settle (registration with reg-delay=0). */
	h_run_for(h, 0);
}

void h_fini(struct harness *h)
{
	qsim_free(h->sim);
	qb_loop_free(h->loop);
	free(h->ev);
}

void h_clear(struct harness *h)
{
	h->n_ev = 0;
}

bool h_run_until(struct harness *h, bool (*pred)(struct harness *h, void *arg), void *arg)
{
	uint64_t end = qb_now_ms() + 5000;

	while (!pred(h, arg) && qb_now_ms() < end)
		qb_loop_run_once(h->loop, 50);
	return pred(h, arg);
}

void h_run_for(struct harness *h, unsigned ms)
{
	uint64_t end = qb_now_ms() + ms;

	do
		qb_loop_run_once(h->loop, (int)(ms ? ms : 0) > 50 ? 50 : (int)ms);
	while (qb_now_ms() < end);
	qb_loop_run_once(h->loop, 0);
}

uint16_t h_send(struct harness *h, const struct qmi_msg_def *def, const void *msg, uint8_t cid)
{
	uint8_t buf[QMI_FRAME_MAX];
	size_t len;
	uint16_t txn;
	void *zero = NULL;

	/* Optional-only requests sent without a struct: encode an empty one. */
	if (!msg && def->size) {
		zero = calloc(1, def->size);
		cr_assert_not_null(zero);
		msg = zero;
	}
	h->txn = (uint16_t)(h->txn % 250 + 1);
	txn = h->txn;
	cr_assert_eq(qmi_msg_build(def, msg, cid, txn, buf, sizeof(buf), &len), 0);
	free(zero);
	cr_assert_eq(qsim_ctrl_in(h->sim, buf, len), 0);
	return txn;
}

bool h_find_resp(struct harness *h, uint8_t svc, uint16_t txn, struct qmi_frame *out)
{
	for (size_t i = 0; i < h->n_ev; i++) {
		struct qmi_frame f;

		if (h->ev[i].kind != H_CTRL || !h->ev[i].len)
			continue;
		if (qmi_frame_parse(h->ev[i].buf, h->ev[i].len, &f, NULL) < 0)
			continue;
		if (f.kind == QMI_KIND_RESPONSE && f.service == svc && f.txn == txn) {
			*out = f;
			return true;
		}
	}
	return false;
}

struct want {
	uint8_t svc;
	uint16_t txn;
};

static bool have_resp(struct harness *h, void *arg)
{
	struct want *w = arg;
	struct qmi_frame f;

	return h_find_resp(h, w->svc, w->txn, &f);
}

int h_call(struct harness *h, const struct qmi_msg_def *req_def, const void *req, uint8_t cid,
	   const struct qmi_msg_def *resp_def, void *resp)
{
	struct want w = { req_def->service, 0 };
	struct qmi_frame f;
	struct qmi_result res;

	w.txn = h_send(h, req_def, req, cid);
	if (!h_run_until(h, have_resp, &w))
		return -1;
	cr_assert(h_find_resp(h, w.svc, w.txn, &f));
	cr_assert_eq(f.msg_id, req_def->msg_id);
	cr_assert_eq(f.client_id, cid);
	cr_assert_eq(qmi_result_get(&f, &res), 0);
	cr_assert_eq(res.status != 0, res.error != 0, "status %u error %u", res.status, res.error);
	if (resp_def && resp)
		cr_assert_eq(qmi_msg_decode(resp_def, f.tlvs, f.tlvs_len, resp), 0);
	return res.error;
}

uint8_t h_alloc(struct harness *h, uint8_t svc)
{
	struct qmi_ctl_allocate_cid_req q = { .has_service = true, .service = svc };
	struct qmi_ctl_allocate_cid_resp r;

	cr_assert_eq(h_call(h, &qmi_ctl_allocate_cid_req_def, &q, 0, &qmi_ctl_allocate_cid_resp_def,
			    &r),
		     0);
	cr_assert(r.has_allocation);
	cr_assert_eq(r.allocation.service, svc);
	return r.allocation.cid;
}

unsigned h_count_ind(struct harness *h, uint8_t svc, uint8_t cid, uint16_t msg_id)
{
	unsigned n = 0;

	for (size_t i = 0; i < h->n_ev; i++) {
		struct qmi_frame f;

		if (h->ev[i].kind != H_CTRL || !h->ev[i].len ||
		    qmi_frame_parse(h->ev[i].buf, h->ev[i].len, &f, NULL) < 0)
			continue;
		if (f.kind == QMI_KIND_INDICATION && f.service == svc && f.client_id == cid &&
		    f.msg_id == msg_id)
			n++;
	}
	return n;
}

bool h_last_ind(struct harness *h, uint8_t svc, uint8_t cid, uint16_t msg_id, void *ind)
{
	for (size_t i = h->n_ev; i-- > 0;) {
		struct qmi_frame f;
		const struct qmi_msg_def *def;

		if (h->ev[i].kind != H_CTRL || !h->ev[i].len ||
		    qmi_frame_parse(h->ev[i].buf, h->ev[i].len, &f, NULL) < 0)
			continue;
		if (f.kind != QMI_KIND_INDICATION || f.service != svc || f.client_id != cid ||
		    f.msg_id != msg_id)
			continue;
		def = qmi_msgdb_find(svc, msg_id, QMI_KIND_INDICATION);
		cr_assert_not_null(def);
		cr_assert_eq(qmi_msg_decode(def, f.tlvs, f.tlvs_len, ind), 0);
		return true;
	}
	return false;
}

/* ---- packets, with checksums computed independently of the modem's code ---- */

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (i < n)
		s += (uint32_t)p[i] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s > 0xFFFF)
		s = (s & 0xFFFF) + (s >> 16);
	return (uint16_t)~s;
}

static void w16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void w32(uint8_t *p, uint32_t v)
{
	w16(p, (uint16_t)(v >> 16));
	w16(p + 2, (uint16_t)v);
}

static size_t ip4_header(uint8_t *buf, uint32_t src, uint32_t dst, uint8_t proto, size_t l4)
{
	memset(buf, 0, 20);
	buf[0] = 0x45;
	w16(buf + 2, (uint16_t)(20 + l4));
	w16(buf + 4, 0x1234);
	buf[8] = 64;
	buf[9] = proto;
	w32(buf + 12, src);
	w32(buf + 16, dst);
	w16(buf + 10, fold(sum16(0, buf, 20)));
	return 20;
}

size_t h_icmp4_echo(uint8_t *buf, uint32_t src, uint32_t dst, uint16_t id, uint16_t seq,
		    size_t payload)
{
	uint8_t *icmp = buf + 20;

	ip4_header(buf, src, dst, 1, 8 + payload);
	memset(icmp, 0, 8);
	icmp[0] = 8;
	w16(icmp + 4, id);
	w16(icmp + 6, seq);
	for (size_t i = 0; i < payload; i++)
		icmp[8 + i] = (uint8_t)(i * 7 + 3);
	w16(icmp + 2, fold(sum16(0, icmp, 8 + payload)));
	return 28 + payload;
}

size_t h_udp4(uint8_t *buf, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
	      size_t payload)
{
	uint8_t *udp = buf + 20, ph[12];
	uint32_t s;

	ip4_header(buf, src, dst, 17, 8 + payload);
	w16(udp, sport);
	w16(udp + 2, dport);
	w16(udp + 4, (uint16_t)(8 + payload));
	w16(udp + 6, 0);
	for (size_t i = 0; i < payload; i++)
		udp[8 + i] = (uint8_t)(i ^ 0x5a);
	memcpy(ph, buf + 12, 8);
	ph[8] = 0;
	ph[9] = 17;
	w16(ph + 10, (uint16_t)(8 + payload));
	s = sum16(sum16(0, ph, 12), udp, 8 + payload);
	w16(udp + 6, fold(s));
	return 28 + payload;
}

static uint32_t ph6(const uint8_t *src, const uint8_t *dst, size_t l4, uint8_t nh)
{
	uint8_t t[8] = { 0 };

	w32(t, (uint32_t)l4);
	t[7] = nh;
	return sum16(sum16(sum16(0, src, 16), dst, 16), t, 8);
}

size_t h_icmp6_echo(uint8_t *buf, const uint8_t src[16], const uint8_t dst[16], uint16_t id,
		    uint16_t seq, size_t payload)
{
	uint8_t *icmp = buf + 40;

	memset(buf, 0, 40);
	buf[0] = 0x60;
	w16(buf + 4, (uint16_t)(8 + payload));
	buf[6] = 58;
	buf[7] = 64;
	memcpy(buf + 8, src, 16);
	memcpy(buf + 24, dst, 16);
	memset(icmp, 0, 8);
	icmp[0] = 128;
	w16(icmp + 4, id);
	w16(icmp + 6, seq);
	for (size_t i = 0; i < payload; i++)
		icmp[8 + i] = (uint8_t)(i * 5 + 1);
	w16(icmp + 2, fold(sum16(ph6(src, dst, 8 + payload, 58), icmp, 8 + payload)));
	return 48 + payload;
}

bool h_ip_checksums_ok(const uint8_t *p, size_t len)
{
	if (len >= 20 && p[0] >> 4 == 4) {
		size_t ihl = (size_t)(p[0] & 15) * 4, tot = (size_t)(p[2] << 8 | p[3]);
		uint8_t ph[12];

		if (tot != len || fold(sum16(0, p, ihl)) != 0)
			return false;
		if (p[9] == 1)
			return fold(sum16(0, p + ihl, tot - ihl)) == 0;
		memcpy(ph, p + 12, 8);
		ph[8] = 0;
		ph[9] = p[9];
		w16(ph + 10, (uint16_t)(tot - ihl));
		return fold(sum16(sum16(0, ph, 12), p + ihl, tot - ihl)) == 0;
	}
	if (len >= 40 && p[0] >> 4 == 6) {
		size_t l4 = (size_t)(p[4] << 8 | p[5]);

		if (40 + l4 != len)
			return false;
		return fold(sum16(ph6(p + 8, p + 24, l4, p[6]), p + 40, l4)) == 0;
	}
	return false;
}
