/* SPDX-License-Identifier: MIT */
/*
 * The software modem (device `sim`): a QMI responder with real state (identities, operating mode,
 * SIM, registration, signal, client ids, WDS sessions, data format) and an IP data side. It is
 * driven by request frames (qsim_ctrl_in) and IP packets (qsim_data_in) and writes its answers
 * through a struct qsim_output, so the same modem sits behind the in-process transport and behind
 * the FunctionFS gadget.
 *
 * Everything runs on the caller's qb_loop (signal timer, delayed responses); nothing is global,
 * so any number of modems can live in one process.
 *
 * Control output model (CDC): the modem hands each frame to out->ctrl (the frame is now waiting
 * to be fetched with GET_ENCAPSULATED_RESPONSE) and then calls out->notify (RESPONSE_AVAILABLE on
 * the interrupt endpoint). A fetch with nothing waiting answers zero bytes. The dup-notify knob
 * calls notify twice for one frame; the zero-length knob hands a zero-length frame (and its
 * notify) ahead of the real one.
 */
#ifndef QSIM_SIM_H
#define QSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct qb_loop;
struct qmi_transport;
struct qsim;

/*
 * Which responses a per-response fault hits. Responses are numbered from 1 in the order the
 * modem produces them (every service, CTL included; indications are never counted or hit).
 * first = N hits responses 1..N; every = N hits responses N, 2N, 3N, ...; both 0 = off.
 */
struct qsim_sel {
	unsigned first;
	unsigned every;
};

/*
 * Faults and test configuration. All-zero is a healthy modem with the defaults.
 * Spec syntax for qsim_faults_parse (comma-separated, as `--sim-fault SPEC`):
 *   delay=MS                 every frame waits MS ms (indications too, so order is kept)
 *   drop | drop=N | drop-every=N           no response at all
 *   dup-notify[=N] | dup-notify-every=N    RESPONSE_AVAILABLE sent twice for the response
 *   zero-length[=N] | zero-length-every=N  a zero-length response is fetched before the real one
 *   out-of-order[=N] | out-of-order-every=N  the response is held and sent after the next one
 *   malformed[=N] | malformed-every=N      the response's QMI TLV length is off by one
 *   data-loss[=N] | data-loss-every=N      the network loses IP packets (each way counted
 *                            on its own: data_in, data_out)
 *   data-reorder[=N] | data-reorder-every=N  a packet for the host is held back and delivered
 *                            after the next one (the two swap places)
 *   sim-absent | sim-delay=MS (SIM initialising for MS, then ready)
 *   reg-denied | reg-delay=MS (searching for MS, then registered)
 *   call-fail=N              Start Network fails with CallFailed, call end reason N
 *   call-fail-verbose=TYPE:REASON    also send the verbose call end reason
 *   call-drop=MS             the network drops each call MS ms after it connected
 *   call-drop-apn=NAME       ... only the calls on this APN (the others stay up)
 *   apn=NAME                 only this APN connects (others: call end reason 1, verbose 3GPP 27)
 *   cid-limit=N              client ids per service (default 10, max 254)
 *   cid-not-ready=MS         Allocate CID answers DeviceNotReady for MS after the start (booting)
 *   seed=N                   signal random walk seed; signal-ms=MS its period (default 1000)
 *   signal-static            no signal timer
 *   no-qmap                  a modem without QMAP: aggregation requests get InvalidArgument
 *   qmap-v1                  MAP v5 requests get InvalidArgument (v1 is granted)
 *   qmap-max=N               no aggregate granted above N bytes, each way (2048-32768)
 *   flow-control=MS          with QMAP downlink, every MS ms the modem disables, then enables,
 *                            the host's uplink (MAP flow control commands, acks counted)
 *   dl-agg=N                 with QMAP downlink, the modem grants (and fills) N-byte downlink
 *                            aggregates whatever the host asked (2048..QSIM_DL_AGG_MAX), as 5G
 *                            firmware may grant more than asked
 *   data=gateway|reflect|forward     the data side's mode (see enum qsim_data_mode)
 *   opnet=NSPATH[:IFNAME]    forward to a TUN (default name qsimop0) in that network namespace
 *   resp-stall=N             USB gadget only: the first N GetEncapsulatedResponse requests that
 *                            find a response waiting are STALLed; the response stays queued and
 *                            RESPONSE_AVAILABLE is sent again (ignored by the in-process transport)
 *   resp-stall-silent        ... and not sent again: the host must fetch again on its own
 * A hostile USB device (gadget only; the in-process transport ignores these):
 *   usb-desc=few-eps|many-eps|mps0|ep-type   descriptors that lie (enum qsim_desc_lie)
 *   resp-long                every response carries junk past its QMUX frame, more than the
 *                            host's wLength, so the rest comes with the next fetch
 *   resp-babble              a junk transfer before every response; empty fetches get junk
 *   notify-storm             every response announced 64 times
 *   notify-unknown           interrupt notifications of unknown types before each announcement
 *   bulk-garbage             a packet of random bytes before every bulk IN packet
 *   bulk-oversize            a transfer longer than the host's bulk IN buffer before every one
 *   qmux-lie                 copies of each response whose QMUX length lies go first
 *   foreign-cid              copies of each response for a client id never allocated go first
 *   ind-flood                indications without end (while fewer than 8 wait to be fetched)
 *   usb-reset=N              the gadget disconnects from the bus instead of answering the Nth
 *                            fetch that finds a response, forgets every client id as a reset
 *                            modem does, and reconnects a second later
 *   usb-reset-data=N         the same on receiving the Nth bulk OUT packet (the packet is lost)
 * The in-process transport only (the gadget ignores these; its UDC is unplugged instead):
 *   unplug=MS                MS ms after it starts, the transport fails as an unplugged USB
 *                            device does (-ENODEV); `connect` then waits and opens a fresh one,
 *                            which stays
 *   replug=MS                ... and finds it back only MS ms after the unplug (default 0)
 * A bare per-response knob (e.g. `drop`) hits every response. call-fail-verbose alone implies
 * call-fail=1 (unspecified).
 */
#define QSIM_CALL_END_UNSPECIFIED 1

/* usb-desc=: how the gadget's FunctionFS descriptors lie (bind time). */
enum qsim_desc_lie {
	QSIM_DESC_TRUE = 0,
	QSIM_DESC_FEW_EPS,  /* bNumEndpoints 2 with three endpoint descriptors following */
	QSIM_DESC_MANY_EPS, /* bNumEndpoints 5 with three */
	QSIM_DESC_MPS0,     /* wMaxPacketSize 0 on the bulk endpoints */
	QSIM_DESC_EP_TYPE,  /* the notification endpoint is bulk, the bulk OUT one interrupt */
};

#define QSIM_MAX_REFUSE 4

struct qsim_faults {
	unsigned delay_ms;
	struct qsim_sel drop, dup_notify, zero_length, out_of_order, malformed;
	struct qsim_sel data_loss;    /* IP packets, each way */
	struct qsim_sel data_reorder; /* IP packets to the host */
	bool sim_absent;
	unsigned sim_delay_ms;
	bool reg_denied;
	unsigned reg_delay_ms;
	unsigned no_service_ms; /* no-service=MS: no service at all that long after going online */
	bool low_power;         /* low-power: the operating mode starts low-power, not online */
	uint16_t call_fail_reason; /* 0 = calls succeed */
	uint16_t call_fail_verbose_type;
	int16_t call_fail_verbose_reason;
	unsigned call_drop_ms;  /* 0 = never */
	char call_drop_apn[64]; /* "" = every call */
	char apn[64];           /* "" = any APN */
	char pin[9];        /* pin=CODE: PIN1 enabled with this code; "" = PIN off (code 1234) */
	unsigned cid_limit; /* 0 = 10 */
	unsigned cid_not_ready_ms;
	uint32_t seed;      /* 0 = 1 */
	unsigned signal_ms; /* 0 = 1000 */
	bool signal_static;
	bool no_qmap;             /* no-qmap: WDA Set Data Format refuses QMAP aggregation */
	bool qmap_v1;             /* qmap-v1: MAP v5 refused, v1 granted */
	unsigned qmap_max;        /* qmap-max=N: largest aggregate granted each way (0 = own) */
	unsigned flow_control_ms; /* flow-control=MS: 0 = never */
	unsigned dl_agg;          /* dl-agg=N: the downlink aggregate size granted; 0 = asked */
	int data_mode;            /* enum qsim_data_mode */
	char opnet_ns[128];       /* "" = no operator network */
	char opnet_if[16];        /* "" = qsimop0 */
	unsigned resp_stall;      /* resp-stall=N: fetches the gadget stalls (0 = none) */
	bool resp_stall_silent;   /* resp-stall-silent: no new RESPONSE_AVAILABLE after a stall */
	int usb_desc_lie;         /* enum qsim_desc_lie */
	bool resp_long, resp_babble, notify_storm, notify_unknown;
	bool bulk_garbage, bulk_oversize, qmux_lie, foreign_cid, ind_flood;
	unsigned usb_reset_at;      /* usb-reset=N (0 = never) */
	unsigned usb_reset_data_at; /* usb-reset-data=N (0 = never) */
	unsigned unplug_ms;         /* unplug=MS (0 = never) */
	unsigned replug_ms;         /* replug=MS */
	struct {
		uint8_t svc;
		uint16_t msg_id;
	} refuse[QSIM_MAX_REFUSE]; /* refuse=SVC:MSG */
	unsigned n_refuse;
};

/* Fills *f (zeroed first) from spec; 0 or -EINVAL with a message naming the bad item in err. */
int qsim_faults_parse(struct qsim_faults *f, const char *spec, char *err, size_t errlen);

/* Where the modem's bytes go. Buffers are the modem's and valid only during the call. */
struct qsim_output {
	void (*ctrl)(void *user, const uint8_t *frame,
		     size_t len);                                 /* a frame waits to be fetched */
	void (*notify)(void *user);                               /* RESPONSE_AVAILABLE */
	void (*data)(void *user, const uint8_t *pkt, size_t len); /* an IP packet to the host */
	/* Optional: true while no data transfer toward the host can start. With QMAP the modem
	 * then keeps packing packets into its pending aggregate (up to the granted limits) and
	 * sends it from qsim_data_flush(), which the transport calls when a transfer frees. */
	bool (*data_busy)(void *user);
};

/* faults may be NULL (healthy modem); it is copied. Fails (-errno) only for resources and for
 * an operator network that cannot be opened. */
int qsim_new(struct qsim **out, struct qb_loop *loop, const struct qsim_faults *faults);
void qsim_free(struct qsim *sim); /* accepts NULL; the transport must be destroyed first */
void qsim_set_output(struct qsim *sim, const struct qsim_output *out, void *user);
/* The largest data transfer the output carries each way (its buffers); 0 or never set:
 * QSIM_DATA_MAX_DEFAULT. The modem grants no QMAP aggregate above it (nor above its own
 * QSIM_QMAP_MAX_SIZE). Set it with the output, before the host negotiates. */
void qsim_set_data_max(struct qsim *sim, size_t max);
/* The interface number that Endpoint Info (WDA Set Data Format, WDS Bind Mux Data Port) must
 * name, with the HSUSB endpoint type: the USB interface of the modem's QMI function, whose bulk
 * endpoints carry the data. A request naming another port is refused with InvalidArgument, as
 * firmware refuses a port it does not have. 0 until set (a single-function modem). */
void qsim_set_data_iface(struct qsim *sim, unsigned iface);
/* Replaces the fault set at run time (SIM/registration knobs take effect at once; data= and
 * opnet= only act in qsim_new). */
void qsim_set_faults(struct qsim *sim, const struct qsim_faults *faults);
const struct qsim_faults *qsim_get_faults(const struct qsim *sim);

/* One request frame from the host. 0, or -EBADMSG for a frame the modem ignored as invalid. */
int qsim_ctrl_in(struct qsim *sim, const uint8_t *frame, size_t len);
/* One IP packet from the host (raw-IP, or Ethernet when the data format is 802.3).
 * 0 (answered, reflected, forwarded, or dropped by the "network"), or -ENETDOWN (no call owns
 * the source address), -EBADMSG (not an IP packet), -EMSGSIZE. Counted either way. */
int qsim_data_in(struct qsim *sim, const uint8_t *pkt, size_t len);

/* With QMAP on (WDA Set Data Format, aggregation protocol 5, or 9 for MAP v5: every data frame
 * with its checksum header, the downlink ones marked valid) a data transfer from the host is an
 * aggregate of MAP frames (qsim_data_in takes the whole transfer), and packets toward the host
 * are packed into aggregates: between qsim_data_batch_begin() and _end() (a transport wraps each
 * pass over its completed transfers in one) they accumulate and go out at the end, or as soon as
 * an aggregate is full. Outside a batch each packet goes at once. No timers: packing only
 * happens for packets that are already waiting. Without QMAP these are no-ops. */
#define QSIM_QMAP_MAX_SIZE 32768    /* the largest QMAP aggregate the modem grants, each way */
#define QSIM_DL_AGG_MAX 65536       /* the largest downlink aggregate dl-agg=N grants */
#define QSIM_DATA_MAX_DEFAULT 16384 /* qsim_output.data_max when unsaid */
#define QSIM_QMAP_MAX_DGRAMS 32
void qsim_data_batch_begin(struct qsim *sim);
void qsim_data_batch_end(struct qsim *sim);
/* Sends the pending aggregate now if the transport can take it. */
void qsim_data_flush(struct qsim *sim);
/* Whether the host negotiated QMAP for downlink; the largest transfer either way. */
bool qsim_qmap_dl(const struct qsim *sim);
size_t qsim_data_max_transfer(const struct qsim *sim);

/* The in-process transport (src/qmi/transport.h) in front of this modem. The modem must outlive
 * the transport. It claims the modem's output while it exists. */
int qsim_transport_new(struct qsim *sim, struct qmi_transport *out);
/* What the in-process transport did with the modem's transfers toward the host. */
struct qsim_transport_stats {
	uint64_t rx_transfers; /* handed to the host */
	uint64_t rx_too_long;  /* longer than the host's receive size (data_set_rx): lost */
	unsigned rx_resizes;   /* data_set_rx calls */
};
/* NULL when tr is not the in-process transport. */
const struct qsim_transport_stats *qsim_transport_stats(const struct qmi_transport *tr);

/* ---- the data side as a network ---- */
enum qsim_data_mode {
	QSIM_DATA_GATEWAY =
		0,         /* answer ICMP/ICMPv6 echo at gateway and DNS addresses, drop the rest */
	QSIM_DATA_REFLECT, /* send every packet back with addresses (and UDP/TCP ports) swapped */
	QSIM_DATA_FORWARD, /* echo at the gateway; everything else goes to the forward hook */
};
typedef void (*qsim_forward_cb)(void *user, const uint8_t *pkt, size_t len);
void qsim_set_data_mode(struct qsim *sim, enum qsim_data_mode mode);
/* The packet output toward the operator network (mode FORWARD). */
void qsim_set_forward(struct qsim *sim, qsim_forward_cb cb, void *user);
/* A raw IP packet from the operator network toward the host. 0 or -ENETDOWN/-EBADMSG. */
int qsim_net_in(struct qsim *sim, const uint8_t *pkt, size_t len);

/*
 * Operator network: opens a TUN (IFF_TUN|IFF_NO_PI) named ifname inside the network namespace
 * at netns_path (e.g. /run/netns/op; a name without '/' means /run/netns/NAME) and forwards
 * between it and the data side (mode becomes FORWARD). The TUN is brought up with the operator
 * side's addresses below, whose prefix routes lead back to every subscriber session, so a peer
 * listening in that namespace is reachable at once (IPv6 is skipped where the namespace has it
 * disabled). 0 or -errno (-EPERM: no CAP_NET_ADMIN there).
 */
#define QSIM_OPNET_ADDR4 0x0A40FF01u /* 10.64.255.1/16 */
#define QSIM_OPNET_PREFIX4 16
#define QSIM_OPNET_ADDR6 "2001:db8:ffff::1" /* /32 */
#define QSIM_OPNET_PREFIX6 32
int qsim_opnet_open(struct qsim *sim, const char *netns_path, const char *ifname);
void qsim_opnet_close(struct qsim *sim);

/* ---- test and inspection hooks ---- */
unsigned qsim_cid_count(const struct qsim *sim, uint8_t svc);
/* The network ends every call: Packet Service Status (disconnected, this call end reason). */
void qsim_drop_call(struct qsim *sim, uint16_t reason);
/* Forces one signal step now (random walk + indications), as the timer does. */
void qsim_signal_step(struct qsim *sim);

struct qsim_stats {
	uint64_t requests, responses, indications;
	uint64_t invalid_frames;    /* ignored: unparsable or not a request */
	uint64_t dropped_responses; /* by the drop knob */
	uint64_t data_in, data_out; /* packets host->modem and modem->host */
	uint64_t data_in_dropped;   /* no call, not IP, not ours */
	uint64_t echo_replies;
	uint64_t forwarded;         /* to the operator network */
	uint64_t qmap_in_aggs;      /* QMAP aggregates from the host */
	uint64_t qmap_in_bad;       /* malformed or truncated MAP frames, wrong mux id */
	uint64_t qmap_in_commands;  /* MAP command frames (skipped) */
	uint64_t qmap_out_aggs;     /* aggregates sent toward the host */
	uint64_t qmap_out_dropped;  /* packets dropped: aggregate full and transport busy */
	uint64_t qmap_out_commands; /* MAP flow control commands sent (flow-control=MS) */
	uint64_t qmap_in_acks;      /* the host's acks to them */
	uint64_t qmap_in_flow_off;  /* data frames the host sent while its flow was off */
	uint64_t qmap_in_csum_req;  /* v5 frames asking the modem to compute the checksum */
};
void qsim_get_stats(const struct qsim *sim, struct qsim_stats *out);

/* Identities and addresses the modem hands out (fixed; documented for tests and docs). */
#define QSIM_MANUFACTURER "qmiusb"
#define QSIM_MODEL "Software Modem"
#define QSIM_REVISION "QSIM.01.00.00 1 [2026-11-21]"
#define QSIM_IMEI "352099001761481"
#define QSIM_IMEI_SV "01"
#define QSIM_ESN "80A1B2C3"
#define QSIM_MEID "A1000012345678"
#define QSIM_IMSI "001010123456789"
#define QSIM_ICCID "8900101012345678904"
#define QSIM_MSISDN "15555550100"
#define QSIM_MCC 1
#define QSIM_MNC 1
#define QSIM_NETWORK_NAME "qmiusb test network"
#define QSIM_LAC 0x2A0B
#define QSIM_LTE_TAC 0x1234
#define QSIM_LTE_CELL_ID 0x01A2D301u

/* Session n (0-based, per connected WDS client) gets 10.64.(n/64).(4*(n%64))/30: host .+1,
 * gateway .+2; IPv6 2001:db8:1:n::1/64, gateway 2001:db8:1:n::2. DNS is shared. */
#define QSIM_DNS4_PRIMARY 0x0A40FF35u   /* 10.64.255.53 */
#define QSIM_DNS4_SECONDARY 0x0A40FF36u /* 10.64.255.54 */
#define QSIM_MTU 1500
bool qsim_luhn_ok(const char *digits);
char qsim_luhn_digit(const char *digits_without_check); /* '0'..'9', or 0 for non-digits */

#endif
