/* SPDX-License-Identifier: MIT */
/*
 * QMAP framing: uplink packets packed into MAP aggregates within the limits the modem granted,
 * one transfer per read pass (natural batching: never waiting for more) or, when paced, per
 * completed transfer; each downlink transfer split into its frames, every length checked. MAP
 * commands are answered from a small fixed queue; flow control holds the uplink aggregate the
 * way a refusing transport does, so the backpressure rule does the rest.
 */
#include "net/pump_internal.h"

#include <errno.h>
#include <stdlib.h>

/* In place: an empty aggregate moves into the transport's lent buffer. 0 (there, or in agg_mem
 * when the transport failed or lends too little: the copy path tells), or -ENOBUFS (no buffer
 * now: data_tx_ready follows). */
static int agg_lend(struct qnet_pump *p)
{
	int ret;

	if (!p->inplace || p->agg.len || (p->lent && p->agg.buf == p->lent))
		return 0;
	ret = pump_lend(p);
	if (ret == -ENOBUFS)
		return ret;
	if (ret < 0)
		return 0;
	p->agg.buf = p->lent;
	p->agg.cap = p->lent_cap < p->agg_size ? p->lent_cap : p->agg_size;
	if (!qmi_qmap_agg_room(&p->agg, p->buf_size)) {
		p->agg.buf = p->agg_mem;
		p->agg.cap = p->agg_size;
	}
	return 0;
}

/* Sends the aggregate: 0 (sent, or dropped and counted), or -ENOBUFS (held until tx_ready). */
static int agg_send(struct qnet_pump *p)
{
	bool lent = p->lent && p->agg.buf == p->lent;
	int ret;

	if (!p->agg.len || p->closing)
		return 0;
	if (p->flow_off)
		ret = -ENOBUFS;
	else if (lent)
		ret = p->tx.send(p->tx.ctx, p->agg.len);
	else
		ret = p->send(p->send_ctx, p->agg.buf, p->agg.len);
	if (ret == -ENOBUFS) {
		pump_note_refused(p, p->agg.frames, !p->agg_held);
		p->agg_held = true;
		return ret;
	}
	if (ret < 0) {
		p->st.drop_up_send += p->agg.frames;
	} else {
		p->st.up_pkts += p->agg.frames;
		p->st.up_bytes += p->agg_bytes;
		p->st.up_aggs++;
		p->st.up_copied_bytes += lent ? 0 : p->agg.len;
	}
	p->agg_held = false;
	if (lent) {
		/* Sent, or the transport failed: the next aggregate asks for a buffer anew. */
		p->lent = NULL;
		p->agg.buf = p->agg_mem;
		p->agg.cap = p->agg_size;
	}
	qmi_qmap_agg_reset(&p->agg);
	p->agg_bytes = 0;
	return 0;
}

static int qmap_up(struct qnet_pump *p, struct pump_buf *b)
{
	int ret = agg_lend(p) < 0 ? -ENOBUFS : qmi_qmap_agg_add(&p->agg, b->data, b->len);

	if (ret == -ENOBUFS)
		return ret;
	if (ret == -ENOSPC) {
		if (agg_send(p) < 0 || agg_lend(p) < 0)
			return -ENOBUFS;
		ret = qmi_qmap_agg_add(&p->agg, b->data, b->len);
	}
	if (ret < 0) {
		p->st.drop_up_too_big++; /* above the granted aggregate size */
		return 0;
	}
	p->agg_bytes += b->len;
	if (!qmi_qmap_agg_room(&p->agg, p->buf_size))
		agg_send(p); /* full: held or not, the packet is in the aggregate */
	else if (!p->be->passes)
		qb_timer_start(&p->agg_timer,
			       0); /* no pass end to wait for: after these completions */
	return 0;
}

void pump_agg_timer_fire(void *user)
{
	struct qnet_pump *p = user;

	if (!p->agg_held)
		agg_send(p);
}

static void qmap_tx_ready(struct qnet_pump *p)
{
	bool waited = p->lent_wait;

	p->lent_wait = false;
	/* Reading in passes, straight into the aggregate: a completed transfer (paced), or a slot
	 * freed while the aggregate is held (or a buffer to lend), first lets what waits in the
	 * TUN join it. */
	if (p->be->passes &&
	    (p->awaiting || ((p->agg_held || waited) && qb_list_empty(&p->held)))) {
		p->awaiting = false;
		p->agg_held = false;
		p->be->pass(p);
		return;
	}
	if (p->agg_held && agg_send(p) == -ENOBUFS)
		return;
	if (pump_release_held(p))
		agg_send(p);
}

/* Reading in passes: into the aggregate itself, no copy. */
static uint8_t *qmap_read_buf(struct qnet_pump *p)
{
	uint8_t *dst = agg_lend(p) < 0 ? NULL : qmi_qmap_agg_reserve(&p->agg, p->buf_size);

	if (!dst && !p->lent_wait && agg_send(p) == 0 && agg_lend(p) == 0)
		dst = qmi_qmap_agg_reserve(&p->agg, p->buf_size);
	/* NULL: held, or no buffer lent (set_qmap made sure a packet fits an empty aggregate) */
	return dst;
}

static void qmap_read_done(struct qnet_pump *p, uint8_t *data, size_t len)
{
	qmi_qmap_agg_commit(&p->agg, len);
	if (p->up_csum_req)
		qmi_qmap_agg_ask_csum(&p->agg);
	p->agg_bytes += len;
}

static void qmap_pass_end(struct qnet_pump *p)
{
	bool any = p->agg.len > 0;

	/* Paced: the transfer's completion (data_tx_ready) brings the next pass. */
	if (!p->agg_held && agg_send(p) == 0 && any && p->paced)
		p->awaiting = true;
}

void pump_qmap_data(struct qnet_pump *p, const struct qmi_qmap_frame *f)
{
	if (p->closing)
		return;
	if (f->csum_hdr && f->csum_valid)
		p->st.down_csum_valid++;
	else if (f->csum_hdr)
		p->st.down_csum_unchecked++;
	if (p->offloads & QNET_OFF_VNET)
		pump_off_down(p, f->pkt, f->len, f->csum_hdr && f->csum_valid);
	else
		pump_down_packet(p, f->pkt, f->len);
}

void pump_qmap_command(struct pump_cmds *q, struct qnet_pump *target,
		       const struct qmi_qmap_frame *f)
{
	enum qmi_qmap_cmd_type answer = QMI_QMAP_CMD_ACK;
	struct qmi_qmap_cmd c;
	unsigned slot;
	int n;

	if (qmi_qmap_cmd_parse(f->pkt, f->len, &c) < 0 || f->len > QMI_QMAP_CMD_MAX) {
		(*q->bad)++;
		return;
	}
	if (c.type != QMI_QMAP_CMD_REQUEST)
		return; /* an answer, and the host asks nothing */
	if (c.name != QMI_QMAP_CMD_FLOW_DISABLE && c.name != QMI_QMAP_CMD_FLOW_ENABLE)
		answer = QMI_QMAP_CMD_UNSUPPORTED;
	if (q->n == PUMP_CMD_QUEUE) {
		(*q->drop_answer)++; /* the modem asks again if it must */
	} else {
		slot = (q->head + q->n) % PUMP_CMD_QUEUE;
		n = qmi_qmap_cmd_answer(q->frame[slot], sizeof(q->frame[slot]), f->mux_id, f->pkt,
					f->len, answer);
		q->len[slot] = (uint8_t)n;
		q->n++;
	}
	/* A mux id without a session has no uplink to stop: acknowledged all the same. */
	if (answer == QMI_QMAP_CMD_ACK && target)
		qnet_pump_set_flow(target, c.name == QMI_QMAP_CMD_FLOW_ENABLE);
}

bool pump_cmds_flush(struct pump_cmds *q, qnet_pump_send_fn send, void *ctx, const bool *stop)
{
	while (q->n && !*stop) {
		int ret = send(ctx, q->frame[q->head], q->len[q->head]);

		if (ret == -ENOBUFS)
			return false;
		if (ret < 0)
			(*q->drop_answer)++;
		else
			(*q->answers)++;
		q->head = (q->head + 1) % PUMP_CMD_QUEUE;
		q->n--;
	}
	return !q->n;
}

/* One transfer of MAP frames: each is judged alone, so a bad frame costs only itself, unless
 * its length cannot be trusted (then the rest of this transfer is lost, and counted). */
static void qmap_down(struct qnet_pump *p, const uint8_t *buf, size_t len)
{
	struct qmi_qmap_iter it;
	struct qmi_qmap_frame f;
	int r;

	p->st.down_aggs++;
	if (p->v5)
		qmi_qmap_iter_init_v5(&it, buf, len);
	else
		qmi_qmap_iter_init(&it, buf, len);
	while ((r = qmi_qmap_next(&it, &f)) > 0 && !p->closing) {
		if (f.kind == QMI_QMAP_COMMAND) {
			p->st.down_qmap_commands++;
			pump_qmap_command(&p->cmds, f.mux_id == p->mux_id ? p : NULL, &f);
		} else if (f.kind == QMI_QMAP_BAD || f.mux_id != p->mux_id) {
			p->st.drop_down_qmap_bad++;
		} else {
			pump_qmap_data(p, &f);
		}
	}
	if (r < 0)
		p->st.drop_down_qmap_trunc++;
	if (!p->closing)
		pump_down_end(p);
	pump_cmds_flush(&p->cmds, p->send, p->send_ctx, &p->closing);
}

const struct pump_framing pump_qmap = {
	.up = qmap_up,
	.tx_ready = qmap_tx_ready,
	.read_buf = qmap_read_buf,
	.read_done = qmap_read_done,
	.pass_end = qmap_pass_end,
	.down = qmap_down,
};

int qnet_pump_set_qmap(struct qnet_pump *p, const struct qnet_pump_qmap *q)
{
	bool ul = q && q->ul, dl = q && q->dl;
	uint8_t *mem = NULL;

	if (pump_blocked(p) || p->agg.len)
		return -EBUSY; /* packets framed for the old format are still waiting */
	if (ul) {
		size_t size = q->ul_max_size;

		if (size < QMI_QMAP_HDR_LEN + (q->v5 ? QMI_QMAP_V5_HDR_LEN : 0) + p->buf_size ||
		    size > QMI_QMAP_MAX_PAYLOAD + 1)
			return -EINVAL;
		mem = malloc(size);
		if (!mem)
			return -ENOMEM;
		free(p->agg_mem);
		p->agg_mem = mem;
		p->agg_size = size;
		qmi_qmap_agg_init(&p->agg, mem, size, q->ul_max_dgrams ? q->ul_max_dgrams : 1,
				  q->mux_id, true);
		qmi_qmap_agg_set_v5(&p->agg, q->v5, q->ul_csum_req);
	}
	p->ul = ul ? &pump_qmap : &pump_rawip;
	p->dl = dl ? &pump_qmap : &pump_rawip;
	/* One pass may fill a whole aggregate. */
	p->pass_max = ul && p->agg.max_frames > p->reads ? p->agg.max_frames : p->reads;
	p->paced = ul && q->paced;
	if (p->awaiting && !p->paced) {
		p->awaiting = false;
		p->be->pause(p, false);
	}
	p->mux_id = q ? q->mux_id : 0;
	p->v5 = dl && q->v5;
	/* MAP v5 granted: the modem computes what the TUN left partial (the frame asks). */
	p->csum_offload = ul && q->v5 && (p->offloads & QNET_OFF_CSUM);
	return 0;
}

void qnet_pump_set_flow(struct qnet_pump *p, bool on)
{
	if (on == !p->flow_off)
		return;
	p->flow_off = !on;
	if (!on)
		p->st.qmap_flow_off++;
	else
		qnet_pump_data_tx_ready(p); /* what waited goes now */
}

bool qnet_pump_flow(const struct qnet_pump *p)
{
	return !p->flow_off;
}
