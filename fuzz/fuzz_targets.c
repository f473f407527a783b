/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_targets.h"
#include "qmi/msgdb.h"
#include "qmi/splitter.h"
#include "qmi/tlv.h"

#define CHECK(cond)                      \
	do {                             \
		if (!(cond))             \
			__builtin_trap(); \
	} while (0)

static void walk_tlvs(const uint8_t *p, size_t len, bool must_be_valid)
{
	struct qmi_tlv_iter it;
	struct qmi_tlv t;
	size_t seen = 0;
	int r;

	qmi_tlv_iter_init(&it, p, len);
	while ((r = qmi_tlv_next(&it, &t)) > 0) {
		CHECK(t.val >= p && t.val + t.len <= p + len);
		seen += 3u + t.len;
	}
	if (must_be_valid)
		CHECK(r == 0 && seen == len);
	CHECK(qmi_tlv_next(&it, &t) == 0); /* after the end or an error: stays at the end */
}

static void cursor_walk(const uint8_t *p, size_t len)
{
	struct qmi_cursor c;
	size_t before;

	qmi_cursor_init(&c, p, len);
	while (!c.err) {
		before = qmi_cursor_left(&c);
		switch (before % 5) {
		case 0: (void)qmi_cursor_u8(&c); break;
		case 1: (void)qmi_cursor_u16(&c); break;
		case 2: (void)qmi_cursor_u32(&c); break;
		case 3: (void)qmi_cursor_u64(&c); break;
		default: (void)qmi_cursor_u16be(&c); break;
		}
		CHECK(c.err || qmi_cursor_left(&c) < before);
		CHECK(qmi_cursor_left(&c) <= before);
	}
}

/* Rebuilds the frame from its parsed fields: the writer must reproduce header and TLVs. */
static void roundtrip(const struct qmi_frame *f)
{
	uint8_t *buf = malloc(QMI_FRAME_MAX);
	struct qmi_tlv_iter it;
	struct qmi_writer w;
	struct qmi_frame g;
	struct qmi_tlv t;
	size_t len;

	CHECK(buf);
	qmi_writer_init(&w, buf, QMI_FRAME_MAX, f->service, f->client_id, f->kind, f->txn, f->msg_id);
	qmi_writer_set_qmux_flags(&w, f->qmux_flags);
	qmi_tlv_iter_init(&it, f->tlvs, f->tlvs_len);
	while (qmi_tlv_next(&it, &t) > 0)
		qmi_writer_tlv(&w, t.type, t.val, t.len);
	if (f->raw_len <= QMI_FRAME_MAX) {
		CHECK(qmi_writer_finish(&w, &len) == 0);
		CHECK(len == f->raw_len);
		CHECK(qmi_frame_parse(buf, len, &g, NULL) == 0);
		CHECK(g.service == f->service && g.client_id == f->client_id && g.kind == f->kind);
		CHECK(g.txn == f->txn && g.msg_id == f->msg_id && g.qmux_flags == f->qmux_flags);
		CHECK(g.tlvs_len == f->tlvs_len && memcmp(g.tlvs, f->tlvs, f->tlvs_len) == 0);
	}
	free(buf);
}

static void decode_known(const struct qmi_frame *f)
{
	const struct qmi_msg_def *def = qmi_msgdb_find(f->service, f->msg_id, f->kind);
	void *msg;

	if (!def)
		return;
	/* Decoding an untrusted message into its struct must never overrun it. */
	msg = def->size ? malloc(def->size) : NULL;
	CHECK(!def->size || msg);
	(void)qmi_msg_decode(def, f->tlvs, f->tlvs_len, msg);
	free(msg);
}

int qmi_fuzz_frame(const uint8_t *data, size_t size)
{
	enum qmi_frame_err why = QMI_FRAME_OK;
	struct qmi_result res;
	struct qmi_frame f;

	if (qmi_frame_parse(data, size, &f, &why) == 0) {
		CHECK(why == QMI_FRAME_OK);
		CHECK(f.raw == data && f.raw_len == size);
		CHECK(f.tlvs >= data && f.tlvs + f.tlvs_len == data + size);
		CHECK(f.service != QMI_SVC_CTL || f.txn <= 0xFF);
		walk_tlvs(f.tlvs, f.tlvs_len, true);
		(void)qmi_result_get(&f, &res);
		decode_known(&f);
		roundtrip(&f);
	} else {
		CHECK(why != QMI_FRAME_OK);
		CHECK(qmi_frame_err_str(why) != NULL);
		walk_tlvs(data, size, false);
	}
	cursor_walk(data, size);
	return 0;
}

struct split_stats {
	size_t bytes;
};

static void on_frame(void *user, const struct qmi_frame *f)
{
	struct split_stats *st = user;

	CHECK(qmi_frame_parse(f->raw, f->raw_len, NULL, NULL) == 0);
	CHECK(f->raw_len <= QMI_FRAME_MAX);
	st->bytes += f->raw_len;
}

int qmi_fuzz_splitter(const uint8_t *data, size_t size)
{
	static const struct qmi_split_cbs cbs = { on_frame, NULL };
	struct qmi_splitter *s = malloc(sizeof(*s));
	size_t off, step;

	CHECK(s);
	if (size < 1)
		goto out;
	/* The first byte picks the chunking, so one input exercises many read patterns. */
	step = (size_t)data[0] * 13 + 1;
	data++;
	size--;
	for (int mode = QMI_SPLIT_RESYNC; mode <= QMI_SPLIT_CLOSE; mode++) {
		struct split_stats st = { 0 };

		qmi_splitter_init(s, mode);
		for (off = 0; off < size; off += step) {
			size_t n = size - off < step ? size - off : step;
			int r = qmi_splitter_feed(s, data + off, n, &cbs, &st);

			CHECK(r == 0 || (r == -EPIPE && mode == QMI_SPLIT_CLOSE));
		}
		/* Resync mode accounts for every byte: handed out, dropped, or still buffered. */
		if (mode == QMI_SPLIT_RESYNC)
			CHECK(st.bytes + s->dropped + s->len == size);
	}
out:
	free(s);
	return 0;
}
