/* SPDX-License-Identifier: MIT */
/* `connect --config NAME`: the configuration file's settings as connect's defaults. */
#ifndef QCLI_CONNECT_CONF_H
#define QCLI_CONNECT_CONF_H

#include "cli/cli.h"
#include "cli/conf.h"
#include "conn/conn.h"

/* Finds --config NAME among connect's arguments (argv[0] is the command): NAME or NULL. */
const char *qcli_connect_conf_name(int argc, char **argv);
/* Loads the file into conf (which the caller clears after the run: o points into it) and sets
 * o, and cli->device when -d was not given, from it. QCLI_EXIT_OK, or a failure's exit code
 * after reporting it. */
int qcli_connect_conf_apply(struct qcli *cli, struct qcli_conf *conf, const char *name,
			    struct qconn_opts *o);
/* The file's [pdn] section i over o (a copy of the connection's options): the keys it sets. */
void qcli_connect_conf_session(const struct qcli_conf *conf, unsigned i, struct qconn_opts *o);

#endif
