/* SPDX-License-Identifier: MIT */
/* Each fault knob of the software modem, through the command line (--sim-fault). */
#include <criterion/criterion.h>

#include "cli_run.h"
#include "sim/sim.h"

#define HAS(hay, needle) cr_assert(strstr((hay), (needle)), "missing <%s> in:\n%s", (needle), (hay))
#define HASNT(hay, needle)                                                                         \
	cr_assert(!strstr((hay), (needle)), "unexpected <%s> in:\n%s", (needle), (hay))

/* The identity block must be intact: every value in its own field. */
static void assert_info_ok(const struct run *r)
{
	cr_assert_eq(r->rc, 0, "rc %d, stderr: %s\nstdout: %s", r->rc, r->err, r->out);
	HAS(r->out, "\tManufacturer: '" QSIM_MANUFACTURER "'\n");
	HAS(r->out, "\tModel: '" QSIM_MODEL "'\n");
	HAS(r->out, "\t   IMEI: '" QSIM_IMEI "'\n");
	HAS(r->out, "\tMSISDN: '" QSIM_MSISDN "'\n");
	HAS(r->out, "\tICCID: '" QSIM_ICCID "'\n");
	HAS(r->out, "\tIMSI: '" QSIM_IMSI "'\n");
	HAS(r->out, "\tMode: 'online'\n");
}

Test(faults, delay_within_the_timeout_works)
{
	struct run r = RUN("-d", "sim", "--timeout", "5", "--sim-fault", "delay=150", "info");

	assert_info_ok(&r);
	run_free(&r);
}

Test(faults, delay_beyond_the_timeout_is_exit_5)
{
	struct run r = RUN("-d", "sim", "--timeout", "0.1", "--sim-fault", "delay=400", "versions");

	cr_assert_eq(r.rc, QCLI_EXIT_TIMEOUT, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "no response from the modem within 0.100 s");
	run_free(&r);
}

Test(faults, drop_everything_is_a_timeout)
{
	struct run r = RUN("-d", "sim", "--timeout", "0.3", "--sim-fault", "drop", "info");

	cr_assert_eq(r.rc, QCLI_EXIT_TIMEOUT, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "error: couldn't allocate a dms client: no response from the modem");
	cr_assert_str_eq(r.out, "");
	run_free(&r);

	r = RUN_JSON("-d", "sim", "--timeout", "0.3", "--sim-fault", "drop", "signal");
	cr_assert_eq(r.rc, QCLI_EXIT_TIMEOUT);
	cr_assert(r.json, "not JSON: %s", r.out);
	cr_assert_str_eq(jq_str(r.json, "error.kind"), "timeout");
	cr_assert_eq(jq_get(r.json, "error.exit_code")->num, 5);
	run_free(&r);
}

Test(faults, one_dropped_response_in_a_batch_is_reported)
{
	/* Responses: 1 = DMS client, 2 = UIM client, then the batch; the 4th is lost. */
	struct run r = RUN("-d", "sim", "--timeout", "0.3", "--sim-fault", "drop-every=4", "info");

	cr_assert_eq(r.rc, QCLI_EXIT_TIMEOUT, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "no response from the modem");
	/* What did come back is still shown. */
	HAS(r.out, "\tManufacturer: '" QSIM_MANUFACTURER "'\n");
	run_free(&r);
}

Test(faults, sim_absent_info_still_shows_the_device)
{
	struct run r = RUN("-d", "sim", "--sim-fault", "sim-absent", "info");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "\t   IMEI: '" QSIM_IMEI "'\n");
	HAS(r.out, "\tManufacturer: '" QSIM_MANUFACTURER "'\n");
	HAS(r.out, "[sim] SIM card:\n\tCard state: 'absent'\n");
	HAS(r.out, "[sim] UIM ICCID not available: QMI error");
	HAS(r.out, "[sim] UIM IMSI not available: QMI error");
	HASNT(r.out, QSIM_ICCID);
	HASNT(r.out, QSIM_IMSI);
	run_free(&r);

	r = RUN_JSON("-d", "sim", "--sim-fault", "sim-absent", "info");
	cr_assert_eq(r.rc, 0);
	cr_assert(r.json, "not JSON: %s", r.out);
	cr_assert_str_eq(jq_str(r.json, "imei"), QSIM_IMEI);
	cr_assert_eq(jq_get(r.json, "iccid")->type, JQ_NULL);
	cr_assert_eq(jq_get(r.json, "imsi")->type, JQ_NULL);
	cr_assert_str_eq(jq_str(r.json, "sim.card_state"), "absent");
	cr_assert(!jq_get(r.json, "sim.present")->b);
	cr_assert(jq_get(r.json, "unavailable.iccid.error_code"), "%s", r.out);
	cr_assert(jq_str(r.json, "unavailable.imsi.error_name"), "%s", r.out);
	cr_assert_null(jq_get(r.json, "error"));
	run_free(&r);
}

Test(faults, sim_absent_status)
{
	struct run r = RUN_JSON("-d", "sim", "--sim-fault", "sim-absent", "status");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	cr_assert(r.json, "not JSON: %s", r.out);
	cr_assert_str_eq(jq_str(r.json, "sim.card_state"), "absent");
	cr_assert(jq_str(r.json, "registration.state"));
	cr_assert_neq(strcmp(jq_str(r.json, "registration.state"), "registered"), 0);
	run_free(&r);
}

Test(faults, registration_denied_shows_in_status)
{
	struct run r = RUN("-d", "sim", "--sim-fault", "reg-denied", "status");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "\tRegistration state: 'registration-denied'\n");
	HASNT(r.out, "\tRegistration state: 'registered'\n");
	run_free(&r);

	r = RUN_JSON("-d", "sim", "--sim-fault", "reg-denied", "status");
	cr_assert_eq(r.rc, 0);
	cr_assert(r.json, "not JSON: %s", r.out);
	cr_assert_str_eq(jq_str(r.json, "registration.state"), "registration-denied");
	run_free(&r);
}

Test(faults, malformed_frames_are_dropped_not_trusted)
{
	/* Every response has a wrong TLV length: nothing is believed, and when no valid answer
	 * follows the request fails as malformed (its header still names it), not as silence. */
	struct run r = RUN("-v", "-d", "sim", "--timeout", "1", "--sim-fault", "malformed",
			   "versions");

	cr_assert_eq(r.rc, QCLI_EXIT_DEVICE, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, ">>> ctl \"Get Version Info\"");
	HASNT(r.err, "<<< ctl \"Get Version Info\"");
	HAS(r.err, "error: couldn't get version info: the modem sent a malformed response");
	HASNT(r.err, "no response");
	cr_assert_str_eq(r.out, "");
	run_free(&r);

	/* One malformed response inside a batch: that request alone fails. */
	r = RUN("-d", "sim", "--timeout", "1", "--sim-fault", "malformed-every=5", "info");
	cr_assert_eq(r.rc, QCLI_EXIT_DEVICE, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "the modem sent a malformed response");
	HAS(r.out, "\tManufacturer: '" QSIM_MANUFACTURER "'\n");
	run_free(&r);
}

Test(faults, zero_length_responses_are_harmless)
{
	struct run r = RUN("-d", "sim", "--sim-fault", "zero-length", "info");

	assert_info_ok(&r);
	run_free(&r);
}

Test(faults, duplicate_notifications_are_harmless)
{
	struct run r = RUN("-d", "sim", "--sim-fault", "dup-notify", "info");

	assert_info_ok(&r);
	run_free(&r);
	r = RUN("-d", "sim", "--sim-fault", "dup-notify,zero-length", "status");
	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "\tRegistration state: 'registered'\n");
	run_free(&r);
}

Test(faults, out_of_order_responses_land_in_the_right_fields)
{
	/* info: responses 1-2 are the client allocations, 3-11 the batch of nine requests.
	 * Every third is held back until the next one has gone out. */
	struct run r = RUN("-d", "sim", "--timeout", "5", "--sim-fault", "out-of-order-every=3",
			   "info");

	assert_info_ok(&r);
	/* The client ids were released too (those answers can be held back as well). */
	cr_assert_str_eq(r.err, "");
	run_free(&r);
	r = RUN_JSON("-d", "sim", "--timeout", "5", "--sim-fault", "out-of-order-every=4", "info");
	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	cr_assert(r.json, "not JSON: %s", r.out);
	cr_assert_str_eq(jq_str(r.json, "manufacturer"), QSIM_MANUFACTURER);
	cr_assert_str_eq(jq_str(r.json, "model"), QSIM_MODEL);
	cr_assert_str_eq(jq_str(r.json, "imei"), QSIM_IMEI);
	cr_assert_str_eq(jq_str(r.json, "iccid"), QSIM_ICCID);
	cr_assert_str_eq(jq_str(r.json, "imsi"), QSIM_IMSI);
	cr_assert_str_eq(jq_str(r.json, "msisdn"), QSIM_MSISDN);
	run_free(&r);
}

Test(faults, combined_knobs)
{
	struct run r = RUN("-d", "sim", "--timeout", "5", "--sim-fault",
			   "delay=20,dup-notify,zero-length-every=2,out-of-order-every=5", "info");

	assert_info_ok(&r);
	run_free(&r);
}
