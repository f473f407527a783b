/* SPDX-License-Identifier: MIT */
/* The dispatcher: global options, the subcommand, the JSON envelope, the session teardown. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* -h/--help anywhere among the subcommand's options (before "--") shows its help. */
static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	}
	return false;
}

/* --json: every run prints exactly one object, failures included. */
static void print_error_object(struct qcli *cli)
{
	struct qcli_json j;

	qcli_json_init(&j, cli->out);
	cli->js = &j;
	qcli_json_obj_begin(&j, NULL);
	qcli_json_str(&j, "command", cli->cmd ? cli->cmd->name : NULL); /* null: none known */
	qcli_json_error(cli);
	qcli_json_obj_end(&j);
	cli->js = NULL;
	fputc('\n', cli->out);
	fflush(cli->out);
}

static int run_command(struct qcli *cli, int argc, char **argv)
{
	struct qcli_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = NULL;
	int rc;

	if (!cli->json || cli->cmd->own_output) {
		rc = cli->cmd->run(cli, argc, argv);
		qcli_session_close(cli);
		return rc;
	}

	/* The object is assembled in memory so that stdout gets all of it or, if memory runs
	 * out, nothing but a short error object. */
	mem = open_memstream(&buf, &len);
	if (!mem) {
		rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "out of memory");
		print_error_object(cli);
		return rc;
	}
	qcli_json_init(&j, mem);
	cli->js = &j;
	qcli_json_obj_begin(&j, NULL);
	qcli_json_str(&j, "command", cli->cmd->name);
	rc = cli->cmd->run(cli, argc, argv);
	qcli_session_close(cli);
	if (rc != QCLI_EXIT_OK && !cli->error.exit_code) {
		cli->error.exit_code = rc;
		snprintf(cli->error.message, sizeof(cli->error.message), "%s failed",
			 cli->cmd->name);
	}
	qcli_json_error(cli);
	qcli_json_obj_end(&j);
	cli->js = NULL;
	if (qcli_json_finish(&j) || fclose(mem)) {
		free(buf);
		fprintf(cli->err, "error: couldn't build the JSON output\n");
		return rc ? rc : QCLI_EXIT_FAILURE;
	}
	fwrite(buf, 1, len, cli->out);
	fputc('\n', cli->out);
	fflush(cli->out);
	free(buf);
	return rc;
}

int qcli_main(int argc, char **argv, FILE *out, FILE *err)
{
	return qcli_run(argc, argv, out, err, 0);
}

int qcli_run(int argc, char **argv, FILE *out, FILE *err, unsigned flags)
{
	struct qcli cli;
	int rc, ci = 0;

	qcli_init(&cli, out, err);
	cli.handle_signals = flags & QCLI_RUN_SIGNALS;
	if (argc > 0 && argv[0]) {
		const char *slash = strrchr(argv[0], '/');

		cli.prog = slash ? slash + 1 : argv[0];
	}
	rc = qcli_parse_global(&cli, argc, argv, &ci);
	if (rc >= 0)
		goto done;
	if (ci >= argc) {
		rc = qcli_usage_error(&cli, "no command given (info, signal, status, versions, "
					    "raw, ...)");
		goto done;
	}
	cli.cmd = qcli_command_find(argv[ci]);
	if (!cli.cmd) {
		rc = qcli_usage_error(&cli, "unknown command '%s'", argv[ci]);
		goto done;
	}
	{
		/* The proxy has a -d and a -v of its own. */
		static const char *const proxy_keeps[] = { "device", "verbose", NULL };
		int cargc = argc - ci;

		rc = qcli_parse_global_after(&cli, &cargc, argv + ci,
					     !strcmp(cli.cmd->name, "proxy") ? proxy_keeps : NULL);
		if (rc >= 0)
			goto done;
		argc = ci + cargc;
	}
	if (!cli.cmd->own_help && wants_help(argc - ci, argv + ci)) {
		qcli_print_command_help(cli.out, cli.prog, cli.cmd);
		return QCLI_EXIT_OK;
	}
	cli.primary_svc = cli.cmd->primary_svc >= 0xFE ? -1 : cli.cmd->primary_svc;
	return run_command(&cli, argc - ci, argv + ci);

done:
	if (rc != QCLI_EXIT_OK && cli.json)
		print_error_object(&cli);
	return rc;
}
