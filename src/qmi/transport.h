/* SPDX-License-Identifier: MIT */
/*
 * The seam between the QMI core and whatever carries its bytes: the libusb backend, the
 * in-process software modem, a proxy socket. A transport is a small struct of function pointers
 * plus an opaque implementation pointer, in the style of libusb's backends.
 *
 * Control channel: ctrl_send() takes one complete QMUX frame (as SendEncapsulatedCommand does);
 * received control bytes arrive through cbs->ctrl_rx and may be zero-length (a "no data" answer,
 * to be ignored), exactly one frame (USB), or any slice of a byte stream (sockets): the core runs
 * them through its stream splitter in every case.
 *
 * Data channel: one transfer per call each way, a raw-IP packet or, once QMAP is negotiated, an
 * aggregate of MAP frames (framed and unframed by the data pump, src/net/pump.c, with
 * src/qmi/qmap.h; the transport does not look inside). data_send() copies it into a buffer the
 * transport owns; -ENOBUFS means every buffer is in flight and cbs->data_tx_ready fires once one
 * frees up (backpressure, never an unbounded queue). Packets from the modem arrive one at a
 * time through cbs->data_rx; the buffer is the transport's and valid only during the call.
 */
#ifndef QMI_TRANSPORT_H
#define QMI_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

struct qb_loop;

/* The data channel as the modem's WDA and WDS messages name it, and its receive transfers. */
struct qmi_data_port {
	uint32_t ep_type;   /* QMI data endpoint type: 2 HSUSB; 0 unknown */
	uint32_t iface;     /* the QMI function's (control) interface number */
	size_t rx_mps;      /* receive sizes are best a multiple of this (wMaxPacketSize); >= 1 */
	size_t rx_size_max; /* the largest receive transfer data_set_rx takes */
	size_t rx_size;     /* the receive transfers now: bytes each, and how many in flight */
	unsigned rx_count;
};

struct qmi_transport_cbs {
	void (*ctrl_rx)(void *user, const uint8_t *buf, size_t len);
	void (*data_rx)(void *user, const uint8_t *pkt, size_t len);
	void (*data_tx_ready)(void *user);
	/* The transport is gone: -ENODEV for an unplugged device, -EPIPE for a closed socket,
	 * another -errno otherwise. No callback follows this one. */
	void (*closed)(void *user, int err);
};

struct qmi_transport_ops {
	const char *name; /* "sim", "usb", "proxy" */
	/* Registers the transport's file descriptors and timers in loop and starts delivering
	 * callbacks. cbs must outlive the transport. 0 or -errno. */
	int (*start)(void *impl, struct qb_loop *loop, const struct qmi_transport_cbs *cbs,
		     void *user);
	/* One complete QMUX frame, copied before return. 0, -EAGAIN (queue full), or -errno. */
	int (*ctrl_send)(void *impl, const uint8_t *frame, size_t len);
	/* One packet, copied before return. 0, -ENOBUFS (backpressure), -ENOTSUP, or -errno. */
	int (*data_send)(void *impl, const uint8_t *pkt, size_t len);
	/* A short, stable description for messages and for proxy-open: "sim", "usb:1-1.2:4". */
	const char *(*describe)(void *impl);
	/* Stops callbacks, frees every buffer and transfer, closes the device. Accepts NULL impl. */
	void (*destroy)(void *impl);
	/* Optional (NULL: not offered). At most max data transfers toward the modem in flight
	 * (0: the transport's whole pool); data_send answers -ENOBUFS beyond, and data_tx_ready
	 * follows as usual; with a limit below the pool, data_tx_ready follows every completed
	 * transfer. A transport may let a large transfer (a full aggregate) through anyway while
	 * it has a free buffer. With aggregation (QMAP) this is the natural batching: packets wait in
	 * the sender's next aggregate rather than as separate transfers queued on the same pipe,
	 * which would carry them no sooner. 0 or -errno. */
	int (*data_set_inflight)(void *impl, unsigned max);
	/* Optional (NULL: not offered): a transfer built in place, where data_send() would copy.
	 * data_tx_buf() lends the next free transfer buffer (*cap bytes) and sends nothing; asking
	 * again before sending lends the same buffer, its bytes kept. data_tx_send() sends the first
	 * len bytes of the lent buffer as data_send() would send them. -ENOBUFS from either: no
	 * buffer is free, or the in-flight limit holds this transfer back (the buffer stays lent,
	 * its bytes kept); data_tx_ready follows. The lent buffer is the transport's and is valid
	 * until it is sent or the transport is destroyed. 0 or -errno. */
	int (*data_tx_buf)(void *impl, uint8_t **buf, size_t *cap);
	int (*data_tx_send)(void *impl, size_t len);
	/* Optional (NULL: not offered). Fills *out. 0 or -errno. */
	int (*data_port)(void *impl, struct qmi_data_port *out);
	/* Optional (NULL: fixed). From now on count receive transfers of size bytes each, e.g. one
	 * downlink aggregate as granted. Memory is allocated here, once, never per packet; transfers
	 * in flight are cancelled and come back at the new size (a packet arriving meanwhile may be
	 * lost, as on any link change: call it before data flows). Data larger than the receive
	 * size is lost, as a USB host loses what overflows its buffer. 0, -EINVAL (size 0 or above
	 * rx_size_max, count 0 or too many), -EBUSY (the previous resize is still under way),
	 * -ENOMEM (nothing changed), or -errno. */
	int (*data_set_rx)(void *impl, size_t size, unsigned count);
};

struct qmi_transport {
	const struct qmi_transport_ops *ops;
	void *impl;
};

static inline void qmi_transport_destroy(struct qmi_transport *t)
{
	if (t && t->ops && t->ops->destroy)
		t->ops->destroy(t->impl);
	if (t) {
		t->ops = NULL;
		t->impl = NULL;
	}
}

#endif
