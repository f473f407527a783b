/* SPDX-License-Identifier: MIT */
#include "usb/quirks.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void qusb_quirks_init(struct qusb_quirks *q)
{
	memset(q, 0, sizeof(*q));
}

void qusb_quirks_clear(struct qusb_quirks *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n_files; i++)
		free(q->files[i]);
	free(q->files);
	free(q->v);
	qusb_quirks_init(q);
}

static const char *intern_file(struct qusb_quirks *q, const char *fname)
{
	if (q->n_files && strcmp(q->files[q->n_files - 1], fname) == 0)
		return q->files[q->n_files - 1];
	char **nf = realloc(q->files, (q->n_files + 1) * sizeof(*nf));
	if (!nf)
		return NULL;
	q->files = nf;
	q->files[q->n_files] = strdup(fname);
	if (!q->files[q->n_files])
		return NULL;
	return q->files[q->n_files++];
}

static int push(struct qusb_quirks *q, const struct qusb_quirk *e)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 512;
		struct qusb_quirk *nv = realloc(q->v, cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		q->v = nv;
		q->cap = cap;
	}
	q->v[q->n++] = *e;
	return 0;
}

/* Exactly `digits` hex digits (digits > 0) or, with digits == 0, 1..2 hex digits. */
static bool hex_field(const char *s, size_t len, size_t digits, unsigned *out)
{
	if (len == 0 || (digits && len != digits) || (!digits && len > 2))
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
		v = v * 16 + (unsigned)(isdigit((unsigned char)s[i])
						? s[i] - '0'
						: (tolower((unsigned char)s[i]) - 'a' + 10));
	}
	*out = v;
	return true;
}

static bool dec_field(const char *s, size_t len, unsigned max, unsigned *out)
{
	if (len == 0 || len > 3)
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* The ID field "VID:PID[:IFACE]"; returns NULL on success or a message. */
static const char *parse_ids(const char *s, size_t len, struct qusb_quirk *e)
{
	const char *c1 = memchr(s, ':', len);
	if (!c1)
		return "expected VID:PID[:IFACE]";
	const char *rest = c1 + 1;
	size_t rlen = len - (size_t)(rest - s);
	const char *c2 = memchr(rest, ':', rlen);
	size_t plen = c2 ? (size_t)(c2 - rest) : rlen;
	unsigned v;

	if (!hex_field(s, (size_t)(c1 - s), 4, &v))
		return "vendor ID must be 4 hex digits";
	e->vid = (uint16_t)v;
	if (plen == 1 && rest[0] == '*') {
		e->any_pid = true;
	} else {
		if (!hex_field(rest, plen, 4, &v))
			return "product ID must be 4 hex digits or *";
		e->pid = (uint16_t)v;
	}
	e->any_iface = true;
	if (c2) {
		const char *f = c2 + 1;
		size_t flen = len - (size_t)(f - s);
		if (flen == 1 && f[0] == '*')
			return NULL;
		if (!dec_field(f, flen, 255, &v))
			return "interface must be a decimal number 0..255 or *";
		e->any_iface = false;
		e->iface = (uint8_t)v;
	}
	return NULL;
}

static const char *parse_class(const char *s, size_t len, struct qusb_quirk *e)
{
	/* "CC/SS/PP" */
	const char *a = s, *b = memchr(s, '/', len);
	if (!b)
		return "class= wants CC/SS/PP";
	const char *c = memchr(b + 1, '/', len - (size_t)(b + 1 - s));
	if (!c)
		return "class= wants CC/SS/PP";
	unsigned x, y, z;
	if (!hex_field(a, (size_t)(b - a), 0, &x) ||
	    !hex_field(b + 1, (size_t)(c - b - 1), 0, &y) ||
	    !hex_field(c + 1, len - (size_t)(c + 1 - s), 0, &z))
		return "class= values must be hex bytes";
	e->has_class = true;
	e->cls = (uint8_t)x;
	e->subcls = (uint8_t)y;
	e->proto = (uint8_t)z;
	return NULL;
}

static const char *parse_line(const char *p, size_t len, struct qusb_quirk *e, bool *blank)
{
	const char *hash = memchr(p, '#', len);
	if (hash)
		len = (size_t)(hash - p);
	size_t i = 0;
	bool first = true;
	*blank = true;
	while (i < len) {
		while (i < len && isspace((unsigned char)p[i]))
			i++;
		size_t start = i;
		while (i < len && !isspace((unsigned char)p[i]))
			i++;
		size_t tl = i - start;
		if (tl == 0)
			break;
		const char *t = p + start;
		const char *why = NULL;
		if (first) {
			why = parse_ids(t, tl, e);
			first = false;
			*blank = false;
		} else if (tl == 3 && memcmp(t, "dtr", 3) == 0) {
			e->flags |= QUSB_QUIRK_DTR;
		} else if (tl == 6 && memcmp(t, "ignore", 6) == 0) {
			e->flags |= QUSB_QUIRK_IGNORE;
		} else if (tl > 6 && memcmp(t, "class=", 6) == 0) {
			why = parse_class(t + 6, tl - 6, e);
		} else if (tl >= 7 && memcmp(t, "config=", 7) == 0) {
			unsigned v;

			if (!dec_field(t + 7, tl - 7, 255, &v) || v == 0)
				why = "config= wants a configuration value 1..255";
			else
				e->config = (uint8_t)v;
		} else {
			why = "unknown flag (known: dtr, ignore, class=CC/SS/PP, config=N)";
		}
		if (why)
			return why;
	}
	return NULL;
}

int qusb_quirks_parse(struct qusb_quirks *q, const char *text, size_t len, const char *fname,
		      qusb_quirk_err_cb err, void *user)
{
	const char *file = intern_file(q, fname ? fname : "-");
	if (!file)
		return -ENOMEM;
	int bad = 0;
	unsigned lineno = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *p = text + pos;
		const char *nl = memchr(p, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - p) : len - pos;
		pos += ll + (nl ? 1 : 0);
		lineno++;
		struct qusb_quirk e = { .file = file, .line = lineno };
		bool blank;
		const char *why = memchr(p, '\0', ll) ? "NUL byte in line"
						      : parse_line(p, ll, &e, &blank);
		if (why) {
			bad++;
			if (err)
				err(user, file, lineno, why);
			continue;
		}
		if (blank)
			continue;
		if (push(q, &e) < 0)
			return -ENOMEM;
	}
	return bad;
}

int qusb_quirks_load_file(struct qusb_quirks *q, const char *path, qusb_quirk_err_cb err,
			  void *user)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct stat st;
	int ret;

	if (!f)
		return -errno;
	/* fopen() opens a directory too; reading it would fail with a misleading EIO */
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		ret = -EISDIR;
		goto out;
	}
	for (;;) {
		if (cap - len < 4096) {
			/* a quirks file is small; refuse absurd ones rather than eat memory */
			if (cap >= (16u << 20)) {
				ret = -EFBIG;
				goto out;
			}
			char *nb = realloc(buf, cap + 65536);
			if (!nb) {
				ret = -ENOMEM;
				goto out;
			}
			buf = nb;
			cap += 65536;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		/* A text file has no NUL byte: stop at once on a binary one (or /dev/zero). */
		if (memchr(buf + len, '\0', got)) {
			ret = -EBADMSG;
			goto out;
		}
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				ret = -EIO;
				goto out;
			}
			break;
		}
	}
	ret = qusb_quirks_parse(q, buf, len, path, err, user);
out:
	free(buf);
	fclose(f);
	return ret;
}

static bool entry_matches(const struct qusb_quirk *e, uint16_t vid, uint16_t pid, uint8_t iface,
			  uint8_t cls, uint8_t subcls, uint8_t proto)
{
	if (e->vid != vid || (!e->any_pid && e->pid != pid) || (!e->any_iface && e->iface != iface))
		return false;
	if (e->has_class && (e->cls != cls || e->subcls != subcls || e->proto != proto))
		return false;
	return true;
}

bool qusb_quirks_knows(const struct qusb_quirks *q, uint16_t vid, uint16_t pid)
{
	for (size_t i = 0; q && i < q->n; i++)
		if (q->v[i].vid == vid && !q->v[i].any_pid && q->v[i].pid == pid &&
		    !(q->v[i].flags & QUSB_QUIRK_IGNORE))
			return true;
	return false;
}

const struct qusb_quirk *qusb_quirks_match_in(const struct qusb_quirks *q, uint8_t config,
					      uint16_t vid, uint16_t pid, uint8_t iface,
					      uint8_t cls, uint8_t subcls, uint8_t proto)
{
	if (!q)
		return NULL;
	for (size_t i = q->n; i-- > 0;)
		if ((!config || !q->v[i].config || q->v[i].config == config) &&
		    entry_matches(&q->v[i], vid, pid, iface, cls, subcls, proto))
			return &q->v[i];
	return NULL;
}

const struct qusb_quirk *qusb_quirks_match(const struct qusb_quirks *q, uint16_t vid, uint16_t pid,
					   uint8_t iface, uint8_t cls, uint8_t subcls,
					   uint8_t proto)
{
	return qusb_quirks_match_in(q, 0, vid, pid, iface, cls, subcls, proto);
}

void qusb_quirk_origin(const struct qusb_quirk *e, char *buf, size_t len)
{
	const char *f = e->file ? e->file : "?";
	const char *slash = strrchr(f, '/');
	snprintf(buf, len, "%s:%u", slash ? slash + 1 : f, e->line);
}
