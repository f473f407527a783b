/* SPDX-License-Identifier: MIT */
/*
 * Every subcommand against the built-in sim, through the same entry point as the binary
 * (qcli_main), human and JSON output, and the usage errors.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "cli_run.h"
#include "qmi/device.h"
#include "sim/sim.h"

#define HAS(hay, needle) cr_assert(strstr((hay), (needle)), "missing <%s> in:\n%s", (needle), (hay))
#define HASNT(hay, needle)                                                                         \
	cr_assert(!strstr((hay), (needle)), "unexpected <%s> in:\n%s", (needle), (hay))

static void assert_json(const struct run *r)
{
	cr_assert(r->json, "stdout is not one JSON value (%s):\n%s", r->why ? r->why : "?", r->out);
	cr_assert_eq(r->json->type, JQ_OBJ);
}

static void assert_jstr(const struct run *r, const char *path, const char *want)
{
	const char *got = jq_str(r->json, path);

	cr_assert(got, "no string at %s in %s", path, r->out);
	cr_assert_str_eq(got, want, "%s: got '%s', want '%s'", path, got, want);
}

static double jnum(const struct run *r, const char *path)
{
	double v = 0;

	cr_assert(jq_num(r->json, path, &v), "no number at %s in %s", path, r->out);
	return v;
}

/* ---- info ---- */

Test(info, human_has_every_identity)
{
	struct run r = RUN("-d", "sim", "info");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out,
	    "[sim] Device manufacturer retrieved:\n\tManufacturer: '" QSIM_MANUFACTURER "'\n");
	HAS(r.out, "[sim] Device model retrieved:\n\tModel: '" QSIM_MODEL "'\n");
	HAS(r.out, "[sim] Device revision retrieved:\n\tRevision: '");
	HAS(r.out, "[sim] Device IDs retrieved:\n"
		   "\t    ESN: '" QSIM_ESN "'\n"
		   "\t   IMEI: '" QSIM_IMEI "'\n"
		   "\t   MEID: '" QSIM_MEID "'\n"
		   "\tIMEI SV: '" QSIM_IMEI_SV "'\n");
	HAS(r.out, "[sim] SIM card:\n\tCard state: 'present'\n");
	HAS(r.out, "[sim] Device MSISDN retrieved:\n\tMSISDN: '" QSIM_MSISDN "'\n");
	HAS(r.out, "[sim] UIM ICCID retrieved:\n\tICCID: '" QSIM_ICCID "'\n");
	HAS(r.out, "[sim] UIM IMSI retrieved:\n\tIMSI: '" QSIM_IMSI "'\n");
	HAS(r.out, "[sim] Operating mode retrieved:\n\tMode: 'online'\n\tHW restricted: 'no'\n");
	cr_assert_str_eq(r.err, "");
	run_free(&r);
}

Test(info, json_keys_and_values)
{
	struct run r = RUN_JSON("-d", "sim", "info");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	assert_json(&r);
	assert_jstr(&r, "command", "info");
	assert_jstr(&r, "device", "sim");
	assert_jstr(&r, "manufacturer", QSIM_MANUFACTURER);
	assert_jstr(&r, "model", QSIM_MODEL);
	assert_jstr(&r, "esn", QSIM_ESN);
	assert_jstr(&r, "imei", QSIM_IMEI);
	assert_jstr(&r, "meid", QSIM_MEID);
	assert_jstr(&r, "imei_sv", QSIM_IMEI_SV);
	assert_jstr(&r, "msisdn", QSIM_MSISDN);
	assert_jstr(&r, "iccid", QSIM_ICCID);
	assert_jstr(&r, "imsi", QSIM_IMSI);
	assert_jstr(&r, "sim.card_state", "present");
	cr_assert(jq_get(r.json, "sim.present")->b);
	assert_jstr(&r, "operating_mode.mode", "online");
	cr_assert_eq(jq_get(r.json, "unavailable")->n, 0);
	cr_assert_null(jq_get(r.json, "error"));
	cr_assert(jq_str(r.json, "revision"));
	run_free(&r);
}

/* ---- signal ---- */

Test(signal, human_layout)
{
	struct run r = RUN("-d", "sim", "signal");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "[sim] Successfully got signal info\n");
	HAS(r.out, "LTE:\n\tRSSI: '");
	HAS(r.out, " dBm'\n\tRSRQ: '");
	HAS(r.out, "\tSNR: '");
	HAS(r.out, "[sim] Successfully got signal strength\nCurrent:\n\tNetwork 'lte': '");
	run_free(&r);
}

Test(signal, json_numbers)
{
	struct run r = RUN_JSON("-d", "sim", "signal");
	double rssi, rsrp, dbm;

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	assert_json(&r);
	assert_jstr(&r, "command", "signal");
	rssi = jnum(&r, "signal_info.lte.rssi");
	rsrp = jnum(&r, "signal_info.lte.rsrp");
	cr_assert(rssi < 0 && rssi > -130, "rssi %f", rssi);
	cr_assert(rsrp < 0 && rsrp > -160, "rsrp %f", rsrp);
	jnum(&r, "signal_info.lte.snr");
	assert_jstr(&r, "signal_strength.current.radio", "lte");
	dbm = jnum(&r, "signal_strength.current.dbm");
	cr_assert(dbm < 0, "dbm %f", dbm);
	run_free(&r);
}

/* ---- status ---- */

Test(status, human_layout)
{
	struct run r = RUN("-d", "sim", "status");
	char line[128];

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "[sim] Successfully got card status\n");
	HAS(r.out, "Slot [1]:\n\tCard state: 'present'\n");
	HAS(r.out, "[sim] Successfully got serving system:\n\tRegistration state: 'registered'\n");
	HAS(r.out, "\tPS: 'attached'\n");
	HAS(r.out, "\t\t[0]: 'lte'\n");
	/* MCC 001, MNC 01: the digits are kept, a two-digit MNC stays two digits. */
	HAS(r.out,
	    "\tCurrent PLMN:\n\t\tMCC: '001'\n\t\tMNC: '01'\n\t\tDescription: '" QSIM_NETWORK_NAME
	    "'\n");
	snprintf(line, sizeof(line), "\tLTE tracking area code: '%u'\n", QSIM_LTE_TAC);
	HAS(r.out, line);
	snprintf(line, sizeof(line), "\t3GPP cell ID: '%u'\n", QSIM_LTE_CELL_ID);
	HAS(r.out, line);
	HAS(r.out, "[sim] Connection status: 'disconnected'\n");
	run_free(&r);
}

Test(status, json_keys)
{
	struct run r = RUN_JSON("-d", "sim", "status");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	assert_json(&r);
	assert_jstr(&r, "sim.card_state", "present");
	assert_jstr(&r, "sim.applications.0.state", "ready");
	assert_jstr(&r, "registration.state", "registered");
	assert_jstr(&r, "registration.ps", "attached");
	assert_jstr(&r, "registration.radio_interfaces.0", "lte");
	/* Strings keeping the leading zeros (the test network is 001/01). */
	assert_jstr(&r, "registration.mcc", "001");
	assert_jstr(&r, "registration.mnc", "01");
	cr_assert_eq(jnum(&r, "registration.tac"), QSIM_LTE_TAC);
	cr_assert_eq(jnum(&r, "registration.cell_id"), QSIM_LTE_CELL_ID);
	assert_jstr(&r, "registration.description", QSIM_NETWORK_NAME);
	assert_jstr(&r, "packet_service.status", "disconnected");
	run_free(&r);
}

/* ---- versions ---- */

Test(versions, human_and_json)
{
	struct run r = RUN("-d", "sim", "versions");
	const struct jq *svcs;
	bool dms = false;

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "[sim] Supported versions:\n");
	HAS(r.out, "\tctl (");
	HAS(r.out, "\tdms (");
	HAS(r.out, "\tnas (");
	HAS(r.out, "\twds (");
	run_free(&r);

	r = RUN_JSON("-d", "sim", "versions");
	cr_assert_eq(r.rc, 0);
	assert_json(&r);
	svcs = jq_get(r.json, "services");
	cr_assert(svcs && svcs->type == JQ_ARR && svcs->n >= 4, "%s", r.out);
	for (size_t i = 0; i < svcs->n; i++) {
		const char *n = jq_str(&svcs->kids[i], "service");

		if (n && !strcmp(n, "dms")) {
			dms = true;
			cr_assert_eq(jq_get(&svcs->kids[i], "service_id")->num, 2);
		}
	}
	cr_assert(dms, "no dms in %s", r.out);
	run_free(&r);
}

/* ---- raw ---- */

Test(raw, known_message)
{
	struct run r = RUN("-d", "sim", "raw", "dms", "0x25");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "[sim] Response received:\n");
	HAS(r.out, QSIM_IMEI);
	HAS(r.out, QSIM_ESN);
	run_free(&r);

	r = RUN_JSON("-d", "sim", "raw", "dms", "37");
	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	assert_json(&r);
	assert_jstr(&r, "request.service", "dms");
	cr_assert_eq(jnum(&r, "request.message_id"), 0x25);
	cr_assert_eq(jnum(&r, "response.message_id"), 0x25);
	cr_assert_eq(jnum(&r, "result.status_code"), 0);
	HAS(r.out, QSIM_IMEI);
	run_free(&r);
}

Test(raw, with_tlvs_spaced_and_packed)
{
	/* NAS Get Signal Strength with Request Mask 0x00EF, TLVs written two ways. */
	struct run r = RUN("-d", "sim", "raw", "nas", "0x0020", "10 02 00 ef 00");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "[sim] Response received:\n");
	run_free(&r);
	r = RUN("-d", "sim", "raw", "3", "0x20", "100200", "ef00");
	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	run_free(&r);
}

Test(raw, ctl_without_client)
{
	struct run r = RUN_JSON("-d", "sim", "raw", "ctl", "0x21");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	assert_json(&r);
	assert_jstr(&r, "response.service", "ctl");
	cr_assert_eq(jnum(&r, "response.client_id"), 0);
	run_free(&r);
}

Test(raw, unknown_message_is_a_qmi_error)
{
	struct run r = RUN("-d", "sim", "raw", "dms", "0x7777");

	cr_assert_eq(r.rc, QCLI_EXIT_QMI, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "[sim] Response received:\n");
	HAS(r.err, "error: dms message 0x7777: QMI error 71 (InvalidQmiCommand)\n");
	run_free(&r);

	r = RUN_JSON("-d", "sim", "raw", "dms", "0x7777");
	cr_assert_eq(r.rc, QCLI_EXIT_QMI);
	assert_json(&r);
	cr_assert_eq(jnum(&r, "result.error_code"), 71);
	assert_jstr(&r, "result.error_name", "InvalidQmiCommand");
	assert_jstr(&r, "error.kind", "qmi");
	cr_assert_eq(jnum(&r, "error.qmi_error.error_code"), 71);
	run_free(&r);
}

Test(raw, usage_errors)
{
	static const char *const bad[][4] = {
		{ "raw", "dms", NULL, NULL },            /* no message id */
		{ "raw", "bogus", "0x25", NULL },        /* unknown service */
		{ "raw", "dms", "0x10000", NULL },       /* id too big */
		{ "raw", "dms", "25x", NULL },           /* not a number */
		{ "raw", "dms", "0x25", "0 1" },         /* separator inside a byte */
		{ "raw", "dms", "0x25", "010" },         /* odd digit count */
		{ "raw", "dms", "0x25", "zz" },          /* not hex */
		{ "raw", "dms", "0x25", "01 05 00 01" }, /* TLV length runs past the end */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run r = run_argv((const char *[]){ "qmiusb", "-d", "sim", bad[i][0],
							  bad[i][1], bad[i][2], bad[i][3], NULL },
					0);

		cr_assert_eq(r.rc, QCLI_EXIT_USAGE, "case %zu: rc %d (%s)", i, r.rc, r.err);
		HAS(r.err, "qmiusb: raw");
		HAS(r.err, "Try 'qmiusb raw --help'");
		cr_assert_str_eq(r.out, "");
		run_free(&r);
	}
}

/* ---- usage, help, version ---- */

Test(usage, errors_exit_2_with_a_message)
{
	static const char *const bad[][4] = {
		{ NULL },                   /* no command */
		{ "frobnicate", NULL },     /* unknown command */
		{ "--frob", "info", NULL }, /* unknown option */
		{ "-x", "info", NULL },     /* unknown short option */
		{ "--timeout", "abc", "info", NULL },
		{ "--timeout", "0", "info", NULL },
		{ "--timeout", NULL }, /* missing value */
		{ "--sim-fault", "bogus=1", "info", NULL },
		{ "-d", "usb", "--sim-fault", "drop" }, /* faults only on the sim */
		{ "--client-cid", "0", "info", NULL },
		{ "--client-cid", "300", "info", NULL },
		{ "--json=yes", "info", NULL },     /* a flag with a value */
		{ "-d", "sim", "info", "extra" },   /* operand to a command without any */
		{ "-d", "sim", "info", "--bogus" }, /* unknown command option */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* run_argv stops at the first NULL. */
		struct run r = run_argv((const char *[]){ "qmiusb", bad[i][0], bad[i][1], bad[i][2],
							  bad[i][3], NULL },
					0);

		cr_assert_eq(r.rc, QCLI_EXIT_USAGE, "case %zu: rc %d (%s)", i, r.rc, r.err);
		HAS(r.err, "qmiusb: ");
		HAS(r.err, "Try 'qmiusb ");
		cr_assert_str_eq(r.out, "", "case %zu wrote to stdout: %s", i, r.out);
		run_free(&r);
	}
}

Test(usage, a_malformed_device_is_the_users_error)
{
	static const char *const bad[] = { "bogus", "usb:zz", "usb:2c7c", "usb:serial=" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run r = run_argv((const char *[]){ "qmiusb", "-d", bad[i], "info", NULL },
					0);

		cr_assert_eq(r.rc, QCLI_EXIT_USAGE, "-d %s: rc %d (%s)", bad[i], r.rc, r.err);
		HAS(r.err, bad[i]);
		run_free(&r);
	}
}

Test(usage, unknown_command_is_named)
{
	struct run r = RUN("frobnicate");

	cr_assert_eq(r.rc, 2);
	HAS(r.err, "unknown command 'frobnicate'");
	run_free(&r);
	r = RUN("--frob", "info");
	HAS(r.err, "unknown option '--frob'");
	run_free(&r);
}

Test(usage, json_mode_still_prints_one_object)
{
	struct run r = RUN_JSON("frobnicate");

	cr_assert_eq(r.rc, 2);
	assert_json(&r);
	assert_jstr(&r, "error.kind", "usage");
	cr_assert_eq(jnum(&r, "error.exit_code"), 2);
	run_free(&r);
}

Test(help, global_and_version)
{
	struct run r = RUN("--help");

	cr_assert_eq(r.rc, 0);
	HAS(r.out, "Usage: qmiusb [OPTIONS] COMMAND");
	HAS(r.out, "--timeout SECONDS");
	HAS(r.out, "  info ");
	HAS(r.out, "  raw ");
	HAS(r.out, "Exit codes:");
	run_free(&r);
	r = RUN("-V");
	cr_assert_eq(r.rc, 0);
	HAS(r.out, "qmiusb " QMIUSB_VERSION);
	run_free(&r);
}

Test(help, every_command)
{
	size_t n;
	const struct qcli_command *c = qcli_commands(&n);

	cr_assert_geq(n, 5);
	for (size_t i = 0; i < n; i++) {
		char want[64];
		struct run r = run_argv((const char *[]){ "qmiusb", c[i].name, "--help", NULL }, 0);

		cr_assert_eq(r.rc, 0, "%s --help: rc %d", c[i].name, r.rc);
		/* Commands with their own help word the synopsis their way. */
		if (c[i].own_help)
			snprintf(want, sizeof(want), " %s ", c[i].name);
		else
			snprintf(want, sizeof(want), "Usage: qmiusb [OPTIONS] %s", c[i].name);
		HAS(r.out, "Usage: qmiusb");
		HAS(r.out, want);
		run_free(&r);
		/* -h works too, and so does help among other arguments. */
		r = run_argv((const char *[]){ "qmiusb", "-d", "sim", c[i].name, "-h", NULL }, 0);
		cr_assert_eq(r.rc, 0);
		HAS(r.out, want);
		run_free(&r);
	}
}

/* ---- device selection and client ids ---- */

Test(device, no_device_falls_back_to_the_sim_with_a_note)
{
	struct run r = RUN("info");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "no QMI modem found; using the built-in software modem (-d sim)\n");
	HAS(r.out, "[sim] Device IDs retrieved:");
	run_free(&r);
}

Test(device, sim_fault_selects_the_sim)
{
	struct run r = RUN("--sim-fault", "delay=1", "versions");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HASNT(r.err, "no QMI modem found");
	run_free(&r);
}

Test(clients, no_release_prints_qmicli_block)
{
	struct run r = RUN("-d", "sim", "--client-no-release-cid", "signal");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.out, "[sim] Client ID not released:\n\tService: 'nas'\n\t    CID: '1'\n");
	run_free(&r);

	r = RUN_JSON("-d", "sim", "--client-no-release-cid", "signal");
	cr_assert_eq(r.rc, 0);
	assert_json(&r);
	assert_jstr(&r, "client_ids_not_released.0.service", "nas");
	cr_assert_eq(jnum(&r, "client_ids_not_released.0.client_id"), 1);
	run_free(&r);
}

Test(clients, reused_cid_unknown_to_the_modem)
{
	/* A fresh sim has no client 7: the modem refuses, and the error reaches the user. */
	struct run r = RUN("-d", "sim", "--client-cid", "7", "signal");

	cr_assert_eq(r.rc, QCLI_EXIT_QMI, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "QMI error 7 (InvalidClientId)");
	run_free(&r);
}

Test(clients, exhausted_is_a_qmi_error)
{
	/* Library level: another client holds the only DMS client id the modem has. */
	struct qcli cli;
	char *out = NULL, *err = NULL;
	size_t ol = 0, el = 0;
	FILE *o = open_memstream(&out, &ol), *e = open_memstream(&err, &el);
	struct qmi_result res = { 0 };
	char name[] = "info";
	char *argv[] = { name, NULL };
	uint8_t other = 0;
	int rc;

	qcli_init(&cli, o, e);
	cli.device = "sim";
	cr_assert_eq(qsim_faults_parse(&cli.faults, "cid-limit=1", NULL, 0), 0);
	cr_assert_eq(qcli_session_open(&cli), 0);
	cr_assert_eq(qmi_dev_alloc_cid(cli.dev, QMI_SVC_DMS, &other, &res), 0);
	rc = qcli_cmd_info(&cli, 1, argv);
	qcli_session_close(&cli);
	fclose(o);
	fclose(e);
	cr_assert_eq(rc, QCLI_EXIT_QMI, "rc %d: %s", rc, err);
	HAS(err, "error: couldn't allocate a dms client: QMI error 5 (ClientIdsExhausted)\n");
	free(out);
	free(err);
}

Test(verbose, traces_every_message)
{
	struct run r = RUN("-v", "-d", "sim", "info");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, ">>>");
	HAS(r.err, "<<<");
	HAS(r.err, "Get IDs");
	HAS(r.err, "Allocate CID");
	HAS(r.err, "Release CID");
	run_free(&r);
}

Test(verbose, hides_the_imei_unless_full)
{
	struct run r = RUN("-v", "-d", "sim", "info");

	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "[0x11] IMEI: ### (personal)");
	HASNT(r.err, QSIM_IMEI);
	HAS(r.out, QSIM_IMEI); /* the user asked for it: the command's own output keeps it */
	run_free(&r);

	r = RUN("--verbose-full", "-d", "sim", "info");
	cr_assert_eq(r.rc, 0, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "[0x11] IMEI: \"" QSIM_IMEI "\"");
	run_free(&r);
}

/* ---- backends that are not the sim ---- */

Test(device, usb_without_a_modem_is_a_device_error)
{
	/* No QMI modem on the test machines: whatever the USB backend says, it is exit 3. */
	struct run r = RUN("-d", "usb", "info");

	cr_assert_eq(r.rc, QCLI_EXIT_DEVICE, "rc %d, stderr: %s", r.rc, r.err);
	HAS(r.err, "error: couldn't open usb: ");
	cr_assert_str_eq(r.out, "");
	run_free(&r);
}

Test(device, proxy_mode_goes_to_the_proxy)
{
	/* -p never falls back to a direct open: a device that does not exist behind the proxy
	 * is a device error (or a timeout, if a proxy waits for it). */
	struct run r = RUN_JSON("-p", "-d", "/dev/cdc-wdm-none", "--timeout", "1", "info");

	cr_assert(r.rc == QCLI_EXIT_DEVICE || r.rc == QCLI_EXIT_TIMEOUT, "rc %d, stderr: %s", r.rc,
		  r.err);
	cr_assert(r.json, "not JSON: %s", r.out);
	cr_assert(jq_str(r.json, "error.kind"));
	cr_assert_null(jq_get(r.json, "imei"));
	run_free(&r);
}

/* ---- how failures are worded ---- */

Test(report, words_and_codes)
{
	struct qcli cli;
	char *err = NULL;
	size_t el = 0;
	FILE *e = open_memstream(&err, &el);
	struct qmi_result qe = { .status = 1, .error = 5 };

	qcli_init(&cli, stdout, e);
	cr_assert_eq(qcli_report(&cli, "couldn't get IDs", 0, &qe), QCLI_EXIT_QMI);
	cr_assert_eq(qcli_report(&cli, "couldn't get IDs", -ENODEV, NULL), QCLI_EXIT_UNPLUGGED);
	cr_assert_eq(qcli_report(&cli, "couldn't get IDs", -ETIMEDOUT, NULL), QCLI_EXIT_TIMEOUT);
	cr_assert_eq(qcli_report(&cli, "couldn't get IDs", -EPIPE, NULL), QCLI_EXIT_DEVICE);
	qe.error = 9999;
	cr_assert_eq(qcli_report(&cli, "x", 0, &qe), QCLI_EXIT_QMI);
	fclose(e);
	HAS(err, "error: couldn't get IDs: QMI error 5 (ClientIdsExhausted)\n");
	HAS(err, "error: couldn't get IDs: the device was unplugged\n");
	HAS(err, "error: couldn't get IDs: no response from the modem within 10.000 s\n");
	HAS(err, "error: x: QMI error 9999 (unknown)\n");
	/* The first failure is the one JSON reports. */
	cr_assert_eq(cli.error.exit_code, QCLI_EXIT_QMI);
	cr_assert(cli.error.has_qmi);
	cr_assert_eq(cli.error.qmi_error, 5);
	free(err);
}
