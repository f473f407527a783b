/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "qmi/splitter.h"

/* Frame length from a buffer starting with a marker, once the length field is there. */
static size_t frame_len(const uint8_t *p)
{
	return (size_t)(p[1] | (p[2] << 8)) + 1;
}

/* The first header violation visible in the bytes available so far. A header that contradicts
 * itself cannot be trusted to delimit a frame, so it is caught here, before we would wait for
 * (and swallow) as many bytes as its length claims. */
static enum qmi_frame_err head_err(const uint8_t *p, size_t n)
{
	size_t flen, hdr;

	if (n == 0)
		return QMI_FRAME_OK;
	if (p[0] != QMI_QMUX_MARKER)
		return QMI_FRAME_BAD_MARKER;
	if (n < 3)
		return QMI_FRAME_OK;
	flen = frame_len(p);
	if (flen > QMI_FRAME_MAX)
		return QMI_FRAME_TOO_BIG; /* could never fit: waiting would stall forever */
	if (flen < QMI_CTL_HDR_LEN)
		return QMI_FRAME_TRUNC_HEADER;
	if (n < 5)
		return QMI_FRAME_OK;
	hdr = qmi_hdr_len(p[4]);
	if (flen < hdr)
		return QMI_FRAME_TRUNC_HEADER;
	if (n < hdr)
		return QMI_FRAME_OK;
	if ((size_t)(p[hdr - 2] | (p[hdr - 1] << 8)) != flen - hdr)
		return QMI_FRAME_TLV_LEN_MISMATCH;
	return QMI_FRAME_OK;
}

/* A 0x01 found inside garbage is accepted as a frame start only if every header field that is
 * already available agrees with the others; a random 0x01 rarely passes all of them. */
static bool plausible(const uint8_t *p, size_t n)
{
	return n > 0 && head_err(p, n) == QMI_FRAME_OK;
}

/* First plausible frame start after position 0, or n when there is none. */
static size_t scan(const uint8_t *p, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (p[i] == QMI_QMUX_MARKER && plausible(p + i, n - i))
			return i;
	}
	return n;
}

static void drop(struct qmi_splitter *s, size_t n, bool garbage)
{
	if (n > s->len)
		n = s->len;
	memmove(s->buf, s->buf + n, s->len - n);
	s->len -= n;
	if (garbage)
		s->dropped += n;
}

/* Called before a frame at buf[0] is dropped. buf[0] is a frame start or a 0x01 that looked
 * like one; a "header" read from noise can at worst fail the request it happens to name. */
static void note_rejected(struct qmi_splitter *s)
{
	s->has_rejected = qmi_frame_peek(s->buf, s->len, &s->rejected) == 0;
	if (s->has_rejected)
		s->rejected.raw = NULL;
}

void qmi_splitter_init(struct qmi_splitter *s, enum qmi_split_mode mode)
{
	s->mode = mode;
	s->closed = false;
	s->resyncing = false;
	s->head = 0;
	s->len = 0;
	s->dropped = 0;
	s->errors = 0;
	s->has_rejected = false;
}

size_t qmi_splitter_push(struct qmi_splitter *s, const uint8_t *data, size_t len)
{
	size_t take;

	/* The frame handed out last is consumed now: its view into buf expires here. */
	drop(s, s->head, false);
	s->head = 0;
	if (s->closed || !data)
		return s->closed ? len : 0; /* a closed stream swallows input: nothing reads it */
	take = sizeof(s->buf) - s->len;
	if (take > len)
		take = len;
	memcpy(s->buf + s->len, data, take);
	s->len += take;
	return take;
}

int qmi_splitter_next(struct qmi_splitter *s, struct qmi_frame *out, enum qmi_frame_err *why)
{
	enum qmi_frame_err err = QMI_FRAME_OK;
	size_t flen;
	int ret = 0;

	drop(s, s->head, false);
	s->head = 0;
	s->has_rejected = false;
	for (;;) {
		if (s->closed) {
			ret = -EPIPE;
			break;
		}
		if (s->len == 0)
			break;
		if (s->resyncing && !plausible(s->buf, s->len)) {
			note_rejected(
				s); /* a broken frame right after another one names its request */
			drop(s, scan(s->buf, s->len),
			     true); /* same garbage run: already reported */
			continue;
		}
		err = head_err(s->buf, s->len);
		if (err != QMI_FRAME_OK) {
			s->errors++;
			note_rejected(s);
			ret = -EBADMSG;
			if (s->mode == QMI_SPLIT_CLOSE) {
				s->closed = true;
				break;
			}
			s->resyncing = true;
			drop(s, scan(s->buf, s->len), true);
			break;
		}
		if (s->len < 3 || s->len < frame_len(s->buf))
			break; /* partial frame: wait */
		flen = frame_len(s->buf);
		if (qmi_frame_parse(s->buf, flen, out, &err) == 0) {
			s->resyncing = false;
			s->head = flen;
			ret = 1;
			break;
		}
		if (s->resyncing) {
			/* The candidate looked right but is not a frame: keep scanning past it. */
			err = QMI_FRAME_OK;
			drop(s, scan(s->buf, s->len), true);
			continue;
		}
		/* A delimited but invalid frame: drop exactly it, the stream stays aligned. */
		s->errors++;
		note_rejected(s);
		s->dropped += flen;
		s->head = flen;
		ret = -EBADMSG;
		break;
	}
	if (why)
		*why = err;
	return ret;
}

int qmi_splitter_feed(struct qmi_splitter *s, const uint8_t *data, size_t len,
		      const struct qmi_split_cbs *cbs, void *user)
{
	struct qmi_frame f;
	enum qmi_frame_err why;
	int ret = 0;

	do {
		size_t took = qmi_splitter_push(s, data, len);
		int r;

		data += took;
		len -= took;
		do {
			r = qmi_splitter_next(s, &f, &why);
			if (r == 1 && cbs->frame) {
				cbs->frame(user, &f);
			} else if (r == -EBADMSG && cbs->error) {
				cbs->error(user, why);
			} else if (r == -EPIPE) {
				ret = -EPIPE;
				goto out;
			}
			if (s->has_rejected && cbs->rejected)
				cbs->rejected(user, &s->rejected);
		} while (r != 0);
		/* Unreachable by construction (a plausible head always fits the buffer), but a
		 * full buffer that yields nothing must not spin. */
		if (took == 0 && len > 0 && s->len == sizeof(s->buf)) {
			ret = -EIO;
			goto out;
		}
	} while (len > 0);
out:
	return ret;
}
