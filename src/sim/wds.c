/* SPDX-License-Identifier: MIT */
/*
 * WDS: one packet data session per client, with a handle, addresses from the session's slot,
 * packet counters fed by the data side, and Packet Service Status indications to the owning
 * client on connect and disconnect.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/loop.h"
#include "qmi/errors.h"
#include "qmi/messages.h"

#define CER_UNSPECIFIED 1
#define CER_CLIENT_END 2
#define CER_NO_SERVICE 3
#define VCER_TYPE_3GPP 6
#define VCER_3GPP_UNKNOWN_APN 27

static const uint8_t dns6[2][16] = {
	{ 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x54 },
};

static uint8_t client_cid(struct qsim *sim, const struct qsim_client *c)
{
	struct qsim_svc *wds = qsim_svc_by_id(sim, QMI_SVC_WDS);

	return (uint8_t)(c - wds->clients);
}

static void send_status(struct qsim *sim, struct qsim_client *c, bool up, uint16_t cer,
			uint16_t vtype, int16_t vreason)
{
	struct qmi_wds_packet_service_status_ind ind;

	memset(&ind, 0, sizeof(ind));
	ind.has_connection_status = true;
	ind.connection_status.status = up ? QMI_WDS_CONNECTION_STATUS_CONNECTED
					  : QMI_WDS_CONNECTION_STATUS_DISCONNECTED;
	ind.connection_status.reconfiguration_required = 0;
	if (!up) {
		ind.has_call_end_reason = true;
		ind.call_end_reason = cer;
		if (vtype) {
			ind.has_verbose_call_end_reason = true;
			ind.verbose_call_end_reason.type = vtype;
			ind.verbose_call_end_reason.reason = vreason;
		}
	}
	ind.has_ip_family = true;
	ind.ip_family = c->sess.family;
	qsim_indicate(sim, QMI_SVC_WDS, client_cid(sim, c), QMI_WDS_PACKET_SERVICE_STATUS_IND,
		      &ind);
}

/* Ends a session; notify says whether the client hears about it (not when it is released). */
static void session_end(struct qsim *sim, struct qsim_client *c, bool notify, uint16_t cer,
			uint16_t vtype, int16_t vreason)
{
	if (!c->sess.up)
		return;
	c->sess.up = false;
	qb_timer_stop(&c->sess.drop_timer);
	c->last_tx_bytes = c->sess.tx_bytes;
	c->last_rx_bytes = c->sess.rx_bytes;
	if (notify)
		send_status(sim, c, false, cer, vtype, vreason);
}

void qsim_wds_client_gone(struct qsim *sim, struct qsim_client *c)
{
	session_end(sim, c, false, CER_CLIENT_END, 0, 0);
}

void qsim_wds_end_all(struct qsim *sim, uint16_t reason, uint16_t vtype, int16_t vreason)
{
	struct qsim_svc *wds = qsim_svc_by_id(sim, QMI_SVC_WDS);

	for (unsigned i = 1; i <= QSIM_MAX_CIDS; i++)
		if (wds->clients[i].used)
			session_end(sim, &wds->clients[i], true, reason, vtype, vreason);
}

void qsim_drop_call(struct qsim *sim, uint16_t reason)
{
	qsim_wds_end_all(sim, reason ? reason : CER_UNSPECIFIED, 0, 0);
}

static void drop_fire(void *user)
{
	struct qsim_client *c = user;

	session_end(c->sess.owner, c, true, 5 /* release-normal: the network hung up */, 0, 0);
}

static bool slot_used(struct qsim *sim, unsigned slot)
{
	struct qsim_svc *wds = qsim_svc_by_id(sim, QMI_SVC_WDS);

	for (unsigned i = 1; i <= QSIM_MAX_CIDS; i++)
		if (wds->clients[i].used && wds->clients[i].sess.up &&
		    wds->clients[i].sess.slot == slot)
			return true;
	return false;
}

static int call_failed(struct qsim *sim, const struct qmi_frame *req, uint16_t cer, uint16_t vtype,
		       int16_t vreason)
{
	struct qmi_wds_start_network_resp r;

	memset(&r, 0, sizeof(r));
	r.has_call_end_reason = true;
	r.call_end_reason = cer;
	if (vtype) {
		r.has_verbose_call_end_reason = true;
		r.verbose_call_end_reason.type = vtype;
		r.verbose_call_end_reason.reason = vreason;
	}
	return qsim_respond(sim, req, QMI_ERR_CALL_FAILED, &r);
}

static int start_network(struct qsim *sim, const struct qmi_frame *req, struct qsim_client *c)
{
	struct qmi_wds_start_network_req q;
	struct qmi_wds_start_network_resp r;
	const struct qsim_faults *f = &sim->faults;
	uint8_t family;
	unsigned slot;

	if (qmi_msg_decode(&qmi_wds_start_network_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	memset(&r, 0, sizeof(r));
	if (c->sess.up) {
		/* Already connected: firmware answers NoEffect and repeats the handle. */
		r.has_packet_data_handle = true;
		r.packet_data_handle = c->sess.pdh;
		return qsim_respond(sim, req, QMI_ERR_NO_EFFECT, &r);
	}
	family = q.has_ip_family ? q.ip_family : c->ip_family_pref;
	if (family == QMI_WDS_IP_FAMILY_UNSPECIFIED)
		family = c->ip_family_pref;
	if (family != 4 && family != 6)
		return qsim_respond(sim, req, QMI_ERR_INVALID_IP_FAMILY_PREFERENCE, NULL);
	if (sim->reg != QSIM_REG_REGISTERED)
		return call_failed(sim, req, CER_NO_SERVICE, 0, 0);
	if (f->call_fail_reason)
		return call_failed(sim, req, f->call_fail_reason, f->call_fail_verbose_type,
				   f->call_fail_verbose_reason);
	if (f->apn[0] && (!q.has_apn || strcmp(q.apn, f->apn) != 0))
		return call_failed(sim, req, CER_UNSPECIFIED, VCER_TYPE_3GPP,
				   VCER_3GPP_UNKNOWN_APN);
	for (slot = 0; slot < QSIM_MAX_SESSIONS && slot_used(sim, slot); slot++)
		;
	if (slot == QSIM_MAX_SESSIONS)
		return call_failed(sim, req, CER_UNSPECIFIED, 0, 0);
	qb_timer_stop(&c->sess.drop_timer); /* not armed (the session is down), but it is cleared */
	memset(&c->sess, 0, sizeof(c->sess));
	c->sess.owner = sim;
	qb_timer_init(&c->sess.drop_timer, sim->loop, drop_fire, c);
	c->sess.up = true;
	c->sess.family = family;
	c->sess.slot = slot;
	c->sess.mux_id = c->mux_id;
	do {
		c->sess.pdh = sim->next_pdh++;
	} while (c->sess.pdh == 0 || c->sess.pdh == QMI_WDS_PACKET_DATA_HANDLE_ALL);
	snprintf(c->sess.apn, sizeof(c->sess.apn), "%s", q.has_apn ? q.apn : "");
	r.has_packet_data_handle = true;
	r.packet_data_handle = c->sess.pdh;
	qsim_respond(sim, req, 0, &r);
	send_status(sim, c, true, 0, 0, 0);
	if (f->call_drop_ms && (!f->call_drop_apn[0] || !strcmp(f->call_drop_apn, c->sess.apn)))
		qb_timer_start(&c->sess.drop_timer, f->call_drop_ms);
	return 0;
}

static int stop_network(struct qsim *sim, const struct qmi_frame *req, struct qsim_client *c)
{
	struct qmi_wds_stop_network_req q;

	if (qmi_msg_decode(&qmi_wds_stop_network_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!q.has_packet_data_handle)
		return qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
	if (q.packet_data_handle == QMI_WDS_PACKET_DATA_HANDLE_ALL && q.has_disable_autoconnect)
		return qsim_respond(sim, req, 0, NULL); /* no autoconnect to disable */
	if (!c->sess.up || q.packet_data_handle != c->sess.pdh)
		return qsim_respond(sim, req, QMI_ERR_INVALID_HANDLE, NULL);
	qsim_respond(sim, req, 0, NULL);
	session_end(sim, c, true, CER_CLIENT_END, 0, 0);
	return 0;
}

static int get_packet_service_status(struct qsim *sim, const struct qmi_frame *req,
				     struct qsim_client *c)
{
	struct qmi_wds_get_packet_service_status_resp r = { .has_connection_status = true };

	r.connection_status = c->sess.up ? QMI_WDS_CONNECTION_STATUS_CONNECTED
					 : QMI_WDS_CONNECTION_STATUS_DISCONNECTED;
	return qsim_respond(sim, req, 0, &r);
}

static uint32_t clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static int get_packet_statistics(struct qsim *sim, const struct qmi_frame *req,
				 struct qsim_client *c)
{
	struct qmi_wds_get_packet_statistics_req q;
	struct qmi_wds_get_packet_statistics_resp r;
	const struct qsim_session *s = &c->sess;

	if (qmi_msg_decode(&qmi_wds_get_packet_statistics_req_def, req->tlvs, req->tlvs_len, &q) <
	    0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!q.has_mask)
		return qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
	memset(&r, 0, sizeof(r));
#define STAT(bit, field, val)                                                                      \
	if (q.mask & (bit)) {                                                                      \
		r.has_##field = true;                                                              \
		r.field = (val);                                                                   \
	}
	STAT(QMI_WDS_STATS_TX_PACKETS_OK, tx_packets_ok, clamp32(s->tx_pkts));
	STAT(QMI_WDS_STATS_RX_PACKETS_OK, rx_packets_ok, clamp32(s->rx_pkts));
	STAT(QMI_WDS_STATS_TX_PACKETS_ERROR, tx_packets_error, 0);
	STAT(QMI_WDS_STATS_RX_PACKETS_ERROR, rx_packets_error, 0);
	STAT(QMI_WDS_STATS_TX_OVERFLOWS, tx_overflows, 0);
	STAT(QMI_WDS_STATS_RX_OVERFLOWS, rx_overflows, 0);
	STAT(QMI_WDS_STATS_TX_BYTES_OK, tx_bytes_ok, s->tx_bytes);
	STAT(QMI_WDS_STATS_RX_BYTES_OK, rx_bytes_ok, s->rx_bytes);
	STAT(QMI_WDS_STATS_TX_PACKETS_DROPPED, tx_packets_dropped, clamp32(s->tx_dropped));
	STAT(QMI_WDS_STATS_RX_PACKETS_DROPPED, rx_packets_dropped, clamp32(s->rx_dropped));
#undef STAT
	/* Last-call byte counts come with the byte counters, as on firmware that has them. */
	if (q.mask & (QMI_WDS_STATS_TX_BYTES_OK | QMI_WDS_STATS_RX_BYTES_OK)) {
		r.has_last_call_tx_bytes_ok = true;
		r.last_call_tx_bytes_ok = c->last_tx_bytes;
		r.has_last_call_rx_bytes_ok = true;
		r.last_call_rx_bytes_ok = c->last_rx_bytes;
	}
	return qsim_respond(sim, req, 0, &r);
}

static int get_current_settings(struct qsim *sim, const struct qmi_frame *req,
				struct qsim_client *c)
{
	struct qmi_wds_get_current_settings_req q;
	struct qmi_wds_get_current_settings_resp r;
	const struct qsim_session *s = &c->sess;
	uint32_t want;

	if (qmi_msg_decode(&qmi_wds_get_current_settings_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!s->up)
		return qsim_respond(sim, req, QMI_ERR_OUT_OF_CALL, NULL);
	want = q.has_requested_settings ? q.requested_settings : 0xFFFFFFFFu;
	memset(&r, 0, sizeof(r));
	if (want & QMI_WDS_REQUESTED_PROFILE_ID) {
		r.has_profile_id = true;
		r.profile_id.type = QMI_WDS_PROFILE_TYPE_3GPP;
		r.profile_id.index = 1;
	}
	if (want & QMI_WDS_REQUESTED_APN_NAME) {
		r.has_apn = true;
		snprintf(r.apn, sizeof(r.apn), "%s", s->apn);
	}
	if (want & QMI_WDS_REQUESTED_PDP_TYPE) {
		r.has_pdp_type = true;
		r.pdp_type = s->family == 4 ? 0 /* ipv4 */ : 2 /* ipv6 */;
	}
	if (s->family == 4) {
		uint32_t host, gw;

		qsim_session_addrs(s->slot, &host, &gw, NULL, NULL);
		if (want & QMI_WDS_REQUESTED_IP_ADDRESS) {
			r.has_ipv4_address = true;
			r.ipv4_address = host;
		}
		if (want & QMI_WDS_REQUESTED_GATEWAY_INFO) {
			r.has_ipv4_gateway = true;
			r.ipv4_gateway = gw;
			r.has_ipv4_subnet_mask = true;
			r.ipv4_subnet_mask = 0xFFFFFFFCu;
		}
		if (want & QMI_WDS_REQUESTED_DNS_ADDRESS) {
			r.has_ipv4_primary_dns = true;
			r.ipv4_primary_dns = QSIM_DNS4_PRIMARY;
			r.has_ipv4_secondary_dns = true;
			r.ipv4_secondary_dns = QSIM_DNS4_SECONDARY;
		}
	} else {
		if (want & QMI_WDS_REQUESTED_IP_ADDRESS) {
			r.has_ipv6_address = true;
			qsim_session_addrs(s->slot, NULL, NULL, r.ipv6_address.address, NULL);
			r.ipv6_address.prefix_length = 64;
		}
		if (want & QMI_WDS_REQUESTED_GATEWAY_INFO) {
			r.has_ipv6_gateway = true;
			qsim_session_addrs(s->slot, NULL, NULL, NULL, r.ipv6_gateway.address);
			r.ipv6_gateway.prefix_length = 64;
		}
		if (want & QMI_WDS_REQUESTED_DNS_ADDRESS) {
			r.has_ipv6_primary_dns = true;
			memcpy(r.ipv6_primary_dns, dns6[0], 16);
			r.has_ipv6_secondary_dns = true;
			memcpy(r.ipv6_secondary_dns, dns6[1], 16);
		}
	}
	if (want & QMI_WDS_REQUESTED_MTU) {
		r.has_mtu = true;
		r.mtu = QSIM_MTU;
	}
	if (want & QMI_WDS_REQUESTED_DOMAIN_NAME_LIST)
		r.has_domain_names = true; /* present and empty: qmicli prints "Domains: none" */
	if (want & QMI_WDS_REQUESTED_IP_FAMILY) {
		r.has_ip_family = true;
		r.ip_family = s->family;
	}
	return qsim_respond(sim, req, 0, &r);
}

static int set_ip_family(struct qsim *sim, const struct qmi_frame *req, struct qsim_client *c)
{
	struct qmi_wds_set_ip_family_req q;

	if (qmi_msg_decode(&qmi_wds_set_ip_family_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!q.has_preference)
		return qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
	switch (q.preference) {
	case QMI_WDS_IP_FAMILY_IPV4:
	case QMI_WDS_IP_FAMILY_IPV6:
		c->ip_family_pref = q.preference;
		break;
	case QMI_WDS_IP_FAMILY_UNSPECIFIED:
		c->ip_family_pref = QMI_WDS_IP_FAMILY_IPV4;
		break;
	default:
		return qsim_respond(sim, req, QMI_ERR_INVALID_IP_FAMILY_PREFERENCE, NULL);
	}
	return qsim_respond(sim, req, 0, NULL);
}

bool qsim_endpoint_ours(const struct qsim *sim, const struct qmi_data_endpoint *ep)
{
	return ep->type == QMI_DATA_ENDPOINT_HSUSB && ep->interface_number == sim->data_iface;
}

/* QMAP sessions: the client's calls carry their packets on this mux id (1..254; 0 is the
 * default data port, used without binding). A mux id is one PDN: several clients may bind it
 * (its IPv4 and its IPv6 call, as hosts do for dual stack); not while connected. The endpoint,
 * when named, must be the modem's one data port. */
static int bind_mux_data_port(struct qsim *sim, const struct qmi_frame *req, struct qsim_client *c)
{
	struct qmi_wds_bind_mux_data_port_req q;

	if (qmi_msg_decode(&qmi_wds_bind_mux_data_port_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!q.has_mux_id)
		return qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
	if (q.mux_id == 0 || q.mux_id == 255 ||
	    (q.has_endpoint && !qsim_endpoint_ours(sim, &q.endpoint)))
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	if (c->sess.up)
		return qsim_respond(sim, req, QMI_ERR_INVALID_OPERATION, NULL);
	c->mux_id = q.mux_id;
	return qsim_respond(sim, req, 0, NULL);
}

bool qsim_mux_bound(struct qsim *sim, uint8_t mux_id)
{
	struct qsim_svc *svc = qsim_svc_by_id(sim, QMI_SVC_WDS);

	for (unsigned i = 1; mux_id && svc && i <= QSIM_MAX_CIDS; i++)
		if (svc->clients[i].used && svc->clients[i].mux_id == mux_id)
			return true;
	return false;
}

int qsim_wds_handle(struct qsim *sim, const struct qmi_frame *req)
{
	struct qsim_client *c = qsim_client(sim, QMI_SVC_WDS, req->client_id);

	switch (req->msg_id) {
	case QMI_WDS_START_NETWORK:
		return start_network(sim, req, c);
	case QMI_WDS_STOP_NETWORK:
		return stop_network(sim, req, c);
	case QMI_WDS_GET_PACKET_SERVICE_STATUS:
		return get_packet_service_status(sim, req, c);
	case QMI_WDS_GET_PACKET_STATISTICS:
		return get_packet_statistics(sim, req, c);
	case QMI_WDS_GET_CURRENT_SETTINGS:
		return get_current_settings(sim, req, c);
	case QMI_WDS_SET_IP_FAMILY:
		return set_ip_family(sim, req, c);
	case QMI_WDS_BIND_MUX_DATA_PORT:
		return bind_mux_data_port(sim, req, c);
	}
	return qsim_wds_profile_handle(sim, req);
}
