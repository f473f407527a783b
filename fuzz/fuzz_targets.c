/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_targets.h"
#include "qmi/msgdb.h"
#include "qmi/splitter.h"
#include "qmi/tlv.h"
#include "usb/desc.h"
#include "usb/quirks.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
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
		case 0:
			(void)qmi_cursor_u8(&c);
			break;
		case 1:
			(void)qmi_cursor_u16(&c);
			break;
		case 2:
			(void)qmi_cursor_u32(&c);
			break;
		case 3:
			(void)qmi_cursor_u64(&c);
			break;
		default:
			(void)qmi_cursor_u16be(&c);
			break;
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
	qmi_writer_init(&w, buf, QMI_FRAME_MAX, f->service, f->client_id, f->kind, f->txn,
			f->msg_id);
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

/* Both printer back ends, plain and as the redacting trace: nothing the modem sends may crash
 * them or make them read past the frame. */
static void print_all(const struct qmi_frame *f)
{
	static const unsigned modes[] = {
		0,
		QMI_PRINT_JSON,
		QMI_PRINT_HIDE_SECRET | QMI_PRINT_HIDE_PERSONAL | QMI_PRINT_TIME | QMI_PRINT_HEX,
		QMI_PRINT_JSON | QMI_PRINT_HIDE_SECRET | QMI_PRINT_HEX,
	};
	FILE *out = fopen("/dev/null", "w");

	CHECK(out);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		CHECK(qmi_msg_print_ex(out, f, "<<<", modes[i]) == 0);
	fclose(out);
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
		print_all(&f);
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
	static const struct qmi_split_cbs cbs = { .frame = on_frame };
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

/* ---- quirks files (src/usb/quirks.c) ---- */

struct quirk_errs {
	unsigned n, last_line;
};

static void on_quirk_err(void *user, const char *file, unsigned line, const char *msg)
{
	struct quirk_errs *e = user;

	CHECK(file && strcmp(file, "fuzz.conf") == 0 && msg && msg[0]);
	/* One call per malformed line, in line order. */
	CHECK(line > e->last_line);
	e->last_line = line;
	e->n++;
}

static unsigned count_lines(const char *t, size_t len)
{
	unsigned n = 0;

	for (size_t i = 0; i < len; i++)
		n += t[i] == '\n';
	return n + (len && t[len - 1] != '\n');
}

static bool same_quirk(const struct qusb_quirk *a, const struct qusb_quirk *b)
{
	return a->vid == b->vid && a->pid == b->pid && a->any_pid == b->any_pid &&
	       a->any_iface == b->any_iface && a->iface == b->iface &&
	       a->has_class == b->has_class && a->cls == b->cls && a->subcls == b->subcls &&
	       a->proto == b->proto && a->flags == b->flags;
}

/* Prints an entry in the file syntax: parsing that line alone must give the entry back. */
static void quirk_roundtrip(const struct qusb_quirk *e)
{
	struct qusb_quirks r;
	char line[96];
	int n;

	n = snprintf(line, sizeof(line), "%04x:", e->vid);
	n += e->any_pid ? snprintf(line + n, sizeof(line) - (size_t)n, "*")
			: snprintf(line + n, sizeof(line) - (size_t)n, "%04x", e->pid);
	n += e->any_iface ? snprintf(line + n, sizeof(line) - (size_t)n, ":*")
			  : snprintf(line + n, sizeof(line) - (size_t)n, ":%u", e->iface);
	if (e->has_class)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " class=%02x/%02x/%02x", e->cls,
			      e->subcls, e->proto);
	if (e->flags & QUSB_QUIRK_DTR)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " dtr");
	if (e->flags & QUSB_QUIRK_IGNORE)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " ignore");
	CHECK(n > 0 && (size_t)n < sizeof(line));
	qusb_quirks_init(&r);
	CHECK(qusb_quirks_parse(&r, line, (size_t)n, "rt", NULL, NULL) == 0);
	CHECK(r.n == 1 && same_quirk(&r.v[0], e) && r.v[0].line == 1);
	qusb_quirks_clear(&r);
}

static void check_quirks(const struct qusb_quirks *q, const char *text, size_t len, int bad)
{
	unsigned lines = count_lines(text, len), last = 0;

	CHECK(q->n_files == 1 && strcmp(q->files[0], "fuzz.conf") == 0);
	CHECK(q->n <= q->cap && q->n + (unsigned)bad <= lines);
	for (size_t i = 0; i < q->n; i++) {
		const struct qusb_quirk *e = &q->v[i];
		const struct qusb_quirk *m;

		CHECK(e->file == q->files[0]);
		CHECK(e->line > last && e->line <= lines); /* one entry per line, in order */
		last = e->line;
		CHECK(!(e->flags & ~(unsigned)(QUSB_QUIRK_DTR | QUSB_QUIRK_IGNORE)));
		/* Wildcard and absent fields stay zero, so entries compare and print cleanly. */
		CHECK(!e->any_pid || e->pid == 0);
		CHECK(!e->any_iface || e->iface == 0);
		CHECK(e->has_class || (e->cls == 0 && e->subcls == 0 && e->proto == 0));
		/* The entry matches its own IDs; whatever wins instead comes later (overrides). */
		m = qusb_quirks_match(q, e->vid, e->pid, e->iface, e->cls, e->subcls, e->proto);
		CHECK(m && m >= e && m < q->v + q->n);
		/* Sampled on long tables: each costs a parse; the shipped table has hundreds. */
		if (i < 32 || i % 32 == 0)
			quirk_roundtrip(e);
	}
}

int qmi_fuzz_quirks(const uint8_t *data, size_t size)
{
	/* An exactly sized, unterminated copy: ASan catches any read past len. */
	char *text = malloc(size ? size : 1);
	char *more = malloc(size + 4);
	struct quirk_errs errs = { 0 };
	struct qusb_quirks a, b;
	int bad, again;

	CHECK(text && more);
	if (size)
		memcpy(text, data, size);
	qusb_quirks_init(&a);
	qusb_quirks_init(&b);
	bad = qusb_quirks_parse(&a, text, size, "fuzz.conf", on_quirk_err, &errs);
	CHECK(bad >= 0 || bad == -ENOMEM);
	if (bad < 0)
		goto out;
	CHECK((unsigned)bad == errs.n);
	check_quirks(&a, text, size, bad);

	/* Deterministic, and the error callback is optional. */
	again = qusb_quirks_parse(&b, text, size, "fuzz.conf", NULL, NULL);
	CHECK(again == bad && b.n == a.n);
	for (size_t i = 0; i < a.n; i++)
		CHECK(same_quirk(&a.v[i], &b.v[i]) && a.v[i].line == b.v[i].line);
	qusb_quirks_clear(&b);

	/* A malformed line after the text costs exactly one error and nothing else. */
	if (size)
		memcpy(more, text, size);
	memcpy(more + size, "\nz:\n", 4);
	qusb_quirks_init(&b);
	again = qusb_quirks_parse(&b, more, size + 4, "fuzz.conf", NULL, NULL);
	CHECK(again == bad + 1 && b.n == a.n);
	for (size_t i = 0; i < a.n; i++)
		CHECK(same_quirk(&a.v[i], &b.v[i]) && a.v[i].line == b.v[i].line);
out:
	qusb_quirks_clear(&a);
	qusb_quirks_clear(&b);
	free(more);
	free(text);
	return 0;
}

/* ---- configuration descriptors (src/usb/desc.c) ---- */

/* The descriptors of one alternate setting as an independent walk of the raw bytes sees them. */
struct ref_alt {
	const uint8_t *ifd;
	const uint8_t *eps[QUSB_MAX_EPS];
	unsigned n_eps; /* endpoint descriptors present, uncapped */
};

/* Alternate setting iface/alt has endpoint addr of that type with max_packet in [lo, hi]. */
static bool has_ep(const struct qusb_config *c, uint8_t iface, uint8_t alt, uint8_t addr,
		   uint8_t type, uint16_t lo, uint16_t hi)
{
	for (unsigned i = 0; i < c->n_alts; i++) {
		const struct qusb_alt *a = &c->alts[i];

		if (a->iface != iface || a->alt != alt)
			continue;
		for (unsigned k = 0; k < a->n_parsed; k++)
			if (a->eps[k].addr == addr && a->eps[k].type == type &&
			    a->eps[k].max_packet >= lo && a->eps[k].max_packet <= hi)
				return true;
	}
	return false;
}

static bool has_iface(const struct qusb_config *c, uint8_t iface)
{
	for (unsigned i = 0; i < c->n_alts; i++)
		if (c->alts[i].iface == iface)
			return true;
	return false;
}

/* What the parsed model must say about raw[0..total): walked without the parser's code. */
static void check_config(const uint8_t *raw, size_t total, const struct qusb_config *c)
{
	struct ref_alt ref[QUSB_MAX_ALTS];
	unsigned n = 0, seen_ifs = 0;
	int first_user[256]; /* endpoint address -> the interface that used it first, or -1 */

	for (unsigned k = 0; k < 256; k++)
		first_user[k] = -1;
	CHECK(c->value == raw[5]);
	CHECK(c->n_alts <= QUSB_MAX_ALTS);
	for (size_t pos = raw[0]; pos < total; pos += raw[pos]) {
		CHECK(total - pos >= 2 && raw[pos] >= 2 && raw[pos] <= total - pos);
		if (raw[pos + 1] == 0x04) {
			seen_ifs++;
			if (n < QUSB_MAX_ALTS)
				ref[n++] = (struct ref_alt){ .ifd = raw + pos };
		} else if (raw[pos + 1] == 0x05 && seen_ifs && seen_ifs == n) {
			struct ref_alt *r = &ref[n - 1];
			int *u = &first_user[raw[pos + 2]];

			/* As the kernel: an address another interface has is skipped here. */
			if (*u >= 0 && *u != r->ifd[2])
				continue;
			*u = r->ifd[2];
			if (r->n_eps < QUSB_MAX_EPS)
				r->eps[r->n_eps] = raw + pos;
			r->n_eps++;
		}
	}
	CHECK(c->n_alts == n);
	for (unsigned i = 0; i < n; i++) {
		const struct qusb_alt *a = &c->alts[i];
		const uint8_t *d = ref[i].ifd;
		size_t p = 0;

		CHECK(a->iface == d[2] && a->alt == d[3] && a->n_eps == d[4]);
		CHECK(a->cls == d[5] && a->subcls == d[6] && a->proto == d[7]);
		CHECK(a->n_parsed <= QUSB_MAX_EPS);
		CHECK(a->n_parsed == (ref[i].n_eps < QUSB_MAX_EPS ? ref[i].n_eps : QUSB_MAX_EPS));
		for (unsigned k = 0; k < a->n_parsed; k++) {
			const uint8_t *e = ref[i].eps[k];

			CHECK(a->eps[k].addr == e[2] && a->eps[k].type == (e[3] & 3));
			CHECK(a->eps[k].max_packet == ((e[4] | e[5] << 8) & 0x7ff));
		}
		/* The kept class-specific bytes are whole class-specific descriptors. */
		CHECK(a->extra_len <= QUSB_EXTRA_MAX);
		while (p < a->extra_len) {
			CHECK(a->extra_len - p >= 2 && a->extra[p] >= 2);
			CHECK(a->extra[p] <= a->extra_len - p && a->extra[p + 1] == 0x24);
			p += a->extra[p];
		}
	}
}

static bool same_func(const struct qusb_func *a, const struct qusb_func *b)
{
	return a->ctrl_iface == b->ctrl_iface && a->ctrl_alt == b->ctrl_alt &&
	       a->ep_notify == b->ep_notify && a->notify_mps == b->notify_mps &&
	       a->data_iface == b->data_iface && a->data_alt == b->data_alt &&
	       a->ep_in == b->ep_in && a->ep_out == b->ep_out && a->bulk_mps == b->bulk_mps &&
	       a->cdc_union == b->cdc_union && a->why == b->why && a->quirk == b->quirk &&
	       a->flags == b->flags;
}

/* A quirks entry says iface is not QMI (matched on its first alternate setting). */
static bool iface_vetoed(const struct qusb_config *c, uint16_t vid, uint16_t pid,
			 const struct qusb_quirks *q, uint8_t iface)
{
	const struct qusb_alt *a0 = NULL;
	const struct qusb_quirk *e;

	for (unsigned k = 0; k < c->n_alts; k++)
		if (c->alts[k].iface == iface && (!a0 || c->alts[k].alt < a0->alt))
			a0 = &c->alts[k];
	CHECK(a0);
	e = qusb_quirks_match(q, vid, pid, iface, a0->cls, a0->subcls, a0->proto);
	return e && (e->flags & QUSB_QUIRK_IGNORE);
}

static void check_funcs(const struct qusb_config *c, uint16_t vid, uint16_t pid,
			const struct qusb_quirks *q)
{
	struct qusb_func all[QUSB_MAX_ALTS + 1], one[2];
	int n = qusb_find_qmi(c, vid, pid, q, all, QUSB_MAX_ALTS + 1);
	char why[80], tiny[6];

	/* Every function has its own control interface, so there are at most as many as
	 * interfaces; the count does not depend on how much room the caller gave. */
	CHECK(n >= 0 && n <= c->n_alts);
	CHECK(qusb_find_qmi(c, vid, pid, q, NULL, 0) == n);
	CHECK(qusb_find_qmi(c, vid, pid, q, one, 1) == n);
	for (int i = 0; i < n; i++) {
		const struct qusb_func *f = &all[i];
		uint8_t di = f->data_iface, da = f->data_alt;
		uint16_t mps = f->bulk_mps;

		CHECK(i == 0 || all[i - 1].ctrl_iface < f->ctrl_iface);
		CHECK(has_ep(c, f->ctrl_iface, f->ctrl_alt, f->ep_notify, QUSB_EP_INTR,
			     f->notify_mps, f->notify_mps));
		/* bulk_mps is the smaller of the pair's packet sizes. */
		CHECK(has_ep(c, di, da, f->ep_in, QUSB_EP_BULK, mps, 0x7ff));
		CHECK(has_ep(c, di, da, f->ep_out, QUSB_EP_BULK, mps, 0x7ff));
		CHECK(has_ep(c, di, da, f->ep_in, QUSB_EP_BULK, mps, mps) ||
		      has_ep(c, di, da, f->ep_out, QUSB_EP_BULK, mps, mps));
		CHECK((f->ep_notify & 0x80) && (f->ep_in & 0x80) && !(f->ep_out & 0x80));
		CHECK(has_iface(c, f->ctrl_iface) && has_iface(c, f->data_iface));
		CHECK(f->cdc_union ? f->data_iface != f->ctrl_iface
				   : f->data_iface == f->ctrl_iface && f->data_alt == f->ctrl_alt);
		CHECK(f->why == QUSB_WHY_QUIRK || f->why == QUSB_WHY_GENERIC);
		CHECK((f->why == QUSB_WHY_QUIRK) == (f->quirk != NULL));
		CHECK(!f->quirk || (q && f->quirk >= q->v && f->quirk < q->v + q->n));
		CHECK(f->flags == (f->quirk ? f->quirk->flags : 0));
		CHECK(!(f->flags & QUSB_QUIRK_IGNORE));
		qusb_func_why(f, why, sizeof(why));
		CHECK(strncmp(why, f->quirk ? "quirk " : "generic ", f->quirk ? 6 : 8) == 0);
		qusb_func_why(f, tiny, sizeof(tiny));
		CHECK(strlen(tiny) < sizeof(tiny));
	}
	/* With room for one, that one is the first in order. */
	if (n > 0)
		CHECK(same_func(&one[0], &all[0]));
	/* Without quirks only the generic rule applies; a vetoed interface is never used. */
	if (!q)
		for (int i = 0; i < n; i++)
			CHECK(all[i].why == QUSB_WHY_GENERIC);
	for (int i = 0; q && i < n; i++) {
		CHECK(!iface_vetoed(c, vid, pid, q, all[i].ctrl_iface));
		CHECK(!iface_vetoed(c, vid, pid, q, all[i].data_iface));
	}
}

int qmi_fuzz_desc(const uint8_t *data, size_t size)
{
	/* Exercises every quirk path: class match, fixed interfaces, a veto, a wildcard PID. */
	static const char table[] = "2c7c:0125:*  class=ff/ff/ff dtr\n"
				    "2c7c:0125:0 ignore\n"
				    "2c7c:0125:3\n"
				    "2c7c:0125:5 ignore\n"
				    "413c:*:*    class=02/06/00\n"
				    "413c:81b6:1 dtr\n";
	uint8_t *raw = malloc(size ? size : 1);
	struct qusb_config *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct qusb_quirks q;
	size_t total;
	int r;

	CHECK(raw && a && b);
	if (size)
		memcpy(raw, data, size);
	r = qusb_config_parse(raw, size, a);
	CHECK(r == 0 || r == -EBADMSG);
	if (r != 0)
		goto out;
	CHECK(size >= 9 && raw[1] == 0x02 && raw[0] >= 9);
	total = (size_t)raw[2] | (size_t)raw[3] << 8;
	CHECK(total >= raw[0] && total <= size);
	check_config(raw, total, a);
	/* Bytes past wTotalLength do not count; one byte short of it is a truncated set. */
	CHECK(qusb_config_parse(raw, total, b) == 0 && memcmp(a, b, sizeof(*a)) == 0);
	CHECK(qusb_config_parse(raw, total - 1, b) == -EBADMSG);

	qusb_quirks_init(&q);
	CHECK(qusb_quirks_parse(&q, table, sizeof(table) - 1, "fuzz.conf", NULL, NULL) == 0);
	check_funcs(a, 0x1234, 0x5678, NULL);
	check_funcs(a, 0x2c7c, 0x0125, &q);
	check_funcs(a, 0x413c, 0x81b6, &q);
	qusb_quirks_clear(&q);
out:
	free(b);
	free(a);
	free(raw);
	return 0;
}
