/* SPDX-License-Identifier: MIT */
/*
 * TLV reading (iterator, lookup, a bounds-checked little-endian cursor) and TLV writing on top
 * of struct qmi_writer. Every read is checked against what is left; a short read sets a sticky
 * -EBADMSG instead of touching memory past the end, so a decoder can read a whole struct and
 * test the error once.
 */
#ifndef QMI_TLV_H
#define QMI_TLV_H

#include <stddef.h>
#include <stdint.h>

#include "qmi/qmux.h"

#define QMI_TLV_RESULT 0x02 /* the common "Operation Result" TLV of every response */

struct qmi_tlv {
	uint8_t type;
	uint16_t len;
	const uint8_t *val;
};
struct qmi_tlv_iter {
	const uint8_t *p;
	size_t left;
};

void qmi_tlv_iter_init(struct qmi_tlv_iter *it, const uint8_t *tlvs, size_t len);
/* 1 got one (out->val points into the iterated bytes), 0 end, -EBADMSG truncated/overrun.
 * After -EBADMSG the iterator stays at end. */
int qmi_tlv_next(struct qmi_tlv_iter *it, struct qmi_tlv *out);
/* First TLV of that type. 0, -ENOENT, or -EBADMSG if the area is malformed before it. */
int qmi_tlv_find(const uint8_t *tlvs, size_t len, uint8_t type, struct qmi_tlv *out);

struct qmi_cursor {
	const uint8_t *p;
	size_t left;
	int err;
}; /* sticky -EBADMSG when short */
void qmi_cursor_init(struct qmi_cursor *c, const uint8_t *p, size_t len);
/* Each returns 0 once the cursor is short, and consumes nothing then. */
uint8_t qmi_cursor_u8(struct qmi_cursor *c);
uint16_t qmi_cursor_u16(struct qmi_cursor *c);
uint32_t qmi_cursor_u32(struct qmi_cursor *c);
uint64_t qmi_cursor_u64(struct qmi_cursor *c);
uint16_t qmi_cursor_u16be(struct qmi_cursor *c);
int qmi_cursor_bytes(struct qmi_cursor *c, void *dst, size_t n); /* 0 or -EBADMSG (dst zeroed) */
/* A pointer to the next n bytes (consumed), or NULL + sticky error: zero-copy strings. */
const uint8_t *qmi_cursor_take(struct qmi_cursor *c, size_t n);
static inline size_t qmi_cursor_left(const struct qmi_cursor *c)
{
	return c->left;
}

/* Writing: tlv_begin opens a TLV whose length tlv_end fills in, so nested structs and arrays
 * can be written without knowing their size first. Puts outside a TLV are -EINVAL. All
 * return the writer's sticky error (0 while fine). */
int qmi_writer_tlv_begin(struct qmi_writer *w, uint8_t type);
int qmi_writer_put_u8(struct qmi_writer *w, uint8_t v);
int qmi_writer_put_u16(struct qmi_writer *w, uint16_t v);
int qmi_writer_put_u32(struct qmi_writer *w, uint32_t v);
int qmi_writer_put_u64(struct qmi_writer *w, uint64_t v);
int qmi_writer_put_u16be(struct qmi_writer *w, uint16_t v);
int qmi_writer_put_bytes(struct qmi_writer *w, const void *p, size_t n);
int qmi_writer_tlv_end(struct qmi_writer *w);
int qmi_writer_tlv(struct qmi_writer *w, uint8_t type, const void *val, size_t len);
/* The Result TLV 0x02 {u16 status, u16 error} for responders (sim, proxy). */
int qmi_writer_result(struct qmi_writer *w, uint16_t status, uint16_t error);

/* status 0 = success; error = the QMI error code */
struct qmi_result {
	uint16_t status;
	uint16_t error;
};
int qmi_result_get(const struct qmi_frame *f, struct qmi_result *out); /* 0, -ENOENT, -EBADMSG */

#endif
