/* SPDX-License-Identifier: MIT */
/*
 * The software modem as a real USB device: a configfs gadget with one FunctionFS function whose
 * single ff/ff/ff interface has interrupt IN, bulk IN and bulk OUT, like a Quectel-style QMI
 * interface. The host side of the same machine (qmi_wwan + cdc-wdm, or qmiusb over libusb) then
 * drives the modem through a real USB stack (dummy_hcd in the VM tier).
 *
 * Device side only: every endpoint is driven with Linux AIO whose completions land on an eventfd
 * watched by the loop, and ep0 is watched directly, so the modem itself stays on the loop thread.
 *
 * Needs root, configfs mounted at /sys/kernel/config, and the libcomposite + usb_f_fs modules.
 * Prefer a poll() loop (QB_LOOP_POLL): the ep0 data stage is a short blocking call, and
 * io_uring's task-work notifications interrupt it (it is retried, but each retry costs the host
 * a resent data stage).
 */
#ifndef QSIM_GADGET_H
#define QSIM_GADGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct qb_loop;
struct qsim;
struct qsim_gadget;

#define QSIM_GADGET_VID 0x2c7c /* Quectel EC25: qmi_wwan binds it by its ff/ff/ff match */
#define QSIM_GADGET_PID 0x0125

struct qsim_layout;

struct qsim_gadget_opts {
	const char *udc;   /* NULL: the first controller in /sys/class/udc */
	uint16_t vid, pid; /* 0: the defaults above (or the layout's) */
	/* A real modem's descriptor set (sim/layout.h): its configuration holding the QMI function,
	 * with every interface of it, the modem serving the QMI one. NULL: one ff/ff/ff interface. */
	const struct qsim_layout *layout;
	FILE *log; /* state changes and warnings, or NULL */
};

/*
 * Builds the configfs gadget, mounts its FunctionFS, writes the descriptors and binds the UDC.
 * Takes over the modem's output (qsim_set_output) while it exists; sim and loop must outlive the
 * gadget. Installs a SIGALRM handler that does nothing (a timer of the gadget's sends SIGALRM to
 * the calling thread to end an ep0 data stage the host abandoned): the process must not use
 * SIGALRM for anything else, and must not block it in that thread. On failure everything built so far is torn down and err (may be NULL) says what
 * failed.
 * 0 or -errno.
 */
int qsim_gadget_new(struct qsim_gadget **out, struct qb_loop *loop, struct qsim *sim,
		    const struct qsim_gadget_opts *opts, char *err, size_t errlen);
/* Unbinds the UDC, cancels every transfer and removes the configfs gadget. Accepts NULL. */
void qsim_gadget_free(struct qsim_gadget *g);

const char *qsim_gadget_udc(const struct qsim_gadget *g);

struct qsim_gadget_stats {
	uint64_t enables;           /* FUNCTIONFS_ENABLE events (usbnet causes a second one) */
	uint64_t commands;          /* SendEncapsulatedCommand */
	uint64_t responses;         /* GetEncapsulatedResponse answered with data */
	uint64_t empty_responses;   /* ... answered with zero bytes */
	uint64_t resp_stalls;       /* ... answered with a STALL (resp-stall fault) */
	uint64_t notifications;     /* RESPONSE_AVAILABLE delivered on interrupt IN */
	uint64_t data_out, data_in; /* packets on bulk OUT (host->modem) / bulk IN (modem->host) */
	uint64_t data_dropped;      /* modem->host packets with no free transfer, or not enabled */
	uint64_t ctrl_dropped;      /* responses dropped because the host never fetched them */
	uint64_t hostile;           /* hostile acts: junk and lying frames queued, extra and unknown
				    * notifications, junk bulk IN transfers delivered, resets */
};
void qsim_gadget_get_stats(const struct qsim_gadget *g, struct qsim_gadget_stats *out);

/*
 * The FunctionFS descriptor blob (V2, full and high speed) and strings blob the gadget writes
 * to ep0; exposed for the descriptor-parsing tests. Return the length or -EMSGSIZE.
 */
long qsim_gadget_descriptors(uint8_t *buf, size_t cap);
/* The same with the lie of enum qsim_desc_lie (sim.h) told (QSIM_DESC_TRUE: none). */
long qsim_gadget_descriptors_lie(uint8_t *buf, size_t cap, int lie);
long qsim_gadget_strings(uint8_t *buf, size_t cap);
/* The blob presenting layout l (full, high and, for a USB 3 layout, SuperSpeed). qmi_eps gets
 * the endpoint file numbers (ep<N>) of the QMI interface's interrupt IN, bulk IN, bulk OUT.
 * -EINVAL for a layout without a QMI function. */
long qsim_gadget_layout_descriptors(const struct qsim_layout *l, uint8_t *buf, size_t cap,
				    int qmi_eps[3]);
/* The blob of the layout's other configuration (its functions never answer), its
 * bConfigurationValue in *value; -ENOENT when the layout has one configuration. */
long qsim_gadget_layout_other(const struct qsim_layout *l, uint8_t *value, uint8_t *buf,
			      size_t cap);

#endif
