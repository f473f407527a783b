/* SPDX-License-Identifier: MIT */
/*
 * The transaction engine: pure bookkeeping, no I/O, time passed in (milliseconds on any
 * monotonic clock). It hands out per-client transaction ids, matches responses to pending
 * requests by (service, client id, txn) in any order, expires requests at their deadlines, and
 * routes indications to subscribers. struct qmi_dev drives it from the event loop; tests drive
 * it directly.
 *
 * Callbacks run from qmi_txns_dispatch/expire/fail_all/cancel; they may start new requests,
 * cancel others and unsubscribe (even themselves), but must not free the engine.
 */
#ifndef QMI_TXN_H
#define QMI_TXN_H

#include <stddef.h>
#include <stdint.h>

#include "qmi/qmux.h"

struct qmi_txns;
struct qmi_txn;     /* one pending request; the engine owns it */
struct qmi_txn_sub; /* one indication subscription; the engine owns it */

/* err 0: resp is the matched response, valid during the call only. Otherwise resp is NULL and
 * err is -ETIMEDOUT, -EBADMSG (timed out after a response too broken to decode named it), -EPROTO
 * (right txn, wrong message id), -ECANCELED or a fail_all error. */
typedef void (*qmi_txn_cb)(void *user, int err, const struct qmi_frame *resp);
typedef void (*qmi_txn_ind_cb)(void *user, const struct qmi_frame *ind);

int qmi_txns_new(struct qmi_txns **out);
/* Accepts NULL. Pending requests are dropped without callbacks: call fail_all first if their
 * owners must hear about it. */
void qmi_txns_free(struct qmi_txns *t);

/* The next id for (svc, cid): starts at 1, never 0, wraps 0xFF -> 1 (CTL) or 0xFFFF -> 1,
 * skipping ids still pending for that client. 0 and *txn, or -EBUSY (all in flight). */
int qmi_txns_next_id(struct qmi_txns *t, uint8_t svc, uint8_t cid, uint16_t *txn);

/* Registers a request the caller is about to send with that txn. deadline: absolute ms.
 * 0, -EEXIST (same (svc,cid,txn) pending), -EINVAL (CTL txn > 0xFF or txn 0), -ENOMEM.
 * out may be NULL; the handle is valid until the callback has run. */
int qmi_txns_add(struct qmi_txns *t, uint8_t svc, uint8_t cid, uint16_t txn, uint16_t msg_id,
		 uint64_t deadline, qmi_txn_cb cb, void *user, struct qmi_txn **out);
/* next_id + add in one step. */
int qmi_txns_begin(struct qmi_txns *t, uint8_t svc, uint8_t cid, uint16_t msg_id, uint64_t deadline,
		   qmi_txn_cb cb, void *user, uint16_t *txn, struct qmi_txn **out);
/* The pending request for (svc, cid, txn), or NULL: lets a caller that may have been completed
 * meanwhile (a transport that fails inside ctrl_send) check before touching a handle. */
struct qmi_txn *qmi_txns_find(const struct qmi_txns *t, uint8_t svc, uint8_t cid, uint16_t txn);
/* Completes the request with err (e.g. -ECANCELED, or a send error) now. Accepts NULL. */
void qmi_txn_complete(struct qmi_txn *txn, int err);
/* Records that a response too broken to decode named the request: it keeps waiting (a valid
 * response may still follow), and if none comes its timeout reports -EBADMSG. Accepts NULL. */
void qmi_txn_mark_malformed(struct qmi_txn *txn);
/* Forgets the request without calling back. Accepts NULL. */
void qmi_txn_forget(struct qmi_txn *txn);

/* Feeds one received frame. Responses complete their request (1) or are unmatched (0);
 * indications go to every matching subscriber (returns how many); requests are ignored (0). */
int qmi_txns_dispatch(struct qmi_txns *t, const struct qmi_frame *f);

/* Fails every request whose deadline <= now with -ETIMEDOUT; returns how many. */
size_t qmi_txns_expire(struct qmi_txns *t, uint64_t now);
/* 0 and the earliest deadline, or -ENOENT when nothing is pending. */
int qmi_txns_next_deadline(const struct qmi_txns *t, uint64_t *deadline);
/* Completes every pending request with err (transport closed). */
void qmi_txns_fail_all(struct qmi_txns *t, int err);
size_t qmi_txns_pending(const struct qmi_txns *t);

/* Indications for (svc, cid). cid QMI_CID_BROADCAST subscribes to every indication of svc; a
 * unicast subscriber also gets the broadcast (cid 0xFF) indications of its service. */
int qmi_txns_subscribe(struct qmi_txns *t, uint8_t svc, uint8_t cid, qmi_txn_ind_cb cb, void *user,
		       struct qmi_txn_sub **out);
void qmi_txns_unsubscribe(struct qmi_txn_sub *sub); /* accepts NULL */

#endif
