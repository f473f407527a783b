/* SPDX-License-Identifier: MIT */
/*
 * The pump on a TUN with offloads (a virtio-net header on every packet). Uplink: a read brings
 * the header, and the packet lands where the framing wants it (the aggregate, or the raw-IP
 * transfer); a TSO/USO super-packet overflows into off_mem, is made whole there (one copy of
 * at most a buffer) and cut into segments, each written straight where the framing wants the
 * next packet, so a refusal from the modem only pauses the cut. A partial checksum is finished
 * here unless the modem was granted MAP v5 and will compute it. Downlink: the packets of one
 * transfer go through the coalescer (gro.c), and each write carries its header.
 */
#include "net/pump_internal.h"
#include "net/tun_io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int pump_off_init(struct qnet_pump *p)
{
	if (!(p->offloads & QNET_OFF_VNET))
		return 0;
	p->off_mem = malloc(PUMP_OFF_GSO_MAX + p->buf_size + PUMP_OFF_GRO_MAX);
	if (!p->off_mem)
		return -ENOMEM;
	qnet_gro_init(&p->gro, p->off_mem + PUMP_OFF_GSO_MAX + p->buf_size, PUMP_OFF_GRO_MAX);
	return 0;
}

/* The next segment of the super-packet, where the next packet goes. */
static int cut_one(struct qnet_pump *p, uint8_t *dst)
{
	size_t n = qnet_gso_next(&p->gso, dst);

	p->gso_on = qnet_gso_left(&p->gso) > 0;
	p->st.up_gso_segs++;
	p->up_csum_req = p->csum_offload;
	p->ul->read_done(p, dst, n);
	p->up_csum_req = false;
	return 2;
}

/* A super-packet of n bytes: its first buf_size bytes are in dst, the rest in off_mem after as
 * many. */
static int start_cut(struct qnet_pump *p, const uint8_t *dst, size_t n, const struct qnet_vnet *v)
{
	memcpy(p->off_mem, dst, n < p->buf_size ? n : p->buf_size);
	if (qnet_gso_init(&p->gso, p->off_mem, n, v, !p->csum_offload) < 0 ||
	    qnet_gso_next_len(&p->gso) >= p->buf_size) {
		p->st.drop_up_bad++;
		return 1;
	}
	p->st.up_gso_pkts++;
	p->gso_on = true;
	return 1;
}

int pump_off_up(struct qnet_pump *p)
{
	uint8_t hdr[QNET_VNET_HDR_LEN], *dst = p->ul->read_buf(p);
	struct qnet_vnet v;
	ssize_t n;

	if (!dst)
		return 0;
	if (p->gso_on)
		return cut_one(p, dst);
	n = qnet_tun_read_vnet(p->fd, hdr, dst, p->buf_size, p->off_mem + p->buf_size,
			       PUMP_OFF_GSO_MAX);
	if (n < 0 && errno == EPROTO) {
		p->st.drop_up_bad++;
		return 1;
	}
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	if (n == 0)
		return 0;
	qnet_vnet_get(hdr, &v);
	if ((size_t)n >= p->buf_size + PUMP_OFF_GSO_MAX) {
		p->st.drop_up_too_big++; /* filled both buffers: maybe cut short */
		return 1;
	}
	if (v.gso_type != QNET_VNET_GSO_NONE)
		return start_cut(p, dst, (size_t)n, &v);
	if ((size_t)n >= p->buf_size) {
		p->st.drop_up_too_big++;
		return 1;
	}
	if (v.flags & QNET_VNET_F_NEEDS_CSUM) {
		if (p->csum_offload) {
			p->up_csum_req = true;
			p->st.up_csum_modem++;
		} else if (qnet_csum_finish(dst, (size_t)n, &v) < 0) {
			p->st.drop_up_bad++;
			return 1;
		} else {
			p->st.up_csum_done++;
		}
	}
	p->ul->read_done(p, dst, (size_t)n);
	p->up_csum_req = false;
	return 1;
}

static void write_counted(struct qnet_pump *p, const struct qnet_vnet *v, const uint8_t *pkt,
			  size_t len, unsigned segs)
{
	uint8_t hdr[QNET_VNET_HDR_LEN];
	ssize_t n;

	qnet_vnet_put(hdr, v);
	n = qnet_tun_write_vnet(p->fd, hdr, pkt, len);
	if (n == (ssize_t)len) {
		p->st.down_pkts += segs;
		p->st.down_bytes += len;
	} else if (n < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
		p->st.drop_down_no_buf += segs;
	} else {
		p->st.drop_down_write += segs;
	}
}

void pump_off_write(struct qnet_pump *p, const uint8_t *pkt, size_t len)
{
	static const struct qnet_vnet none;

	write_counted(p, &none, pkt, len, 1);
}

static void gro_emit(void *ctx, const struct qnet_vnet *v, const uint8_t *pkt, size_t len)
{
	struct qnet_pump *p = ctx;
	unsigned segs = v->gso_type != QNET_VNET_GSO_NONE ? p->gro.segs : 1;

	if (segs > 1) {
		p->st.down_gro_pkts++;
		p->st.down_gro_segs += segs;
	}
	write_counted(p, v, pkt, len, segs);
}

void pump_off_down(struct qnet_pump *p, const uint8_t *pkt, size_t len, bool csum_valid)
{
	if (pump_down_check(p, pkt, len))
		qnet_gro_push(&p->gro, pkt, len, csum_valid, gro_emit, p);
}

void pump_down_end(struct qnet_pump *p)
{
	if ((p->offloads & QNET_OFF_VNET) && !p->closing)
		qnet_gro_flush(&p->gro, gro_emit, p);
}
