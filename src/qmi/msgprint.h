/* SPDX-License-Identifier: MIT */
/*
 * Internal: the printer's one walker (msgprint.c) and its two output back ends (text for -v
 * traces, JSON for `raw --json`). The walker decides what a frame holds (header, result, known,
 * malformed and unknown TLVs, nested values, what is redacted); a back end only decides how it
 * looks.
 */
#ifndef QMI_MSGPRINT_H
#define QMI_MSGPRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "qmi/msgdb.h"
#include "qmi/tlv.h"

struct qmi_num {
	bool is_signed;
	int64_t s;
	uint64_t u;
};

/* One leaf value. */
enum qmi_pval_kind {
	QMI_PV_NUM,
	QMI_PV_STRING,
	QMI_PV_TEXT,
	QMI_PV_HEX,
	QMI_PV_REDACTED
};
struct qmi_pval {
	enum qmi_pval_kind kind;
	const struct qmi_field *f; /* NUM: for its flags, width and names */
	struct qmi_num num;
	const char *name;     /* NUM: the enum or bitmask name, or NULL */
	const char *s;        /* STRING (from the modem: escape it), TEXT (ours), REDACTED
				     * (the class: "secret" or "personal") */
	const uint8_t *bytes; /* HEX */
	size_t n;
};

struct qmi_print_ops {
	/* name: the message's name or NULL; r: the Result TLV when well formed, else NULL. */
	void (*header)(void *ctx, const struct qmi_frame *f, const char *name,
		       const struct qmi_result *r);
	void (*result)(void *ctx, const struct qmi_result *r);
	void (*tlv_begin)(void *ctx, const struct qmi_tlv_def *t);
	void (*tlv_end)(void *ctx);
	/* A TLV shown as bytes: unknown (name NULL, err 0), or known but malformed (err). */
	/* err != 0: a TLV that is invalid; dropped: on its own (optional), not failing the
	 * message (required TLVs, the Result TLV). */
	void (*raw)(void *ctx, const struct qmi_tlv *tlv, const char *name, int err, bool dropped);
	void (*area_error)(void *ctx, int err);
	/* key: a member name, "value" for a TLV's value, NULL for an array element. */
	void (*leaf)(void *ctx, const char *key, const struct qmi_pval *v);
	/* array: n elements, all leaves when `leaves`; else a struct of n members. */
	void (*open)(void *ctx, const char *key, bool array, size_t n, bool leaves);
	void (*close)(void *ctx, bool array);
	/* The whole frame as bytes, redacted bytes masked (mask[i] true), when asked for. */
	void (*end)(void *ctx, const uint8_t *raw, size_t len, const bool *mask);
};

/* What a back end gets besides its own state. */
struct qmi_printer {
	FILE *out;
	unsigned flags;     /* QMI_PRINT_* */
	const char *prefix; /* printed before the header (the trace's direction), or NULL */
};

extern const struct qmi_print_ops qmi_print_text_ops;
extern const struct qmi_print_ops qmi_print_json_ops;
/* Back end state, sized for both. */
struct qmi_print_ctx {
	struct qmi_printer p;
	int depth;
	bool first[8];   /* JSON: no comma yet at this depth */
	bool inline_[8]; /* text: this array prints on one line */
	size_t index[8]; /* text: next element label at this depth */
	char label[128]; /* text: the current TLV's label */
};

/* "pap|chap", unknown bits as hex; buf always terminated. */
void qmi_print_bitmask(const struct qmi_enum *e, uint64_t v, char *buf, size_t cap);
/* The "[2026-12-04 19:40:49.123] " style stamp of now, local time. */
void qmi_print_stamp(char *buf, size_t cap);

#endif
