/* SPDX-License-Identifier: MIT */
/* The software modem's state, shared by its files; not for other layers. */
#ifndef QSIM_SIM_INT_H
#define QSIM_SIM_INT_H

#include "sim/sim.h"

#include <stdbool.h>
#include <stdint.h>

#include "base/loop.h"
#include "qmi/messages.h"
#include "qmi/qmap.h"
#include "qmi/qmux.h"

struct qmi_frame;

#define QSIM_MAX_CIDS 254
#define QSIM_DEFAULT_CID_LIMIT 10
#define QSIM_MAX_SESSIONS 64
#define QSIM_OUTQ_MAX 256 /* frames waiting for their delay; beyond it the modem drops (counted) */

/* The services the modem answers, in the order of the version list. */
enum qsim_svc_idx {
	QSIM_SVC_WDS,
	QSIM_SVC_DMS,
	QSIM_SVC_NAS,
	QSIM_SVC_UIM,
	QSIM_SVC_WDA,
	QSIM_NSVC
};

struct qsim_session {
	struct qsim *owner; /* for the drop timer */
	bool up;
	uint32_t pdh;
	uint8_t family; /* 4 or 6 */
	unsigned slot;  /* address block index */
	uint8_t mux_id; /* its QMAP mux id (the client's binding when the call started) */
	char apn[128];
	struct qb_timer drop_timer; /* call-drop fault; initialised when the call starts */
	uint64_t tx_pkts, rx_pkts, tx_bytes, rx_bytes, tx_dropped, rx_dropped;
};

struct qsim_client {
	bool used;
	/* NAS: Register Indications */
	bool ind_serving_system, ind_signal_info, ind_system_info;
	/* WDS */
	uint8_t ip_family_pref; /* 4 or 6 (Set IP Family) */
	uint8_t mux_id;         /* Bind Mux Data Port; 0: the default data port */
	struct qsim_session sess;
	uint64_t last_tx_bytes, last_rx_bytes;
};

struct qsim_svc {
	uint8_t id;
	uint16_t major, minor;
	struct qsim_client clients[QSIM_MAX_CIDS + 1]; /* index = cid; 0 and 255 never used */
	unsigned count;
	uint8_t next_cid;
};

struct qsim_out_item {
	uint64_t due_ms;
	bool is_response;
	uint8_t flags; /* OUT_* of sim.c */
	size_t len;
	uint8_t frame[QMI_FRAME_MAX];
};

/* Registration state, as NAS reports it. */
enum qsim_reg {
	QSIM_REG_NOT = 0,
	QSIM_REG_REGISTERED = 1,
	QSIM_REG_SEARCHING = 2,
	QSIM_REG_DENIED = 3
};

enum qsim_uim {
	QSIM_UIM_ABSENT,
	QSIM_UIM_INITIALISING,
	QSIM_UIM_READY
};

/* The SIM's PIN1 and its unblock key (pin.c). */
#define QSIM_PIN_TRIES 3
#define QSIM_PUK_TRIES 10
struct qsim_pin {
	bool enabled;  /* PIN protection on */
	bool verified; /* since the card was powered */
	char code[9];  /* 4 to 8 digits */
	char puk[9];
	uint8_t pin_left, puk_left;
};

/* The profile table (3GPP profiles; index = position + 1). */
#define QSIM_MAX_PROFILES 16
struct qsim_profile {
	bool used;
	uint8_t pdp_type, auth;
	char name[64], apn[128], user[128], password[128];
};

/* System selection preference (NAS). */
struct qsim_radio_pref {
	uint16_t modes; /* QmiNasRatModePreference */
	uint64_t bands, lte_bands;
	uint16_t roaming;
};

struct qsim {
	struct qb_loop *loop;
	struct qsim_faults faults;
	struct qsim_output out;
	void *out_user;
	struct qsim_stats stats;

	/* radio and subscription */
	uint8_t op_mode; /* QmiDmsOperatingMode */
	enum qsim_uim uim;
	enum qsim_reg reg;
	uint64_t started_ms, radio_on_since;
	bool radio_was_on, reported_on;
	struct qb_timer state_timer; /* sim-delay / reg-delay */
	struct qb_timer signal_timer;
	uint32_t rng;
	int8_t rssi, rsrq;
	int16_t rsrp, snr; /* snr in 0.1 dB */
	struct qsim_pin pin;
	struct qsim_profile profiles[QSIM_MAX_PROFILES];
	uint8_t default_profile; /* index */
	struct qsim_radio_pref pref;

	/* Data format: CTL Set Data Format and WDA Set Data Format change the same state. */
	uint32_t llp; /* 1 802.3, 2 raw-ip */
	uint8_t qos_header;
	/* QMAP (WDA aggregation protocol 5), with the limits granted to the host. UL: each
	 * transfer from the host is an aggregate. DL: packets for the host are framed and packed
	 * into dl_agg while a batch runs or the transport is busy, then sent as one transfer. */
	bool qmap_ul, qmap_dl;
	size_t data_max;     /* qsim_set_data_max */
	uint32_t data_iface; /* qsim_set_data_iface */
	bool qmap_v5;        /* aggregation protocol 9: checksum headers both ways */
	bool flow_off;       /* flow-control=MS: the host's uplink is disabled now */
	uint32_t flow_txn;
	struct qb_timer flow_timer;
	uint32_t ul_max_dgrams, ul_max_size, dl_max_dgrams, dl_max_size;
	unsigned data_batch; /* nesting of qsim_data_batch_begin() */
	struct qmi_qmap_agg dl_agg;
	uint8_t dl_agg_buf[QSIM_DL_AGG_MAX];
	/* data-reorder: the packet for the host held back until the next one has gone. */
	unsigned reorder_seq;
	size_t reorder_len;
	uint8_t reorder_buf[2048];

	struct qsim_svc svcs[QSIM_NSVC];
	uint32_t next_pdh;

	/* control output pipeline */
	unsigned resp_seq;           /* responses produced so far (fault selectors) */
	struct qsim_out_item **outq; /* FIFO of frames waiting for their due time */
	unsigned outq_head, outq_len;
	struct qb_timer outq_timer;
	struct qsim_out_item *held; /* out-of-order: waits for the next response */

	/* data side */
	struct qsim_session *last_sess; /* lookup cache; points into svcs[], checked before use */
	enum qsim_data_mode data_mode;
	qsim_forward_cb fwd_cb;
	void *fwd_user;
	struct qsim_opnet *opnet;
};

/* sim.c: the output pipeline. frame is copied. */
void qsim_emit(struct qsim *sim, const uint8_t *frame, size_t len, bool is_response);
bool qsim_sel_hit(const struct qsim_sel *sel, unsigned seq);
uint32_t qsim_rand(struct qsim *sim);

/* dispatch.c */
struct qsim_svc *qsim_svc_by_id(struct qsim *sim, uint8_t svc);
struct qsim_client *qsim_client(struct qsim *sim, uint8_t svc, uint8_t cid);
/* Builds a response (result + msg via the message database) to req and emits it. */
int qsim_respond(struct qsim *sim, const struct qmi_frame *req, uint16_t error, const void *msg);
/* Same with an explicit def (responses whose def lookup is by (svc,id)). */
void qsim_indicate(struct qsim *sim, uint8_t svc, uint8_t cid, uint16_t msg_id, const void *msg);

/* Service handlers: return 0 when they answered, -ENOENT for an unknown message id. */
int qsim_ctl_handle(struct qsim *sim, const struct qmi_frame *req);
int qsim_dms_handle(struct qsim *sim, const struct qmi_frame *req);
int qsim_nas_handle(struct qsim *sim, const struct qmi_frame *req);
int qsim_wds_handle(struct qsim *sim, const struct qmi_frame *req);
int qsim_wda_handle(struct qsim *sim, const struct qmi_frame *req);
/* data.c: the flow-control=MS knob's timer, (re)armed or stopped for the current format. */
void qsim_flow_fire(void *user);
void qsim_flow_arm(struct qsim *sim);
/* Whether a WDS client bound this mux id (Bind Mux Data Port). */
bool qsim_mux_bound(struct qsim *sim, uint8_t mux_id);
/* An Endpoint Info TLV names this modem's data port (HSUSB, its interface). */
bool qsim_endpoint_ours(const struct qsim *sim, const struct qmi_data_endpoint *ep);
int qsim_uim_handle(struct qsim *sim, const struct qmi_frame *req);
/* A client id goes away (Release CID, Sync): ends its call quietly. */
void qsim_wds_client_gone(struct qsim *sim, struct qsim_client *c);

/* radio.c */
void qsim_radio_init(struct qsim *sim);
void qsim_radio_fini(struct qsim *sim);
void qsim_radio_apply(struct qsim *sim); /* recompute SIM/registration from mode + faults */
bool qsim_radio_on(const struct qsim *sim);
void qsim_nas_send_serving_system(struct qsim *sim);

/* pin.c: PIN state and the checks UIM and DMS share. */
void qsim_pin_init(struct qsim *sim);
/* The card answers queries of its files: present, initialised, and not PIN-locked. */
bool qsim_sim_unlocked(const struct qsim *sim);
bool qsim_pin_locked(const struct qsim *sim);    /* PIN1 enabled and not verified, or blocked */
uint8_t qsim_pin1_state(const struct qsim *sim); /* QmiUimPinState */
/* Card power cycle (reset): PIN verification is lost. */
void qsim_pin_power_cycle(struct qsim *sim);
int qsim_uim_pin_handle(struct qsim *sim, const struct qmi_frame *req);
int qsim_dms_pin_handle(struct qsim *sim, const struct qmi_frame *req);

/* wds_profile.c */
void qsim_profiles_init(struct qsim *sim);
int qsim_wds_profile_handle(struct qsim *sim, const struct qmi_frame *req);

/* nas_pref.c: system selection preference, cell location, band capabilities. */
void qsim_pref_init(struct qsim *sim);
bool qsim_pref_can_camp(const struct qsim *sim); /* the preference allows the serving cell */
int qsim_nas_pref_handle(struct qsim *sim, const struct qmi_frame *req);
int qsim_dms_bands_handle(struct qsim *sim, const struct qmi_frame *req);

/* wds.c */
void qsim_wds_end_all(struct qsim *sim, uint16_t reason, uint16_t vtype, int16_t vreason);
struct qsim_session *qsim_session_by_addr(struct qsim *sim, int family, const uint8_t *addr);
void qsim_session_addrs(unsigned slot, uint32_t *host4, uint32_t *gw4, uint8_t host6[16],
			uint8_t gw6[16]);

/* data.c */
void qsim_data_to_host(struct qsim *sim, const uint8_t *pkt, size_t len);
/* qsim_data_to_host() without the data-reorder fault (data_reorder.c). */
void qsim_data_deliver(struct qsim *sim, const uint8_t *pkt, size_t len);

#endif
