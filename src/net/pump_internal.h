/* SPDX-License-Identifier: MIT */
/*
 * Inside the pump. Two small tables of operations meet in struct qnet_pump:
 *   - a framing (pump_rawip.c, pump_qmap.c) says how packets become transfers to the modem and
 *     back: one packet per transfer, or MAP aggregates; uplink and downlink choose separately;
 *   - a backend (pump_poll.c, pump_uring.c) moves bytes to and from the TUN.
 * pump.c holds what both share: the buffers, the backpressure rule and the pump's lifetime.
 */
#ifndef QNET_PUMP_INTERNAL_H
#define QNET_PUMP_INTERNAL_H

#include "base/list.h"
#include "base/loop.h"
#include "base/loop_uring.h"
#include "net/gro.h"
#include "net/gso.h"
#include "net/pump.h"
#include "qmi/qmap.h"

#include <stdbool.h>

struct pump_buf {
#ifdef QMIUSB_HAVE_URING
	struct qb_uring_op op;
#endif
	struct qnet_pump *p;
	uint8_t *data; /* buf_size bytes inside qnet_pump.mem */
	uint32_t len;
	uint16_t idx;        /* registered buffer index */
	bool flags_nowait;   /* the write in flight asked for RWF_NOWAIT */
	struct qb_list node; /* on qnet_pump.held (uplink) or qnet_pump.free_tx (downlink) */
};

struct pump_framing {
	/* Uplink. Passes one read packet on: 0 when b is free again (sent, packed or dropped and
	 * counted), -ENOBUFS when the modem refused it and it must be held. */
	int (*up)(struct qnet_pump *p, struct pump_buf *b);
	/* The modem has room again: send what waits. */
	void (*tx_ready)(struct qnet_pump *p);
	/* A backend that reads in passes (pump_backend.passes) asks where the next packet goes
	 * (NULL: stop this pass), reports its length, and ends each pass. */
	uint8_t *(*read_buf)(struct qnet_pump *p);
	void (*read_done)(struct qnet_pump *p, uint8_t *data, size_t len);
	void (*pass_end)(struct qnet_pump *p);
	/* Downlink: one transfer from the modem. */
	void (*down)(struct qnet_pump *p, const uint8_t *buf, size_t len);
};

struct pump_backend {
	/* Reads the TUN in passes from a readiness callback (poll), rather than one completion
	 * per packet (io_uring): the framing may read straight into its transfer, and learns
	 * where a pass ends. */
	bool passes;
	/* first_held: bufs[0] holds a packet already (read by the NOWAIT probe, then held). */
	int (*start)(struct qnet_pump *p, bool first_held);
	/* Stops the I/O; returns the operations still in the kernel's hands. */
	unsigned (*stop)(struct qnet_pump *p);
	/* Releases what the backend registered with the kernel, once nothing is in flight. */
	void (*release)(struct qnet_pump *p);
	/* Uplink buffer b is free again: read into it. */
	void (*recycle)(struct qnet_pump *p, struct pump_buf *b);
	/* TUN reads stop (backpressure) or resume. */
	void (*pause)(struct qnet_pump *p, bool paused);
	/* Reads the TUN once, in a pass (passes only). */
	void (*pass)(struct qnet_pump *p);
	/* Downlink: one packet, already checked, to the TUN. */
	void (*write)(struct qnet_pump *p, const uint8_t *pkt, size_t len);
};

/* MAP command answers waiting for the transport, oldest first; each is one whole frame. A pump
 * keeps them when it talks to the transport alone, a struct qnet_mux when it has one. The
 * counters point into the owner's stats. */
#define PUMP_CMD_QUEUE 8
struct pump_cmds {
	uint8_t frame[PUMP_CMD_QUEUE][QMI_QMAP_HDR_LEN + QMI_QMAP_CMD_MAX];
	uint8_t len[PUMP_CMD_QUEUE];
	unsigned head, n;
	uint64_t *answers, *drop_answer, *bad;
};

extern const struct pump_framing pump_rawip;
extern const struct pump_framing pump_qmap;
extern const struct pump_backend pump_poll;
#ifdef QMIUSB_HAVE_URING
extern const struct pump_backend pump_uring;
#endif

struct qnet_pump {
	struct qb_loop *loop;
	int fd;
	qnet_pump_send_fn send;
	void *send_ctx;
	const struct pump_framing *ul, *dl;
	const struct pump_backend *be;
	unsigned reads, tx_bufs, buf_size;
	unsigned pass_max; /* packets per read pass (passes backends) */
	struct qnet_pump_stats st;
	bool closing;  /* freed by its owner: events are ignored, the close waits for the ring */
	bool flushing; /* inside data_tx_ready */
	bool fixed_reads;
	uint8_t *mem;          /* (reads + tx_bufs) * buf_size bytes, owned */
	struct pump_buf *bufs; /* [0, reads): uplink; [reads, reads + tx_bufs): downlink */
	struct qb_list held;   /* uplink packets the modem refused, oldest first */
	unsigned held_n;
	struct qb_list free_tx; /* downlink buffers not in flight */
	struct qb_close close;
	struct qb_watch *watch; /* poll backend */
	/* QMAP uplink: the aggregate being built (agg_mem, owned), held when the transport said
	 * -ENOBUFS. On io_uring a zero-delay timer sends what one pass of completions packed. */
	uint8_t mux_id;
	struct qmi_qmap_agg agg;
	uint8_t *agg_mem;
	size_t agg_bytes; /* IP bytes in agg */
	bool agg_held;
	bool paced;    /* qnet_pump_qmap.paced */
	bool awaiting; /* paced: TUN reads wait for the next data_tx_ready */
	struct qb_timer agg_timer;
	bool v5;       /* downlink frames carry the v5 checksum header */
	bool flow_off; /* the modem disabled this mux id's uplink (MAP flow control) */
	struct pump_cmds cmds;
	/* TUN offloads (pump_offload.c). off_mem (owned): a super-packet being cut (gso), and
	 * where merged downlink packets are built (gro). */
	unsigned offloads;
	uint8_t *off_mem;
	struct qnet_gso gso;
	bool gso_on;       /* segments of gso are left */
	bool csum_offload; /* MAP v5 uplink: partial checksums go to the modem */
	bool up_csum_req;  /* the packet being passed on asks the modem */
	struct qnet_gro gro;
	char desc[128]; /* qnet_pump_backend with offloads or in place */
	/* In place (qnet_pump_opts.tx): the transport's buffer lent to the pump (NULL: none
	 * now), a raw-IP packet in it the transport refused (lent_len > 0), and no buffer to
	 * lend (lent_wait): reads wait for data_tx_ready. With QMAP, agg.buf is lent or agg_mem. */
	bool inplace;
	struct qnet_pump_tx tx;
	uint8_t *lent;
	size_t lent_cap, lent_len;
	bool lent_wait;
	size_t agg_size; /* qnet_pump_qmap.ul_max_size */
#ifdef QMIUSB_HAVE_URING
	bool registered;   /* bufs are io_uring registered buffers */
	bool write_nowait; /* io_uring writes carry RWF_NOWAIT */
	unsigned inflight; /* io_uring operations in the ring */
	/* Multishot reads (Linux 6.7+): one request reads every packet into buffers the kernel
	 * picks from a provided-buffer ring, instead of `reads` requests racing for each
	 * wakeup. The uplink buffers live in that ring while free. */
	bool multishot;
	bool ms_armed;
	struct io_uring_buf_ring *br;
	unsigned br_entries;
	int bgid;
	struct qb_uring_op ms_op;
#endif
};

/* ---- pump.c: the backpressure rule, shared by every framing and backend ---- */

/* True while uplink packets wait for data_tx_ready: a held packet or a held aggregate. */
bool pump_blocked(const struct qnet_pump *p);
/* A read packet: passed to the framing, or held behind what already waits (TUN reads then
 * stop). True when b is free again for the next read. */
bool pump_up_packet(struct qnet_pump *p, struct pump_buf *b);
/* Passes held packets on, oldest first, until the modem refuses again. True when nothing
 * stays blocked. */
bool pump_release_held(struct qnet_pump *p);
/* Counts a packet (or an aggregate of `frames`) the modem refused; new_pause when nothing of
 * the kind was held before. */
void pump_note_refused(struct qnet_pump *p, unsigned frames, bool new_pause);
/* A closing pump has nothing left in the kernel's hands: the backend releases what it
 * registered, and the pump is freed once no callback is on the stack (qb_loop_close). */
void pump_closed(struct qnet_pump *p);

/* A failed TUN read (not a packet): counted; the backend stops reading. */
void pump_read_error(struct qnet_pump *p, int err);

/* In place: the transport's buffer, lent (or the one lent already). 0, -ENOBUFS (lent_wait is
 * set: data_tx_ready follows), or another -errno (the transport failed: copy instead). */
int pump_lend(struct qnet_pump *p);

/* pump_qmap.c: agg_timer's callback. */
void pump_agg_timer_fire(void *user);

/* One downlink packet: checked, then written by the backend. */
void pump_down_packet(struct qnet_pump *p, const uint8_t *pkt, size_t len);
/* The check: an IP packet that fits a buffer, or false (dropped and counted). */
bool pump_down_check(struct qnet_pump *p, const uint8_t *pkt, size_t len);

/* ---- pump_offload.c: the TUN with a virtio-net header (poll backend) ---- */

/* The super-packet buffer, then the merge buffer. */
#define PUMP_OFF_GSO_MAX 65536
#define PUMP_OFF_GRO_MAX 65535
/* Buffers for the offloads in p->offloads. 0 or -ENOMEM. */
int pump_off_init(struct qnet_pump *p);
/* One step of a read pass: a segment of the super-packet being cut, or else one TUN read. 2: a
 * segment passed on; 1: a read (a packet passed on, a super-packet started, or one dropped and
 * counted); 0: nothing now (no room, or the TUN is empty); -errno: the read failed. */
int pump_off_up(struct qnet_pump *p);
/* A downlink packet to the TUN with an empty header (nothing to say about it). */
void pump_off_write(struct qnet_pump *p, const uint8_t *pkt, size_t len);
/* A downlink packet of a transfer, offered for merging (csum_valid: the modem checked it);
 * pump_down_end() sends what was gathered when the transfer ends. */
void pump_off_down(struct qnet_pump *p, const uint8_t *pkt, size_t len, bool csum_valid);
void pump_down_end(struct qnet_pump *p);

/* ---- pump_qmap.c: what a pump alone and a struct qnet_mux share ---- */

/* One MAP data frame for p: its checksum verdict counted, the packet written. */
void pump_qmap_data(struct qnet_pump *p, const struct qmi_qmap_frame *f);
/* One MAP command frame: flow control applied to target (NULL: no session has that mux id) and
 * the answer queued in q (send it with pump_cmds_flush). */
void pump_qmap_command(struct pump_cmds *q, struct qnet_pump *target,
		       const struct qmi_qmap_frame *f);
/* Sends the queued answers, oldest first, until the transport refuses one (-ENOBUFS: it stays)
 * or *stop turns true (a send freed the sender). True when none waits. */
bool pump_cmds_flush(struct pump_cmds *q, qnet_pump_send_fn send, void *ctx, const bool *stop);

#endif
