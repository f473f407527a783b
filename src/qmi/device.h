/* SPDX-License-Identifier: MIT */
/*
 * The QMI core over a transport and the event loop: control bytes -> splitter -> frames ->
 * transaction engine; timers for request timeouts; the CTL open sequence; client ids.
 *
 * Errors: functions return 0 or -errno for local failures. The modem's own answer (status and
 * QMI error code) goes to struct qmi_result. Where a function has nothing useful to give back
 * on a modem failure (open, alloc/release CID) it returns -QB_EMODEM and fills *result.
 * Synchronous calls run the loop (qb_loop_run_once) until their answer arrives; they must
 * not be called from a qmi callback of the same device, and qmi_dev_free must not either.
 */
#ifndef QMI_DEVICE_H
#define QMI_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/errors.h"
#include "qmi/qmux.h"
#include "qmi/tlv.h"
#include "qmi/transport.h"

struct qb_loop;
struct qmi_msg_def; /* src/qmi/msgdb.h */
struct qmi_dev;
struct qmi_sub;

#define QMI_DEV_DEFAULT_TIMEOUT_MS 10000 /* qmicli's 10 s for CTL allocation */

/* trace: decoded QMI trace (-v) or NULL */
/* trace: every frame, decoded, with a time stamp and its bytes (passwords and PINs always
 * hidden; personal identifiers too unless trace_full). */
struct qmi_dev_opts {
	FILE *trace;
	unsigned timeout_ms;
	bool trace_full;
};

int qmi_dev_new(struct qmi_dev **out, struct qb_loop *loop, struct qmi_transport tr,
		const struct qmi_dev_opts *opts); /* takes ownership of tr and starts it */
/* Accepts NULL. Pending requests complete with -ECANCELED, then the transport is destroyed. */
void qmi_dev_free(struct qmi_dev *dev);

typedef void (*qmi_resp_cb)(void *user, int err, const struct qmi_frame *resp);
/* err: 0 (resp valid during the call), -ETIMEDOUT, -EPROTO (right txn, wrong msg id),
     -ECANCELED, or the transport's close error (-ENODEV unplugged, -EPIPE) */

/* Asynchronous request with a fresh txn for (svc, cid). timeout_ms 0 = the device default.
 * 0: sent, and cb runs exactly once, from the loop. -errno: not sent, and cb does not run;
 * the one exception is a transport that reports its close from inside ctrl_send, in which case
 * cb has already run with the close error. tlvs are copied and must be a well-formed TLV area
 * (-EINVAL otherwise); non-CTL services need a real cid (0x00/0xFF: -EINVAL). */
int qmi_dev_send(struct qmi_dev *dev, uint8_t svc, uint8_t cid, uint16_t msg_id,
		 const uint8_t *tlvs, size_t tlvs_len, unsigned timeout_ms, qmi_resp_cb cb,
		 void *user);
/* qmi_dev_send with msg encoded as def's request (def->service, def->msg_id); the encoded bytes
 * are wiped from the stack afterwards (a request may carry a PIN). */
int qmi_dev_send_msg(struct qmi_dev *dev, uint8_t cid, const struct qmi_msg_def *def,
		     const void *msg, unsigned timeout_ms, qmi_resp_cb cb, void *user);
/* Sends a request frame built elsewhere (a proxy forwarding a client's request) with the txn
 * it carries. cb may be NULL (fire and forget). 0, -EBADMSG (not a valid request frame),
 * -EEXIST (that txn is pending), or -errno. */
int qmi_dev_send_frame(struct qmi_dev *dev, const uint8_t *frame, size_t len, unsigned timeout_ms,
		       qmi_resp_cb cb, void *user);

/* Synchronous: runs the loop until done. Encodes req (struct per msgdb def), decodes the response
   into resp, fills *result. 0 = got a response (check result->status), else -errno. resp is
   zeroed and only decoded when result->status is success; -EBADMSG if the response has no
   Result TLV or a malformed known TLV. req/resp may be NULL for messages without TLVs. */
int qmi_dev_call(struct qmi_dev *dev, uint8_t cid, const struct qmi_msg_def *req_def,
		 const void *req, const struct qmi_msg_def *resp_def, void *resp,
		 struct qmi_result *result, unsigned timeout_ms);
/* Synchronous raw exchange. The response frame is copied into resp_buf (caller-owned) and
 * *resp points into it. 0 = got a response, -EMSGSIZE (resp_cap too small), or -errno. */
int qmi_dev_call_raw(struct qmi_dev *dev, uint8_t svc, uint8_t cid, uint16_t msg_id,
		     const uint8_t *tlvs, size_t tlvs_len, unsigned timeout_ms, uint8_t *resp_buf,
		     size_t resp_cap, struct qmi_frame *resp);

typedef void (*qmi_ind_cb)(void *user, const struct qmi_frame *ind);
int qmi_dev_subscribe(struct qmi_dev *dev, uint8_t svc, uint8_t cid /* 0xFF: all of svc */,
		      qmi_ind_cb cb, void *user, struct qmi_sub **out);
void qmi_dev_unsubscribe(struct qmi_sub *sub); /* accepts NULL */

/* Sees every valid frame received, before matching (a proxy forwards indications with it).
 * One monitor per device; cb NULL removes it. */
void qmi_dev_set_monitor(struct qmi_dev *dev, qmi_ind_cb cb, void *user);

/* version_info_tries 0 = skip; one try per second. data_format -1 = leave, 1 = 802.3, 2 = raw-ip */
struct qmi_open_opts {
	unsigned version_info_tries;
	bool sync;
	int data_format;
	bool qos;
};
/* 0; -ETIMEDOUT (no answer to Get Version Info after every try); -QB_EMODEM (*result: the
 * modem's error to Sync or Set Data Format); -EINVAL; or the transport error. result may be
 * NULL. A QMI error to Get Version Info is an answer: the open goes on without versions (see
 * qmi_dev_version_refused). */
int qmi_dev_open(struct qmi_dev *dev, const struct qmi_open_opts *o, struct qmi_result *result);

/* The service versions of the last successful Get Version Info in qmi_dev_open(). */
struct qmi_svc_version {
	uint8_t service;
	uint16_t major, minor;
};
size_t qmi_dev_versions(const struct qmi_dev *dev, const struct qmi_svc_version **list);
/* Whether the open's Get Version Info was refused; *result (may be NULL) gets the error. */
bool qmi_dev_version_refused(const struct qmi_dev *dev, struct qmi_result *result);

/* CTL Allocate/Release CID. Reusing an existing cid or keeping it at exit are the caller's
 * choices: nothing here remembers allocations. 0, -QB_EMODEM (*result), -EBADMSG, or -errno. */
int qmi_dev_alloc_cid(struct qmi_dev *dev, uint8_t svc, uint8_t *cid, struct qmi_result *result);
int qmi_dev_release_cid(struct qmi_dev *dev, uint8_t svc, uint8_t cid, struct qmi_result *result);

struct qmi_transport *qmi_dev_transport(struct qmi_dev *dev); /* for the data path */
struct qb_loop *qmi_dev_loop(struct qmi_dev *dev);
int qmi_dev_closed(const struct qmi_dev *dev); /* 0 while open, else the transport's close error */

/* The data path's callbacks: the device owns the transport's callbacks, so it forwards these. */
struct qmi_dev_data_cbs {
	void (*data_rx)(void *user, const uint8_t *pkt, size_t len);
	void (*data_tx_ready)(void *user);
	void (*closed)(void *user, int err); /* after pending requests failed; may be NULL */
};
void qmi_dev_set_data_cbs(struct qmi_dev *dev, const struct qmi_dev_data_cbs *cbs, void *user);

#endif
