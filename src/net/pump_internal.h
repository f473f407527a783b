/* SPDX-License-Identifier: MIT */
/* Shared between the pump's front end (pump.c) and its io_uring half (pump_uring.c). */
#ifndef QNET_PUMP_INTERNAL_H
#define QNET_PUMP_INTERNAL_H

#include "base/loop_uring.h"
#include "net/pump.h"
#include "qmi/qmap.h"

#include <stdbool.h>

struct qnet_pump;

struct pump_buf {
#ifdef QMIUSB_HAVE_URING
	struct qb_uring_op op;
#endif
	struct qnet_pump *p;
	uint8_t *data; /* buf_size bytes inside qnet_pump.mem */
	uint32_t len;
	uint16_t idx;  /* registered buffer index */
	bool flags_nowait; /* the write in flight asked for RWF_NOWAIT */
	struct pump_buf *next; /* held FIFO (uplink) or free stack (downlink) */
};

struct qnet_pump {
	struct qb_loop *loop;
	int fd;
	qnet_pump_send_fn send;
	void *send_ctx;
	unsigned reads, tx_bufs, buf_size;
	struct qnet_pump_stats st;
	bool uring;
	bool registered; /* bufs are io_uring registered buffers */
	bool write_nowait; /* io_uring writes carry RWF_NOWAIT */
	bool dead;       /* freed by the owner; waiting for the ring to return the buffers */
	bool flushing;
	bool fixed_reads;
	unsigned inflight; /* io_uring operations in the ring */
	uint8_t *mem;      /* (reads + tx_bufs) * buf_size bytes, owned */
	struct pump_buf *bufs; /* [0, reads): uplink; [reads, reads + tx_bufs): downlink */
	struct pump_buf *held_head, *held_tail;
	unsigned held;
	struct pump_buf *free_tx;
	struct qb_watch *watch; /* poll backend */
	/* QMAP: the uplink aggregate being built (agg_mem, owned), held when the transport said
	 * -ENOBUFS; on io_uring a zero-delay timer sends what one pass of completions packed. */
	bool qmap_ul, qmap_dl;
	uint8_t mux_id;
	struct qmi_qmap_agg agg;
	uint8_t *agg_mem;
	size_t agg_bytes;  /* IP bytes in agg */
	bool agg_held;
	bool paced;        /* qnet_pump_qmap.paced */
	bool awaiting;     /* paced: TUN unwatched until the next data_tx_ready */
	struct qb_timer_old *agg_timer;
#ifdef QMIUSB_HAVE_URING
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

void pump_destroy(struct qnet_pump *p);
/* QMAP uplink: adds a read packet to the aggregate (sending it first when full). False when the
 * packet is held (paused). */
bool pump_up_qmap(struct qnet_pump *p, struct pump_buf *b);
/* Sends a read packet (or holds it); true when the buffer is free again for the next read. */
bool pump_up_packet(struct qnet_pump *p, struct pump_buf *b);

#ifdef QMIUSB_HAVE_URING
/* first_held: bufs[0] holds a packet already (read by the NOWAIT probe, paused). */
int pump_uring_start(struct qnet_pump *p, bool first_held);
void pump_uring_stop(struct qnet_pump *p);
/* Uplink buffer b is free: read into it again (a fixed read, or back into the buffer ring). */
void pump_uring_read(struct qnet_pump *p, struct pump_buf *b);
void pump_uring_write(struct qnet_pump *p, const uint8_t *pkt, size_t len);
#endif

#endif
