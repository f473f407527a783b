/* SPDX-License-Identifier: MIT */
/*
 * The data pump: raw IP packets between a TUN fd and the modem's data channel.
 *
 * Uplink (TUN -> modem): on io_uring, one multishot read fills `reads` buffers from a provided
 * buffer ring (Linux 6.7+), or else `reads` reads on registered buffers are always in flight;
 * on poll(), a watch reads up to `reads` packets per wakeup. A TUN that cannot do non-blocking
 * attempts (no FMODE_NOWAIT, e.g. Linux 6.1) gets the poll() way on either loop: io_uring would
 * hand each of its reads and writes to a kernel worker thread (4x slower in the VM benchmark).
 * Each packet goes to send(); when it answers -ENOBUFS the packet is held and TUN reads pause
 * until qnet_pump_data_tx_ready(). At most `reads` packets are ever held; the rest wait in the
 * TUN's own kernel queue.
 * Downlink (modem -> TUN): qnet_pump_data_rx() copies the packet into one of `tx_bufs` buffers and
 * queues a write (io_uring), or writes it at once (poll()). No buffer free: the packet is dropped
 * and counted. Every dropped packet is counted under its reason; nothing allocates per packet.
 * With QMAP (qnet_pump_set_qmap) uplink packets are packed into MAP aggregates, one transfer per
 * wakeup (or per completed transfer when paced), and each downlink transfer is split into TUN
 * writes; on io_uring reads, the pump's zero-delay timer closes each uplink aggregate. MAP
 * commands from the modem are answered; flow control stops and resumes the uplink (packets wait,
 * as under backpressure). With several sessions (mux ids) on one modem, a struct qnet_mux sits
 * between the transport and one pump per session.
 * With TUN offloads (qnet_pump_opts.offloads, pump_offload.c) the TUN is read in passes on either
 * loop: a super-packet is cut into segments where the framing puts packets, and the TCP segments
 * of one downlink transfer are merged into one write.
 * With transfers built in place (qnet_pump_opts.tx) the framing puts packets in the transport's
 * own buffer, also read in passes: no uplink byte is copied after the TUN read.
 */
#ifndef QNET_PUMP_H
#define QNET_PUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct qb_loop;
struct qmi_transport;
struct qnet_pump;

/* Transfers built in place (qmi_transport data_tx_buf/data_tx_send, same contract): buf() lends
 * the transport's next transfer buffer, send() sends its first len bytes. */
struct qnet_pump_tx {
	int (*buf)(void *ctx, uint8_t **buf, size_t *cap);
	int (*send)(void *ctx, size_t len);
	void *ctx;
};

struct qnet_pump_opts {
	unsigned reads;    /* uplink buffers: TUN reads in flight / per wakeup; 0: 16 */
	unsigned tx_bufs;  /* downlink buffers (io_uring); 0: 64 */
	unsigned buf_size; /* bytes per buffer, above the MTU; 0: 2048 */
	bool fixed_reads;  /* io_uring: fixed reads even where multishot reads exist (6.7+) */
	/* The TUN's offloads (struct qnet_tun.offloads, QNET_OFF_* in net/offload.h). With
	 * QNET_OFF_VNET every TUN packet carries the virtio-net header and the pump reads the TUN
	 * in passes (poll): super-packets are cut into segments straight into the aggregate or the
	 * raw-IP transfer, partial checksums finished (or, on MAP v5, left to the modem with the
	 * frame's "compute it" bit), and in-order TCP segments of one downlink aggregate are
	 * merged into one TUN write. */
	unsigned offloads;
	/* NULL: every uplink transfer is handed to send() and copied there. Else the TUN is read
	 * in passes on either loop, each packet straight into the lent buffer: the raw-IP
	 * transfer, or the next frame of the MAP aggregate being built there. */
	const struct qnet_pump_tx *tx;
};

struct qnet_pump_stats {
	uint64_t up_pkts, up_bytes;     /* read from the TUN and accepted by the modem side */
	uint64_t down_pkts, down_bytes; /* from the modem, written to the TUN */
	uint64_t up_paused;             /* times TUN reads paused for backpressure */
	unsigned up_held_max;           /* most packets held at once while paused */
	uint64_t up_read_errors;        /* failed TUN reads (not packets) */
	int up_last_read_error;         /* -errno of the last one */
	/* drops, by reason */
	uint64_t drop_up_too_big;   /* TUN packet as large as the buffer: maybe truncated */
	uint64_t drop_up_bad;       /* TUN packet the system's framing rejected (EPROTO) */
	uint64_t drop_up_send;      /* the modem side refused it with another error than -ENOBUFS */
	uint64_t drop_down_no_buf;  /* every downlink buffer in flight / TUN queue full */
	uint64_t drop_down_too_big; /* modem packet larger than a buffer */
	uint64_t drop_down_bad;     /* empty, or neither IPv4 nor IPv6 */
	uint64_t drop_down_write;   /* the TUN write failed or was short */
	/* QMAP (qnet_pump_set_qmap) */
	uint64_t up_aggs;              /* uplink transfers sent (each an aggregate) */
	uint64_t down_aggs;            /* downlink transfers deaggregated */
	uint64_t down_qmap_commands;   /* MAP command frames skipped (not a drop) */
	uint64_t drop_down_qmap_bad;   /* malformed MAP frames, or for another mux id */
	uint64_t drop_down_qmap_trunc; /* transfers whose tail was cut (length past the end) */
	/* MAP v5 (qnet_pump_qmap.v5): downlink packets by the modem's checksum verdict */
	uint64_t down_csum_valid, down_csum_unchecked;
	/* MAP commands (kept by the pump alone, or by its struct qnet_mux when it has one) */
	uint64_t qmap_flow_off;         /* times the modem disabled this session's uplink */
	uint64_t qmap_cmd_answers;      /* answers (acks, "unsupported") sent to the modem */
	uint64_t qmap_cmd_answers_lost; /* too many waiting, or the send failed */
	uint64_t qmap_cmd_bad;          /* command frames too short or too long to answer */
	/* TUN offloads (qnet_pump_opts.offloads) */
	uint64_t up_gso_pkts, up_gso_segs;     /* super-packets read, segments cut from them */
	uint64_t up_csum_done;                 /* partial checksums finished here */
	uint64_t up_csum_modem;                /* ... left to the modem (MAP v5) */
	uint64_t down_gro_pkts, down_gro_segs; /* merged TUN writes, segments in them */
	/* Uplink bytes handed to send(), which copies them (0 with qnet_pump_opts.tx, where only
	 * MAP command answers go that way) */
	uint64_t up_copied_bytes;
};

/* The QMAP data format the modem granted (WDA Set Data Format, aggregation protocol 5). */
struct qnet_pump_qmap {
	bool ul, dl;            /* uplink aggregates / downlink deaggregation */
	uint8_t mux_id;         /* 0: the default data port */
	unsigned ul_max_dgrams; /* packets per uplink transfer, as granted; 0: 1 */
	size_t ul_max_size;     /* bytes per uplink transfer, as granted (<= the transport's) */
	/* The transport reports every completed transfer (qmi_transport data_set_inflight): after
	 * sending an aggregate the pump stops watching the TUN and packs what arrived meanwhile
	 * on the next data_tx_ready, instead of waking up for each packet. */
	bool paced;
	/* MAP v5 (aggregation protocol 9 granted): each data frame carries the checksum header. */
	bool v5;
	/* v5 uplink: ask the modem to compute the transport checksum of every frame. Off where, as
	 * on a TUN without offloads, every packet arrives with its checksum already complete: the
	 * modem would sum over it. With TUN checksum offload a v5 pump asks for each packet whose
	 * checksum is partial, whatever this says. */
	bool ul_csum_req;
};

/* Sends one packet to the modem: 0, -ENOBUFS (full, data_tx_ready follows), or -errno. */
typedef int (*qnet_pump_send_fn)(void *ctx, const uint8_t *pkt, size_t len);

/* tun_fd stays the caller's (keep it open until qnet_pump_free()); its O_NONBLOCK flag is set
 * to what the backend needs. 0 or -errno. */
int qnet_pump_new(struct qnet_pump **out, struct qb_loop *loop, int tun_fd, qnet_pump_send_fn send,
		  void *send_ctx, const struct qnet_pump_opts *opts);
/* Stops the pump: from now on it ignores every event. It is freed from the loop (qb_loop_close)
 * once no callback is on the stack and the kernel has let go of its io_uring buffers (at the
 * latest in qb_loop_free()), so it may be called from inside the pump's send(). Accepts NULL. */
void qnet_pump_free(struct qnet_pump *p);

/* The transport's data callbacks (struct qmi_transport_cbs / qmi_dev_data_cbs), user = pump. */
void qnet_pump_data_rx(void *pump, const uint8_t *pkt, size_t len);
void qnet_pump_data_tx_ready(void *pump);

/* A qnet_pump_send_fn over a struct qmi_transport (ctx = the transport). */
int qnet_pump_send_transport(void *transport, const uint8_t *pkt, size_t len);
/* The in-place operations of a struct qmi_transport, when it offers them (ctx = the transport;
 * it must outlive the pump). 0, or -ENOTSUP. */
int qnet_pump_tx_transport(struct qnet_pump_tx *out, struct qmi_transport *t);

/*
 * Switches the data format at run time (after the modem answered Set Data Format); NULL or both
 * directions off: raw IP. With ul on, packets read from the TUN in one wakeup are packed into one
 * transfer (natural batching: never waiting for more), bounded by the granted limits; with dl on,
 * each transfer from the modem is split into TUN writes, every frame length checked. A packet
 * held for backpressure under the old format is sent first. 0 or -EINVAL / -ENOMEM.
 */
int qnet_pump_set_qmap(struct qnet_pump *p, const struct qnet_pump_qmap *q);

/* The uplink of this session, as MAP flow control commands set it (true at the start). While
 * off, read packets wait as under backpressure; switching it on sends them. */
void qnet_pump_set_flow(struct qnet_pump *p, bool on);
bool qnet_pump_flow(const struct qnet_pump *p);

const struct qnet_pump_stats *qnet_pump_stats(const struct qnet_pump *p);
uint64_t qnet_pump_drops(const struct qnet_pump_stats *s); /* the sum of the drop_* counters */
/* "io_uring multishot", "io_uring fixed" or "poll", and the offloads in use after a comma
 * ("poll, offloads csum tso4 tso6 gro") */
const char *qnet_pump_backend(const struct qnet_pump *p);

/*
 * Several sessions on one modem (QMAP, one mux id each, one pump and TUN each), sharing the
 * transport. Set up:
 *   qnet_mux_new(&m, qnet_pump_send_transport, &transport);   transport callbacks -> the mux
 *   optionally, in place: qnet_pump_tx_transport(&t, &transport); qnet_mux_tx(m, &t, &tx);
 *                         opts.tx = &tx for each session
 *   for each session: qnet_pump_new(&p, loop, tun_fd, qnet_mux_send, m, opts);
 *                     qnet_pump_set_qmap(p, &{.ul, .dl, .mux_id, .v5, ...});
 *                     qnet_mux_attach(m, mux_id, p);
 * The mux splits each downlink transfer by mux id into the sessions' pumps (each counts its own
 * packets and bytes), answers MAP commands and applies flow control to the session named, and
 * passes data_tx_ready on to every session, starting with a different one each time. Frames for
 * a mux id nobody attached are dropped and counted. Tear down: qnet_mux_detach() then
 * qnet_pump_free() each session, qnet_mux_free() last.
 */
struct qnet_mux;

struct qnet_mux_stats {
	uint64_t down_aggs;          /* downlink transfers split */
	uint64_t down_qmap_commands; /* MAP command frames */
	uint64_t drop_down_unknown;  /* data frames for a mux id no session has */
	uint64_t drop_down_qmap_bad; /* malformed frames */
	uint64_t drop_down_qmap_trunc;
	uint64_t qmap_cmd_answers, qmap_cmd_answers_lost, qmap_cmd_bad; /* as in a pump */
};

/* send/send_ctx: the transport (qnet_pump_send_transport and the struct qmi_transport). 0 or
 * -ENOMEM / -EINVAL. */
int qnet_mux_new(struct qnet_mux **out, qnet_pump_send_fn send, void *send_ctx);
/* Accepts NULL. Every attached pump must be detached or freed (qnet_pump_free) first. */
void qnet_mux_free(struct qnet_mux *m);
/* The data format granted: downlink frames carry the v5 checksum header. */
void qnet_mux_set_v5(struct qnet_mux *m, bool v5);
/* p receives mux_id's packets from now on (set its QMAP format with the same mux id). 0, or
 * -EEXIST (the mux id has a session), -EINVAL. */
int qnet_mux_attach(struct qnet_mux *m, uint8_t mux_id, struct qnet_pump *p);
void qnet_mux_detach(struct qnet_mux *m, uint8_t mux_id);
/* The pumps' qnet_pump_send_fn (ctx = the mux). */
int qnet_mux_send(void *mux, const uint8_t *buf, size_t len);
/* The pumps' in-place operations over the transport's (tx, qnet_pump_tx_transport), for
 * qnet_pump_opts.tx: a lone session builds its aggregates in the transport's buffer (several
 * copy theirs: one buffer is lent at a time), after the MAP command answers. */
void qnet_mux_tx(struct qnet_mux *m, const struct qnet_pump_tx *tx, struct qnet_pump_tx *out);
/* The transport's data callbacks, user = the mux. */
void qnet_mux_data_rx(void *mux, const uint8_t *buf, size_t len);
void qnet_mux_data_tx_ready(void *mux);
const struct qnet_mux_stats *qnet_mux_stats(const struct qnet_mux *m);

#endif
