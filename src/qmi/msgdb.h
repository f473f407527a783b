/* SPDX-License-Identifier: MIT */
/*
 * The message database: every QMI message qmiusb knows is described once, as data, in
 * src/qmi/data/<service>.json; src/qmi/gen/qmigen.py turns it into qmi/messages.h (ids, enum
 * constants, C structs) and these tables. One generic encoder, one generic decoder and one
 * printer walk the description; nothing else in the tree pokes at TLV bytes by hand.
 *
 * A message def lists its TLVs. A TLV def says where its presence flag (`bool has_<x>`) lives in
 * the message's C struct and describes its value as a field. A field is a number, a string, an
 * address, raw bytes, a struct of fields or an array of one element field, with offsetof/sizeof
 * into the C struct that holds it, so nesting to any depth is the same walk.
 *
 * Decoding rules (the bytes come from an untrusted modem; libqmi applies the same ones):
 *   - unknown TLVs are skipped (firmware adds TLVs all the time);
 *   - a known optional TLV that is invalid (too short, bytes left over, an inner count or
 *     length that does not add up, a string longer than its C buffer, an array count over its
 *     capacity) is dropped on its own: its has_ flag stays false, its members are unspecified,
 *     its bit is set in struct qmi_decode_info, and the rest of the message decodes. Nothing is
 *     ever silently truncated: a value that does not fit is dropped whole;
 *   - an invalid required TLV (.required: ids below 0x10 unless the data file says otherwise)
 *     fails the whole message: -EBADMSG, or -EMSGSIZE when it does not fit its C buffer;
 *   - strings stop at the first NUL and lose trailing 0xFF padding, as libqmi reads them; a
 *     text8 (an operator name) is decoded from the encoding its TLV declares into UTF-8, and
 *     is invalid when that encoding is unknown or the bytes do not decode;
 *   - a TLV that appears twice: the LAST one wins (each occurrence is decoded over the previous
 *     one, which keeps the decoder a single forward pass; a later invalid one drops it);
 *   - the Result TLV 0x02 is not part of any struct: read it with qmi_result_get().
 * Encoding writes the present TLVs in table order (the order real clients use, e.g. qmicli's
 * CTL Set Data Format puts 0x10 before 0x01).
 *
 * Messages without TLVs (e.g. DMS Get IDs request) have no C struct: pass NULL.
 */
#ifndef QMI_MSGDB_H
#define QMI_MSGDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "qmi/qmux.h"

struct qmi_writer;

/* Names for the values of one enum (or the bits of one bitmask) type, for printing and for
 * parsing command-line words. */
struct qmi_enum_name {
	int64_t value;
	const char *name;
};
struct qmi_enum {
	const char *type; /* "QmiDmsOperatingMode": documentation in traces */
	const struct qmi_enum_name *v;
	size_t n;
	bool bitmask; /* printed as "pap|chap" */
};

enum qmi_ftype {
	QMI_F_U8,
	QMI_F_U16,
	QMI_F_U32,
	QMI_F_U64,
	QMI_F_I8,
	QMI_F_I16,
	QMI_F_I32,
	QMI_F_STRING,   /* the rest of the TLV / struct, no prefix; C: char x[N], NUL-terminated */
	QMI_F_STRING8,  /* u8 length prefix; C: char x[N] */
	QMI_F_STRING16, /* u16 length prefix; C: char x[N] */
	QMI_F_STRING_FIXED, /* exactly `capacity` bytes, no prefix (MCC "001"); C: char x[cap+1] */
	QMI_F_BYTES,        /* the rest of the TLV, raw; C: uint16_t n_x; uint8_t x[N] */
	QMI_F_IPV4,    /* u32 little-endian, printed dotted; C: uint32_t, 10.0.0.1 = 0x0a000001 */
	QMI_F_IPV6,    /* 16 raw bytes in network order; C: uint8_t x[16] */
	QMI_F_STRUCT,  /* the fields in `sub` one after another; C: a named struct member */
	QMI_F_ARRAY8,  /* u8 count + elements; C: uint16_t n_x; elem x[cap] */
	QMI_F_ARRAY16, /* u16 count + elements; C: uint16_t n_x; elem x[cap] */
	QMI_F_ARRAY_FIXED, /* exactly `capacity` elements, no count; C: elem x[cap] */
	QMI_F_TEXT8,       /* u8 length + bytes in the encoding a sibling u8 (at count_offset)
			     * names, by scheme `capacity` (QMI_TEXT_*); C: char x[N], UTF-8 */
};

/* How a text8 field's encoding byte reads (qmi/strdec.h has the tables). */
#define QMI_TEXT_NAS_DESCRIPTION 1 /* QmiNasNetworkDescriptionEncoding */
#define QMI_TEXT_NAS_PLMN 2        /* QmiNasPlmnEncodingScheme */

/* Printing hints. */
#define QMI_FF_HEX 0x01  /* numbers in hex */
#define QMI_FF_BOOL 0x02 /* numbers as yes/no */
/* Redaction in traces (-v), never in a command's own output. */
#define QMI_FF_SECRET 0x04   /* passwords, PINs, PUKs: always hidden */
#define QMI_FF_PERSONAL 0x08 /* IMEI, IMSI, ICCID, MSISDN...: hidden unless asked for in full */

struct qmi_field {
	const char *name; /* C member name, used as the key in traces and JSON */
	enum qmi_ftype type;
	uint8_t flags;   /* QMI_FF_* */
	uint16_t offset; /* of the member in the struct that holds it */
	uint16_t size;   /* sizeof the member (string buffer, number); element size for arrays */
	uint16_t count_offset; /* ARRAY8/16, BYTES: offset of the uint16_t n_<x> member */
	uint16_t capacity; /* arrays: max elements; BYTES: buffer size; STRING_FIXED: wire length */
	const struct qmi_field *sub; /* STRUCT: its fields; arrays: the one element field */
	uint8_t n_sub;
	const struct qmi_enum *names; /* optional, numbers only */
};

struct qmi_tlv_def {
	uint8_t id;
	const char *name;       /* "Packet Data Handle" */
	uint16_t has_offset;    /* of `bool has_<x>` in the message struct */
	bool required;          /* invalid: the whole message fails; otherwise it is dropped */
	struct qmi_field value; /* offset relative to the message struct */
};

struct qmi_msg_def {
	uint8_t service;
	uint16_t msg_id;
	enum qmi_msg_kind kind;
	const char *name; /* "Get IDs" */
	const struct qmi_tlv_def *tlvs;
	size_t n_tlvs;
	size_t size; /* sizeof the C struct; 0 when the message has no TLVs */
};

/* The def for (service, id, kind), or NULL. */
const struct qmi_msg_def *qmi_msgdb_find(uint8_t svc, uint16_t msg_id, enum qmi_msg_kind kind);
/* The i-th def of the whole database (0, 1, ...), NULL past the end: for tests and tools. */
const struct qmi_msg_def *qmi_msgdb_get(size_t i);
/* The name of a message whatever its kind ("Get IDs"), or NULL if the id is unknown. */
const char *qmi_msgdb_msg_name(uint8_t svc, uint16_t msg_id);

/* Appends the present TLVs of msg (a struct of def's type; NULL if def->size == 0) to w, which
 * the caller has initialised for the right service and message id. 0, -EINVAL (a string that
 * does not fit its buffer, NUL missing; an array count over capacity), or the writer's error
 * (-EMSGSIZE when the frame buffer is full). */
int qmi_msg_encode(const struct qmi_msg_def *def, const void *msg, struct qmi_writer *w);
/* What qmi_msg_decode_ex() dropped: bit i of `invalid` is def->tlvs[i] (a message has fewer
 * than 64 TLVs; the generator checks); n_invalid counts dropped occurrences. */
struct qmi_decode_info {
	uint64_t invalid;
	unsigned n_invalid;
};

/* Zeroes msg (def->size bytes; may be NULL if def->size == 0) and fills it from the TLV area,
 * by the rules above. 0 (invalid optional TLVs dropped, see info), -EBADMSG (malformed TLV
 * area, invalid required TLV), -EMSGSIZE (a required TLV too big for its C buffer). On error
 * msg is partly filled: trust only a 0 return. info may be NULL. */
int qmi_msg_decode_ex(const struct qmi_msg_def *def, const uint8_t *tlvs, size_t len, void *msg,
		      struct qmi_decode_info *info);
int qmi_msg_decode(const struct qmi_msg_def *def, const uint8_t *tlvs, size_t len, void *msg);
/* Whether TLV `id` of def was dropped as invalid in the decode that filled info. */
bool qmi_decode_dropped(const struct qmi_msg_def *def, const struct qmi_decode_info *info,
			uint8_t id);

/* Builds a whole frame: init + encode + finish. *len = frame length. */
int qmi_msg_build(const struct qmi_msg_def *def, const void *msg, uint8_t cid, uint16_t txn,
		  uint8_t *buf, size_t cap, size_t *len);

/* Printing, for tracing (-v) and `raw`. Any frame, known or not. One header line (the caller
 * prints the direction before it), then one line per TLV and per nested value, indented. Returns
 * 0 or -EIO if writing to out failed. */
int qmi_msg_print(FILE *out, const struct qmi_frame *f);
/* One JSON object and a newline:
 * {"service":"dms","service_id":2,"message":"Get IDs","message_id":37,"kind":"response",
 *  "client_id":1,"transaction":2,"result":{"status":0,"error":0,"error_name":"None"},
 *  "tlvs":[{"id":16,"name":"ESN","value":"0"}, {"id":48,"raw":"0102"}]}
 * A decoded value is a JSON number, string, object or array; an enum field "mode":0 is
 * followed by "mode_name":"online". */
int qmi_msg_print_json(FILE *out, const struct qmi_frame *f);

/* Either of the above, with options (QMI_PRINT_*); prefix (e.g. the trace's ">>>") is printed
 * before the header, or, in JSON, as "direction". */
#define QMI_PRINT_JSON 0x01
#define QMI_PRINT_HIDE_SECRET 0x02   /* QMI_FF_SECRET values as "### (secret)" */
#define QMI_PRINT_HIDE_PERSONAL 0x04 /* QMI_FF_PERSONAL values as "### (personal)" */
#define QMI_PRINT_TIME 0x08          /* a wall-clock stamp per message */
#define QMI_PRINT_HEX 0x10           /* the whole frame in hex, hidden values' bytes as ** */
int qmi_msg_print_ex(FILE *out, const struct qmi_frame *f, const char *prefix, unsigned flags);

/* Enum tables: name of a value (NULL if none), and the value of a name (0 or -ENOENT). */
const char *qmi_enum_name(const struct qmi_enum *e, int64_t value);
int qmi_enum_value(const struct qmi_enum *e, const char *name, int64_t *value);
/* The brief's generic lookup: same as qmi_enum_name. */
#define qmi_msg_enum_name qmi_enum_name

/* The tables the CLI, the sim and the printer share (qmi_enum_service, qmi_enum_wds_auth, ...):
 * one per enum of src/qmi/data/<service>.json. */
#include "qmi/msgdb_enums.h"

/* Shorthands for the CLI; each returns NULL for an unknown value. */
const char *qmi_wds_call_end_reason_name(uint16_t reason);
/* Verbose CER, e.g. (type 6 "3gpp", reason 27) -> "missing-unknown-apn"; NULL if unknown. */
const char *qmi_wds_verbose_call_end_reason_name(uint16_t type, int16_t reason);
const char *qmi_wds_verbose_cer_type_name(uint16_t type);
const char *qmi_wds_connection_status_name(uint8_t status);
const char *qmi_dms_operating_mode_name(uint8_t mode);
const char *qmi_nas_registration_state_name(uint8_t state);
const char *qmi_nas_attach_state_name(uint8_t state);
const char *qmi_nas_radio_interface_name(int8_t radio_if);
const char *qmi_nas_service_status_name(uint8_t status);
const char *qmi_wda_link_layer_name(uint32_t llp);
const char *qmi_wda_aggregation_name(uint32_t proto);
const char *qmi_uim_card_state_name(uint8_t state);
const char *qmi_uim_app_state_name(uint8_t state);

#endif
