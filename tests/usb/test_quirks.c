/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usb/quirks.h"

struct errs {
	unsigned n;
	unsigned lines[16];
	char last[256];
};

static void collect(void *user, const char *file, unsigned line, const char *msg)
{
	struct errs *e = user;
	if (e->n < 16)
		e->lines[e->n] = line;
	e->n++;
	snprintf(e->last, sizeof(e->last), "%s:%u: %s", file, line, msg);
}

static int parse(struct qusb_quirks *q, const char *text, const char *name, struct errs *e)
{
	return qusb_quirks_parse(q, text, strlen(text), name, collect, e);
}

Test(quirks, formats)
{
	struct qusb_quirks q;
	struct errs e = { 0 };
	qusb_quirks_init(&q);
	cr_assert_eq(parse(&q,
			   "# header\n"
			   "\n"
			   "   \t\n"
			   "2c7c:0125:4  dtr  # Quectel EC25\n"
			   "12D1:*:*     class=ff/01/09\n"
			   "1199:68c0\n"
			   "05c6:9215:0 ignore\n"
			   "1bc7:1040:12\tdtr\r\n",
			   "a.conf", &e),
		     0, "%s", e.last);
	cr_assert_eq(q.n, 5);
	cr_assert_eq(q.v[0].vid, 0x2c7c);
	cr_assert_eq(q.v[0].pid, 0x0125);
	cr_assert_not(q.v[0].any_iface);
	cr_assert_eq(q.v[0].iface, 4);
	cr_assert_eq(q.v[0].flags, QUSB_QUIRK_DTR);
	cr_assert_eq(q.v[0].line, 4);
	cr_assert(q.v[1].any_pid);
	cr_assert(q.v[1].any_iface);
	cr_assert(q.v[1].has_class);
	cr_assert_eq(q.v[1].cls, 0xff);
	cr_assert_eq(q.v[1].subcls, 0x01);
	cr_assert_eq(q.v[1].proto, 0x09);
	cr_assert(q.v[2].any_iface, "IFACE defaults to any");
	cr_assert_eq(q.v[3].flags, QUSB_QUIRK_IGNORE);
	cr_assert_eq(q.v[4].iface, 12);
	cr_assert_eq(q.v[4].flags, QUSB_QUIRK_DTR, "CRLF line endings are tolerated");
	qusb_quirks_clear(&q);
	qusb_quirks_clear(&q); /* idempotent */
}

Test(quirks, config_flag)
{
	struct qusb_quirks q;
	struct errs e = { 0 };

	qusb_quirks_init(&q);
	cr_assert_eq(parse(&q,
			   "1199:9071:8 dtr config=1\n"
			   "1199:9071:10 config=255\n"
			   "1199:9071:12 config=0\n"
			   "1199:9071:13 config=256\n"
			   "1199:9071:14 config=x\n"
			   "1199:9071:15 config=\n"
			   "1199:9071:16\n",
			   "s.conf", &e),
		     4);
	cr_assert_eq(e.lines[0], 3);
	cr_assert_eq(e.lines[3], 6);
	cr_assert(strstr(e.last, "config= wants"), "%s", e.last);
	cr_assert_eq(q.n, 3);
	cr_assert_eq(q.v[0].config, 1);
	cr_assert_eq(q.v[0].flags, QUSB_QUIRK_DTR);
	cr_assert_eq(q.v[1].config, 255);
	cr_assert_eq(q.v[2].config, 0, "no config=: any configuration, never switch");
	qusb_quirks_clear(&q);
}

Test(quirks, malformed_lines_reported_rest_loads)
{
	struct qusb_quirks q;
	struct errs e = { 0 };
	qusb_quirks_init(&q);
	int bad = parse(&q,
			"2c7c:0125:4 dtr\n"             /* 1 ok */
			"2c7c-0125\n"                   /* 2 no colon */
			"2c7:0125:4\n"                  /* 3 short vid */
			"2c7c:0125:x\n"                 /* 4 bad iface */
			"2c7c:0125:256\n"               /* 5 iface range */
			"2c7c:0125:4 dtx\n"             /* 6 unknown flag */
			"2c7c:0125:4 class=ff/ff\n"     /* 7 bad class */
			"2c7c:0125:4 class=fff/ff/ff\n" /* 8 bad class byte */
			"1199:9071:8 dtr\n",            /* 9 ok */
			"user.conf", &e);
	cr_assert_eq(bad, 7);
	cr_assert_eq(e.n, 7);
	for (unsigned i = 0; i < 7; i++)
		cr_assert_eq(e.lines[i], i + 2);
	cr_assert(strstr(e.last, "user.conf:8:"), "%s", e.last);
	cr_assert_eq(q.n, 2, "the good lines still load");
	cr_assert_eq(q.v[1].vid, 0x1199);
	qusb_quirks_clear(&q);
}

Test(quirks, later_entries_override)
{
	struct qusb_quirks q;
	qusb_quirks_init(&q);
	cr_assert_eq(parse(&q, "2c7c:0125:* class=ff/ff/ff dtr\n", "shipped.conf", NULL), 0);
	const struct qusb_quirk *m = qusb_quirks_match(&q, 0x2c7c, 0x0125, 4, 0xff, 0xff, 0xff);
	cr_assert_not_null(m);
	cr_assert_eq(m->flags, QUSB_QUIRK_DTR);
	cr_assert_null(qusb_quirks_match(&q, 0x2c7c, 0x0125, 4, 0xff, 0x00, 0x00), "class differs");
	cr_assert_null(qusb_quirks_match(&q, 0x2c7c, 0x0126, 4, 0xff, 0xff, 0xff));

	cr_assert_eq(parse(&q, "2c7c:0125:4 ignore\n", "/etc/qmiusb/quirks.d/local.conf", NULL), 0);
	m = qusb_quirks_match(&q, 0x2c7c, 0x0125, 4, 0xff, 0xff, 0xff);
	cr_assert_not_null(m);
	cr_assert_eq(m->flags, QUSB_QUIRK_IGNORE);
	char origin[64];
	qusb_quirk_origin(m, origin, sizeof(origin));
	cr_assert_str_eq(origin, "local.conf:1");
	m = qusb_quirks_match(&q, 0x2c7c, 0x0125, 5, 0xff, 0xff, 0xff);
	cr_assert_eq(m->flags, QUSB_QUIRK_DTR, "other interfaces keep the shipped entry");
	qusb_quirks_clear(&q);
}

Test(quirks, load_file_and_missing_file)
{
	char path[] = "/tmp/qmiusb-quirks-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	FILE *f = fdopen(fd, "w");
	fputs("1e2d:00b0:4 dtr\nbad line\n", f);
	fclose(f);
	struct qusb_quirks q;
	struct errs e = { 0 };
	qusb_quirks_init(&q);
	cr_assert_eq(qusb_quirks_load_file(&q, path, collect, &e), 1);
	cr_assert_eq(q.n, 1);
	cr_assert(strstr(e.last, ":2: "), "%s", e.last);
	unlink(path);
	cr_assert_eq(qusb_quirks_load_file(&q, path, collect, &e), -ENOENT);
	qusb_quirks_clear(&q);
}

static const char *shipped(void)
{
	const char *p = getenv("QMIUSB_QUIRKS_FILE");
	return p ? p : QMIUSB_SOURCE_DIR "/quirks/qmi-devices.conf";
}

Test(quirks, a_directory_or_a_binary_file_is_refused_as_such)
{
	char dir[] = "/tmp/qmiusb-quirks-dir-XXXXXX";
	struct qusb_quirks q;
	struct errs e = { 0 };

	cr_assert_not_null(mkdtemp(dir));
	qusb_quirks_init(&q);
	cr_assert_eq(qusb_quirks_load_file(&q, dir, collect, &e), -EISDIR);
	/* /dev/zero never ends: the first NUL byte stops the read. */
	cr_assert_eq(qusb_quirks_load_file(&q, "/dev/zero", collect, &e), -EBADMSG);
	cr_assert_eq(q.n, 0);
	cr_assert_eq(e.n, 0);
	qusb_quirks_clear(&q);
	rmdir(dir);
}

/* The extra file's problem is reported on its own, by name; what was loaded before it stays. */
static void extra_file_problem(const char *path, const char *want)
{
	struct qusb_quirks q, shipped_only;
	struct errs e = { 0 };
	char line[256];

	qusb_quirks_init(&shipped_only);
	cr_assert_geq(qusb_quirks_load_default(&shipped_only, NULL, NULL, NULL), 0);
	cr_assert_gt(shipped_only.n, 0);
	qusb_quirks_init(&q);
	cr_assert_geq(qusb_quirks_load_default(&q, path, collect, &e), 0);
	cr_assert_eq(q.n, shipped_only.n, "the shipped table must stay loaded");
	cr_assert_eq(e.n, 1);
	cr_assert_eq(e.lines[0], 0);
	snprintf(line, sizeof(line),
		 "%s:0: %s; the shipped table and the generic rules still apply", path, want);
	cr_assert_str_eq(e.last, line);
	qusb_quirks_clear(&q);
	qusb_quirks_clear(&shipped_only);
}

Test(quirks, extra_file_directory_binary_empty_or_missing)
{
	char dir[] = "/tmp/qmiusb-quirks-dir-XXXXXX";
	char path[] = "/tmp/qmiusb-quirks-XXXXXX";
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_not_null(mkdtemp(dir));
	extra_file_problem(dir, "is a directory");
	extra_file_problem("/dev/zero", "no entries (binary or empty file)");
	extra_file_problem(path, "no entries (binary or empty file)");
	extra_file_problem("/nonexistent/q.conf", "No such file or directory");
	unlink(path);
	rmdir(dir);
}

Test(quirks, shipped_file_parses_cleanly)
{
	struct qusb_quirks q;
	struct errs e = { 0 };
	qusb_quirks_init(&q);
	cr_assert_eq(qusb_quirks_load_file(&q, shipped(), collect, &e), 0, "%s", e.last);
	cr_assert_geq(q.n, 439, "at least the Debian 6.1 qmi_wwan table (got %zu)", q.n);
	/* spot checks against qmi_wwan.c: QMI_MATCH_FF_FF_FF and QMI_QUIRK_SET_DTR entries */
	const struct qusb_quirk *m = qusb_quirks_match(&q, 0x2c7c, 0x0125, 4, 0xff, 0xff, 0xff);
	cr_assert(m && (m->flags & QUSB_QUIRK_DTR));
	m = qusb_quirks_match(&q, 0x1199, 0x68c0, 8, 0xff, 0xff, 0xff);
	cr_assert(m && (m->flags & QUSB_QUIRK_DTR));
	m = qusb_quirks_match(&q, 0x1199, 0x68a2, 8, 0xff, 0xff, 0xff);
	cr_assert(m && !(m->flags & QUSB_QUIRK_DTR), "QMI_FIXED_INTF has no DTR quirk");
	qusb_quirks_clear(&q);
}

/* One alias "usb:v2C7Cp0125d*dc*dsc*dp*icFFiscFFipFFin*" in the representation the quirks use. */
struct alias {
	unsigned vid, pid, iface, cls, sub, proto;
	bool any_pid, any_iface, has_class;
};

static bool hexfield(const char **p, const char *tag, unsigned digits, unsigned *v, bool *any)
{
	size_t tl = strlen(tag);
	if (strncmp(*p, tag, tl) != 0)
		return false;
	*p += tl;
	if (**p == '*') {
		*any = true;
		*v = 0;
		(*p)++;
		return true;
	}
	char buf[8] = { 0 };
	memcpy(buf, *p, digits);
	char *end;
	*v = (unsigned)strtoul(buf, &end, 16);
	if (end != buf + digits)
		return false;
	*any = false;
	*p += digits;
	return true;
}

static bool parse_alias(const char *s, struct alias *a)
{
	bool any_c, any_s, any_p;
	bool any_v;
	if (!hexfield(&s, "usb:v", 4, &a->vid, &any_v) || any_v ||
	    !hexfield(&s, "p", 4, &a->pid, &a->any_pid) || strncmp(s, "d*dc*dsc*dp*", 12) != 0)
		return false;
	s += 12;
	if (!hexfield(&s, "ic", 2, &a->cls, &any_c) || !hexfield(&s, "isc", 2, &a->sub, &any_s) ||
	    !hexfield(&s, "ip", 2, &a->proto, &any_p) ||
	    !hexfield(&s, "in", 2, &a->iface, &a->any_iface))
		return false;
	if (any_c != any_s || any_s != any_p)
		return false; /* qmi_wwan only matches the full triple */
	a->has_class = !any_c;
	return a->any_iface ? *s == '\0' : strcmp(s, "*") == 0;
}

static bool covered(const struct qusb_quirks *q, const struct alias *a)
{
	for (size_t i = 0; i < q->n; i++) {
		const struct qusb_quirk *e = &q->v[i];
		if (e->vid != a->vid || e->any_pid != a->any_pid ||
		    (!a->any_pid && e->pid != a->pid))
			continue;
		if (e->any_iface != a->any_iface || (!a->any_iface && e->iface != a->iface))
			continue;
		if (e->has_class != a->has_class)
			continue;
		if (a->has_class &&
		    (e->cls != a->cls || e->subcls != a->sub || e->proto != a->proto))
			continue;
		return !(e->flags & QUSB_QUIRK_IGNORE);
	}
	return false;
}

/* Finds lib/modules/VERSION/modules.alias of the fetched kernel, or says why not. */
static bool kernel_alias_path(char *path, size_t len, char *why, size_t wlen)
{
	const char *direct = getenv("QMIUSB_MODULES_ALIAS");
	if (direct && *direct) {
		snprintf(path, len, "%s", direct);
		return true;
	}
	const char *info = getenv("QMIUSB_KERNEL_INFO");
	if (!info) {
		snprintf(why, wlen,
			 "neither QMIUSB_MODULES_ALIAS nor QMIUSB_KERNEL_INFO is set "
			 "(run through ctest, which fetches the kernel first)");
		return false;
	}
	FILE *f = fopen(info, "r");
	char line[1024] = "";
	if (!f || !fgets(line, sizeof(line), f)) {
		snprintf(why, wlen, "cannot read %s (did the usb_fetch_kernel fixture run?)", info);
		if (f)
			fclose(f);
		return false;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	if (strncmp(line, "FAILED", 6) == 0) {
		snprintf(why, wlen, "scripts/fetch-kernel could not get the Debian kernel: %s",
			 line);
		return false;
	}
	char *sp = strrchr(line, ' ');
	if (!sp) {
		snprintf(why, wlen, "unexpected fetch-kernel output '%s'", line);
		return false;
	}
	*sp = '\0';
	snprintf(path, len, "%s/lib/modules/%s/modules.alias", line, sp + 1);
	return true;
}

Test(quirks, covers_every_qmi_wwan_alias_of_debian_kernel)
{
	char path[2048], why[1200];
	if (!kernel_alias_path(path, sizeof(path), why, sizeof(why))) {
		fprintf(stderr, "SKIPPED: qmi_wwan coverage check: %s\n", why);
		cr_skip_test("qmi_wwan coverage: %s", why);
	}
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s", path);

	struct qusb_quirks q;
	qusb_quirks_init(&q);
	cr_assert_eq(qusb_quirks_load_file(&q, shipped(), NULL, NULL), 0);
	char line[512];
	unsigned total = 0, missing = 0;
	while (fgets(line, sizeof(line), f)) {
		char pat[256], mod[64];
		if (sscanf(line, "alias %255s %63s", pat, mod) != 2 || strcmp(mod, "qmi_wwan") != 0)
			continue;
		total++;
		struct alias a;
		cr_assert(parse_alias(pat, &a), "unexpected alias form %s", pat);
		if (!covered(&q, &a)) {
			missing++;
			fprintf(stderr, "not in %s: %s\n", shipped(), pat);
		}
	}
	fclose(f);
	qusb_quirks_clear(&q);
	cr_assert_gt(total, 400, "only %u qmi_wwan aliases in %s", total, path);
	cr_assert_eq(missing, 0, "%u of %u qmi_wwan aliases are not covered", missing, total);
}
