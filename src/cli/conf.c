/* SPDX-License-Identifier: MIT */
/*
 * The configuration file's parser: text in, struct qcli_conf out, with no file access, so that
 * every rule is testable on a string. Reading the file and its secrets is conf_load.c's job.
 *
 * A line is blank, a comment ('#' or ';' first), or "key = value" with spaces optional around
 * the '='. Values are taken literally up to the end of the line (no quotes, no escapes, no
 * comments after a value): what the admin wrote is what is used.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/wipe.h"
#include "cli/conf.h"
#include "usb/selector.h"

#define MAX_LINE 4096
#define MAX_APN 100 /* an APN is at most 100 octets (3GPP TS 23.003) */
#define MAX_USER 127
#define MAX_IFNAME 15 /* IFNAMSIZ - 1 */

static bool printable(const char *s, bool spaces)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			if (!(spaces && *s == ' '))
				return false;
	return true;
}

/* Each setter gets a trimmed, non-empty value; on -EINVAL it says why in why (no location). */
typedef int (*setter)(struct qcli_conf *c, const char *v, const char *dir, char *why, size_t n);

static int set_string(char **dst, const char *v)
{
	*dst = strdup(v);
	return *dst ? 0 : -ENOMEM;
}

static int set_device(struct qcli_conf *c, const char *v, const char *dir, char *why, size_t n)
{
	struct qusb_selector sel;
	char err[160];

	if (strcmp(v, "sim") && qusb_selector_parse(v, &sel, err, sizeof(err))) {
		snprintf(why, n,
			 "device: %s (sim, usb, usb:VID:PID[:IFACE], usb:BUS:ADDR, "
			 "usb:BUS-PORT.PATH or usb:serial=S)",
			 err);
		return -EINVAL;
	}
	return set_string(&c->device, v);
}

static int set_apn(struct qcli_conf *c, const char *v, const char *dir, char *why, size_t n)
{
	if (strlen(v) > MAX_APN || !printable(v, false)) {
		snprintf(why, n, "apn: at most %d characters, printable and without spaces",
			 MAX_APN);
		return -EINVAL;
	}
	return set_string(&c->apn, v);
}

static int set_user(struct qcli_conf *c, const char *v, const char *dir, char *why, size_t n)
{
	if (strlen(v) > MAX_USER || !printable(v, true)) {
		snprintf(why, n, "user: at most %d printable characters", MAX_USER);
		return -EINVAL;
	}
	return set_string(&c->user, v);
}

static int set_ifname(struct qcli_conf *c, const char *v, const char *dir, char *why, size_t n)
{
	/* What the kernel accepts as an interface name (dev_valid_name). */
	if (strlen(v) > MAX_IFNAME || !strcmp(v, ".") || !strcmp(v, "..") || strpbrk(v, "/:") ||
	    !printable(v, false)) {
		snprintf(why, n,
			 "ifname: not an interface name (at most %d characters, no '/', ':' "
			 "or spaces, not '.' or '..')",
			 MAX_IFNAME);
		return -EINVAL;
	}
	return set_string(&c->ifname, v);
}

static int set_metric(struct qcli_conf *c, const char *v, const char *dir, char *why, size_t n)
{
	unsigned long long m = 0;
	const char *p;

	for (p = v; *p >= '0' && *p <= '9' && m <= UINT32_MAX; p++)
		m = m * 10 + (unsigned)(*p - '0');
	if (*p || m > UINT32_MAX) {
		snprintf(why, n, "metric: a route metric is a number from 0 to %u", UINT32_MAX);
		return -EINVAL;
	}
	c->metric = (uint32_t)m;
	c->has_metric = true;
	return 0;
}

/* Picks the index of v in names (NULL-terminated), or -1. */
static int pick(const char *v, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(v, names[i]))
			return i;
	return -1;
}

static const char *const ip_names[] = { "", "4", "6", "4v6", NULL };
static const char *const auth_names[] = { "", "none", "pap", "chap", "both", NULL };
static const char *const dns_names[] = { "", "resolvconf", "resolved", "file", "none", NULL };
static const char *const format_names[] = { "", "raw-ip", "qmap", "auto", NULL };

static int set_ip_type(struct qcli_conf *c, const char *v, const char *dir, char *why, size_t n)
{
	int i = pick(v, ip_names);

	if (i <= 0) {
		snprintf(why, n, "ip-type: 4, 6 or 4v6");
		return -EINVAL;
	}
	c->ip_type = (enum qcli_conf_ip)i;
	return 0;
}

static int set_auth(struct qcli_conf *c, const char *v, const char *dir, char *why, size_t n)
{
	int i = pick(v, auth_names);

	if (i <= 0) {
		snprintf(why, n, "auth: none, pap, chap or both");
		return -EINVAL;
	}
	c->auth = (enum qcli_conf_auth)i;
	return 0;
}

static int set_format(struct qcli_conf *c, const char *v, const char *dir, char *why, size_t n)
{
	int i = pick(v, format_names);

	if (i <= 0) {
		snprintf(why, n, "data-format: raw-ip, qmap or auto");
		return -EINVAL;
	}
	c->data_format = (enum qcli_conf_format)i;
	return 0;
}

static int set_dns(struct qcli_conf *c, const char *v, const char *dir, char *why, size_t n)
{
	int i;

	if (!strncmp(v, "file:", 5)) {
		if (v[5] != '/') {
			snprintf(why, n, "dns: file:PATH needs an absolute PATH");
			return -EINVAL;
		}
		c->dns = QCLI_CONF_DNS_FILE;
		return set_string(&c->dns_file, v + 5);
	}
	i = pick(v, dns_names);
	if (i <= 0 || i == QCLI_CONF_DNS_FILE) {
		snprintf(why, n, "dns: resolvconf, resolved, file:PATH or none");
		return -EINVAL;
	}
	c->dns = (enum qcli_conf_dns)i;
	return 0;
}

/* A relative name is taken from the configuration file's directory, not from wherever the
 * service manager happened to start us. */
static int set_path(char **dst, const char *v, const char *dir)
{
	if (v[0] == '/' || !dir)
		return set_string(dst, v);
	if (asprintf(dst, "%s/%s", dir, v) < 0) {
		*dst = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int set_password_file(struct qcli_conf *c, const char *v, const char *dir, char *why,
			     size_t n)
{
	return set_path(&c->password_file, v, dir);
}

static int set_pin_file(struct qcli_conf *c, const char *v, const char *dir, char *why, size_t n)
{
	return set_path(&c->pin_file, v, dir);
}

static const struct key {
	const char *name;
	setter set;
} keys[] = {
	{ "device", set_device },      { "apn", set_apn },
	{ "ip-type", set_ip_type },    { "auth", set_auth },
	{ "user", set_user },          { "password-file", set_password_file },
	{ "pin-file", set_pin_file },  { "ifname", set_ifname },
	{ "metric", set_metric },      { "dns", set_dns },
	{ "data-format", set_format },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static void fail(char *err, size_t errlen, const char *path, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void fail(char *err, size_t errlen, const char *path, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int k;

	k = snprintf(err, errlen, "%s:%u: ", path, line);
	if (k < 0 || (size_t)k >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
	va_end(ap);
}

static bool blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Trims s[0..*len) in place: returns the first non-blank character, *len its new length. */
static char *trim(char *s, size_t *len)
{
	while (*len && blank(*s)) {
		s++;
		(*len)--;
	}
	while (*len && blank(s[*len - 1]))
		(*len)--;
	s[*len] = '\0';
	return s;
}

/* One "key = value" line (already trimmed, not blank, not a comment). */
static int parse_line(struct qcli_conf *c, char *s, size_t len, unsigned line, unsigned *seen,
		      const char *dir, const char *path, char *err, size_t errlen)
{
	char why[256];
	char *eq = memchr(s, '=', len), *key, *val;
	size_t klen, vlen;
	size_t i;
	int r;

	if (s[0] == '[') {
		r = qcli_conf_pdn_begin(c, s, line, why, sizeof(why));
		if (r)
			fail(err, errlen, path, line, "%s", why);
		return r;
	}
	/* The line itself is never quoted back: it might be a secret pasted in by mistake. */
	if (!eq) {
		fail(err, errlen, path, line, "expected 'key = value'");
		return -EINVAL;
	}
	klen = (size_t)(eq - s);
	vlen = len - klen - 1;
	key = trim(s, &klen);
	val = trim(eq + 1, &vlen);
	if (!klen) {
		fail(err, errlen, path, line, "expected 'key = value' (no key before '=')");
		return -EINVAL;
	}
	if (c->n_pdn) { /* in a [pdn] section */
		if (!vlen) {
			fail(err, errlen, path, line, "%s needs a value", key);
			return -EINVAL;
		}
		r = qcli_conf_pdn_set(c, key, val, dir, line, why, sizeof(why));
		if (r == -ENOENT)
			fail(err, errlen, path, line,
			     "'%.40s' is not a [pdn] key (apn, ip-type, ifname, user, "
			     "password-file, auth, profile, routes)",
			     key);
		else if (r)
			fail(err, errlen, path, line, "%s", r == -EINVAL ? why : strerror(-r));
		return r == -ENOENT ? -EINVAL : r;
	}
	for (i = 0; i < NKEYS && strcmp(keys[i].name, key); i++)
		;
	if (i == NKEYS) {
		if (!strcmp(key, "password") || !strcmp(key, "pin"))
			fail(err, errlen, path, line,
			     "unknown key '%s': secrets are not written "
			     "in this file; name a file holding it with %s-file",
			     key, key);
		else
			fail(err, errlen, path, line, "unknown key '%.40s'", key);
		return -EINVAL;
	}
	if (seen[i]) {
		fail(err, errlen, path, line, "%s is set twice (first on line %u)", key, seen[i]);
		return -EINVAL;
	}
	if (!vlen) {
		fail(err, errlen, path, line, "%s needs a value", key);
		return -EINVAL;
	}
	seen[i] = line;
	why[0] = '\0';
	r = keys[i].set(c, val, dir, why, sizeof(why));
	if (r == -EINVAL)
		fail(err, errlen, path, line, "%s", why);
	else if (r)
		fail(err, errlen, path, line, "%s", strerror(-r));
	if (keys[i].set == set_password_file)
		c->password_line = line;
	else if (keys[i].set == set_pin_file)
		c->pin_line = line;
	return r;
}

int qcli_conf_set_key(struct qcli_conf *c, const char *key, const char *val, const char *dir,
		      char *why, size_t n)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].name, key))
			return keys[i].set(c, val, dir, why, n);
	return -ENOENT;
}

int qcli_conf_parse(struct qcli_conf *c, const char *text, size_t len, const char *path, char *err,
		    size_t errlen)
{
	unsigned seen[NKEYS] = { 0 };
	char *buf = NULL, *dir = NULL, *slash;
	unsigned line = 0;
	size_t at = 0;
	int r = 0;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	c->path = strdup(path);
	dir = strdup(path);
	buf = malloc(MAX_LINE + 1);
	if (!c->path || !dir || !buf) {
		r = -ENOMEM;
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		goto out;
	}
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (memchr(text, '\0', len)) {
		/* Not a text file: quoting any of it would be noise. */
		snprintf(err, errlen, "%s: not a text file (it contains a NUL byte)", path);
		r = -EINVAL;
		goto out;
	}
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		char *s;

		line++;
		if (n > MAX_LINE) {
			fail(err, errlen, path, line, "line longer than %d bytes", MAX_LINE);
			r = -EINVAL;
			goto out;
		}
		memcpy(buf, text + at, n);
		at += n + (nl ? 1 : 0);
		if (n && buf[n - 1] == '\r')
			n--;
		s = trim(buf, &n);
		if (!n || s[0] == '#' || s[0] == ';')
			continue;
		r = parse_line(c, s, n, line, seen, slash ? dir : NULL, path, err, errlen);
		if (r)
			goto out;
	}
out:
	if (buf)
		qb_wipe(buf, MAX_LINE + 1);
	free(buf);
	free(dir);
	return r;
}

void qcli_secret_free(char **s)
{
	if (*s) {
		qb_wipe(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

void qcli_conf_clear(struct qcli_conf *c)
{
	if (!c)
		return;
	qcli_conf_pdn_clear(c);
	qcli_secret_free(&c->password);
	qcli_secret_free(&c->pin);
	free(c->path);
	free(c->device);
	free(c->apn);
	free(c->user);
	free(c->ifname);
	free(c->dns_file);
	free(c->password_file);
	free(c->pin_file);
	memset(c, 0, sizeof(*c));
}

const char *qcli_conf_ip_name(enum qcli_conf_ip v)
{
	return (unsigned)v < 4 ? ip_names[v] : "";
}

const char *qcli_conf_auth_name(enum qcli_conf_auth v)
{
	return (unsigned)v < 5 ? auth_names[v] : "";
}

const char *qcli_conf_dns_name(enum qcli_conf_dns v)
{
	return (unsigned)v < 5 ? dns_names[v] : "";
}

const char *qcli_conf_format_name(enum qcli_conf_format v)
{
	return (unsigned)v < 4 ? format_names[v] : "";
}
