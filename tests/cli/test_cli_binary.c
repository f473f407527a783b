/* SPDX-License-Identifier: MIT */
/*
 * The built binary itself: exit codes as a shell sees them, stdout/stderr separation, and
 * SIGINT during a request (stop waiting, still release the client ids, exit 1).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jsonq.h"

#define HAS(hay, needle) cr_assert(strstr((hay), (needle)), "missing <%s> in:\n%s", (needle), (hay))

struct child {
	pid_t pid;
	int out, err; /* read ends */
};

static struct child spawn(const char *const *args)
{
	struct child c;
	int po[2], pe[2];

	cr_assert_eq(pipe(po), 0);
	cr_assert_eq(pipe(pe), 0);
	c.pid = fork();
	cr_assert_geq(c.pid, 0);
	if (c.pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		execv(QMIUSB_BIN, (char *const *)args);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	c.out = po[0];
	c.err = pe[0];
	return c;
}

/* Appends whatever fd has to *buf (NUL-terminated). 0 at EOF, 1 if more may come. */
static int slurp(int fd, char **buf, size_t *len)
{
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n <= 0)
		return n < 0 && errno == EINTR ? 1 : 0;
	*buf = realloc(*buf, *len + (size_t)n + 1);
	memcpy(*buf + *len, tmp, (size_t)n);
	*len += (size_t)n;
	(*buf)[*len] = '\0';
	return 1;
}

static int finish(struct child *c, char **out, char **err)
{
	size_t ol = 0, el = 0;
	int st = 0;

	*out = calloc(1, 1);
	*err = calloc(1, 1);
	while (slurp(c->out, out, &ol))
		;
	while (slurp(c->err, err, &el))
		;
	close(c->out);
	close(c->err);
	cr_assert_eq(waitpid(c->pid, &st, 0), c->pid);
	cr_assert(WIFEXITED(st), "did not exit normally (status 0x%x)", st);
	return WEXITSTATUS(st);
}

static int run(const char *const *args, char **out, char **err)
{
	struct child c = spawn(args);

	return finish(&c, out, err);
}

Test(binary, exit_codes_and_streams)
{
	char *out, *err;
	struct jq *v;

	cr_assert_eq(run((const char *[]){ QMIUSB_BIN, "-d", "sim", "info", NULL }, &out, &err), 0);
	HAS(out, "[sim] Device IDs retrieved:");
	cr_assert_str_eq(err, "");
	free(out);
	free(err);

	cr_assert_eq(run((const char *[]){ QMIUSB_BIN, "--json", "-d", "sim", "status", NULL },
			 &out, &err),
		     0);
	v = jq_parse(out, NULL);
	cr_assert(v, "stdout is not exactly one JSON value: %s", out);
	cr_assert_str_eq(jq_str(v, "registration.state"), "registered");
	jq_free(v);
	free(out);
	free(err);

	cr_assert_eq(run((const char *[]){ QMIUSB_BIN, "nope", NULL }, &out, &err), 2);
	cr_assert_str_eq(out, "");
	HAS(err, "unknown command 'nope'");
	free(out);
	free(err);

	cr_assert_eq(run((const char *[]){ QMIUSB_BIN, "-d", "sim", "raw", "dms", "0x7777", NULL },
			 &out, &err),
		     4);
	HAS(err, "QMI error 71 (InvalidQmiCommand)");
	free(out);
	free(err);

	cr_assert_eq(run((const char *[]){ QMIUSB_BIN, "-d", "sim", "--timeout", "0.2",
					   "--sim-fault", "drop", "versions", NULL },
			 &out, &err),
		     5);
	free(out);
	free(err);
}

Test(binary, sigint_stops_waiting_and_releases_the_client)
{
	/* signal: response 1 allocates the NAS client, 2 and 3 answer the batch (3 is dropped),
	 * 4 answers the release. Without the signal this would wait 60 s and exit 5. */
	struct child c = spawn((const char *[]){ QMIUSB_BIN, "-v", "-d", "sim", "--timeout", "60",
						 "--sim-fault", "drop-every=3", "signal", NULL });
	char *err = calloc(1, 1), *out, *rest;
	size_t el = 0;
	int rc;

	/* Wait (without a clock) until the batch is on its way, then interrupt. */
	while (!strstr(err, "<<< nas \"Get Signal Info\"")) {
		struct pollfd p = { .fd = c.err, .events = POLLIN };

		cr_assert_geq(poll(&p, 1, -1), 1);
		cr_assert(slurp(c.err, &err, &el), "exited early: %s", err);
	}
	cr_assert_eq(kill(c.pid, SIGINT), 0);
	rc = finish(&c, &out, &rest);
	cr_assert_eq(rc, 1, "rc %d\n%s%s", rc, err, rest);
	HAS(rest, "interrupted");
	HAS(rest, ">>> ctl \"Release CID\"");
	HAS(rest, "<<< ctl \"Release CID\"");
	free(out);
	free(err);
	free(rest);
}
