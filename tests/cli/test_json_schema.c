/* SPDX-License-Identifier: MIT */
/* Every command's --json output, successes and failures, against docs/json-schema.txt. The
 * running connection's side (connect's events, status with a connection, disconnect) is walked
 * in tests/net/test_connect_unattended.c. */
#include <criterion/criterion.h>

#include "cli_run.h"
#include "jsonschema.h"

#ifndef QMIUSB_JSON_SCHEMA
#error QMIUSB_JSON_SCHEMA must name docs/json-schema.txt
#endif

static void check(const char **args, int want_rc)
{
	char what[256] = "";
	struct run r = run_argv(args, 0);

	for (const char **a = args + 1; *a; a++)
		snprintf(what + strlen(what), sizeof(what) - strlen(what), "%s ", *a);
	if (want_rc >= 0)
		cr_assert_eq(r.rc, want_rc, "%s: rc %d\n%s\n%s", what, r.rc, r.out, r.err);
	else
		cr_assert_neq(r.rc, 0, "%s: should fail\n%s", what, r.out);
	schema_check(QMIUSB_JSON_SCHEMA, what, r.out);
	run_free(&r);
}

#define OK(...) check((const char *[]){ "qmiusb", __VA_ARGS__, NULL }, 0)
#define FAILS(...) check((const char *[]){ "qmiusb", __VA_ARGS__, NULL }, -1)

Test(json_schema, every_command)
{
	OK("-d", "sim", "--json", "info");
	OK("-d", "sim", "--json", "signal");
	OK("-d", "sim", "--json", "status");
	OK("-d", "sim", "--json", "versions");
	OK("-d", "sim", "--json", "raw", "dms", "0x25");
	OK("-d", "sim", "--json", "--client-no-release-cid", "info");
	OK("--json", "list");
	OK("-d", "sim", "--json", "pin", "status");
	OK("-d", "sim", "--json", "mode");
	OK("-d", "sim", "--json", "mode", "low-power");
	OK("-d", "sim", "--json", "profile", "list");
	OK("-d", "sim", "--json", "profile", "show", "1");
	OK("-d", "sim", "--json", "profile", "create", "--apn", "x");
	OK("-d", "sim", "--json", "profile", "modify", "2", "--apn", "y");
	OK("-d", "sim", "--json", "profile", "delete", "2");
	OK("-d", "sim", "--json", "radio");
	OK("-d", "sim", "--json", "radio", "set", "--modes", "lte");
}

Test(json_schema, failures_are_one_object_too)
{
	FAILS("-d", "sim", "--json", "raw", "dms", "0x7777");
	FAILS("--sim-fault", "drop", "--timeout", "0.2", "--json", "info");
	FAILS("--json", "nosuchcommand");
	FAILS("--json", "-d", "usb:1234:5678", "list");
	FAILS("--json", "list", "extra");
	FAILS("--json", "disconnect");
	FAILS("--json", "sim", "--bogus");
	FAILS("--json", "proxy", "--bogus");
	FAILS("-d", "sim", "--json", "connect", "--bogus");
	FAILS("-d", "sim", "--json", "info", "extra");
	FAILS("-d", "sim", "--sim-fault", "pin=1234", "--json", "pin", "verify", "9999");
	FAILS("-d", "sim", "--json", "profile", "delete", "1");
}

/* Unavailable items (the modem's refusals) are walked too. */
Test(json_schema, refusals)
{
	struct run r = run_argv((const char *[]){ "qmiusb", "--sim-fault", "sim-absent", "--json",
						  "info", NULL },
				1);

	cr_assert_not_null(r.json, "%s", r.out);
	cr_assert_not_null(jq_get(r.json, "unavailable.imsi.error_code"), "%s", r.out);
	schema_check(QMIUSB_JSON_SCHEMA, "info, SIM absent", r.out);
	run_free(&r);
}

/* Global options after the command: `qmiusb info --json`. */
Test(json_schema, global_options_after_the_command)
{
	struct run r = run_argv((const char *[]){ "qmiusb", "info", "--json", "-d", "sim", NULL },
				1);

	cr_assert_eq(r.rc, 0, "%s%s", r.out, r.err);
	cr_assert_not_null(r.json, "%s", r.out);
	cr_assert_str_eq(jq_str(r.json, "command"), "info");
	cr_assert_str_eq(jq_str(r.json, "device"), "sim");
	run_free(&r);
	r = run_argv((const char *[]){ "qmiusb", "-d", "sim", "status", "--timeout", "5", "--json",
				       NULL },
		     1);
	cr_assert_eq(r.rc, 0, "%s%s", r.out, r.err);
	cr_assert_str_eq(jq_str(r.json, "registration.mcc"), "001");
	run_free(&r);
}
