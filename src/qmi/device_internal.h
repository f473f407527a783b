/* SPDX-License-Identifier: MIT */
/* struct qmi_dev, shared by device.c (I/O, requests) and ctl.c (the CTL service). */
#ifndef QMI_DEVICE_INTERNAL_H
#define QMI_DEVICE_INTERNAL_H

#include "base/loop.h"
#include "qmi/device.h"
#include "qmi/splitter.h"
#include "qmi/txn.h"

struct qmi_dev {
	struct qb_loop *loop;         /* not owned */
	struct qmi_transport tr;      /* owned */
	struct qmi_transport_cbs cbs; /* must outlive tr: lives here */
	FILE *trace;                  /* not owned */
	bool trace_full;              /* personal identifiers shown in the trace */
	unsigned timeout_ms;
	struct qmi_txns *txns;
	struct qb_timer timer; /* armed for the earliest deadline */
	uint64_t timer_at;
	int closed_err; /* 0 while the transport is up */
	qmi_ind_cb monitor;
	void *monitor_user;
	struct qmi_dev_data_cbs data;
	void *data_user;
	struct qmi_svc_version *versions; /* owned; from the last Get Version Info */
	size_t n_versions;
	bool version_refused; /* the last Get Version Info got a QMI error */
	struct qmi_result version_refusal;
	struct qmi_splitter split; /* large (QMI_FRAME_MAX): last */
};

#endif
