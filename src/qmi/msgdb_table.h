/* SPDX-License-Identifier: MIT */
/* Internal to the message database: what the generated tables and the walkers share. */
#ifndef QMI_MSGDB_TABLE_H
#define QMI_MSGDB_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "qmi/msgdb.h"

#define QMI_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Per-service lists, NULL-terminated, generated; joined by msgdb.c. */
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
