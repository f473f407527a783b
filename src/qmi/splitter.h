/* SPDX-License-Identifier: MIT */
/*
 * Extracts whole QMUX frames from a byte stream (a socket, or USB reads that may hold several
 * frames or part of one). Bytes from the device are untrusted: a bad marker, a length that can
 * never fit QMI_FRAME_MAX or a header that contradicts itself (QMUX length vs header size vs
 * tlv_length) is reported, then the stream is either resynchronised (skip to the next 0x01
 * whose header is plausible) or closed, per the mode. A frame with a consistent header but bad
 * TLVs is reported and dropped; its QMUX length delimits it, so the stream stays aligned.
 * Never a silent wrong frame: every frame handed out passed qmi_frame_parse().
 *
 * The splitter owns a QMI_FRAME_MAX buffer inside the struct, so it needs no allocation.
 */
#ifndef QMI_SPLITTER_H
#define QMI_SPLITTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qmi/qmux.h"

enum qmi_split_mode {
	QMI_SPLIT_RESYNC, /* skip garbage and carry on */
	QMI_SPLIT_CLOSE,  /* the first framing error poisons the stream (libqmi's hang-up) */
};

struct qmi_splitter {
	enum qmi_split_mode mode;
	bool closed;      /* CLOSE mode after a framing error: every call returns -EPIPE */
	bool resyncing;   /* inside a garbage run: candidates must look fully plausible */
	size_t head;      /* bytes at buf[0..head) belong to the frame last handed out */
	size_t len;       /* valid bytes in buf */
	uint64_t dropped; /* bytes discarded while resynchronising (statistics) */
	uint64_t errors;  /* framing errors reported */
	/* The header of a frame the last qmi_splitter_next() call rejected (reported as -EBADMSG,
	 * or skipped silently inside a garbage run), when one could be read: has_rejected,
	 * rejected (no TLVs, raw NULL). */
	bool has_rejected;
	struct qmi_frame rejected;
	uint8_t buf[QMI_FRAME_MAX];
};

void qmi_splitter_init(struct qmi_splitter *s, enum qmi_split_mode mode);
/* Copies as much of data as fits; returns the count taken (less than len when the buffer is
 * full: call qmi_splitter_next() until it returns 0, then push the rest). */
size_t qmi_splitter_push(struct qmi_splitter *s, const uint8_t *data, size_t len);
/* 1: *out is a valid frame pointing into the splitter, valid until the next push/next call.
 * 0: need more bytes. -EBADMSG: a framing error (*why; bad bytes already skipped in RESYNC
 * mode, call again). -EPIPE: closed after an error in CLOSE mode. why may be NULL. */
int qmi_splitter_next(struct qmi_splitter *s, struct qmi_frame *out, enum qmi_frame_err *why);

/* Convenience over push/next: every frame and every error of data, in order. */
struct qmi_split_cbs {
	void (*frame)(void *user, const struct qmi_frame *f);
	void (*error)(void *user, enum qmi_frame_err why); /* may be NULL */
	/* A frame was dropped whose header could be read: hdr has its service, client id, kind
	 * and txn but no TLVs. May be NULL. */
	void (*rejected)(void *user, const struct qmi_frame *hdr);
};
/* 0, or -EPIPE once closed (CLOSE mode); the callbacks must not feed the same splitter. */
int qmi_splitter_feed(struct qmi_splitter *s, const uint8_t *data, size_t len,
		      const struct qmi_split_cbs *cbs, void *user);

#endif
