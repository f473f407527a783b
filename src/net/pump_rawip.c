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
	}
	return 0;
}

static void rawip_tx_ready(struct qnet_pump *p)
{
	pump_release_held(p);
}

/* A pass reads each packet into the first uplink buffer: it is sent (or held, and the pass
 * stops) before the next read. */
static uint8_t *rawip_read_buf(struct qnet_pump *p)
{
	return p->bufs[0].data;
}

static void rawip_read_done(struct qnet_pump *p, uint8_t *data, size_t len)
{
	struct pump_buf *b = &p->bufs[0];

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
