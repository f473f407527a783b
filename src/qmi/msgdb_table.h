/* SPDX-License-Identifier: MIT */
/*
 * Internal: the macros the msg_<svc>.c tables are written with, so that a message is a few
 * lines of data. Before a block of TLV or field entries, #define T as the C struct that holds
 * the members named in it; member names double as the field names seen in traces and JSON.
 *
 *   #define T struct qmi_dms_get_ids_resp
 *   static const struct qmi_tlv_def dms_get_ids_resp[] = {
 *           TLV_STR(0x10, "ESN", esn),
 *           TLV_STR(0x11, "IMEI", imei),
 *   };
 *   #undef T
 *   QMI_MSG(qmi_dms_get_ids_resp_def, DMS, QMI_DMS_GET_IDS, RESPONSE, "Get IDs", dms_get_ids_resp);
 *
 * Numbers take their wire width and signedness from the C member's type (_Generic), so the
 * struct in messages.h is the single place a width is written down.
 */
#ifndef QMI_MSGDB_TABLE_H
#define QMI_MSGDB_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "qmi/messages.h"
#include "qmi/msgdb.h"

#define QMI_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define QMI_NUMTYPE(x)                                                                         \
	_Generic((x), uint8_t: QMI_F_U8, uint16_t: QMI_F_U16, uint32_t: QMI_F_U32,             \
		 uint64_t: QMI_F_U64, int8_t: QMI_F_I8, int16_t: QMI_F_I16, int32_t: QMI_F_I32)

#define QM_(m) (((T *)0)->m)
#define QF_BASE(m) .name = #m, .offset = offsetof(T, m), .size = sizeof(QM_(m))

/* Fields of T (struct members, TLV values). Extra arguments are designated initialisers
 * such as .names = &qmi_enum_x or .flags = QMI_FF_HEX. */
#define F_NUM(m, ...) { QF_BASE(m), .type = QMI_NUMTYPE(QM_(m)), __VA_ARGS__ }
#define F_ENUM(m, e) F_NUM(m, .names = &(e))
#define F_BOOL(m) F_NUM(m, .flags = QMI_FF_BOOL)
#define F_HEX(m) F_NUM(m, .flags = QMI_FF_HEX)
#define F_IPV4(m) { QF_BASE(m), .type = QMI_F_IPV4 }
#define F_IPV6(m) { QF_BASE(m), .type = QMI_F_IPV6 }
#define F_STR(m) { QF_BASE(m), .type = QMI_F_STRING }
#define F_STR8(m) { QF_BASE(m), .type = QMI_F_STRING8 }
#define F_STR16(m) { QF_BASE(m), .type = QMI_F_STRING16 }
#define F_STR_FIXED(m, n) { QF_BASE(m), .type = QMI_F_STRING_FIXED, .capacity = (n) }
#define F_BYTES(m)                                                                             \
	{ QF_BASE(m), .type = QMI_F_BYTES, .capacity = sizeof(QM_(m)),                         \
	  .count_offset = offsetof(T, n_##m) }
#define F_STRUCT(m, fields)                                                                    \
	{ QF_BASE(m), .type = QMI_F_STRUCT, .sub = (fields), .n_sub = QMI_ARRAY_SIZE(fields) }

/* Arrays: the element is described by one field at offset 0; its size is the array's stride,
 * filled in by the walker. kind: QMI_F_ARRAY8, QMI_F_ARRAY16 (count member n_<m>) or
 * QMI_F_ARRAY_FIXED (always the full capacity). */
#define QF_ARRAY(kind_, m, elem)                                                               \
	{ .name = #m, .type = (kind_), .offset = offsetof(T, m), .size = sizeof(QM_(m)[0]),    \
	  .capacity = QMI_ARRAY_SIZE(QM_(m)), .sub = (elem), .n_sub = 1,                       \
	  .count_offset = QF_COUNT_##kind_(m) }
#define QF_COUNT_QMI_F_ARRAY8(m) offsetof(T, n_##m)
#define QF_COUNT_QMI_F_ARRAY16(m) offsetof(T, n_##m)
#define QF_COUNT_QMI_F_ARRAY_FIXED(m) 0
#define F_ARRAY8(m, elem) QF_ARRAY(QMI_F_ARRAY8, m, elem)
#define F_ARRAY16(m, elem) QF_ARRAY(QMI_F_ARRAY16, m, elem)
#define F_FIXED(m, elem) QF_ARRAY(QMI_F_ARRAY_FIXED, m, elem)

/* Array elements. */
#define QE_(...) ((const struct qmi_field[]){ { .name = "", __VA_ARGS__ } })
#define E_NUM(ctype, ...) QE_(.type = QMI_NUMTYPE((ctype)0), __VA_ARGS__)
#define E_ENUM(ctype, e) E_NUM(ctype, .names = &(e))
#define E_IPV4 QE_(.type = QMI_F_IPV4)
#define E_STR8 QE_(.type = QMI_F_STRING8)
#define E_STR16 QE_(.type = QMI_F_STRING16)
#define E_STRUCT(fields) QE_(.type = QMI_F_STRUCT, .sub = (fields), .n_sub = QMI_ARRAY_SIZE(fields))

/* TLVs of message struct T: presence flag has_<m>, value <m>. */
#define TLV(id_, name_, m, field)                                                              \
	{ .id = (id_), .name = (name_), .has_offset = offsetof(T, has_##m), .value = field }
#define TLV_NUM(id, nm, m, ...) TLV(id, nm, m, F_NUM(m, __VA_ARGS__))
#define TLV_ENUM(id, nm, m, e) TLV(id, nm, m, F_ENUM(m, e))
#define TLV_BOOL(id, nm, m) TLV(id, nm, m, F_BOOL(m))
#define TLV_IPV4(id, nm, m) TLV(id, nm, m, F_IPV4(m))
#define TLV_IPV6(id, nm, m) TLV(id, nm, m, F_IPV6(m))
#define TLV_STR(id, nm, m) TLV(id, nm, m, F_STR(m))
#define TLV_STRUCT(id, nm, m, fields) TLV(id, nm, m, F_STRUCT(m, fields))
#define TLV_ARRAY8(id, nm, m, elem) TLV(id, nm, m, F_ARRAY8(m, elem))
#define TLV_ARRAY16(id, nm, m, elem) TLV(id, nm, m, F_ARRAY16(m, elem))
#define TLV_FIXED(id, nm, m, elem) TLV(id, nm, m, F_FIXED(m, elem))

/* Message defs. S: the C struct; tlvs: its TLV table. */
#define QMI_MSG(sym, svc, id, kind_, nm, S, tlvs_)                                             \
	const struct qmi_msg_def sym = { .service = QMI_SVC_##svc, .msg_id = (id),             \
					 .kind = QMI_KIND_##kind_, .name = (nm),               \
					 .tlvs = (tlvs_), .n_tlvs = QMI_ARRAY_SIZE(tlvs_),     \
					 .size = sizeof(S) }
#define QMI_MSG_EMPTY(sym, svc, id, kind_, nm)                                                 \
	const struct qmi_msg_def sym = { .service = QMI_SVC_##svc, .msg_id = (id),             \
					 .kind = QMI_KIND_##kind_, .name = (nm) }

/* Enum tables. */
#define QMI_ENUM(sym, tname, bitmask_, ...)                                                    \
	static const struct qmi_enum_name sym##_names[] = { __VA_ARGS__ };                     \
	const struct qmi_enum sym = { .type = (tname), .v = sym##_names,                       \
				      .n = QMI_ARRAY_SIZE(sym##_names), .bitmask = (bitmask_) }

/* Per-service lists, NULL-terminated, joined by msgdb.c. */
extern const struct qmi_msg_def *const qmi_msgdb_ctl[];
extern const struct qmi_msg_def *const qmi_msgdb_dms[];
extern const struct qmi_msg_def *const qmi_msgdb_nas[];
extern const struct qmi_msg_def *const qmi_msgdb_wds[];
extern const struct qmi_msg_def *const qmi_msgdb_wda[];
extern const struct qmi_msg_def *const qmi_msgdb_uim[];

/* Shared by the codec and the printer: decode one known TLV's value into msg (the message
 * struct). 0, -EBADMSG, -EMSGSIZE. Sets the has_ flag on success. */
int qmi_msgdb_decode_tlv(const struct qmi_tlv_def *t, const uint8_t *val, size_t len, void *msg);
const struct qmi_tlv_def *qmi_msgdb_find_tlv(const struct qmi_msg_def *def, uint8_t id);

#endif
