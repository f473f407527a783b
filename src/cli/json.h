/* SPDX-License-Identifier: MIT */
/*
 * A small streaming JSON writer for `qmiusb --json`. Strings from the modem are untrusted: they
 * are escaped (quotes, backslash, control bytes) and invalid UTF-8 becomes U+FFFD, so the output
 * always parses. Errors (nesting too deep, unbalanced end, write failure) are sticky and read
 * once at the end with qcli_json_finish().
 *
 * key is the member name inside an object and must be NULL inside an array or at top level.
 */
#ifndef QCLI_JSON_H
#define QCLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define QCLI_JSON_MAX_DEPTH 32

struct qcli_json {
	FILE *f; /* borrowed */
	unsigned depth;
	uint32_t has_items; /* bit n: the container at depth n already has a member */
	uint32_t is_array;  /* bit n: the container at depth n is an array */
	int err;            /* 0 or the first -errno */
};

void qcli_json_init(struct qcli_json *j, FILE *f);
void qcli_json_obj_begin(struct qcli_json *j, const char *key);
void qcli_json_obj_end(struct qcli_json *j);
void qcli_json_arr_begin(struct qcli_json *j, const char *key);
void qcli_json_arr_end(struct qcli_json *j);
void qcli_json_str(struct qcli_json *j, const char *key, const char *s); /* NULL -> null */
void qcli_json_strn(struct qcli_json *j, const char *key, const char *s, size_t n);
void qcli_json_int(struct qcli_json *j, const char *key, long long v);
/* An enum value: its name, or the number itself when no table names it (firmware adds values),
 * never null. */
void qcli_json_enum(struct qcli_json *j, const char *key, const char *name, long long v);
void qcli_json_uint(struct qcli_json *j, const char *key, unsigned long long v);
/* Fixed-point: v printed with `decimals` digits after the point (finite values only). */
void qcli_json_fixed(struct qcli_json *j, const char *key, double v, int decimals);
void qcli_json_bool(struct qcli_json *j, const char *key, bool v);
void qcli_json_null(struct qcli_json *j, const char *key);
/* Hex string of bytes ("0a1b..."). */
void qcli_json_hex(struct qcli_json *j, const char *key, const uint8_t *p, size_t n);
/* Writes the member name (and separator) and returns the stream: the caller then writes exactly
 * one JSON value to it (e.g. qmi_msg_print_json). */
FILE *qcli_json_raw(struct qcli_json *j, const char *key);
/* 0 when everything balanced and was written, else -errno (-EINVAL unbalanced, -E2BIG depth). */
int qcli_json_finish(struct qcli_json *j);

/* Writes s (n bytes) as a quoted JSON string. 0 or -EIO. */
int qcli_json_write_string(FILE *f, const char *s, size_t n);

#endif
