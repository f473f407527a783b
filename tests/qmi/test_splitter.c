/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qmi/splitter.h"
#include "qmi/tlv.h"

/* What a feed produced, in order: frames by (service, txn, length) and errors by reason. */
struct seen {
	struct {
		uint8_t svc;
		uint16_t txn;
		size_t len;
		uint8_t first_tlv;
	} f[64];
	size_t n;
	enum qmi_frame_err err[64];
	size_t n_err;
};

static void on_frame(void *user, const struct qmi_frame *f)
{
	struct seen *s = user;

	cr_assert_lt(s->n, 64);
	/* Every handed-out frame must already be valid. */
	cr_assert_eq(qmi_frame_parse(f->raw, f->raw_len, NULL, NULL), 0);
	s->f[s->n].svc = f->service;
	s->f[s->n].txn = f->txn;
	s->f[s->n].len = f->raw_len;
	s->f[s->n].first_tlv = f->tlvs_len ? f->tlvs[0] : 0;
	s->n++;
}

static void on_error(void *user, enum qmi_frame_err why)
{
	struct seen *s = user;

	cr_assert_lt(s->n_err, 64);
	s->err[s->n_err++] = why;
}

static const struct qmi_split_cbs cbs = { .frame = on_frame, .error = on_error };

/* A stream of n frames of varied services, sizes and txns. */
static size_t make_stream(uint8_t *out, size_t cap, int n)
{
	size_t off = 0;

	for (int i = 0; i < n; i++) {
		uint8_t blob[300];
		struct qmi_writer w;
		size_t len;
		uint8_t svc = (i % 3 == 0) ? QMI_SVC_CTL : (i % 3 == 1 ? QMI_SVC_DMS : QMI_SVC_NAS);

		/* Payloads full of 0x01 bytes, so they look like markers to a naive splitter. */
		memset(blob, 0x01, sizeof(blob));
		qmi_writer_init(&w, out + off, cap - off, svc, 1, QMI_KIND_RESPONSE,
				(uint16_t)(i + 1), 0x20);
		qmi_writer_result(&w, 0, 0);
		qmi_writer_tlv(&w, 0x10 + (uint8_t)i, blob, (size_t)(i * 37) % 300);
		cr_assert_eq(qmi_writer_finish(&w, &len), 0);
		off += len;
	}
	return off;
}

static void check_stream(const struct seen *s, int n)
{
	cr_assert_eq(s->n, (size_t)n, "got %zu frames, want %d", s->n, n);
	cr_assert_eq(s->n_err, 0);
	for (int i = 0; i < n; i++) {
		cr_assert_eq(s->f[i].txn, i + 1);
		cr_assert_eq(s->f[i].first_tlv, QMI_TLV_RESULT);
	}
}

Test(splitter, whole_stream_in_one_feed)
{
	static uint8_t stream[16384];
	static struct qmi_splitter sp;
	struct seen s = { 0 };
	size_t len = make_stream(stream, sizeof(stream), 20);

	qmi_splitter_init(&sp, QMI_SPLIT_CLOSE);
	cr_assert_eq(qmi_splitter_feed(&sp, stream, len, &cbs, &s), 0);
	check_stream(&s, 20);
}

Test(splitter, byte_by_byte)
{
	static uint8_t stream[16384];
	static struct qmi_splitter sp;
	struct seen s = { 0 };
	size_t len = make_stream(stream, sizeof(stream), 20);

	qmi_splitter_init(&sp, QMI_SPLIT_CLOSE);
	for (size_t i = 0; i < len; i++)
		cr_assert_eq(qmi_splitter_feed(&sp, stream + i, 1, &cbs, &s), 0);
	check_stream(&s, 20);
}

Test(splitter, random_chunks_seeded)
{
	static uint8_t stream[16384];
	static struct qmi_splitter sp;
	size_t len = make_stream(stream, sizeof(stream), 40);

	for (unsigned seed = 1; seed <= 50; seed++) {
		struct seen s = { 0 };
		size_t off = 0;

		srand(seed);
		qmi_splitter_init(&sp, seed & 1 ? QMI_SPLIT_CLOSE : QMI_SPLIT_RESYNC);
		while (off < len) {
			size_t chunk = (size_t)rand() % 700 + 1;

			if (chunk > len - off)
				chunk = len - off;
			cr_assert_eq(qmi_splitter_feed(&sp, stream + off, chunk, &cbs, &s), 0);
			off += chunk;
		}
		check_stream(&s, 40);
		cr_assert_eq(sp.len, 0, "seed %u: bytes left over", seed);
	}
}

Test(splitter, partial_frame_waits)
{
	static uint8_t stream[1024];
	static struct qmi_splitter sp;
	struct qmi_frame f;
	size_t len = make_stream(stream, sizeof(stream), 1);

	qmi_splitter_init(&sp, QMI_SPLIT_CLOSE);
	cr_assert_eq(qmi_splitter_push(&sp, stream, len - 1), len - 1);
	cr_assert_eq(qmi_splitter_next(&sp, &f, NULL), 0);
	cr_assert_eq(qmi_splitter_push(&sp, stream + len - 1, 1), 1);
	cr_assert_eq(qmi_splitter_next(&sp, &f, NULL), 1);
	cr_assert_eq(f.raw_len, len);
	cr_assert_eq(qmi_splitter_next(&sp, &f, NULL), 0);
}

Test(splitter, resync_after_garbage)
{
	static uint8_t stream[4096], buf[8192];
	static struct qmi_splitter sp;
	/* Garbage that contains 0x01 bytes with implausible headers after them. */
	static const uint8_t garbage[] = { 0xde, 0xad, 0x01, 0xff, 0xff, 0x00, 0x01, 0x01,
					   0x02, 0x01, 0x03, 0x00, 0x00, 0x99, 0x01 };
	struct seen s = { 0 };
	size_t len = make_stream(stream, sizeof(stream), 6), off = 0;

	memcpy(buf, garbage, sizeof(garbage));
	off = sizeof(garbage);
	memcpy(buf + off, stream, len);
	off += len;
	memcpy(buf + off, garbage, sizeof(garbage)); /* and garbage between two streams */
	off += sizeof(garbage);
	memcpy(buf + off, stream, len);
	off += len;

	for (size_t chunk = 1; chunk <= 64; chunk *= 4) {
		memset(&s, 0, sizeof(s));
		qmi_splitter_init(&sp, QMI_SPLIT_RESYNC);
		for (size_t i = 0; i < off; i += chunk)
			cr_assert_eq(qmi_splitter_feed(&sp, buf + i,
						       i + chunk > off ? off - i : chunk, &cbs, &s),
				     0);
		cr_assert_eq(s.n, 12, "chunk %zu: got %zu frames", chunk, s.n);
		for (int i = 0; i < 12; i++)
			cr_assert_eq(s.f[i].txn, i % 6 + 1);
		/* One report per garbage run, not one per byte. */
		cr_assert_eq(s.n_err, 2, "chunk %zu: %zu errors", chunk, s.n_err);
		cr_assert_eq(s.err[0], QMI_FRAME_BAD_MARKER);
		cr_assert_eq(sp.dropped, 2 * sizeof(garbage));
	}
}

Test(splitter, close_mode_poisons_stream)
{
	static uint8_t stream[1024];
	static struct qmi_splitter sp;
	struct seen s = { 0 };
	size_t len = make_stream(stream, sizeof(stream), 2);
	uint8_t bad = 0x7e;

	qmi_splitter_init(&sp, QMI_SPLIT_CLOSE);
	cr_assert_eq(qmi_splitter_feed(&sp, stream, len, &cbs, &s), 0);
	cr_assert_eq(qmi_splitter_feed(&sp, &bad, 1, &cbs, &s), -EPIPE);
	cr_assert_eq(s.n_err, 1);
	cr_assert_eq(s.err[0], QMI_FRAME_BAD_MARKER);
	cr_assert_eq(qmi_splitter_feed(&sp, stream, len, &cbs, &s), -EPIPE);
	cr_assert_eq(s.n, 2, "nothing after the close");
}

Test(splitter, impossible_length_is_an_error)
{
	static uint8_t stream[1024];
	static struct qmi_splitter sp;
	/* QMUX length 0xFFFF can never fit QMI_FRAME_MAX: report it at once, never wait. */
	static const uint8_t huge[] = { 0x01, 0xff, 0xff };
	struct seen s = { 0 };
	size_t len = make_stream(stream, sizeof(stream), 2);

	qmi_splitter_init(&sp, QMI_SPLIT_CLOSE);
	cr_assert_eq(qmi_splitter_feed(&sp, huge, sizeof(huge), &cbs, &s), -EPIPE);
	cr_assert_eq(s.err[0], QMI_FRAME_TOO_BIG);

	memset(&s, 0, sizeof(s));
	qmi_splitter_init(&sp, QMI_SPLIT_RESYNC);
	cr_assert_eq(qmi_splitter_feed(&sp, huge, sizeof(huge), &cbs, &s), 0);
	cr_assert_eq(s.n_err, 1);
	cr_assert_eq(s.err[0], QMI_FRAME_TOO_BIG);
	cr_assert_eq(qmi_splitter_feed(&sp, stream, len, &cbs, &s), 0);
	cr_assert_eq(s.n, 2);
}

Test(splitter, invalid_delimited_frame_dropped_stream_stays_aligned)
{
	static uint8_t stream[1024];
	static struct qmi_splitter sp;
	struct seen s = { 0 };
	size_t len = make_stream(stream, sizeof(stream), 3);
	size_t first = (size_t)(stream[1] | stream[2] << 8) + 1;

	/* Break the first frame's inner TLV length: the QMUX length still delimits it. */
	stream[12 + 1] = 0x7f;
	qmi_splitter_init(&sp, QMI_SPLIT_CLOSE);
	cr_assert_eq(qmi_splitter_feed(&sp, stream, len, &cbs, &s), 0);
	cr_assert_eq(s.n_err, 1);
	cr_assert_eq(s.err[0], QMI_FRAME_TLV_OVERRUN);
	cr_assert_eq(s.n, 2);
	cr_assert_eq(s.f[0].txn, 2);
	cr_assert_eq(sp.dropped, first);
}

Test(splitter, largest_frame_fits)
{
	static uint8_t frame[QMI_FRAME_MAX], blob[QMI_FRAME_MAX];
	static struct qmi_splitter sp;
	struct seen s = { 0 };
	struct qmi_writer w;
	size_t len;

	qmi_writer_init(&w, frame, sizeof(frame), QMI_SVC_WDS, 1, QMI_KIND_INDICATION, 1, 0x22);
	qmi_writer_tlv(&w, 0x01, blob, QMI_FRAME_MAX - 16);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(len, QMI_FRAME_MAX);
	qmi_splitter_init(&sp, QMI_SPLIT_CLOSE);
	cr_assert_eq(qmi_splitter_feed(&sp, frame, len, &cbs, &s), 0);
	cr_assert_eq(qmi_splitter_feed(&sp, frame, len, &cbs, &s), 0);
	cr_assert_eq(s.n, 2);
}

Test(splitter, self_contradicting_header_is_caught_before_waiting)
{
	static uint8_t stream[2048];
	static struct qmi_splitter sp;
	struct seen s = { 0 };
	size_t len = make_stream(stream, sizeof(stream), 3);
	uint8_t bad[16];

	/* A 13-byte header claiming 4000 bytes with tlv_length 0: it must not swallow the next
	 * 4000 bytes of good frames while waiting for a frame that cannot exist. */
	memcpy(bad, stream, 13);
	bad[1] = 0xa0;
	bad[2] = 0x0f;
	qmi_splitter_init(&sp, QMI_SPLIT_RESYNC);
	cr_assert_eq(qmi_splitter_feed(&sp, bad, 13, &cbs, &s), 0);
	cr_assert_eq(s.n_err, 1);
	cr_assert_eq(s.err[0], QMI_FRAME_TLV_LEN_MISMATCH);
	cr_assert_eq(qmi_splitter_feed(&sp, stream, len, &cbs, &s), 0);
	cr_assert_eq(s.n, 3);
	cr_assert_eq(s.n_err, 1, "the good frames after it raise no error");
	for (int i = 0; i < 3; i++)
		cr_assert_eq(s.f[i].txn, i + 1);

	memset(&s, 0, sizeof(s));
	qmi_splitter_init(&sp, QMI_SPLIT_CLOSE);
	cr_assert_eq(qmi_splitter_feed(&sp, bad, 13, &cbs, &s), -EPIPE);
	cr_assert_eq(s.err[0], QMI_FRAME_TLV_LEN_MISMATCH);

	/* A QMUX length too small for any QMI header. */
	memset(&s, 0, sizeof(s));
	qmi_splitter_init(&sp, QMI_SPLIT_RESYNC);
	bad[1] = 0x05;
	bad[2] = 0x00;
	cr_assert_eq(qmi_splitter_feed(&sp, bad, 3, &cbs, &s), 0);
	cr_assert_eq(s.err[0], QMI_FRAME_TRUNC_HEADER);
}
