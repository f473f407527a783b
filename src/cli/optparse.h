/* SPDX-License-Identifier: MIT */
/*
 * A reentrant option scanner (getopt keeps its state in globals, which would break running the
 * command twice in one process). Options stop at the first non-option argument or at "--".
 * Accepts "--name value", "--name=value", "-x value", "-xvalue" and clustered flags "-vp".
 */
#ifndef QCLI_OPTPARSE_H
#define QCLI_OPTPARSE_H

#include <stdbool.h>

struct qcli_optdef {
	char short_name;       /* 0 when there is none */
	const char *long_name; /* without "--"; NULL when there is none */
	bool has_arg;
	int id; /* returned by qcli_opt_next(); must be > 0 */
};

struct qcli_optscan {
	int argc;
	char **argv;
	int i;               /* next argument to look at */
	const char *cluster; /* rest of a clustered short-option argument, or NULL */
	const char *arg;     /* the current option's value */
	char bad[64];        /* the offending option text after an error */
};

void qcli_opt_init(struct qcli_optscan *s, int argc, char **argv, int first);
/* Returns an option id, 0 at the end of the options (s->i is then the first operand), or
 *  -1 unknown option, -2 missing value, -3 value given to a flag (s->bad names it). */
int qcli_opt_next(struct qcli_optscan *s, const struct qcli_optdef *defs);

#endif
