/* SPDX-License-Identifier: MIT */
/*
 * Direct io_uring access for the data path (src/net only): the pump puts its own reads and writes
 * on the loop's ring so they are submitted in the same batch as the loop's poll requests.
 *
 * An operation is a struct qnet_uring_op embedded in the caller's object (8-byte aligned, which
 * any struct holding a pointer is). The caller owns it and must keep it alive until its
 * completion callback has run; the callback runs from qnet_loop_run_once(), or from
 * qnet_loop_free() with res -ECANCELED for anything still in the ring then.
 */
#ifndef QNET_LOOP_URING_H
#define QNET_LOOP_URING_H

#include "net/loop.h"

#ifdef QMIUSB_HAVE_URING
#include <liburing.h>

struct qnet_uring_op;
/* res and flags are the CQE's. */
typedef void (*qnet_uring_op_cb)(struct qnet_uring_op *op, int res, unsigned flags);

struct qnet_uring_op {
	qnet_uring_op_cb cb;
};

/* The loop's ring, or NULL when the loop runs on another backend. */
struct io_uring *qnet_loop_uring(struct qnet_loop *loop);
/* A free SQE (the ring is flushed first when full), or NULL on a submission error. The caller
 * fills it and then tags it with qnet_uring_sqe_set_op(), or with user data 0 (completion
 * ignored). It goes to the kernel with the loop's next wait. */
struct io_uring_sqe *qnet_uring_get_sqe(struct qnet_loop *loop);
void qnet_uring_sqe_set_op(struct io_uring_sqe *sqe, struct qnet_uring_op *op);
/* Submits what is queued now instead of at the next wait. 0 or -errno. */
int qnet_uring_flush(struct qnet_loop *loop);
#endif

#endif
