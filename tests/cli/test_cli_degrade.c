/* SPDX-License-Identifier: MIT */
/*
 * Commands degrade by section: a modem that refuses some of a command's queries (old firmware,
 * proxies, no SIM) still gets every section it answered printed, each refusal named, and exit 0
 * as long as the primary query was answered. The software modem refuses on demand
 * (--sim-fault refuse=SVC:MSG).
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "cli/cli.h"
#include "cli_run.h"
#include "sim/sim.h"

#define HAS(hay, needle) cr_assert(strstr((hay), (needle)), "missing <%s> in:\n%s", (needle), (hay))
#define HASNT(hay, needle)                                                                         \
	cr_assert(!strstr((hay), (needle)), "unexpected <%s> in:\n%s", (needle), (hay))

/* DMS Get Model 0x0022, Get Operating Mode 0x002D: refused, the rest shown, exit 0. */
Test(degrade, info_names_each_refusal)
{
	struct run r = RUN("-d", "sim", "--sim-fault", "refuse=dms:0x22,refuse=dms:0x2d", "info");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "[sim] Device model not available: QMI error 94 (NotSupported)\n");
	HAS(r.out, "[sim] Operating mode not available: QMI error 94 (NotSupported)\n");
	HAS(r.out, "\tManufacturer: '" QSIM_MANUFACTURER "'\n");
	HAS(r.out, "\t   IMEI: '" QSIM_IMEI "'\n");
	HASNT(r.out, QSIM_MODEL);
	run_free(&r);

	r = RUN_JSON("-d", "sim", "--sim-fault", "refuse=dms:0x22,refuse=dms:0x2d", "info");
	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.out);
	cr_assert(r.json, "not JSON: %s", r.out);
	cr_assert_eq(jq_get(r.json, "model")->type, JQ_NULL);
	cr_assert_str_eq(jq_str(r.json, "imei"), QSIM_IMEI);
	cr_assert_eq(jq_get(r.json, "operating_mode")->type, JQ_NULL);
	cr_assert_str_eq(jq_str(r.json, "unavailable.model.error_name"), "NotSupported");
	cr_assert_str_eq(jq_str(r.json, "unavailable.operating_mode.error_name"), "NotSupported");
	cr_assert_null(jq_get(r.json, "error"));
	run_free(&r);
}

/* The primary query, DMS Get IDs (0x0025), refused: everything else still printed, exit 4. */
Test(degrade, info_fails_when_the_primary_query_is_refused)
{
	struct run r = RUN("-d", "sim", "--sim-fault", "refuse=dms:0x25", "info");

	cr_assert_eq(r.rc, QCLI_EXIT_QMI, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "[sim] Device IDs not available: QMI error 94 (NotSupported)\n");
	HAS(r.out, "\tModel: '" QSIM_MODEL "'\n");
	HAS(r.err, "couldn't get IDs: QMI error 94 (NotSupported)");
	run_free(&r);
}

/* Old firmware without NAS Get Signal Info (0x004F): the strength section alone, exit 0. */
Test(degrade, signal_without_signal_info)
{
	struct run r = RUN("-d", "sim", "--sim-fault", "refuse=nas:0x4f", "signal");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "[sim] Signal info not available: QMI error 94 (NotSupported)\n");
	HAS(r.out, "[sim] Successfully got signal strength\n");
	run_free(&r);

	r = RUN_JSON("-d", "sim", "--sim-fault", "refuse=nas:0x4f", "signal");
	cr_assert_eq(r.rc, 0);
	cr_assert(r.json, "not JSON: %s", r.out);
	cr_assert_str_eq(jq_str(r.json, "unavailable.signal_info.error_name"), "NotSupported");
	cr_assert_null(jq_get(r.json, "signal_info"));
	cr_assert_not_null(jq_get(r.json, "signal_strength"), "%s", r.out);
	run_free(&r);
}

/* `versions` is CTL Get Version Info itself: a refusal is reported by name. */
Test(degrade, versions_reports_the_refusal)
{
	struct run r = RUN("-d", "sim", "--sim-fault", "refuse=ctl:0x21", "versions");

	cr_assert_eq(r.rc, QCLI_EXIT_QMI, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "couldn't get version info: QMI error 94 (NotSupported)");
	run_free(&r);
}

/* A knob that names no message is the user's mistake. */
Test(degrade, refuse_knob_syntax)
{
	struct qsim_faults f;
	char err[128];

	cr_assert_eq(qsim_faults_parse(&f, "refuse=nas:0x4f,refuse=2:37", err, sizeof(err)), 0);
	cr_assert_eq(f.n_refuse, 2);
	cr_assert_eq(f.refuse[0].svc, QMI_SVC_NAS);
	cr_assert_eq(f.refuse[0].msg_id, 0x4f);
	cr_assert_eq(f.refuse[1].svc, QMI_SVC_DMS);
	cr_assert_eq(f.refuse[1].msg_id, 37);
	cr_assert_eq(qsim_faults_parse(&f, "refuse=nas", err, sizeof(err)), -EINVAL);
	cr_assert_eq(qsim_faults_parse(&f, "refuse=bogus:1", err, sizeof(err)), -EINVAL);
	cr_assert_eq(qsim_faults_parse(&f, "refuse=nas:0x10000", err, sizeof(err)), -EINVAL);
}

/* WDS Get Packet Service Status (0x0022) refused, as without a SIM on some firmware: the SIM
 * and the serving network still shown, the refusal named, exit 0. */
Test(degrade, status_without_packet_service)
{
	struct run r = RUN("-d", "sim", "--sim-fault", "refuse=wds:0x22", "status");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "[sim] Successfully got card status\n");
	HAS(r.out, "[sim] Successfully got serving system:\n");
	HAS(r.out, "[sim] Connection status not available: QMI error 94 (NotSupported)\n");
	run_free(&r);

	r = RUN_JSON("-d", "sim", "--sim-fault", "refuse=wds:0x22", "status");
	cr_assert_eq(r.rc, 0, "rc %d: %s", r.rc, r.out);
	cr_assert(r.json, "not JSON: %s", r.out);
	cr_assert_eq(jq_get(r.json, "packet_service")->type, JQ_NULL);
	cr_assert_str_eq(jq_str(r.json, "unavailable.packet_service.error_name"), "NotSupported");
	cr_assert_str_eq(jq_str(r.json, "registration.mnc"), "01");
	run_free(&r);
}

/* NAS Get Serving System (0x0024) is status's primary query: its refusal fails the command. */
Test(degrade, status_fails_without_serving_system)
{
	struct run r = RUN("-d", "sim", "--sim-fault", "refuse=nas:0x24", "status");

	cr_assert_eq(r.rc, QCLI_EXIT_QMI, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "couldn't get serving system: QMI error 94 (NotSupported)");
	run_free(&r);
}

/* Human output: an enum value no table names prints as its number, and a modem's string never
 * reaches the terminal with its control bytes (escaped as JSON escapes it). */
Test(degrade, unknown_values_and_hostile_strings_on_the_terminal)
{
	char buf[QCLI_ESC_MAX], small[8];

	cr_assert_str_eq(QCLI_ENUM(NULL, 66), "66");
	cr_assert_str_eq(QCLI_ENUM(NULL, -1), "-1");
	cr_assert_str_eq(QCLI_ENUM("registered", 1), "registered");
	cr_assert_str_eq(qcli_esc("Op\x1b[2J\xff\"", buf, sizeof(buf)), "Op\\u001b[2J\\u00ff\\\"");
	/* Cut short, still terminated, still escaped. */
	cr_assert_str_eq(qcli_esc("\x1b\x1b\x1b", small, sizeof(small)), "\\u001b");
}
