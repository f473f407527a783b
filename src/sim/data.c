/* SPDX-License-Identifier: MIT */
/*
 * The modem's data side: IP packets from the host are counted against the WDS session that owns
 * their source address, then answered (ICMP/ICMPv6 echo at the gateway and DNS addresses),
 * reflected, or forwarded to the operator network, by mode. Packets are untrusted: every header
 * length is checked against the buffer before it is used.
 */
#include "sim/sim_int.h"
#include "net/offload.h"

#include <errno.h>
#include <string.h>

#define ETH_HLEN_ 14
#define PKT_MAX 2048 /* MTU 1500 plus room for an Ethernet header and oversize tests */

static const uint8_t host_mac[6] = { 0x02, 0x51, 0x4d, 0x00, 0x00, 0x01 };
static const uint8_t modem_mac[6] = { 0x02, 0x51, 0x4d, 0x00, 0x00, 0x02 };

static uint16_t csum_fold(uint32_t sum)
{
	return (uint16_t)~qnet_csum_fold(sum);
}

/* The IP packet inside pkt: validated lengths. */
struct ip_view {
	int family;    /* 4 or 6 */
	uint8_t *p;    /* start of the IP header */
	size_t len;    /* total length from the header (<= buffer) */
	size_t hlen;   /* IP header length */
	uint8_t proto; /* IPv4 protocol / IPv6 next header */
	bool fragment;
	uint8_t *src, *dst; /* 4 or 16 bytes */
};

static int ip_parse(uint8_t *p, size_t len, struct ip_view *v)
{
	memset(v, 0, sizeof(*v));
	if (len < 1)
		return -EBADMSG;
	v->p = p;
	if (p[0] >> 4 == 4) {
		size_t ihl = (size_t)(p[0] & 0xF) * 4, tot;

		if (len < 20 || ihl < 20 || ihl > len)
			return -EBADMSG;
		tot = qnet_get16(p + 2);
		if (tot < ihl || tot > len)
			return -EBADMSG;
		v->family = 4;
		v->len = tot;
		v->hlen = ihl;
		v->proto = p[9];
		v->fragment = (qnet_get16(p + 6) & 0x3FFF) != 0;
		v->src = p + 12;
		v->dst = p + 16;
		return 0;
	}
	if (p[0] >> 4 == 6) {
		size_t tot;

		if (len < 40)
			return -EBADMSG;
		tot = 40 + (size_t)qnet_get16(p + 4);
		if (tot > len)
			return -EBADMSG;
		v->family = 6;
		v->len = tot;
		v->hlen = 40;
		v->proto = p[6];
		v->src = p + 8;
		v->dst = p + 24;
		return 0;
	}
	return -EBADMSG;
}

void qsim_session_addrs(unsigned slot, uint32_t *host4, uint32_t *gw4, uint8_t host6[16],
			uint8_t gw6[16])
{
	uint32_t base = 0x0A400000u + 4u * slot; /* 10.64.0.0 + 4n: one /30 per session */
	static const uint8_t prefix[6] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01 };

	if (host4)
		*host4 = base + 1;
	if (gw4)
		*gw4 = base + 2;
	for (int i = 0; i < 2; i++) {
		uint8_t *a = i ? gw6 : host6;

		if (!a)
			continue;
		memset(a, 0, 16);
		memcpy(a, prefix, sizeof(prefix));
		a[6] = (uint8_t)(slot >> 8);
		a[7] = (uint8_t)slot;
		a[15] = i ? 2 : 1;
	}
}

static const uint8_t dns6_primary[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0,
					  0,    0,    0,    0,    0,    0,    0, 0x53 };
static const uint8_t dns6_secondary[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0,
					    0,    0,    0,    0,    0,    0,    0, 0x54 };

/* Addresses the modem itself answers at: the session's gateway and the DNS servers. */
static bool is_modem_addr(const struct qsim_session *s, int family, const uint8_t *a)
{
	uint8_t buf[16];
	uint32_t gw4;

	if (family == 4) {
		qsim_session_addrs(s->slot, NULL, &gw4, NULL, NULL);
		qnet_put32(buf, gw4);
		if (!memcmp(a, buf, 4))
			return true;
		qnet_put32(buf, QSIM_DNS4_PRIMARY);
		if (!memcmp(a, buf, 4))
			return true;
		qnet_put32(buf, QSIM_DNS4_SECONDARY);
		return !memcmp(a, buf, 4);
	}
	qsim_session_addrs(s->slot, NULL, NULL, NULL, buf);
	return !memcmp(a, buf, 16) || !memcmp(a, dns6_primary, 16) ||
	       !memcmp(a, dns6_secondary, 16);
}

static bool session_owns(const struct qsim_session *s, int family, const uint8_t *addr)
{
	uint8_t buf[16];
	uint32_t h4;

	if (!s->up || s->family != family)
		return false;
	if (family == 4) {
		qsim_session_addrs(s->slot, &h4, NULL, NULL, NULL);
		qnet_put32(buf, h4);
		return !memcmp(buf, addr, 4);
	}
	qsim_session_addrs(s->slot, NULL, NULL, buf, NULL);
	return !memcmp(buf, addr, 16);
}

struct qsim_session *qsim_session_by_addr(struct qsim *sim, int family, const uint8_t *addr)
{
	struct qsim_svc *svc = qsim_svc_by_id(sim, QMI_SVC_WDS);

	/* Traffic comes in runs from one session: try the last match before scanning. */
	if (sim->last_sess && session_owns(sim->last_sess, family, addr))
		return sim->last_sess;
	for (unsigned c = 1; svc && c <= QSIM_MAX_CIDS; c++) {
		struct qsim_session *s = &svc->clients[c].sess;

		if (svc->clients[c].used && session_owns(s, family, addr)) {
			sim->last_sess = s;
			return s;
		}
	}
	return NULL;
}

static void swap_addrs(struct ip_view *v)
{
	uint8_t tmp[16];
	size_t n = v->family == 4 ? 4 : 16;

	memcpy(tmp, v->src, n);
	memcpy(v->src, v->dst, n);
	memcpy(v->dst, tmp, n);
}

static void ipv4_fix_header(struct ip_view *v)
{
	v->p[8] = 64; /* a fresh packet from the responder, not a forwarded one */
	qnet_put16(v->p + 10, 0);
	qnet_put16(v->p + 10, csum_fold(qnet_csum_add(0, v->p, v->hlen)));
}

/* Turns an echo request in place into its reply. Returns false if it is not one. */
static bool make_echo_reply(struct ip_view *v)
{
	uint8_t *l4 = v->p + v->hlen;
	size_t l4len = v->len - v->hlen;

	if (v->fragment || l4len < 8)
		return false;
	if (v->family == 4) {
		if (v->proto != 1 || l4[0] != 8 || l4[1] != 0)
			return false;
		swap_addrs(v);
		l4[0] = 0;
		qnet_put16(l4 + 2, 0);
		qnet_put16(l4 + 2, csum_fold(qnet_csum_add(0, l4, l4len)));
		ipv4_fix_header(v);
		return true;
	}
	if (v->proto != 58 || l4[0] != 128 || l4[1] != 0)
		return false;
	swap_addrs(v);
	v->p[7] = 64;
	l4[0] = 129;
	qnet_put16(l4 + 2, 0);
	{
		/* ICMPv6 covers a pseudo-header: addresses, upper-layer length, next header. */
		uint8_t ph[8] = { 0 };
		uint32_t sum;

		ph[0] = (uint8_t)(l4len >> 24);
		ph[1] = (uint8_t)(l4len >> 16);
		ph[2] = (uint8_t)(l4len >> 8);
		ph[3] = (uint8_t)l4len;
		ph[7] = 58;
		sum = qnet_csum_add(0, v->src, 16);
		sum = qnet_csum_add(sum, v->dst, 16);
		sum = qnet_csum_add(sum, ph, 8);
		sum = qnet_csum_add(sum, l4, l4len);
		qnet_put16(l4 + 2, csum_fold(sum));
	}
	return true;
}

/* Reflect: swapping both addresses and both ports leaves every checksum valid (the sums are
 * order-independent), so a UDP sender's own socket receives its packets back. */
static void reflect(struct ip_view *v)
{
	uint8_t *l4 = v->p + v->hlen;
	size_t l4len = v->len - v->hlen;

	if (make_echo_reply(v))
		return;
	swap_addrs(v);
	if (!v->fragment && (v->proto == 6 || v->proto == 17) && l4len >= 4) {
		uint8_t tmp[2];

		memcpy(tmp, l4, 2);
		memcpy(l4, l4 + 2, 2);
		memcpy(l4 + 2, tmp, 2);
	}
}

static bool link_is_eth(const struct qsim *sim)
{
	return sim->llp == 1;
}

static bool out_busy(const struct qsim *sim)
{
	return sim->out.data_busy && sim->out.data_busy(sim->out_user);
}

/* force: a full aggregate goes even while the transport asks to wait (data_busy is a pacing
 * hint; a transport with no buffer at all drops and counts). */
static void flush(struct qsim *sim, bool force)
{
	if (!sim->dl_agg.len || !sim->out.data || (!force && out_busy(sim)))
		return;
	sim->stats.qmap_out_aggs++;
	/* Transports copy the transfer (or hand it to the host) before returning; none feeds the
	 * modem's data side from inside this call. */
	sim->out.data(sim->out_user, sim->dl_agg.buf, sim->dl_agg.len);
	qmi_qmap_agg_reset(&sim->dl_agg);
}

void qsim_data_flush(struct qsim *sim)
{
	flush(sim, false);
}

void qsim_flow_arm(struct qsim *sim)
{
	if (sim->qmap_dl && sim->faults.flow_control_ms) {
		if (!qb_timer_active(&sim->flow_timer))
			qb_timer_start(&sim->flow_timer, sim->faults.flow_control_ms);
		return;
	}
	qb_timer_stop(&sim->flow_timer);
	sim->flow_off = false;
}

/* flow-control=MS: the next command, after the packets already packed (a command frame is a
 * transfer of its own here, as the host must act on it before what follows). */
void qsim_flow_fire(void *user)
{
	struct qsim *sim = user;
	struct qmi_qmap_cmd c = { .name = sim->flow_off ? QMI_QMAP_CMD_FLOW_ENABLE
							: QMI_QMAP_CMD_FLOW_DISABLE,
				  .type = QMI_QMAP_CMD_REQUEST,
				  .txn = ++sim->flow_txn };
	struct qsim_svc *svc = qsim_svc_by_id(sim, QMI_SVC_WDS);
	uint8_t frame[QMI_QMAP_HDR_LEN + QMI_QMAP_CMD_FLOW_LEN];
	bool used[256] = { false }, any;
	unsigned id;

	if (!sim->qmap_dl || !sim->out.data)
		return;
	flush(sim, true);
	/* Every mux id a call uses, or the default data port when none does. */
	for (unsigned i = 1; svc && i <= QSIM_MAX_CIDS; i++)
		if (svc->clients[i].used && svc->clients[i].sess.up)
			used[svc->clients[i].sess.mux_id] = true;
	any = memchr(used, true, sizeof(used)) != NULL;
	sim->flow_off = !sim->flow_off;
	for (id = 0; id < 256; id++) {
		if (!used[id] && (id || any))
			continue;
		qmi_qmap_cmd_build(frame, sizeof(frame), (uint8_t)id, &c);
		sim->stats.qmap_out_commands++;
		sim->out.data(sim->out_user, frame, sizeof(frame));
	}
	qb_timer_start(&sim->flow_timer, sim->faults.flow_control_ms);
}

void qsim_data_batch_begin(struct qsim *sim)
{
	sim->data_batch++;
}

void qsim_data_batch_end(struct qsim *sim)
{
	if (sim->data_batch && --sim->data_batch == 0)
		qsim_data_flush(sim);
}

bool qsim_qmap_dl(const struct qsim *sim)
{
	return sim->qmap_dl;
}

size_t qsim_data_max_transfer(const struct qsim *sim)
{
	size_t n = PKT_MAX + ETH_HLEN_;

	if (sim->qmap_ul && sim->ul_max_size > n)
		n = sim->ul_max_size;
	if (sim->qmap_dl && sim->dl_max_size > n)
		n = sim->dl_max_size;
	return n;
}

/* One packet toward the host inside the current QMAP aggregate, on its session's mux id. */
static bool qmap_to_host(struct qsim *sim, uint8_t mux_id, const uint8_t *pkt, size_t len)
{
	int ret;

	sim->dl_agg.mux_id = mux_id; /* frames differ in it, the aggregate does not care */
	ret = qmi_qmap_agg_add(&sim->dl_agg, pkt, len);

	if (ret == -ENOSPC) {
		flush(sim, true);
		ret = qmi_qmap_agg_add(&sim->dl_agg, pkt, len);
	}
	if (ret < 0) { /* no transfer could take the full one: drop, as a radio would */
		sim->stats.qmap_out_dropped++;
		return false;
	}
	if (sim->dl_agg.frames >= sim->dl_agg.max_frames)
		flush(sim, true);
	else if (!sim->data_batch)
		flush(sim, false);
	return true;
}

void qsim_data_deliver(struct qsim *sim, const uint8_t *pkt, size_t len)
{
	uint8_t buf[PKT_MAX + ETH_HLEN_];
	struct ip_view v;
	struct qsim_session *s;

	if (len > PKT_MAX)
		return;
	memcpy(buf + ETH_HLEN_, pkt, len);
	if (ip_parse(buf + ETH_HLEN_, len, &v) < 0)
		return;
	s = qsim_session_by_addr(sim, v.family, v.dst);
	sim->stats.data_out++;
	if (!sim->out.data || qsim_sel_hit(&sim->faults.data_loss, (unsigned)sim->stats.data_out) ||
	    (sim->qmap_dl && !qmap_to_host(sim, s ? s->mux_id : 0, buf + ETH_HLEN_, len))) {
		if (s)
			s->rx_dropped++;
		return;
	}
	if (s) {
		s->rx_pkts++;
		s->rx_bytes += len;
	}
	if (sim->qmap_dl)
		return; /* packed into the downlink aggregate above */
	if (link_is_eth(sim)) {
		memcpy(buf, host_mac, 6);
		memcpy(buf + 6, modem_mac, 6);
		qnet_put16(buf + 12, v.family == 4 ? 0x0800 : 0x86DD);
		sim->out.data(sim->out_user, buf, len + ETH_HLEN_);
	} else {
		sim->out.data(sim->out_user, buf + ETH_HLEN_, len);
	}
}

/* mux: the QMAP mux id the packet came on, -1 without QMAP. */
/* csum: the host asked the modem to compute the transport checksum (MAP v5). */
static int data_in_one(struct qsim *sim, const uint8_t *pkt, size_t len, int mux, bool csum);

/* A QMAP aggregate from the host: every frame is judged on its own; a bad one costs only itself
 * (or, when its length cannot be trusted, the rest of this transfer). */
static int qmap_in(struct qsim *sim, const uint8_t *agg, size_t len)
{
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;
	unsigned frames = 0;
	int r, ret = 0;

	sim->stats.qmap_in_aggs++;
	qsim_data_batch_begin(sim);
	if (sim->qmap_v5)
		qmi_qmap_iter_init_v5(&it, agg, len);
	else
		qmi_qmap_iter_init(&it, agg, len);
	while ((r = qmi_qmap_next(&it, &f)) != 0) {
		if (r < 0 || ++frames > sim->ul_max_dgrams) {
			sim->stats.qmap_in_bad++;
			ret = -EBADMSG;
			break;
		}
		if (f.kind == QMI_QMAP_COMMAND) {
			struct qmi_qmap_cmd c;

			sim->stats.qmap_in_commands++;
			if (qmi_qmap_cmd_parse(f.pkt, f.len, &c) == 0 && c.type == QMI_QMAP_CMD_ACK)
				sim->stats.qmap_in_acks++;
		} else if (f.kind == QMI_QMAP_BAD || (f.mux_id && !qsim_mux_bound(sim, f.mux_id))) {
			/* mux id 0 is the default data port; others need WDS Bind Mux Data Port */
			sim->stats.qmap_in_bad++;
			ret = -EBADMSG;
		} else {
			sim->stats.data_in++;
			sim->stats.qmap_in_flow_off += sim->flow_off;
			sim->stats.qmap_in_csum_req += f.csum_hdr && f.csum_valid;
			r = data_in_one(sim, f.pkt, f.len, f.mux_id, f.csum_hdr && f.csum_valid);
			if (r < 0 && !ret)
				ret = r;
		}
	}
	qsim_data_batch_end(sim);
	return ret;
}

int qsim_data_in(struct qsim *sim, const uint8_t *pkt, size_t len)
{
	if (sim->qmap_ul) {
		if (len > sim->ul_max_size) {
			sim->stats.qmap_in_bad++;
			return -EMSGSIZE;
		}
		return qmap_in(sim, pkt, len);
	}
	sim->stats.data_in++;
	return data_in_one(sim, pkt, len, -1, false);
}

static void tx_ok(struct qsim_session *s, size_t len)
{
	s->tx_pkts++;
	s->tx_bytes += len;
}

static int data_in_one(struct qsim *sim, const uint8_t *pkt, size_t len, int mux, bool csum)
{
	uint8_t buf[PKT_MAX];
	struct ip_view v;
	struct qsim_session *s;
	int ret;

	if (link_is_eth(sim)) {
		/* 802.3: the host's frames carry an Ethernet header the network never sees. */
		if (len < ETH_HLEN_) {
			ret = -EBADMSG;
			goto drop;
		}
		pkt += ETH_HLEN_;
		len -= ETH_HLEN_;
	}
	if (len > sizeof(buf)) {
		ret = -EMSGSIZE;
		goto drop;
	}
	memcpy(buf, pkt, len);
	ret = ip_parse(buf, len, &v);
	if (ret < 0)
		goto drop;
	/* As a modem does: a packet it cannot compute for (not TCP or UDP) goes as it is. */
	if (csum)
		qnet_csum_l4_fill(buf, v.len);
	if (qsim_sel_hit(&sim->faults.data_loss, (unsigned)sim->stats.data_in)) {
		ret = 0; /* the radio lost it */
		goto drop;
	}
	s = qsim_session_by_addr(sim, v.family, v.src);
	if (!s || (mux >= 0 && s->mux_id != mux)) {
		/* No call owns this source address on this mux id: the network would never
		 * route it. */
		ret = -ENETDOWN;
		goto drop;
	}
	/* Each packet counts once: OK when it went somewhere (reflected, forwarded, answered),
	 * dropped when the network lost it. */
	switch (sim->data_mode) {
	case QSIM_DATA_REFLECT:
		reflect(&v);
		tx_ok(s, v.len);
		qsim_data_to_host(sim, buf, v.len);
		return 0;
	case QSIM_DATA_FORWARD:
		if (!is_modem_addr(s, v.family, v.dst)) {
			if (!sim->fwd_cb) {
				ret = -ENETDOWN;
				goto drop_counted;
			}
			tx_ok(s, v.len);
			sim->stats.forwarded++;
			sim->fwd_cb(sim->fwd_user, buf, v.len);
			return 0;
		}
		break;
	case QSIM_DATA_GATEWAY:
		break;
	}
	if (is_modem_addr(s, v.family, v.dst) && make_echo_reply(&v)) {
		tx_ok(s, v.len);
		sim->stats.echo_replies++;
		qsim_data_to_host(sim, buf, v.len);
		return 0;
	}
	ret = 0; /* accepted by the modem, then dropped by the network: not the host's error */
drop_counted:
	s->tx_dropped++;
drop:
	sim->stats.data_in_dropped++;
	return ret;
}

int qsim_net_in(struct qsim *sim, const uint8_t *pkt, size_t len)
{
	struct ip_view v;
	uint8_t buf[PKT_MAX];

	if (len > sizeof(buf))
		return -EMSGSIZE;
	memcpy(buf, pkt, len);
	if (ip_parse(buf, len, &v) < 0)
		return -EBADMSG;
	if (!qsim_session_by_addr(sim, v.family, v.dst))
		return -ENETDOWN;
	qsim_data_to_host(sim, buf, v.len);
	return 0;
}

void qsim_set_data_mode(struct qsim *sim, enum qsim_data_mode mode)
{
	sim->data_mode = mode;
}

void qsim_set_forward(struct qsim *sim, qsim_forward_cb cb, void *user)
{
	sim->fwd_cb = cb;
	sim->fwd_user = user;
}
