/* SPDX-License-Identifier: MIT */
#include "cli/optparse.h"

#include <stdio.h>
#include <string.h>

void qcli_opt_init(struct qcli_optscan *s, int argc, char **argv, int first)
{
	memset(s, 0, sizeof(*s));
	s->argc = argc;
	s->argv = argv;
	s->i = first;
}

static int next_short(struct qcli_optscan *s, const struct qcli_optdef *defs)
{
	char c = *s->cluster++;

	for (const struct qcli_optdef *d = defs; d->id; d++) {
		if (d->short_name != c)
			continue;
		if (!d->has_arg) {
			if (!*s->cluster)
				s->cluster = NULL;
			return d->id;
		}
		if (*s->cluster) {
			s->arg = s->cluster;
		} else if (s->i < s->argc) {
			s->arg = s->argv[s->i++];
		} else {
			snprintf(s->bad, sizeof(s->bad), "-%c", c);
			s->cluster = NULL;
			return -2;
		}
		s->cluster = NULL;
		return d->id;
	}
	snprintf(s->bad, sizeof(s->bad), "-%c", c);
	s->cluster = NULL;
	return -1;
}

static int next_long(struct qcli_optscan *s, const struct qcli_optdef *defs, const char *name)
{
	const char *eq = strchr(name, '=');
	size_t n = eq ? (size_t)(eq - name) : strlen(name);

	for (const struct qcli_optdef *d = defs; d->id; d++) {
		if (!d->long_name || strlen(d->long_name) != n || strncmp(d->long_name, name, n))
			continue;
		if (!d->has_arg) {
			if (eq) {
				snprintf(s->bad, sizeof(s->bad), "--%.*s", (int)n, name);
				return -3;
			}
			return d->id;
		}
		if (eq) {
			s->arg = eq + 1;
		} else if (s->i < s->argc) {
			s->arg = s->argv[s->i++];
		} else {
			snprintf(s->bad, sizeof(s->bad), "--%.*s", (int)n, name);
			return -2;
		}
		return d->id;
	}
	snprintf(s->bad, sizeof(s->bad), "--%.*s", (int)n, name);
	return -1;
}

int qcli_opt_next(struct qcli_optscan *s, const struct qcli_optdef *defs)
{
	const char *a;

	s->arg = NULL;
	if (s->cluster)
		return next_short(s, defs);
	if (s->i >= s->argc)
		return 0;
	a = s->argv[s->i];
	if (a[0] != '-' || a[1] == '\0')
		return 0;
	s->i++;
	if (a[1] == '-') {
		if (a[2] == '\0')
			return 0; /* "--": operands follow */
		return next_long(s, defs, a + 2);
	}
	s->cluster = a + 1;
	return next_short(s, defs);
}
