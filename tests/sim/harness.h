/* SPDX-License-Identifier: MIT */
/* Drives one software modem directly: requests built with the message database go in through
 * qsim_ctrl_in, and everything the modem outputs is recorded in order. */
#ifndef QSIM_TEST_HARNESS_H
#define QSIM_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/loop.h"
#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/qmux.h"
#include "qmi/tlv.h"
#include "sim/sim.h"

enum h_kind {
	H_CTRL,
	H_NOTIFY,
	H_DATA
};

struct h_event {
	enum h_kind kind;
	size_t len;
	uint8_t buf[QMI_FRAME_MAX];
};

#define H_MAX_EVENTS 512

struct harness {
	struct qb_loop *loop;
	struct qsim *sim;
	struct h_event *ev;
	size_t n_ev;
	uint16_t txn;
};

void h_init(struct harness *h, const char *fault_spec);
void h_fini(struct harness *h);
/* Runs the loop until pred(h) or ~5 s pass; returns pred's final value. */
bool h_run_until(struct harness *h, bool (*pred)(struct harness *h, void *arg), void *arg);
/* Runs the loop for about ms milliseconds. */
void h_run_for(struct harness *h, unsigned ms);

/* Sends a request (msg may be NULL) and returns its txn. */
uint16_t h_send(struct harness *h, const struct qmi_msg_def *def, const void *msg, uint8_t cid);
/* Finds the parsed response for (svc, txn) among the events; false if none (yet). */
bool h_find_resp(struct harness *h, uint8_t svc, uint16_t txn, struct qmi_frame *out);
/* Sends and waits for the response, decodes it into resp (if resp_def/resp) and returns the
 * QMI error code (0 success), or -1 when no response came. */
int h_call(struct harness *h, const struct qmi_msg_def *req_def, const void *req, uint8_t cid,
	   const struct qmi_msg_def *resp_def, void *resp);
/* Allocates a client id; asserts success. */
uint8_t h_alloc(struct harness *h, uint8_t svc);
/* Counts indications (svc, cid, msg_id) among the events. */
unsigned h_count_ind(struct harness *h, uint8_t svc, uint8_t cid, uint16_t msg_id);
/* The last indication (svc, cid, msg_id), decoded into ind; false if none. */
bool h_last_ind(struct harness *h, uint8_t svc, uint8_t cid, uint16_t msg_id, void *ind);
void h_clear(struct harness *h);

/* Data helpers: builds an ICMP(v6) echo request / UDP packet into buf, returns its length. */
size_t h_icmp4_echo(uint8_t *buf, uint32_t src, uint32_t dst, uint16_t id, uint16_t seq,
		    size_t payload);
size_t h_icmp6_echo(uint8_t *buf, const uint8_t src[16], const uint8_t dst[16], uint16_t id,
		    uint16_t seq, size_t payload);
size_t h_udp4(uint8_t *buf, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
	      size_t payload);
/* Verifies the IPv4 header checksum and the ICMP/ICMPv6/UDP checksum of an IP packet. */
bool h_ip_checksums_ok(const uint8_t *pkt, size_t len);

#endif
