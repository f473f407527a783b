/* SPDX-License-Identifier: MIT */
/*
 * usb_vm_echo SELECTOR [COUNT]: the USB backend's bulk path against the software modem's gadget
 * (VM tier; not a ctest test, it needs the device). Starts a WDS session in raw-IP mode, then
 * pings the session gateway with ICMP echo requests of several sizes, including exact multiples
 * of the bulk wMaxPacketSize (the zero-length-packet case), keeping the OUT transfers busy so
 * data_send() hits -ENOBUFS and resumes on data_tx_ready. Every reply is checked byte for byte.
 * Prints "echo: N sent, N replied, ENOBUFS seen K times" and exits 0 when all came back intact.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "qmi/device.h"
#include "qmi/messages.h"
#include "usb/usb.h"

static const size_t sizes[] = { 28, 64, 511, 512, 513, 1024, 1500 };

struct echo {
	struct qb_loop *loop;
	struct qb_timer deadline;
	struct qmi_dev *dev;
	uint32_t host, gw;
	unsigned count, sent, replied, bad, enobufs;
	int closed;
	bool timed_out;
};

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Echo request number seq: IPv4 + ICMP, payload bytes derived from seq. */
static size_t build(const struct echo *e, unsigned seq, uint8_t *b)
{
	size_t len = sizes[seq % (sizeof(sizes) / sizeof(sizes[0]))];
	memset(b, 0, len);
	b[0] = 0x45;
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	b[4] = (uint8_t)(seq >> 8);
	b[5] = (uint8_t)seq;
	b[8] = 64;
	b[9] = 1; /* ICMP */
	put32(b + 12, e->host);
	put32(b + 16, e->gw);
	uint16_t c = csum(b, 20);
	b[10] = (uint8_t)(c >> 8);
	b[11] = (uint8_t)c;
	uint8_t *icmp = b + 20;
	icmp[0] = 8; /* echo request */
	icmp[4] = 0x51;
	icmp[5] = 0x4d;
	icmp[6] = (uint8_t)(seq >> 8);
	icmp[7] = (uint8_t)seq;
	for (size_t i = 8; i < len - 20; i++)
		icmp[i] = (uint8_t)(seq * 7 + i);
	c = csum(icmp, len - 20);
	icmp[2] = (uint8_t)(c >> 8);
	icmp[3] = (uint8_t)c;
	return len;
}

static void check_reply(struct echo *e, const uint8_t *p, size_t len)
{
	uint8_t want[1600];
	if (len < 28 || (p[0] >> 4) != 4 || p[9] != 1 || p[20] != 0) {
		e->bad++;
		return;
	}
	unsigned seq = (unsigned)(p[26] << 8 | p[27]);
	size_t wl = build(e, seq, want);
	if (wl != len || memcmp(p + 12, want + 16, 4) != 0 || memcmp(p + 16, want + 12, 4) != 0 ||
	    memcmp(p + 28, want + 28, len - 28) != 0 || csum(p + 20, len - 20) != 0) {
		fprintf(stderr, "echo: reply %u (%zu bytes) does not match its request\n", seq,
			len);
		e->bad++;
		return;
	}
	e->replied++;
}

static void pump(struct echo *e)
{
	uint8_t buf[1600];
	struct qmi_transport *tr = qmi_dev_transport(e->dev);
	while (e->sent < e->count) {
		size_t len = build(e, e->sent, buf);
		int r = tr->ops->data_send(tr->impl, buf, len);
		if (r == -ENOBUFS) {
			e->enobufs++;
			return; /* data_tx_ready resumes */
		}
		if (r < 0) {
			fprintf(stderr, "echo: data_send: %s\n", strerror(-r));
			e->bad++;
			qb_loop_stop(e->loop);
			return;
		}
		e->sent++;
	}
}

static void on_rx(void *user, const uint8_t *pkt, size_t len)
{
	struct echo *e = user;
	check_reply(e, pkt, len);
	if (e->replied + e->bad >= e->count)
		qb_loop_stop(e->loop);
}

static void on_tx_ready(void *user)
{
	pump(user);
}

static void on_closed(void *user, int err)
{
	struct echo *e = user;
	e->closed = err;
	qb_loop_stop(e->loop);
}

static void on_timeout(void *user)
{
	struct echo *e = user;
	e->timed_out = true;
	qb_loop_stop(e->loop);
}

int main(int argc, char **argv)
{
	struct echo e = { .count = argc > 2 ? (unsigned)atoi(argv[2]) : 2000 };
	struct qmi_transport tr;
	struct qmi_dev_opts dopts = { .timeout_ms = 10000 };
	struct qmi_open_opts oo = { .version_info_tries = 5, .data_format = 2 };
	struct qusb_open_opts uo = { .tx_transfers = 4, .rx_transfers = 4 };
	struct qmi_result res = { 0 }; /* printed even when qmi_dev_new fails before setting it */
	char err[1024];
	uint8_t cid;
	int r, rc = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: %s SELECTOR [COUNT]\n", argv[0]);
		return 2;
	}
	if (qb_loop_new(&e.loop, QB_LOOP_AUTO) < 0)
		return 1;
	r = qusb_transport_open(&tr, argv[1], &uo, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "echo: open: %s\n", err);
		goto out;
	}
	if ((r = qmi_dev_new(&e.dev, e.loop, tr, &dopts)) < 0 ||
	    (r = qmi_dev_open(e.dev, &oo, &res)) < 0 ||
	    (r = qmi_dev_alloc_cid(e.dev, QMI_SVC_WDS, &cid, &res)) < 0) {
		fprintf(stderr, "echo: QMI setup: %s (status %u error %u)\n", strerror(-r),
			res.status, res.error);
		goto out;
	}
	struct qmi_wds_start_network_req sreq = { 0 };
	struct qmi_wds_start_network_resp sresp;
	r = qmi_dev_call(e.dev, cid, &qmi_wds_start_network_req_def, &sreq,
			 &qmi_wds_start_network_resp_def, &sresp, &res, 10000);
	if (r < 0 || res.status) {
		fprintf(stderr, "echo: start network: %s / QMI error %u\n", strerror(-r),
			res.error);
		goto out;
	}
	struct qmi_wds_get_current_settings_req greq = {
		.has_requested_settings = true,
		.requested_settings = QMI_WDS_REQUESTED_IP_ADDRESS | QMI_WDS_REQUESTED_GATEWAY_INFO,
	};
	static struct qmi_wds_get_current_settings_resp gresp;
	r = qmi_dev_call(e.dev, cid, &qmi_wds_get_current_settings_req_def, &greq,
			 &qmi_wds_get_current_settings_resp_def, &gresp, &res, 10000);
	if (r < 0 || res.status || !gresp.has_ipv4_address || !gresp.has_ipv4_gateway) {
		fprintf(stderr, "echo: current settings: %s / QMI error %u\n", strerror(-r),
			res.error);
		goto out;
	}
	e.host = gresp.ipv4_address;
	e.gw = gresp.ipv4_gateway;

	struct qmi_dev_data_cbs cbs = { .data_rx = on_rx,
					.data_tx_ready = on_tx_ready,
					.closed = on_closed };
	qmi_dev_set_data_cbs(e.dev, &cbs, &e);
	qb_timer_init(&e.deadline, e.loop, on_timeout, &e);
	qb_timer_start(&e.deadline, 60000);
	pump(&e);
	qb_loop_run(e.loop);
	printf("echo: %u sent, %u replied, %u bad, ENOBUFS seen %u times%s%s\n", e.sent, e.replied,
	       e.bad, e.enobufs, e.timed_out ? ", TIMED OUT" : "",
	       e.closed ? ", device closed" : "");
	rc = (e.replied == e.count && !e.bad) ? 0 : 1;
out:
	qb_timer_stop(&e.deadline);
	qmi_dev_free(e.dev);
	qb_loop_free(e.loop);
	return rc;
}
