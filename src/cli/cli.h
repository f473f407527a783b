/* SPDX-License-Identifier: MIT */
/*
 * The `qmiusb` command: global options, the device-open dispatch, the subcommand table and the
 * shared helpers every subcommand uses (client ids, error reporting, exit codes).
 *
 * Everything a run needs lives in struct qcli; there is no global state, so a test can run
 * qcli_main() many times in one process with its own stdout/stderr streams.
 *
 * Output contract: human output goes to cli->out in qmicli's layouts. With --json, stdout gets
 * exactly one JSON object per run: the dispatcher opens it ({"device":..,"command":..}),
 * subcommands add their keys through cli->js, and the dispatcher closes it (adding "error" when
 * the run failed). Diagnostics always go to cli->err.
 */
#ifndef QCLI_CLI_H
#define QCLI_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "cli/json.h"
#include "qmi/msgdb.h"
#include "qmi/tlv.h"
#include "sim/sim.h"

struct qb_loop;
struct qb_watch;
struct qmi_dev;
struct qmi_transport;
struct qsim;

/* Exit codes of `qmiusb` (HACKING.md). */
enum qcli_exit {
	QCLI_EXIT_OK = 0,
	QCLI_EXIT_FAILURE = 1,
	QCLI_EXIT_USAGE = 2,
	QCLI_EXIT_DEVICE = 3,
	QCLI_EXIT_QMI = 4,
	QCLI_EXIT_TIMEOUT = 5,
	QCLI_EXIT_UNPLUGGED = 6,
	/* The SIM needs a person: a wrong or missing PIN, PUK-locked or blocked, no card. A
	 * restart cannot help (the service unit does not restart on it). */
	QCLI_EXIT_SIM = 7,
};

enum qcli_proxy_mode {
	QCLI_PROXY_AUTO = 0, /* neither -p nor --no-proxy */
	QCLI_PROXY_ON,       /* -p/--proxy */
	QCLI_PROXY_OFF,      /* --no-proxy */
};

#define QCLI_DEFAULT_TIMEOUT_MS 10000u
#define QCLI_MAX_CLIENTS 8

struct qcli_client {
	uint8_t svc, cid;
	bool reused; /* --client-cid: not ours to release unless asked */
};

struct qcli_command;

struct qcli {
	/* Global options (strings borrow from argv). */
	const char *device;        /* -d; NULL = auto: usb, else the built-in sim */
	bool verbose;              /* -v: decoded QMI trace on cli->err */
	bool verbose_full;         /* --verbose-full: -v with personal identifiers shown */
	bool json;                 /* --json */
	unsigned timeout_ms;       /* --timeout, per request */
	const char *sim_fault;     /* --sim-fault SPEC as given */
	struct qsim_faults faults; /* parsed --sim-fault */
	enum qcli_proxy_mode proxy;
	bool has_trust_proxy_uid; /* --trust-proxy-user: a proxy of this user is believed too */
	uid_t trust_proxy_uid;
	int client_cid;          /* --client-cid; -1 = allocate */
	bool no_release_cid;     /* --client-no-release-cid */
	bool usb_detach;         /* --detach: take the USB interface from a kernel driver */
	bool usb_no_reattach;    /* --no-reattach: leave the kernel driver off on exit */
	const char *quirks_file; /* --quirks FILE: extra USB quirks entries */
	uint8_t usb_config; /* --usb-config N: use (switch to) USB configuration N; 0 = active */

	FILE *out, *err;  /* borrowed; stdout/stderr in main() */
	const char *prog; /* argv[0] basename, for messages */

	/* Per-run state. */
	const struct qcli_command *cmd;
	struct qcli_json *js; /* non-NULL with --json: the open top-level object */
	struct qb_loop *loop; /* owned by the session (qcli_session_open/close) */
	struct qmi_dev *dev;  /* owned by the session */
	struct qsim *sim;     /* the in-process sim behind dev, if any; owned by the session */
	char devname[96];     /* "sim", "usb:1-1.2:4", ...: the [name] in human output */
	char open_err[1024];  /* why qcli_open() failed, when the backend said */
	int primary_svc;      /* the service --client-cid applies to; -1 = none */
	struct qcli_client clients[QCLI_MAX_CLIENTS];
	unsigned n_clients;
	/* SIGINT/SIGTERM/SIGHUP through a signalfd (signals.c), only when handle_signals. */
	bool handle_signals;
	int sigfd; /* -1 when not watching */
	struct qb_watch *sigwatch;
	sigset_t old_sigmask;
	unsigned interrupted;  /* signals received */
	bool releasing;        /* in the final client id release: one more signal stops it */
	struct {               /* the first failure, for the JSON "error" member */
		int exit_code; /* 0 = none recorded */
		bool has_qmi;
		uint16_t qmi_error;
		char message[256];
	} error;
};

/* Runs the whole command line (argv[0] is the program name). Returns the exit code. out/err
 * receive the output; nothing else is written anywhere. */
int qcli_main(int argc, char **argv, FILE *out, FILE *err);
/* The same; QCLI_RUN_SIGNALS makes SIGINT/SIGTERM/SIGHUP stop the command and release its
 * client ids instead of killing the process (the binary uses it; tests need not). */
#define QCLI_RUN_SIGNALS 0x1u
int qcli_run(int argc, char **argv, FILE *out, FILE *err, unsigned flags);

/* ---- device open (open.c) ---- */

/* Opens the device cli->device names on loop: "sim" in-process (with cli->faults), a proxy
 * with -p (or a running one, without --no-proxy), else the USB backend; no -d tries USB and
 * falls back to the sim with a note on cli->err. On success *dev is a started qmi_dev (not yet
 * CTL-opened) and cli->sim/devname are set. Returns 0 or -errno with the backend's reason in
 * cli->open_err (nothing printed). */
int qcli_open(struct qcli *cli, struct qb_loop *loop, struct qmi_dev **dev);
/* The same; sim_fallback false (connect) makes a missing modem -ENODEV, never the sim. */
int qcli_open_device(struct qcli *cli, struct qb_loop *loop, struct qmi_dev **dev,
		     bool sim_fallback);

/* open_usb.c. selector is the -d value or NULL for "any modem". Fills *out with a transport
 * (not started). -ENODEV when no modem is present, -ENOTSUP when this build has no USB backend,
 * else -errno with err filled. */
int qcli_open_usb(struct qcli *cli, const char *selector, struct qmi_transport *out, char *err,
		  size_t errlen);
/* open_proxy.c. device is the -d value (may be NULL). With cli->proxy == QCLI_PROXY_AUTO it is
 * asked first and returns -ENOTSUP/-ECONNREFUSED/-ENOENT when no proxy is running, so the caller
 * opens the device directly. */
int qcli_open_proxy(struct qcli *cli, const char *device, struct qmi_transport *out, char *err,
		    size_t errlen);

/* ---- a session: loop + device + CTL open, and its teardown (session.c) ---- */

/* Creates cli->loop and cli->dev and runs the CTL open. Returns an exit code (0 = ready);
 * failures are reported. */
int qcli_session_open(struct qcli *cli);
/* Its parts, for connect, which waits for its modem and opens it again after an unplug.
 * qcli_session_loop: cli->loop and the signals; an exit code (failures reported).
 * qcli_session_attach: opens cli->dev on cli->loop (sim_fallback as qcli_open does; false: a
 * missing modem is -ENODEV) and runs the CTL open. 0, or -errno with nothing reported: *ctl
 * false when the device did not open (cli->open_err may say why), true when its CTL open
 * failed (-QB_EMODEM: *result); the device is dropped again then.
 * qcli_session_attach_failed: reports such a failure as every command does; its exit code.
 * qcli_session_drop_device: frees dev and sim, keeping loop and signals (the device went
 * away: no client id is released). */
int qcli_session_loop(struct qcli *cli);
int qcli_session_attach(struct qcli *cli, bool sim_fallback, bool *ctl, struct qmi_result *result);
int qcli_session_attach_failed(struct qcli *cli, int err, bool ctl,
			       const struct qmi_result *result);
void qcli_session_drop_device(struct qcli *cli);
/* Releases the client ids (or prints qmicli's "Client ID not released" blocks), frees dev,
 * sim and loop. Safe to call twice and without an open session. */
void qcli_session_close(struct qcli *cli);

/* A client id for svc: --client-cid for the command's primary service, else an allocation
 * remembered for release at session close. Returns an exit code; failures are reported. */
int qcli_client(struct qcli *cli, uint8_t svc, uint8_t *cid);
/* qcli_session_open() and then qcli_client(): most commands' first two steps. */
int qcli_session_client(struct qcli *cli, uint8_t svc, uint8_t *cid);
/* The same without reporting: 0, -QB_EMODEM (*result: the modem refused), or -errno. */
int qcli_client_try(struct qcli *cli, uint8_t svc, uint8_t *cid, struct qmi_result *result);

/* One request of a batch (call.c). The caller fills the first block; the batch fills the rest. */
struct qcli_req {
	uint8_t svc, cid; /* cid 0 for CTL */
	const struct qmi_msg_def *req_def;
	const void *req; /* NULL when the request has no TLVs */
	const struct qmi_msg_def *resp_def;
	void *resp; /* resp_def->size bytes, caller-owned; may be NULL if 0 */
	bool skip;  /* leave this one out */
	/* results */
	bool done;
	int err; /* 0 = answered (see result), else -errno */
	struct qmi_result result;
	struct qmi_decode_info decoded; /* optional TLVs dropped as invalid */
};
/* Sends every request at once (the modem may answer in any order) and runs the loop until each
 * has its answer, its timeout or the device's end. 0, or -errno when a request could not even
 * be sent (nothing is reported). */
int qcli_batch(struct qcli *cli, struct qcli_req *reqs, size_t n);
/* The exit code of a failed request (reported with what), or 0 when it succeeded. */
int qcli_req_check(struct qcli *cli, const struct qcli_req *r, const char *what);

/* Starts/stops watching the signals on cli->loop (no-op unless cli->handle_signals). */
int qcli_signals_start(struct qcli *cli);
void qcli_signals_stop(struct qcli *cli);

/* For the daemons (proxy, gadget): SIGINT, SIGTERM and SIGHUP stop the loop, and signo says
 * which came, so teardown runs on the loop thread. Zero-initialise; _end accepts one that
 * never started. */
struct qcli_sigstop {
	bool started;
	int fd;
	int signo;
	struct qb_loop *loop;
	struct qb_watch *watch;
	sigset_t old_mask;
	struct sigaction old_int, old_term;
};
int qcli_sigstop_start(struct qcli_sigstop *s, struct qb_loop *loop);
void qcli_sigstop_end(struct qcli_sigstop *s);

/* ---- errors and exit codes (report.c) ---- */

/* Maps a local failure (-errno) to an exit code: -ETIMEDOUT 5, -ENODEV 6, -ENOMEM and -EINTR
 * (a signal) 1, else 3. */
int qcli_exit_for_errno(int err);
/* Reports a failed request and returns its exit code. err is the -errno of the call; when err
 * is 0, result carries the modem's failure (exit 4, printed by name and number). what is
 * qmicli's phrase, e.g. "couldn't get IDs". */
int qcli_report(struct qcli *cli, const char *what, int err, const struct qmi_result *result);
/* A usage error: "qmiusb: <msg>" plus a hint, exit 2. */
int qcli_usage_error(struct qcli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Any other failure with an explicit exit code. */
int qcli_fail(struct qcli *cli, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A string from the modem made safe for the terminal: escaped into buf exactly as JSON output
 * escapes it (qmi_str_escape), cut short if buf is too small. Returns buf. */
#define QCLI_ESC_MAX 1600
const char *qcli_esc(const char *s, char *buf, size_t cap);
/* "QMI error 5 (ClientIdsExhausted)" into buf. */
const char *qcli_qmi_error_str(uint16_t code, char *buf, size_t len);
/* Writes {"code":N,"name":".."} as member key of the JSON output (no-op without --json). */
void qcli_json_qmi_error(struct qcli *cli, const char *key, uint16_t code);
/* Writes the recorded failure as the "error" member (no-op when none). */
void qcli_json_error(struct qcli *cli);
/* json_daemon.c: for commands with own_output that print nothing on stdout themselves (proxy,
 * sim): with --json and rc != 0, prints the failure as one object like the other commands'.
 * Returns rc. */
int qcli_daemon_exit(struct qcli *cli, int rc);

/* ---- subcommands (commands.c holds the table) ---- */

struct qcli_command {
	const char *name;
	int (*run)(struct qcli *cli, int argc, char **argv);
	const char *args;    /* synopsis after the name, e.g. "SERVICE MSGID [TLVHEX...]" */
	const char *summary; /* one line for the global help */
	const char *help;    /* the body of `qmiusb CMD --help` */
	uint8_t primary_svc; /* the service --client-cid applies to; 0xFF none, 0xFE the
			       * command decides (raw: its SERVICE argument) */
	bool own_output;     /* the command manages stdout itself (no dispatcher JSON object) */
	bool own_help;       /* the command prints its own -h/--help (else `help` is shown) */
};

const struct qcli_command *qcli_command_find(const char *name);
const struct qcli_command *qcli_commands(size_t *n);
void qcli_print_usage(FILE *f, const char *prog);
void qcli_print_help(FILE *f, const char *prog);
void qcli_print_command_help(FILE *f, const char *prog, const struct qcli_command *cmd);
/* Handles the subcommand's own options (only -h/--help for most). Returns -1 to go on (with
 * *first_arg = index of the first positional argument), else an exit code to return. */
int qcli_command_args(struct qcli *cli, int argc, char **argv, int *first_arg);
/* The same for a command without operands. */
int qcli_command_noargs(struct qcli *cli, int argc, char **argv);
/* qcli_command_noargs() and then qcli_session_open(): -1 to go on with the session open, else
 * an exit code to return. */
int qcli_command_open(struct qcli *cli, int argc, char **argv);

int qcli_cmd_info(struct qcli *cli, int argc, char **argv);
int qcli_cmd_signal(struct qcli *cli, int argc, char **argv);
int qcli_cmd_status(struct qcli *cli, int argc, char **argv);
struct qmi_nas_get_serving_system_resp;
struct qmi_uim_card_status;
/* The serving system and card sections of `status` from decoded responses, human or JSON
 * (into cli->js, an open object): what the tests feed real firmware's frames through. */
void qcli_status_print_serving(struct qcli *cli, const struct qmi_nas_get_serving_system_resp *s);
void qcli_status_print_card(struct qcli *cli, const struct qmi_uim_card_status *cs);
int qcli_cmd_versions(struct qcli *cli, int argc, char **argv);
int qcli_cmd_raw(struct qcli *cli, int argc, char **argv);
int qcli_cmd_list(struct qcli *cli, int argc, char **argv);
int qcli_cmd_sim(struct qcli *cli, int argc, char **argv);
int qcli_cmd_proxy(struct qcli *cli, int argc, char **argv);
int qcli_cmd_connect(struct qcli *cli, int argc, char **argv);
int qcli_cmd_disconnect(struct qcli *cli, int argc, char **argv); /* in cmd_connect.c */

/* The hook through which the data path adds a running connection's state and counters to
 * `qmiusb status` (status_conn.c). Called after the packet service
 * status, with the session open. Returns an exit code (0 when there is nothing to add). */
int qcli_status_connection(struct qcli *cli);
/* The WDS client id of the running `connect` this session reaches through its share, else 0. */
uint8_t qcli_connection_wds_cid(struct qcli *cli);

/* ---- options and parsing helpers (options.c) ---- */

/* qmicli's VALIDATE_UNKNOWN: a TLV that was not there prints as 'unknown'. */
static inline const char *qcli_unknown(bool has, const char *s)
{
	return has && s ? s : "unknown";
}
/* The names of the bits set in v, joined by ", " (qmicli's build_string_from_mask), "none"
 * when v is 0; unnamed bits print as 0x... . Returns buf. */
const char *qcli_mask_str(const struct qmi_enum *e, uint64_t v, char *buf, size_t len);
/* A name from an enum lookup, or "unknown". */
static inline const char *qcli_name(const char *s)
{
	return s ? s : "unknown";
}
/* An enum value's name, or the value itself as a number when no table names it (firmware adds
 * values): "registered", "42". Returns name or buf. */
const char *qcli_enum_str(const char *name, int64_t v, char *buf, size_t cap);
/* The same with a buffer that lives until the end of the enclosing full expression's block. */
#define QCLI_ENUM(name, v) qcli_enum_str((name), (int64_t)(v), (char[24]){ 0 }, 24)

/* Parses the global options into cli. Returns -1 and *cmd_index on success (the index of the
 * subcommand in argv, == argc when none), or an exit code (help/version printed, or a usage
 * error reported). */
int qcli_parse_global(struct qcli *cli, int argc, char **argv, int *cmd_index);
/* The global options among a command's arguments (argv[0] is the command; up to "--"), as in
 * `qmiusb info --json`, applied and taken out of argv (*argc shrinks), except those whose long
 * names keep lists (the command's own). -1, or an exit code after a usage error. */
int qcli_parse_global_after(struct qcli *cli, int *argc, char **argv, const char *const *keep);
void qcli_init(struct qcli *cli, FILE *out, FILE *err);

/* Parses "01 01 00 05", "010100 05", "01:01:00:05" (one or several strings) into buf.
 * Returns the byte count or -EINVAL (odd digit count, not hex) / -EMSGSIZE. */
long qcli_parse_hex(char *const *strs, int n, uint8_t *buf, size_t cap);
/* Parses a service given as name ("dms") or number ("2", "0x02"). 0 or -EINVAL. */
int qcli_parse_service(const char *s, uint8_t *svc);
/* Decimal or 0x-hex unsigned up to max. 0 or -EINVAL/-ERANGE. */
int qcli_parse_uint(const char *s, unsigned long max, unsigned long *out);

#endif
