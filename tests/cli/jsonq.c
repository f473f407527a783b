/* SPDX-License-Identifier: MIT */
#include "jsonq.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct p {
	const char *s;
	const char *why;
	int depth;
};

static void ws(struct p *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static bool fail(struct p *p, const char *why)
{
	if (!p->why)
		p->why = why;
	return false;
}

static bool value(struct p *p, struct jq *out);

static void put_utf8(char **w, uint32_t cp)
{
	char *o = *w;

	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xC0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xE0 | cp >> 12);
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xF0 | cp >> 18);
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	*w = o;
}

static bool hex4(struct p *p, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p->s[i];

		if (!isxdigit((unsigned char)c))
			return fail(p, "bad \\u escape");
		*v = *v << 4 |
		     (uint32_t)(isdigit((unsigned char)c) ? c - '0'
							  : (tolower((unsigned char)c) - 'a' + 10));
	}
	p->s += 4;
	return true;
}

static bool string(struct p *p, char **out)
{
	const char *start = ++p->s;
	size_t cap = 0;
	char *buf, *w;

	/* Decoded text is never longer than its source (an escape shrinks). */
	while (start[cap] && start[cap] != '"') {
		if (start[cap] == '\\' && start[cap + 1])
			cap++;
		cap++;
	}
	buf = malloc(cap + 1);
	if (!buf)
		return fail(p, "oom");
	w = buf;
	for (;;) {
		unsigned char c = (unsigned char)*p->s;

		if (!c) {
			free(buf);
			return fail(p, "unterminated string");
		}
		if (c < 0x20) {
			free(buf);
			return fail(p, "control character in string");
		}
		p->s++;
		if (c == '"')
			break;
		if (c != '\\') {
			*w++ = (char)c;
			continue;
		}
		c = (unsigned char)*p->s++;
		switch (c) {
		case '"':
			*w++ = '"';
			break;
		case '\\':
			*w++ = '\\';
			break;
		case '/':
			*w++ = '/';
			break;
		case 'b':
			*w++ = '\b';
			break;
		case 'f':
			*w++ = '\f';
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 'r':
			*w++ = '\r';
			break;
		case 't':
			*w++ = '\t';
			break;
		case 'u': {
			uint32_t cp, lo;

			if (!hex4(p, &cp)) {
				free(buf);
				return false;
			}
			if (cp >= 0xD800 && cp <= 0xDBFF && p->s[0] == '\\' && p->s[1] == 'u') {
				p->s += 2;
				if (!hex4(p, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
					free(buf);
					return fail(p, "bad surrogate pair");
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			put_utf8(&w, cp);
			break;
		}
		default:
			free(buf);
			return fail(p, "bad escape");
		}
	}
	*w = '\0';
	*out = buf;
	return true;
}

static bool number(struct p *p, struct jq *out)
{
	const char *s = p->s;
	char *end;

	if (*s == '-')
		s++;
	if (*s == '0') {
		s++;
	} else if (isdigit((unsigned char)*s)) {
		while (isdigit((unsigned char)*s))
			s++;
	} else {
		return fail(p, "bad number");
	}
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return fail(p, "bad fraction");
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return fail(p, "bad exponent");
		while (isdigit((unsigned char)*s))
			s++;
	}
	out->type = JQ_NUM;
	out->num = strtod(p->s, &end);
	p->s = s;
	return true;
}

static bool push(struct jq *v, struct jq *kid)
{
	struct jq *k = realloc(v->kids, (v->n + 1) * sizeof(*k));

	if (!k)
		return false;
	v->kids = k;
	v->kids[v->n++] = *kid;
	return true;
}

static void free_inner(struct jq *v);

/* On failure the members parsed so far stay in out, for the caller's jq_free(). */
static bool container(struct p *p, struct jq *out, bool obj)
{
	char close = obj ? '}' : ']';

	out->type = obj ? JQ_OBJ : JQ_ARR;
	if (++p->depth > 64)
		return fail(p, "too deep");
	p->s++;
	ws(p);
	if (*p->s == close) {
		p->s++;
		p->depth--;
		return true;
	}
	for (;;) {
		struct jq kid = { 0 };

		ws(p);
		if (obj) {
			if (*p->s != '"' || !string(p, &kid.key))
				return fail(p, "member name expected");
			ws(p);
			if (*p->s != ':') {
				free_inner(&kid);
				return fail(p, "':' expected");
			}
			p->s++;
		}
		if (!value(p, &kid) || !push(out, &kid)) {
			free_inner(&kid);
			return fail(p, "bad value");
		}
		ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s != close)
			return fail(p, "',' or end expected");
		p->s++;
		p->depth--;
		return true;
	}
}

static bool value(struct p *p, struct jq *out)
{
	ws(p);
	switch (*p->s) {
	case '{':
		return container(p, out, true);
	case '[':
		return container(p, out, false);
	case '"':
		out->type = JQ_STR;
		return string(p, &out->str);
	case 't':
		if (strncmp(p->s, "true", 4))
			return fail(p, "bad literal");
		p->s += 4;
		out->type = JQ_BOOL;
		out->b = true;
		return true;
	case 'f':
		if (strncmp(p->s, "false", 5))
			return fail(p, "bad literal");
		p->s += 5;
		out->type = JQ_BOOL;
		return true;
	case 'n':
		if (strncmp(p->s, "null", 4))
			return fail(p, "bad literal");
		p->s += 4;
		out->type = JQ_NULL;
		return true;
	default:
		return number(p, out);
	}
}

static void free_inner(struct jq *v)
{
	for (size_t i = 0; i < v->n; i++)
		free_inner(&v->kids[i]);
	free(v->kids);
	free(v->str);
	free(v->key);
}

void jq_free(struct jq *v)
{
	if (!v)
		return;
	free_inner(v);
	free(v);
}

struct jq *jq_parse(const char *text, const char **why)
{
	struct p p = { .s = text };
	struct jq *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	if (!value(&p, v)) {
		if (why)
			*why = p.why;
		jq_free(v);
		return NULL;
	}
	ws(&p);
	if (*p.s) {
		if (why)
			*why = "trailing text after the value";
		jq_free(v);
		return NULL;
	}
	return v;
}

const struct jq *jq_get(const struct jq *v, const char *path)
{
	char seg[128];

	while (v && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(seg))
			return NULL;
		memcpy(seg, path, n);
		seg[n] = '\0';
		path += n + (path[n] == '.');
		if (v->type == JQ_OBJ) {
			const struct jq *found = NULL;

			for (size_t i = 0; i < v->n; i++)
				if (!strcmp(v->kids[i].key, seg))
					found = &v->kids[i];
			v = found;
		} else if (v->type == JQ_ARR) {
			char *end;
			unsigned long i = strtoul(seg, &end, 10);

			v = (*end || i >= v->n) ? NULL : &v->kids[i];
		} else {
			return NULL;
		}
	}
	return v;
}

const char *jq_str(const struct jq *v, const char *path)
{
	const struct jq *x = jq_get(v, path);

	return x && x->type == JQ_STR ? x->str : NULL;
}

bool jq_num(const struct jq *v, const char *path, double *out)
{
	const struct jq *x = jq_get(v, path);

	if (!x || x->type != JQ_NUM)
		return false;
	*out = x->num;
	return true;
}
