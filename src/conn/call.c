/* SPDX-License-Identifier: MIT */
#include "base/errors.h"
#include "conn/conn_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "net/netconf.h"
#include "net/pump.h"
#include "net/tun.h"
#include "qmi/errors.h"

#define CALL_TIMEOUT_MS 60000u /* Start Network may take long on a real network */

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

static void configure(struct qconn *c)
{
	struct qnet_ipconf ip = { .routes = !c->o.no_routes,
				  .mtu = 1500,
				  .route_metric = c->o.route_metric,
				  .dns_mode = (enum qnet_dns_mode)c->o.dns_mode,
				  .dns_path = c->o.dns_file,
				  .dns_force = c->o.dns_force,
				  .record_owner = c->o.record_owner };
	struct qconn_event ev = { .kind = QCONN_EV_UP };
	struct qconn_up up;
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
			ip.v4_prefix = s->has_ipv4_subnet_mask
					       ? (uint8_t)prefix_of_mask(s->ipv4_subnet_mask)
					       : 32;
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
			ip.v6_prefix = s->ipv6_address.prefix_length <= 128
					       ? s->ipv6_address.prefix_length
					       : 64;
			if (s->has_ipv6_gateway)
				memcpy(&ip.v6_gw, s->ipv6_gateway.address, 16);
			if (s->has_ipv6_primary_dns && ip.n_dns6 < QNET_DNS_MAX)
				memcpy(&ip.dns6[ip.n_dns6++], s->ipv6_primary_dns, 16);
			if (s->has_ipv6_secondary_dns && ip.n_dns6 < QNET_DNS_MAX)
				memcpy(&ip.dns6[ip.n_dns6++], s->ipv6_secondary_dns, 16);
		}
	}
	if (!ip.has_v4 && !ip.has_v6) {
		qconn_fail(c, -EPROTO, NULL, false, "the modem gave no IP address for the call");
		return;
	}
	ret = qnet_netconf_apply(&c->nc, c->tun->ifindex, c->tun->name, &ip, c->o.advice, err,
				 sizeof(err));
	if (ret < 0) {
		qconn_fail(c, ret, NULL, true, "couldn't configure %s: %s", c->tun->name, err);
		return;
	}
	if (ip.dns_note[0])
		qconn_warn(c, "%s", ip.dns_note);
	c->addr4[0] = c->addr6[0] = '\0';
	if (ip.has_v4)
		snprintf(c->addr4, sizeof(c->addr4), "%s/%u",
			 inet_ntop(AF_INET, &ip.v4_addr, err, sizeof(err)), ip.v4_prefix);
	if (ip.has_v6)
		snprintf(c->addr6, sizeof(c->addr6), "%s/%u",
			 inet_ntop(AF_INET6, &ip.v6_addr, err, sizeof(err)), ip.v6_prefix);
	c->mtu = ip.mtu;
	c->since_ms = qb_now_ms();
	c->ever_up = true;
	c->backoff_ms = c->o.backoff_min_ms;
	snprintf(c->last, sizeof(c->last), "connected");
	up = (struct qconn_up){
		.ifname = c->tun->name,
		.ip = &ip,
		.data_path = qnet_pump_backend(c->pump),
		.data_format = c->fmt_desc[0] ? c->fmt_desc : "raw-ip",
		.needs_root = ret == 1,
	};
	qconn_done(c);
	ev.up = &up;
	qconn_emit_ev(c, &ev);
}

static void on_settings(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn_fam *f = user;
	struct qconn *c = f->c;
	struct qmi_result r;
	char eb[96];

	f->busy = false;
	if (qconn_over(c))
		return;
	err = qconn_response(err, resp, &qmi_wds_get_current_settings_resp_def, &f->cs, &r);
	if (err) {
		qconn_fail(c, err, &r, false, "couldn't get the IPv%d settings: %s", f->family,
			   qconn_errtext(err, &r, eb, sizeof(eb)));
		return;
	}
	f->have_settings = true;
	if (all(c, true) && c->st == QCONN_CALL)
		configure(c);
}

static void get_settings(struct qconn_fam *f)
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
	err = qconn_send_msg(f->c, f->cid, &qmi_wds_get_current_settings_req_def, &q, 0,
			     on_settings, f);
	if (err) {
		f->busy = false;
		qconn_fail(f->c, err, NULL, false, "couldn't ask for the settings: %s",
			   qb_strerror(-err));
	}
}

static void call_failed(struct qconn_fam *f, int err, const struct qmi_result *r,
			const struct qmi_wds_start_network_resp *s)
{
	struct qconn *c = f->c;
	char why[200], eb[96];

	if (err == -QB_EMODEM && s->has_call_end_reason) {
		int n = snprintf(why, sizeof(why), "call end reason '%s' (%u)",
				 qconn_name(qmi_wds_call_end_reason_name(s->call_end_reason)),
				 s->call_end_reason);

		if (s->has_verbose_call_end_reason && n > 0 && (size_t)n < sizeof(why))
			snprintf(why + n, sizeof(why) - (size_t)n, ", verbose %s '%s' (%d)",
				 qconn_name(qmi_wds_verbose_cer_type_name(
					 s->verbose_call_end_reason.type)),
				 qconn_name(qmi_wds_verbose_call_end_reason_name(
					 s->verbose_call_end_reason.type,
					 s->verbose_call_end_reason.reason)),
				 s->verbose_call_end_reason.reason);
	} else {
		snprintf(why, sizeof(why), "%s", qconn_errtext(err, r, eb, sizeof(eb)));
	}
	qconn_fail(c, err, r, false, "the IPv%d call failed: %s", f->family, why);
}

static void on_start(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn_fam *f = user;
	struct qconn *c = f->c;
	struct qmi_wds_start_network_resp s;
	struct qmi_result r;

	f->busy = false;
	memset(&s, 0, sizeof(s));
	err = qconn_response(err, resp, &qmi_wds_start_network_resp_def, &s, &r);
	if (c->st != QCONN_CALL)
		return; /* failed meanwhile, or the other family's failure started a backoff */
	/* NoEffect: this client's call is already up (a repeated Start); take its handle. */
	if (err == -QB_EMODEM && r.error == QMI_ERR_NO_EFFECT && s.has_packet_data_handle)
		err = 0;
	if (err) {
		call_failed(f, err, &r, &s);
		return;
	}
	f->connected = true;
	f->pdh = s.packet_data_handle;
	qconn_progress(c, "IPv%d call up (packet data handle 0x%08x)", f->family, f->pdh);
	get_settings(f);
}

static bool opt_str(char *dst, size_t len, const char *opt)
{
	if (opt)
		snprintf(dst, len, "%s", opt);
	return opt != NULL;
}

static void start_call(struct qconn_fam *f);

static void on_bind(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn_fam *f = user;
	struct qconn *c = f->c;
	struct qmi_result r;
	char eb[96];

	f->busy = false;
	err = qconn_response(err, resp, NULL, NULL, &r);
	if (c->st != QCONN_CALL)
		return;
	if (err) {
		qconn_fail(c, err, &r, false, "couldn't bind the IPv%d client to mux id %u: %s",
			   f->family, c->mux_id, qconn_errtext(err, &r, eb, sizeof(eb)));
		return;
	}
	f->bound = true;
	start_call(f);
}

/* Under QMAP a client's call travels on the mux id it is bound to (before its Start Network:
 * the binding holds while the client lives). */
static void bind_mux(struct qconn_fam *f)
{
	struct qconn *c = f->c;
	struct qmi_wds_bind_mux_data_port_req q = {
		.has_endpoint = true,
		.endpoint = c->link->ep,
		.has_mux_id = true,
		.mux_id = c->mux_id,
	};
	int err;

	f->busy = true;
	err = qconn_send_msg(c, f->cid, &qmi_wds_bind_mux_data_port_req_def, &q, 0, on_bind, f);
	if (err) {
		f->busy = false;
		qconn_fail(c, err, NULL, false, "couldn't send Bind Mux Data Port: %s",
			   qb_strerror(-err));
	}
}

static void start_call(struct qconn_fam *f)
{
	struct qconn *c = f->c;
	struct qmi_wds_start_network_req *q;
	int err;

	if (c->link->qmap && !f->bound) {
		bind_mux(f);
		return;
	}
	q = calloc(1, sizeof(*q));
	if (!q) {
		qconn_fail(c, -ENOMEM, NULL, true, "out of memory");
		return;
	}
	q->has_apn = opt_str(q->apn, sizeof(q->apn), c->o.apn);
	if (c->o.auth >= 0) {
		q->has_auth = true;
		q->auth = (uint8_t)c->o.auth;
	}
	q->has_username = opt_str(q->username, sizeof(q->username), c->o.user);
	q->has_password = opt_str(q->password, sizeof(q->password), c->o.password);
	if (c->o.profile >= 0) {
		q->has_profile_index_3gpp = true;
		q->profile_index_3gpp = (uint8_t)c->o.profile;
	}
	q->has_ip_family = true;
	q->ip_family = (uint8_t)f->family;
	f->busy = true;
	err = qconn_send_msg(c, f->cid, &qmi_wds_start_network_req_def, q,
			     c->o.call_timeout_ms ? c->o.call_timeout_ms : CALL_TIMEOUT_MS,
			     on_start, f);
	free(q);
	if (err) {
		f->busy = false;
		qconn_fail(c, err, NULL, false, "couldn't send Start Network: %s",
			   qb_strerror(-err));
	}
}

void qconn_call_enter(struct qconn *c)
{
	unsigned i;

	qconn_progress(c, "starting the %s call%s (%s%s%s)",
		       c->nfam == 2 ? "IPv4 and IPv6" : (c->fam[0].family == 4 ? "IPv4" : "IPv6"),
		       c->nfam == 2 ? "s" : "", c->o.apn ? "APN '" : "the profile's APN",
		       c->o.apn ? c->o.apn : "", c->o.apn ? "'" : "");
	for (i = 0; i < c->nfam && c->st == QCONN_CALL; i++) {
		struct qconn_fam *f = &c->fam[i];

		if (f->busy)
			continue;
		if (f->connected)
			get_settings(f);
		else
			start_call(f);
	}
}

void qconn_backoff_enter(struct qconn *c)
{
	unsigned ms = c->backoff_ms;

	if (ms % 1000)
		qconn_progress(c, "retrying in %u.%02u s: %s", ms / 1000, ms % 1000 / 10, c->why);
	else
		qconn_progress(c, "retrying in %u s: %s", ms / 1000, c->why);
	qconn_later(c, ms, qconn_done);
	c->backoff_ms = c->backoff_ms * 2 > c->o.backoff_max_ms ? c->o.backoff_max_ms
								: c->backoff_ms * 2;
}

void qconn_call_ended(struct qconn_fam *f, const char *why)
{
	struct qconn *c = f->c;
	char line[256];

	qconn_progress(c, "the network ended the IPv%d call%s", f->family, why);
	if (c->nc) {
		qnet_netconf_undo(c->nc);
		c->nc = NULL;
		snprintf(line, sizeof(line), "the network ended the IPv%d call%s", f->family, why);
		qconn_emit(c, QCONN_EV_DOWN, line);
	}
	if (c->st != QCONN_CALL && c->st != QCONN_UP)
		return; /* a new attempt is planned or under way */
	qconn_fail(c, -ECONNRESET, NULL, false, "the network ended the IPv%d call%s%s", f->family,
		   c->st == QCONN_CALL ? " while connecting" : "", why);
}
