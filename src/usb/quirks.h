/* SPDX-License-Identifier: MIT */
/*
 * The device quirks table (quirks/qmi-devices.conf and user files): which interfaces of which
 * VID:PID are QMI, and how to treat them. Parsing is pure (text in, entries out); loading files
 * is a thin layer on top. Entries loaded later override earlier ones with the same match key.
 *
 * Line format:  VID:PID[:IFACE]  [class=CC/SS/PP] [dtr] [ignore] [config=N]   # comment
 * VID and PID are 4 hex digits, PID may be "*"; IFACE is decimal 0..255 or "*" (the default).
 * config=N: the entry holds in configuration N (bConfigurationValue) only, and a device found in
 * another one is switched to N before claiming, as `--usb-config N` does (a modem shipped in its
 * MBIM configuration with QMI in another).
 */
#ifndef QUSB_QUIRKS_H
#define QUSB_QUIRKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	QUSB_QUIRK_DTR = 1u << 0,    /* assert DTR at open, as qmi_wwan's QMI_WWAN_QUIRK_DTR */
	QUSB_QUIRK_IGNORE = 1u << 1, /* not QMI: lets a user file veto a shipped entry */
};

struct qusb_quirk {
	uint16_t vid, pid;
	bool any_pid, any_iface, has_class;
	uint8_t iface;
	uint8_t cls, subcls, proto;
	unsigned flags;
	uint8_t config;   /* config=N; 0: any configuration, and never switch */
	const char *file; /* points into the table's file-name list; valid while the table lives */
	unsigned line;
};

struct qusb_quirks {
	struct qusb_quirk *v; /* owned */
	size_t n, cap;
	char **files; /* owned copies of every file name an entry refers to */
	size_t n_files;
};

/* Called once per malformed line; msg is valid only during the call. line 0: msg is about the
 * whole file (it cannot be read, or gives no entries) and the load goes on without it. */
typedef void (*qusb_quirk_err_cb)(void *user, const char *file, unsigned line, const char *msg);

void qusb_quirks_init(struct qusb_quirks *q);
void qusb_quirks_clear(struct qusb_quirks *q); /* frees everything; q can be reused after init */

/* Parses text (len bytes, need not be NUL-terminated) named fname. Well-formed lines are added
 * even when others fail. Returns the number of malformed lines (>= 0), or -ENOMEM. */
int qusb_quirks_parse(struct qusb_quirks *q, const char *text, size_t len, const char *fname,
		      qusb_quirk_err_cb err, void *user);

/* Reads and parses one file. Returns malformed-line count, or -errno if it cannot be read:
 * -EISDIR for a directory, -EBADMSG for a binary file (a NUL byte; nothing is added). */
int qusb_quirks_load_file(struct qusb_quirks *q, const char *path, qusb_quirk_err_cb err,
			  void *user);

/* The standard set: the shipped table (installed copy, else the source tree's when running from a
 * build tree), then /etc/qmiusb/quirks.d/ + the configured sysconfdir quirks.d/ (*.conf, sorted),
 * then extra_file if not NULL. Returns the total malformed-line count, or -errno when the shipped
 * table cannot be read (or memory ran out): q is then left empty, the generic rule alone applies.
 * A quirks.d file or extra_file that cannot be read or gives no entries is reported through err
 * with line 0 (see qusb_quirks_file_problem) and skipped. */
int qusb_quirks_load_default(struct qusb_quirks *q, const char *extra_file, qusb_quirk_err_cb err,
			     void *user);

/* Why a file was skipped, for a load error r (-errno): "is a directory", "no entries (binary
 * file)", or strerror's text. */
const char *qusb_quirks_file_problem(int r);

/* The entry deciding for this interface: the last one that matches (later files override), or
 * NULL. An entry whose flags include QUSB_QUIRK_IGNORE is returned too: the caller must honour
 * it. */
const struct qusb_quirk *qusb_quirks_match(const struct qusb_quirks *q, uint16_t vid, uint16_t pid,
					   uint8_t iface, uint8_t cls, uint8_t subcls,
					   uint8_t proto);

/* The same within configuration config (bConfigurationValue; 0: any): entries with config=N
 * for another N are passed over, so an earlier entry can decide. */
const struct qusb_quirk *qusb_quirks_match_in(const struct qusb_quirks *q, uint8_t config,
					      uint16_t vid, uint16_t pid, uint8_t iface,
					      uint8_t cls, uint8_t subcls, uint8_t proto);

/* True when an entry (not an `ignore` one) names this very VID:PID: the table knows which of
 * the device's interfaces are QMI, as qmi_wwan does, and the generic rule stays off it. */
bool qusb_quirks_knows(const struct qusb_quirks *q, uint16_t vid, uint16_t pid);

/* Writes "file:line" for messages and `qmiusb list` (basename of the file). */
void qusb_quirk_origin(const struct qusb_quirk *e, char *buf, size_t len);

#endif
