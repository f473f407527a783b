/* SPDX-License-Identifier: MIT */
#include "cli/json.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "qmi/strdec.h"

void qcli_json_init(struct qcli_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

static void put(struct qcli_json *j, const char *s)
{
	if (!j->err && fputs(s, j->f) == EOF)
		j->err = -EIO;
}

int qcli_json_write_string(FILE *f, const char *s, size_t n)
{
	int bad = fputc('"', f) == EOF;

	bad |= qmi_str_escape(f, s, n) != 0;
	bad |= fputc('"', f) == EOF;
	return bad ? -EIO : 0;
}

/* Separator and member name before a value; enforces key-in-object, no-key-in-array. */
static bool member(struct qcli_json *j, const char *key)
{
	if (j->err)
		return false;
	if (j->depth == 0) {
		if (key) {
			j->err = -EINVAL;
			return false;
		}
		return true;
	}
	bool in_array = j->is_array & (1u << j->depth);
	if (in_array != !key) {
		j->err = -EINVAL;
		return false;
	}
	if (j->has_items & (1u << j->depth))
		put(j, ",");
	j->has_items |= 1u << j->depth;
	if (key) {
		if (qcli_json_write_string(j->f, key, strlen(key)))
			j->err = -EIO;
		put(j, ":");
	}
	return !j->err;
}

static void open_container(struct qcli_json *j, const char *key, bool array)
{
	if (!member(j, key))
		return;
	if (j->depth + 1 >= QCLI_JSON_MAX_DEPTH) {
		j->err = -E2BIG;
		return;
	}
	j->depth++;
	j->has_items &= ~(1u << j->depth);
	if (array)
		j->is_array |= 1u << j->depth;
	else
		j->is_array &= ~(1u << j->depth);
	put(j, array ? "[" : "{");
}

static void close_container(struct qcli_json *j, bool array)
{
	if (j->err)
		return;
	if (j->depth == 0 || !!(j->is_array & (1u << j->depth)) != array) {
		j->err = -EINVAL;
		return;
	}
	j->depth--;
	put(j, array ? "]" : "}");
}

void qcli_json_obj_begin(struct qcli_json *j, const char *key)
{
	open_container(j, key, false);
}
void qcli_json_obj_end(struct qcli_json *j)
{
	close_container(j, false);
}
void qcli_json_arr_begin(struct qcli_json *j, const char *key)
{
	open_container(j, key, true);
}
void qcli_json_arr_end(struct qcli_json *j)
{
	close_container(j, true);
}

void qcli_json_strn(struct qcli_json *j, const char *key, const char *s, size_t n)
{
	if (!member(j, key))
		return;
	if (qcli_json_write_string(j->f, s, n))
		j->err = -EIO;
}

void qcli_json_str(struct qcli_json *j, const char *key, const char *s)
{
	if (!s) {
		qcli_json_null(j, key);
		return;
	}
	qcli_json_strn(j, key, s, strlen(s));
}

void qcli_json_enum(struct qcli_json *j, const char *key, const char *name, long long v)
{
	if (name)
		qcli_json_strn(j, key, name, strlen(name));
	else
		qcli_json_int(j, key, v);
}

void qcli_json_int(struct qcli_json *j, const char *key, long long v)
{
	if (member(j, key) && fprintf(j->f, "%lld", v) < 0)
		j->err = -EIO;
}

void qcli_json_uint(struct qcli_json *j, const char *key, unsigned long long v)
{
	if (member(j, key) && fprintf(j->f, "%llu", v) < 0)
		j->err = -EIO;
}

void qcli_json_fixed(struct qcli_json *j, const char *key, double v, int decimals)
{
	if (!isfinite(v)) {
		qcli_json_null(j, key);
		return;
	}
	if (member(j, key) && fprintf(j->f, "%.*f", decimals, v) < 0)
		j->err = -EIO;
}

void qcli_json_bool(struct qcli_json *j, const char *key, bool v)
{
	if (member(j, key))
		put(j, v ? "true" : "false");
}

void qcli_json_null(struct qcli_json *j, const char *key)
{
	if (member(j, key))
		put(j, "null");
}

void qcli_json_hex(struct qcli_json *j, const char *key, const uint8_t *p, size_t n)
{
	if (!member(j, key))
		return;
	put(j, "\"");
	for (size_t i = 0; i < n && !j->err; i++)
		if (fprintf(j->f, "%02x", p[i]) < 0)
			j->err = -EIO;
	put(j, "\"");
}

FILE *qcli_json_raw(struct qcli_json *j, const char *key)
{
	member(j, key);
	return j->f;
}

int qcli_json_finish(struct qcli_json *j)
{
	if (!j->err && j->depth != 0)
		j->err = -EINVAL;
	if (!j->err && fflush(j->f) == EOF)
		j->err = -EIO;
	return j->err;
}
