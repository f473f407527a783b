/* SPDX-License-Identifier: MIT */
/* The subcommand table and the help texts. A new subcommand is one row here plus its file. */
#include <string.h>

#include "cli/cli.h"
#include "cli/online.h"
#include "cli/optparse.h"

static const struct qcli_command commands[] = {
	{
		.name = "info",
		.run = qcli_cmd_info,
		.summary =
			"manufacturer, model, revision, IDs, MSISDN, ICCID, IMSI, operating mode",
		.help = "Shows the modem's identity: manufacturer, model, firmware revision, ESN/IMEI/MEID/\n"
			"IMEI SV (DMS Get IDs), MSISDN, ICCID, IMSI, the SIM card state and the operating\n"
			"mode. Values that need a SIM (MSISDN, ICCID, IMSI) are reported as unavailable,\n"
			"with the modem's error on stderr, when there is no usable SIM; that is not a failure.\n"
			"\n"
			"JSON keys: manufacturer, model, revision, esn, imei, meid, imei_sv, msisdn, iccid,\n"
			"imsi (string, or null when not available), sim {card_state, present} or null,\n"
			"operating_mode {mode, offline_reason, hw_restricted} or null,\n"
			"unavailable {sim|msisdn|iccid|imsi: {error_code, error_name}} (the modem's\n"
			"refusals).\n",
		.primary_svc = 0x02,
	},
	{
		.name = "signal",
		.run = qcli_cmd_signal,
		.summary = "signal quality per radio (NAS Get Signal Info and Get Signal Strength)",
		.help = "Shows the signal per radio interface (NAS Get Signal Info: RSSI, ECIO, RSRQ, RSRP,\n"
			"SNR, ...) and NAS Get Signal Strength, in qmicli's layout.\n"
			"\n"
			"JSON keys: signal_info {cdma {rssi, ecio}, hdr {rssi, ecio, io, sinr_level, sinr},\n"
			"gsm {rssi}, wcdma {rssi, ecio, rscp}, lte {rssi, rsrq, rsrp, snr}, tdma {rscp,\n"
			"ext_rssi, ext_rscp, ext_ecio, ext_sinr}, 5g {rsrp, snr, rsrq}} (radios present only),\n"
			"signal_strength {current {radio, dbm}, other|rssi_list|ecio_list [{radio, dbm}], io,\n"
			"sinr_level, sinr, rsrq_radio {radio, db}, lte_snr, lte_rsrp},\n"
			"unavailable {signal_info|signal_strength: {error_code, error_name}}.\n"
			"Values are numbers in dBm/dB; ecio, snr and sinr have one decimal.\n",
		.primary_svc = 0x03,
	},
	{
		.name = "status",
		.run = qcli_cmd_status,
		.summary = "SIM, registration, serving network and packet service status",
		.help = "Shows the SIM card status (UIM Get Card Status), the registration state and the\n"
			"serving network (NAS Get Serving System: MCC/MNC, description, radio interfaces,\n"
			"LAC, cell id, TAC) and the packet service status (WDS), plus a running\n"
			"connection's state when there is one.\n"
			"\n"
			"JSON keys: sim {card_state, present, upin_state, applications [{type, state, aid,\n"
			"pin1_state, pin1_retries, puk1_retries}]} or null, registration {state, cs, ps,\n"
			"selected_network, radio_interfaces [..], roaming, mcc, mnc (strings: \"001\"),\n"
			"description, lac, cell_id, tac} (members present when the modem reports them),\n"
			"packet_service {status}, unavailable {sim: {error_code, error_name}},\n"
			"connection {pid, state, interface, ipv4|ipv6 {address, prefix, gateway}, mtu,\n"
			"uptime_s, data_path, last, counters} or null.\n",
		.primary_svc = 0x01,
	},
	{
		.name = "versions",
		.run = qcli_cmd_versions,
		.summary =
			"the QMI services and versions the modem supports (CTL Get Version Info)",
		.help = "Lists the services the modem supports with their versions, as qmicli\n"
			"--get-service-version-info does.\n"
			"\n"
			"JSON keys: services [{service (name or null), service_id, major, minor}].\n",
		.primary_svc = 0xFF,
	},
	{
		.name = "raw",
		.run = qcli_cmd_raw,
		.args = "SERVICE MSGID [TLVHEX...]",
		.summary = "send any QMI request and print the decoded response",
		.help = "Sends one request and prints the decoded response. SERVICE is a name (ctl, wds,\n"
			"dms, nas, uim, wda, ...) or a number; MSGID is decimal or 0x-hex; TLVHEX are the\n"
			"request's TLVs as hex bytes, spaces optional: \"10 01 00 01\" or \"100100 01\".\n"
			"A client id is allocated for non-CTL services and released afterwards\n"
			"(see --client-cid / --client-no-release-cid). A response with a QMI error is\n"
			"printed and exits with 4.\n"
			"\n"
			"Example: qmiusb -d sim raw dms 0x25\n"
			"\n"
			"JSON keys: request {service, service_id, message_id, message_name, tlvs}, response\n"
			"(the decoded message object), result {status_code, error_code, error_name}.\n",
		.primary_svc = 0xFE, /* the SERVICE argument: resolved by the command */
	},
	{
		.name = "pin",
		.run = qcli_cmd_pin,
		.args = "status | verify PIN | unblock PUK NEWPIN | change OLD NEW | enable PIN | disable PIN",
		.summary = "the SIM PIN: state and retries, verify, unblock, change, protection",
		.help = "Shows PIN1's state and remaining tries (UIM Get Card Status), or verifies, unblocks\n"
			"(with the PUK), changes, enables or disables it (UIM Verify/Unblock/Change PIN, Set\n"
			"PIN Protection). A modem without UIM is asked through DMS UIM Get PIN Status and\n"
			"UIM Verify PIN instead. Codes are never printed. A wrong code exits with 4 and\n"
			"prints the tries left.\n"
			"\n"
			"JSON keys: operation, source (uim or dms) and pin1 {state, verify_retries,\n"
			"unblock_retries} for status; result for the others; retries {verify, unblock}\n"
			"when the modem refused a code.\n",
		.primary_svc = 0x0B,
	},
	{
		.name = "mode",
		.run = qcli_cmd_mode,
		.args = "[online | low-power | offline | reset]",
		.summary = "show or set the operating mode (DMS Get/Set Operating Mode)",
		.help = "Without an argument shows the operating mode; with one asks the modem to change\n"
			"it. The modem refuses transitions it does not allow (offline is left only by\n"
			"reset), which exits with 4.\n"
			"\n"
			"JSON keys: operating_mode {mode, offline_reason, hw_restricted}, or mode_set.\n",
		.primary_svc = 0x02,
	},
	{
		.name = "profile",
		.run = qcli_cmd_profile,
		.args = "list | show N | create [SETTINGS] | modify N SETTINGS | delete N\n"
			"       SETTINGS: [--name S] [--apn S] [--pdp-type ipv4|ipv6|ipv4v6|ppp|non-ip]\n"
			"                 [--auth none|pap|chap|both] [--user S] [--password S]",
		.summary = "list, show, create, modify and delete the modem's 3GPP profiles",
		.help = "Manages the 3GPP profiles (WDS Get Profile List/Settings, Create, Modify, Delete\n"
			"Profile; the default from WDS Get Default Profile Number). The password is sent\n"
			"but never printed: listings only say that one is set.\n"
			"\n"
			"JSON keys: profiles [{index, type, name, apn, pdp_type, username, password_set,\n"
			"auth}], default (list); created {type, index}; modified; deleted.\n",
		.primary_svc = 0x01,
	},
	{
		.name = "radio",
		.run = qcli_cmd_radio,
		.args = "[show | set [--modes LIST] [--lte-bands LIST]]",
		.summary = "mode and band preference, band capabilities, the serving cell",
		.help = "show (the default) prints the system selection preference (NAS), the band\n"
			"capabilities (DMS) and the cell location (NAS Get Cell Location Info); a section\n"
			"the modem refuses is named on stderr. set changes the preference: --modes takes\n"
			"gsm, umts, lte, 5g (comma separated), --lte-bands band numbers, e.g. 1,3,7,20.\n"
			"\n"
			"JSON keys: preference {modes, band_preference, lte_bands [..], network_selection},\n"
			"capabilities {bands, lte_bands [..], nr5g_bands [..]}, cell {radio, mcc, mnc, tac,\n"
			"global_cell_id, earfcn, pci, timing_advance_us} or null,\n"
			"capabilities_unavailable|cell_unavailable {error {code, name}}; set.\n",
		.primary_svc = 0x03,
	},
	{
		.name = "connect",
		.run = qcli_cmd_connect,
		.args = "[OPTIONS]",
		.summary = "start a data connection and pump packets through a TUN device",
		.help = "Starts a data session and runs the data path until interrupted.\n",
		.primary_svc = 0x01,
		.own_output = true,
		.own_help = true, /* connect --help lists its options (cmd_connect.c) */
	},
	{
		.name = "disconnect",
		.run = qcli_cmd_disconnect,
		.args = "",
		.summary = "stop the connection a running `connect` holds",
		.help = "Asks the `qmiusb connect` running on the device (-d, or the only one) to stop\n"
			"its calls, undo the interface setup and release its client ids, and waits.\n"
			"\n"
			"JSON keys: device, interface (the connection's).\n",
		.primary_svc = 0xFF,
		.own_output = true,
	},
	{
		.name = "list",
		.run = qcli_cmd_list,
		.summary = "list the QMI modems on USB",
		.help = "Lists the QMI modems found on USB.\n"
			"\n"
			"JSON keys: modems [{device, path, usb_bus, usb_address, usb_id, manufacturer,\n"
			"product, serial, control_interface, data_interface, data_alt, ep_notify, ep_in,\n"
			"ep_out, cdc_union, dtr, match, why, driver}].\n",
		.primary_svc = 0xFF,
		.own_output = true,
	},
	{
		.name = "sim",
		.run = qcli_cmd_sim,
		.args = "[OPTIONS]",
		.summary = "run the software modem as a USB gadget (FunctionFS)",
		.help = "Runs the software modem as a real USB gadget.\n",
		.primary_svc = 0xFF,
		.own_output = true,
		.own_help = true, /* cmd_sim.c has the full usage */
	},
	{
		.name = "proxy",
		.run = qcli_cmd_proxy,
		.args = "[-d DEV] [--socket NAME] [--allow-user U] [--allow-group G]\n"
			"       [--empty-timeout S | --no-exit] [--cid-grace S] [--keep-cids] [--publish PATH]",
		.summary = "run a qmi-proxy compatible daemon",
		.help = "Owns the device and shares it over the abstract unix socket NAME (default\n"
			"qmi-proxy) with libqmi's qmi-proxy protocol, so `qmicli -p --device-open-qmi\n"
			"-d PATH` and qmiusb's own commands work while it runs. PATH is the FIFO the\n"
			"proxy publishes for its device: /run/qmiusb/NAME as root, $QMIUSB_RUNDIR/NAME\n"
			"when set (printed at start). qmiusb clients use QMIUSB_PROXY_SOCKET for NAME.\n"
			"  -d DEV             the device (as the global -d: sim, usb:VID:PID, ...)\n"
			"  --socket NAME      abstract socket name\n"
			"  --allow-user U     also accept this user (root and the proxy's own user are)\n"
			"  --allow-group G    also accept members of G (primary or supplementary)\n"
			"  --empty-timeout S  exit after S seconds without clients (default: never)\n"
			"  --no-exit          never exit for lack of clients (the default)\n"
			"  --cid-grace S      release the client ids a vanished client held after S\n"
			"                     seconds unless another client adopts them (default 5;\n"
			"                     ids owning a data session are kept until it ends)\n"
			"  --keep-cids        never release them (qmi-proxy's behaviour)\n"
			"  --publish PATH     publish the device at PATH instead\n"
			"  -v                 log every connection and client id event\n",
		.primary_svc = 0xFF,
		.own_output = true,
	},
};

const struct qcli_command *qcli_commands(size_t *n)
{
	*n = sizeof(commands) / sizeof(commands[0]);
	return commands;
}

const struct qcli_command *qcli_command_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void qcli_print_usage(FILE *f, const char *prog)
{
	fprintf(f, "Usage: %s [OPTIONS] COMMAND [ARGS...]\n", prog);
}

void qcli_print_help(FILE *f, const char *prog)
{
	size_t n;
	const struct qcli_command *c = qcli_commands(&n);

	qcli_print_usage(f, prog);
	fprintf(f,
		"A userspace driver and tool for Qualcomm QMI modems on USB.\n"
		"\n"
		"Options:\n"
		"  -d, --device DEV         the modem: 'sim' (built-in software modem), 'usb' or a\n"
		"                           USB selector; default: the first USB modem, else sim\n"
		"  -v, --verbose            trace every QMI message, decoded, on stderr (passwords,\n"
		"                           PINs and personal identifiers hidden)\n"
		"      --verbose-full       the same, with IMEI, IMSI, ICCID... shown\n"
		"      --json               print one JSON object on stdout and nothing else\n"
		"      --timeout SECONDS    per request (default 10; fractions allowed)\n"
		"      --sim-fault SPEC     fault knobs of the software modem (implies -d sim),\n"
		"                           e.g. delay=200,drop=2,sim-absent,reg-denied\n"
		"  -p, --proxy              go through the qmi-proxy compatible daemon\n"
		"      --no-proxy           never go through a proxy\n"
		"      --trust-proxy-user U a proxy run by user U may answer too (besides root and\n"
		"                           this user)\n"
		"      --client-cid N       reuse client id N of the command's main service\n"
		"      --client-no-release-cid  leave the client ids allocated on exit\n"
		"      --detach             USB: take the interface from a kernel driver (qmi_wwan)\n"
		"      --no-reattach        USB: leave the kernel driver detached on exit\n"
		"      --quirks FILE        USB: extra quirks entries\n"
		"      --usb-config N       USB: use the QMI function of configuration N, switching the\n"
		"                           device to it first (as usb_modeswitch would)\n"
		"  -h, --help               this help ('%s COMMAND --help' for a command)\n"
		"  -V, --version            print the version\n"
		"\n"
		"Commands:\n",
		prog);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-10s %s\n", c[i].name, c[i].summary);
	fprintf(f,
		"\n"
		"With --json every run prints one object: \"command\", \"device\", the command's\n"
		"keys (see '%s COMMAND --help'), \"client_ids_not_released\" [{service, client_id}]\n"
		"with --client-no-release-cid, and on failure \"error\" {kind (usage, device, qmi,\n"
		"timeout, unplugged, failure), exit_code, message, qmi_error {error_code,\n"
		"error_name}}. The daemons (sim, proxy) print it only on failure. Every key means\n"
		"the same everywhere (docs/json-schema.txt). Global options may follow the command.\n"
		"\n"
		"Exit codes: 0 success, 1 other failure, 2 usage error, 3 device error,\n"
		"4 QMI error from the modem, 5 timeout, 6 device unplugged.\n",
		prog);
}

void qcli_print_command_help(FILE *f, const char *prog, const struct qcli_command *cmd)
{
	fprintf(f, "Usage: %s [OPTIONS] %s%s%s\n%s\n\n%s", prog, cmd->name, cmd->args ? " " : "",
		cmd->args ? cmd->args : "", cmd->summary, cmd->help);
	fprintf(f,
		"\nGlobal options (-d, -v, --json, --timeout, ...) go before or after the "
		"command; see '%s --help'.\n",
		prog);
}

int qcli_command_args(struct qcli *cli, int argc, char **argv, int *first_arg)
{
	static const struct qcli_optdef opts[] = {
		{ 'h', "help", false, 1 },
		{ 0, NULL, false, 0 },
	};
	struct qcli_optscan s;
	int id;

	qcli_opt_init(&s, argc, argv, 1);
	while ((id = qcli_opt_next(&s, opts)) != 0) {
		if (id == 1) {
			qcli_print_command_help(cli->out, cli->prog, cli->cmd);
			return QCLI_EXIT_OK;
		}
		return qcli_usage_error(cli, "%s: unknown option '%s'", argv[0], s.bad);
	}
	*first_arg = s.i;
	return -1;
}

int qcli_command_noargs(struct qcli *cli, int argc, char **argv)
{
	int first = argc;
	int rc = qcli_command_args(cli, argc, argv, &first);

	if (rc >= 0)
		return rc;
	if (first < argc)
		return qcli_usage_error(cli, "%s takes no arguments (got '%s')", argv[0],
					argv[first]);
	return -1;
}

int qcli_command_open(struct qcli *cli, int argc, char **argv)
{
	int rc = qcli_command_noargs(cli, argc, argv);

	if (rc >= 0)
		return rc;
	rc = qcli_session_open(cli);
	return rc ? rc : -1;
}
