/* SPDX-License-Identifier: MIT */
#include "jsonschema.h"

#include "jsonq.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 400

struct key {
	char name[48];
	unsigned types; /* 1 << enum jq_type */
	bool opaque, map;
};

static struct key keys[MAX_KEYS];
static unsigned nkeys;

static void load(const char *path)
{
	char line[512];
	FILE *f;

	if (nkeys)
		return;
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	while (fgets(line, sizeof(line), f)) {
		char name[64], types[64], *t, *save = NULL;
		struct key *k = &keys[nkeys];

		if (line[0] == '#' || sscanf(line, "%63s %63s", name, types) != 2)
			continue;
		cr_assert_lt(nkeys, MAX_KEYS);
		cr_assert_lt(strlen(name), sizeof(k->name));
		for (unsigned i = 0; i < nkeys; i++)
			cr_assert_str_neq(keys[i].name, name, "%s is in the schema twice", name);
		strcpy(k->name, name);
		for (t = strtok_r(types, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
			if (!strcmp(t, "string"))
				k->types |= 1u << JQ_STR;
			else if (!strcmp(t, "number"))
				k->types |= 1u << JQ_NUM;
			else if (!strcmp(t, "bool"))
				k->types |= 1u << JQ_BOOL;
			else if (!strcmp(t, "object"))
				k->types |= 1u << JQ_OBJ;
			else if (!strcmp(t, "array"))
				k->types |= 1u << JQ_ARR;
			else if (!strcmp(t, "null"))
				k->types |= 1u << JQ_NULL;
			else if (!strcmp(t, "opaque"))
				k->opaque = true;
			else if (!strcmp(t, "map"))
				k->map = true, k->types |= 1u << JQ_OBJ;
			else
				cr_assert_fail("%s: unknown type '%s' for %s", path, t, name);
		}
		nkeys++;
	}
	fclose(f);
	cr_assert_gt(nkeys, 50, "%s has too few keys", path);
}

static const struct key *find(const char *name)
{
	for (unsigned i = 0; i < nkeys; i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

static void walk(const char *what, const char *path, const struct jq *v);

static void member(const char *what, const char *path, const struct jq *m)
{
	const struct key *k = find(m->key);
	char sub[512];

	snprintf(sub, sizeof(sub), "%s.%s", path, m->key);
	cr_assert_not_null(k, "%s: key '%s' (at %s) is not in the schema", what, m->key, sub);
	if (k->opaque)
		return;
	cr_assert(k->types & (1u << m->type), "%s: %s has the wrong type (%d)", what, sub,
		  (int)m->type);
	if (k->map && m->type == JQ_OBJ) {
		for (size_t i = 0; i < m->n; i++) {
			char item[600];

			snprintf(item, sizeof(item), "%s.%s", sub, m->kids[i].key);
			walk(what, item, &m->kids[i]);
		}
		return;
	}
	walk(what, sub, m);
}

static void walk(const char *what, const char *path, const struct jq *v)
{
	if (v->type == JQ_OBJ) {
		for (size_t i = 0; i < v->n; i++)
			member(what, path, &v->kids[i]);
	} else if (v->type == JQ_ARR) {
		for (size_t i = 0; i < v->n; i++)
			walk(what, path, &v->kids[i]);
	}
}

void schema_check(const char *schema_path, const char *what, const char *text)
{
	const char *p = text;
	unsigned objects = 0;

	load(schema_path);
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *line = strndup(p, n);
		const char *why = NULL;
		struct jq *v;

		cr_assert_not_null(line);
		if (n) {
			v = jq_parse(line, &why);
			cr_assert_not_null(v, "%s: not JSON (%s): %s", what, why, line);
			cr_assert_eq(v->type, JQ_OBJ, "%s: not an object: %s", what, line);
			cr_assert_not_null(jq_get(v, "command"), "%s: no \"command\": %s", what,
					   line);
			walk(what, "", v);
			jq_free(v);
			objects++;
		}
		free(line);
		p += n + (end ? 1 : 0);
	}
	cr_assert_gt(objects, 0, "%s printed no JSON", what);
}
