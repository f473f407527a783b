/* SPDX-License-Identifier: MIT */
/*
 * A strict little JSON parser for the tests: `qmiusb --json` output must parse as exactly one
 * value (RFC 8259 syntax, \u escapes included), and tests look members up by path.
 */
#ifndef TESTS_CLI_JSONQ_H
#define TESTS_CLI_JSONQ_H

#include <stdbool.h>
#include <stddef.h>

enum jq_type {
	JQ_NULL,
	JQ_BOOL,
	JQ_NUM,
	JQ_STR,
	JQ_ARR,
	JQ_OBJ
};

struct jq {
	enum jq_type type;
	bool b;
	double num;
	char *str;       /* JQ_STR: decoded UTF-8; also the member name for object members */
	char *key;       /* member name when inside an object */
	struct jq *kids; /* array elements / object members */
	size_t n;
};

/* Parses the whole of text (surrounding whitespace allowed). NULL when it is not exactly one
 * JSON value; *why names the problem. */
struct jq *jq_parse(const char *text, const char **why);
void jq_free(struct jq *v);
/* "a.b.2.c": object members by name, array elements by index. NULL when absent. */
const struct jq *jq_get(const struct jq *v, const char *path);
/* Convenience: the string at path, or NULL (also when it is not a string). */
const char *jq_str(const struct jq *v, const char *path);
/* The number at path; false when absent or not a number. */
bool jq_num(const struct jq *v, const char *path, double *out);

#endif
