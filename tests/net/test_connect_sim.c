/* SPDX-License-Identifier: MIT */
/*
 * connect stays on: a modem without service at boot comes up once it registers, with the
 * reason and the next delay printed and in JSON; --once keeps the single attempt. The SIM's
 * PIN (--pin, --pin-file) is sent once and never shown; what only a person can fix (a wrong or
 * missing PIN, no SIM) stops connect with exit code 7; a low-power modem is set online.
 */
#include "../cli/jsonschema.h"
#include "connect_harness.h"
#include "netns.h"

#include <signal.h>
#include <sys/stat.h>

TestSuite(connect_sim, .timeout = 120);

#define EXIT_SIM 7

/* `qmiusb -d sim ARGS` with stderr into the test's directory when errfile is not NULL. */
static void start(struct child *r, const char *const *args, const char *errfile)
{
	if (!getenv("QMIUSB_TEST_RUNDIR"))
		test_rundir_make("/tmp/qmiusb-csim-XXXXXX");
	child_start_sim_err(r, args, errfile);
}

static char *slurp(const char *path)
{
	static char buf[65536];

	return file_text(path, buf, sizeof(buf));
}

Test(connect_sim, no_service_at_boot_then_up)
{
	static const char *const args[] = { "--sim-fault",   "no-service=2500",
					    "--json",        "connect",
					    "--reg-timeout", "1",
					    "--no-share",    NULL };
	char errfile[160];
	const char *err;
	struct child r;

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-csim-XXXXXX");
	snprintf(errfile, sizeof(errfile), "%s/stderr", test_rundir);
	start(&r, args, errfile);
	cr_assert(child_wait_for(&r, "\"event\":\"up\""), "%s", r.out);
	cr_assert(strstr(r.out, "\"state\":\"reconnecting\",\"reason\":\"not registered for packet "
				"data after 1 s: "),
		  "%s", r.out);
	cr_assert(strstr(r.out, "\"delay_ms\":1000}"), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	err = slurp(errfile);
	cr_assert(strstr(err, "retrying in 1 s: not registered for packet data after 1 s"), "%s",
		  err);
	cr_assert_null(strstr(err, "error:"), "%s", err);
	schema_check(QMIUSB_JSON_SCHEMA, "connect with a backoff", r.out);
}

Test(connect_sim, once_keeps_the_single_attempt)
{
	static const char *const args[] = { "--sim-fault", "no-service=60000",
					    "connect",     "--reg-timeout",
					    "1",           "--once",
					    "--no-share",  NULL };
	struct child r;

	enter_new_netns();
	start(&r, args, NULL);
	cr_assert_eq(child_exit(&r), 5, "%s", r.out);
	cr_assert(strstr(r.out, "not registered for packet data after 1 s"), "%s", r.out);
	cr_assert_null(strstr(r.out, "retrying"), "%s", r.out);
}

/* The request is traced (-v) with the PIN masked; no line shows it. */
Test(connect_sim, pin_right_comes_up_and_is_never_shown)
{
	static const char *const args[] = { "--sim-fault", "pin=8642", "-v",         "connect",
					    "--pin",       "8642",     "--no-share", NULL };
	struct child r;

	enter_new_netns();
	start(&r, args, NULL);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "SIM: PIN verified"), "%s", r.out);
	cr_assert(strstr(r.out, "Verify PIN"), "no trace of the request: %s", r.out);
	cr_assert(strstr(r.out, "pin: ### (secret)"), "the PIN is not masked: %s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	/* The fault spec is the one place the code is written. */
	cr_assert_null(strstr(strstr(r.out, "pin=8642") ? strstr(r.out, "pin=8642") + 8 : r.out,
			      "8642"),
		       "%s", r.out);
}

/* Wrong: stops with exit code 7, the tries left in the text and the JSON (one try used). */
Test(connect_sim, pin_wrong_stops)
{
	static const char *const args[] = { "--sim-fault", "pin=8642", "--json",     "connect",
					    "--pin",       "1111",     "--no-share", NULL };
	char errfile[160];
	struct child r;

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-csim-XXXXXX");
	snprintf(errfile, sizeof(errfile), "%s/stderr", test_rundir);
	start(&r, args, errfile);
	cr_assert_eq(child_exit(&r), EXIT_SIM, "%s", r.out);
	cr_assert(strstr(slurp(errfile), "wrong PIN (2 tries left)"), "%s", slurp(errfile));
	cr_assert(strstr(r.out, "\"kind\":\"sim\",\"exit_code\":7,\"message\":\"wrong PIN (2 "
				"tries left)"),
		  "%s", r.out);
	cr_assert_null(strstr(r.out, "\"state\":\"reconnecting\""), "%s", r.out);
	schema_check(QMIUSB_JSON_SCHEMA, "connect, wrong PIN", r.out);
}

/* Started with the software modem's faults, connect stops by itself with exit code 7 and
 * says why. */
static void stops_for_the_sim(const char *faults, const char *why)
{
	const char *args[] = { "--sim-fault", faults, "connect", "--no-share", NULL };
	struct child r;

	enter_new_netns();
	start(&r, args, NULL);
	cr_assert_eq(child_exit(&r), EXIT_SIM, "%s", r.out);
	cr_assert(strstr(r.out, why), "%s", r.out);
}

Test(connect_sim, pin_needed_but_not_given)
{
	stops_for_the_sim(
		"pin=8642",
		"the SIM asks for its PIN (3 tries left): give it with --pin or --pin-file");
}

Test(connect_sim, absent_sim_stops)
{
	stops_for_the_sim("sim-absent", "no SIM card in the modem");
}

Test(connect_sim, low_power_is_set_online)
{
	static const char *const args[] = { "--sim-fault", "low-power", "connect", "--no-share",
					    NULL };
	struct child r;

	enter_new_netns();
	start(&r, args, NULL);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "operating mode: low-power; setting it online"), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}

static void write_pin(char *path, size_t cap, const char *pin, mode_t mode)
{
	FILE *f;

	snprintf(path, cap, "%s/pin", getenv("QMIUSB_TEST_RUNDIR"));
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "%s\n", pin);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, mode), 0);
}

/* --pin-file: the file's first line, from a file only its owner can read. */
Test(connect_sim, pin_file)
{
	const char *args[] = { "--sim-fault", "pin=8642",   "connect", "--pin-file",
			       NULL,          "--no-share", NULL };
	char path[160];
	struct child r;

	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-csim-XXXXXX");
	write_pin(path, sizeof(path), "8642", 0640);
	args[4] = path;
	start(&r, args, NULL);
	cr_assert_eq(child_exit(&r), 1, "%s", r.out);
	cr_assert(strstr(r.out, "is open to group or others"), "%s", r.out);
	cr_assert_null(strstr(r.out, "8642\n"), "%s", r.out);

	write_pin(path, sizeof(path), "12", 0600);
	start(&r, args, NULL);
	cr_assert_eq(child_exit(&r), 2, "%s", r.out);
	cr_assert(strstr(r.out, "does not hold a PIN"), "%s", r.out);

	write_pin(path, sizeof(path), "8642", 0600);
	start(&r, args, NULL);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "SIM: PIN verified"), "%s", r.out);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
}

Test(connect_sim, bad_pin_is_a_usage_error)
{
	static const char *const args[] = { "connect", "--pin", "12a4", NULL };
	struct child r;

	start(&r, args, NULL);
	cr_assert_eq(child_exit(&r), 2, "%s", r.out);
	cr_assert(strstr(r.out, "--pin is 4 to 8 digits"), "%s", r.out);
}
