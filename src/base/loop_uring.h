/* SPDX-License-Identifier: MIT */
/*
 * Direct io_uring access for the data path (src/net only): the pump puts its own reads and writes
 * on the loop's ring so they are submitted in the same batch as the loop's poll requests.
 *
 * An operation is a struct qb_uring_op embedded in the caller's object (8-byte aligned, which
 * any struct holding a pointer is). The caller owns it and must keep it alive until its
 * completion callback has run; the callback runs from qb_loop_run_once(), or from
 * qb_loop_free() with res -ECANCELED for anything still in the ring then.
 */
#ifndef QB_LOOP_URING_H
#define QB_LOOP_URING_H

#include "base/loop.h"

#ifdef QMIUSB_HAVE_URING
#include <liburing.h>

struct qb_uring_op;
/* res and flags are the CQE's. */
typedef void (*qb_uring_op_cb)(struct qb_uring_op *op, int res, unsigned flags);

struct qb_uring_op {
	qb_uring_op_cb cb;
};

/* The loop's ring, or NULL when the loop runs on another backend (or qb_loop_free() has
 * closed it: closes it runs afterwards see NULL). */
struct io_uring *qb_loop_uring(struct qb_loop *loop);
/* A free SQE (the ring is flushed first when full), or NULL on a submission error. The caller
 * fills it and then tags it with qb_uring_sqe_set_op(), or with user data 0 (completion
 * ignored). It goes to the kernel with the loop's next wait. */
struct io_uring_sqe *qb_uring_get_sqe(struct qb_loop *loop);
void qb_uring_sqe_set_op(struct io_uring_sqe *sqe, struct qb_uring_op *op);
/* Submits what is queued now instead of at the next wait. 0 or -errno. */
int qb_uring_flush(struct qb_loop *loop);
#endif

#endif
