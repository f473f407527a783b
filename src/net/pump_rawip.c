/* SPDX-License-Identifier: MIT */
/* Raw IP framing: each packet is one transfer, both ways. */
#include "net/pump_internal.h"

#include <errno.h>

static int rawip_up(struct qnet_pump *p, struct pump_buf *b)
{
	int ret = p->flow_off ? -ENOBUFS : p->send(p->send_ctx, b->data, b->len);

	if (ret == -ENOBUFS)
		return ret;
	if (ret < 0) {
		p->st.drop_up_send++;
	} else {
		p->st.up_pkts++;
		p->st.up_bytes += b->len;
		p->st.up_copied_bytes += b->len;
	}
	return 0;
}

/* In place: the packet of lent_len bytes in the lent buffer goes, or stays there, held. */
static void lent_send(struct qnet_pump *p, bool again)
{
	int ret = p->flow_off ? -ENOBUFS : p->tx.send(p->tx.ctx, p->lent_len);

	if (ret == -ENOBUFS) {
		pump_note_refused(p, 1, !again);
		return;
	}
	if (ret < 0) {
		p->st.drop_up_send++;
	} else {
		p->st.up_pkts++;
		p->st.up_bytes += p->lent_len;
	}
	/* Sent, or the transport failed: the next buffer is asked for anew. */
	p->lent = NULL;
	p->lent_len = 0;
}

static void rawip_tx_ready(struct qnet_pump *p)
{
	p->lent_wait = false;
	if (p->lent_len)
		lent_send(p, true);
	if (!p->lent_len)
		pump_release_held(p);
}

/* A pass reads each packet into the first uplink buffer, or in place into the transport's: it
 * is sent (or held, and the pass stops) before the next read. */
static uint8_t *rawip_read_buf(struct qnet_pump *p)
{
	int ret;

	if (!p->inplace)
		return p->bufs[0].data;
	ret = pump_lend(p);
	if (ret == -ENOBUFS)
		return NULL;
	/* A failed transport, or a buffer too small for a whole read: the copy path tells. */
	if (ret < 0 || p->lent_cap < p->buf_size)
		return p->bufs[0].data;
	return p->lent;
}

static void rawip_read_done(struct qnet_pump *p, uint8_t *data, size_t len)
{
	struct pump_buf *b = &p->bufs[0];

	if (p->lent && data == p->lent) {
		p->lent_len = len;
		lent_send(p, false);
		return;
	}

	b->len = (uint32_t)len;
	pump_up_packet(p, b);
}

static void rawip_pass_end(struct qnet_pump *p)
{
}

static void rawip_down(struct qnet_pump *p, const uint8_t *pkt, size_t len)
{
	pump_down_packet(p, pkt, len);
}

const struct pump_framing pump_rawip = {
	.up = rawip_up,
	.tx_ready = rawip_tx_ready,
	.read_buf = rawip_read_buf,
	.read_done = rawip_read_done,
	.pass_end = rawip_pass_end,
	.down = rawip_down,
};
