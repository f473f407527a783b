/* SPDX-License-Identifier: MIT */
/* Runs `qmiusb ARGS...` in-process (qcli_main) with stdout and stderr captured. */
#ifndef TESTS_CLI_RUN_H
#define TESTS_CLI_RUN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "jsonq.h"

struct run {
	int rc;
	char *out, *err; /* NUL-terminated captures, owned */
	size_t out_len, err_len;
	struct jq *json; /* out parsed as JSON when asked for; NULL otherwise or if invalid */
	const char *why; /* the JSON parser's complaint */
};

static inline struct run run_argv(const char **args, int want_json)
{
	struct run r = { 0 };
	char *argv[64];
	int argc = 0;
	FILE *o, *e;

	while (args[argc] && argc < 63) {
		argv[argc] = strdup(args[argc]);
		argc++;
	}
	argv[argc] = NULL;
	o = open_memstream(&r.out, &r.out_len);
	e = open_memstream(&r.err, &r.err_len);
	r.rc = qcli_main(argc, argv, o, e);
	fclose(o);
	fclose(e);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	if (want_json)
		r.json = jq_parse(r.out, &r.why);
	return r;
}

static inline void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	jq_free(r->json);
	memset(r, 0, sizeof(*r));
}

#define RUN(...) run_argv((const char *[]){ "qmiusb", __VA_ARGS__, NULL }, 0)
#define RUN_JSON(...) run_argv((const char *[]){ "qmiusb", "--json", __VA_ARGS__, NULL }, 1)

#endif
