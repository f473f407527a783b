/* SPDX-License-Identifier: MIT */
/* `pin`, `mode`, `profile` and `radio` against the built-in sim, human and JSON, and their
 * usage errors. Each run is a fresh modem; state across commands is tested through the proxy. */
#include <criterion/criterion.h>

#include "cli_run.h"
#include "sim/sim.h"

#define HAS(hay, needle) cr_assert(strstr((hay), (needle)), "missing <%s> in:\n%s", (needle), (hay))
#define HASNT(hay, needle)                                                                         \
	cr_assert(!strstr((hay), (needle)), "unexpected <%s> in:\n%s", (needle), (hay))

static double jnum(const struct run *r, const char *path)
{
	double v = -1;

	cr_assert(jq_num(r->json, path, &v), "no number at %s in %s", path, r->out);
	return v;
}

static void jstr_is(const struct run *r, const char *path, const char *want)
{
	const char *got = r->json ? jq_str(r->json, path) : NULL;

	cr_assert(got, "no string at %s in %s", path, r->out);
	cr_assert_str_eq(got, want, "%s", path);
}

Test(pin, status_of_a_card_without_protection)
{
	struct run r = RUN("-d", "sim", "pin", "status");

	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	cr_assert_str_eq(r.out, "[sim] PIN status retrieved successfully\n"
				"[sim] PIN1:\n\tStatus: disabled\n\tVerify: 3\n\tUnblock: 10\n");
	run_free(&r);
}

Test(pin, status_json_of_a_locked_card)
{
	struct run r = RUN_JSON("--sim-fault", "pin=2468", "pin", "status");

	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	jstr_is(&r, "source", "uim");
	jstr_is(&r, "pin1.state", "enabled-not-verified");
	cr_assert_eq(jnum(&r, "pin1.verify_retries"), 3);
	cr_assert_eq(jnum(&r, "pin1.unblock_retries"), 10);
	run_free(&r);
}

Test(pin, verify_right_and_wrong)
{
	struct run r = RUN("--sim-fault", "pin=2468", "pin", "verify", "2468");

	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	cr_assert_str_eq(r.out, "[sim] PIN verified successfully\n");
	run_free(&r);

	r = RUN("--sim-fault", "pin=2468", "-v", "pin", "verify", "1357");
	cr_assert_eq(r.rc, QCLI_EXIT_QMI);
	HAS(r.err, "error: couldn't verify PIN: QMI error 12 (IncorrectPin)\n");
	HAS(r.err, "[sim] Retries left:\n\tVerify: 2\n\tUnblock: 10\n");
	HASNT(r.err, "1357");
	HASNT(r.err, "31:33:35:37"); /* nor in the raw bytes of the trace */
	HASNT(r.out, "1357");
	run_free(&r);

	r = RUN_JSON("--sim-fault", "pin=2468", "pin", "verify", "1357");
	cr_assert_eq(r.rc, QCLI_EXIT_QMI);
	cr_assert(r.json, "not JSON: %s", r.out);
	jstr_is(&r, "error.kind", "qmi");
	jstr_is(&r, "error.qmi_error.error_name", "IncorrectPin");
	cr_assert_eq(jnum(&r, "retries.verify"), 2);
	run_free(&r);
}

Test(pin, other_operations)
{
	struct run r = RUN("--sim-fault", "pin=2468", "pin", "change", "2468", "13579");

	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	cr_assert_str_eq(r.out, "[sim] PIN changed successfully\n");
	run_free(&r);
	r = RUN("--sim-fault", "pin=2468", "pin", "disable", "2468");
	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	cr_assert_str_eq(r.out, "[sim] PIN protection updated\n");
	run_free(&r);
	r = RUN("-d", "sim", "pin", "enable", "1234");
	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	run_free(&r);
	r = RUN_JSON("--sim-fault", "pin=2468", "pin", "unblock", "12345678", "1111");
	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	jstr_is(&r, "result", "PIN unblocked successfully");
	run_free(&r);
}

Test(pin, usage_errors)
{
	struct run r = RUN("-d", "sim", "pin");

	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	run_free(&r);
	r = RUN("-d", "sim", "pin", "verify");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	run_free(&r);
	r = RUN("-d", "sim", "pin", "verify", "12ab");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	HASNT(r.err, "12ab");
	run_free(&r);
	r = RUN("-d", "sim", "pin", "unblock", "1234", "1234");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE, "a PUK has 8 digits");
	run_free(&r);
	r = RUN("-d", "sim", "pin", "frobnicate");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	run_free(&r);
}

Test(mode, show_and_set)
{
	struct run r = RUN("-d", "sim", "mode");

	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	cr_assert_str_eq(r.out, "[sim] Operating mode retrieved:\n\tMode: 'online'\n"
				"\tHW restricted: 'no'\n");
	run_free(&r);
	r = RUN_JSON("-d", "sim", "mode");
	jstr_is(&r, "operating_mode.mode", "online");
	run_free(&r);
	r = RUN("-d", "sim", "mode", "low-power");
	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	cr_assert_str_eq(r.out, "[sim] Operating mode set successfully\n");
	run_free(&r);
	r = RUN_JSON("-d", "sim", "mode", "reset");
	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	jstr_is(&r, "mode_set", "reset");
	run_free(&r);
	r = RUN("-d", "sim", "mode", "factory-test");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	run_free(&r);
}

Test(profile, list_human_and_json)
{
	struct run r = RUN("-d", "sim", "profile", "list");

	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	cr_assert_str_eq(r.out, "Profile list retrieved:\n"
				"\t[1] 3gpp - internet\n\t\tAPN: 'internet'\n"
				"\t\tPDP type: 'ipv4-or-ipv6'\n\t\tAuth: 'none'\n"
				"\t[2] 3gpp - ims\n\t\tAPN: 'ims'\n"
				"\t\tPDP type: 'ipv4-or-ipv6'\n\t\tAuth: 'none'\n"
				"Default profile number retrieved:\n"
				"\tDefault profile number: '1'\n");
	run_free(&r);
	r = RUN_JSON("-d", "sim", "profile", "list");
	cr_assert_eq(r.rc, 0);
	jstr_is(&r, "profiles.1.name", "ims");
	jstr_is(&r, "profiles.0.apn", "internet");
	cr_assert_eq(jnum(&r, "default"), 1);
	run_free(&r);
}

Test(profile, create_never_prints_the_password)
{
	struct run r = RUN("-d", "sim", "-v", "profile", "create", "--apn", "corp", "--user", "bob",
			   "--password", "hunter2", "--auth", "chap", "--pdp-type", "ipv4v6");

	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	cr_assert_str_eq(r.out, "New profile created:\n\tProfile type: '3gpp'\n"
				"\tProfile index: '3'\n");
	HASNT(r.err, "hunter2");
	HASNT(r.err, "68:75:6e:74"); /* "hunt" in a raw dump */
	run_free(&r);
	r = RUN_JSON("-d", "sim", "profile", "create", "--apn", "corp");
	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	cr_assert_eq(jnum(&r, "created.index"), 3);
	run_free(&r);
}

Test(profile, refusals_and_usage)
{
	struct run r = RUN("-d", "sim", "profile", "show", "9");

	cr_assert_eq(r.rc, QCLI_EXIT_QMI);
	HAS(r.err, "couldn't get profile settings (ds profile error: invalid-profile-number)");
	run_free(&r);
	r = RUN_JSON("-d", "sim", "profile", "delete", "9");
	cr_assert_eq(r.rc, QCLI_EXIT_QMI);
	jstr_is(&r, "error.qmi_error.error_name", "ExtendedInternal");
	run_free(&r);
	r = RUN("-d", "sim", "profile", "show");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	run_free(&r);
	r = RUN("-d", "sim", "profile", "modify", "1");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE, "nothing to change");
	run_free(&r);
	r = RUN("-d", "sim", "profile", "list", "--apn", "x");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	run_free(&r);
	r = RUN("-d", "sim", "profile", "create", "--pdp-type", "ipv5");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	run_free(&r);
	r = RUN("-d", "sim", "profile", "modify", "2", "--name", "voice");
	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	cr_assert_str_eq(r.out, "Profile successfully modified.\n");
	run_free(&r);
}

Test(radio, show_human_and_json)
{
	struct run r = RUN("-d", "sim", "radio");

	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	HAS(r.out, "[sim] Successfully got system selection preference\n"
		   "\tEmergency mode: 'no'\n\tMode preference: 'gsm, umts, lte, 5gnr'\n");
	HAS(r.out, "\tLTE band preference: '1, 2, 3, 4, 5, 7, 8, 12, 13, 17, 20, 25, 26, 28, 38, "
		   "40, 41'\n");
	HAS(r.out, "[sim] Device band capabilities retrieved:\n");
	HAS(r.out, "\tNR5G bands: '1, 3, 7, 28, 41, 77, 78'\n");
	HAS(r.out, "[sim] Successfully got cell location info\nIntrafrequency LTE Info\n");
	HAS(r.out, "\tPLMN: '00101'\n");
	run_free(&r);
	r = RUN_JSON("-d", "sim", "radio", "show");
	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	jstr_is(&r, "preference.modes", "gsm, umts, lte, 5gnr");
	cr_assert_eq(jnum(&r, "preference.lte_bands.2"), 3);
	cr_assert_eq(jnum(&r, "capabilities.nr5g_bands.6"), 78);
	jstr_is(&r, "cell.mcc", "001");
	jstr_is(&r, "cell.mnc", "01");
	run_free(&r);
}

Test(radio, set_and_usage)
{
	struct run r = RUN("-d", "sim", "radio", "set", "--modes", "lte,5g", "--lte-bands",
			   "1,3,7,20");

	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.err);
	cr_assert_str_eq(r.out, "[sim] System selection preference set successfully\n");
	run_free(&r);
	r = RUN("-d", "sim", "radio", "set", "--lte-bands", "66");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	run_free(&r);
	r = RUN("-d", "sim", "radio", "set", "--lte-bands", "64");
	cr_assert_eq(r.rc, QCLI_EXIT_QMI, "band 64 is not in the capabilities: %s", r.err);
	run_free(&r);
	r = RUN("-d", "sim", "radio", "set", "--modes", "lte,,5g");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	run_free(&r);
	r = RUN("-d", "sim", "radio", "set");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	run_free(&r);
	r = RUN("-d", "sim", "radio", "--modes", "lte");
	cr_assert_eq(r.rc, QCLI_EXIT_USAGE);
	run_free(&r);
}
