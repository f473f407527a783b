/* SPDX-License-Identifier: MIT */
/*
 * The connection's configuration file, /etc/qmiusb/NAME.conf (read by `connect --config NAME`,
 * which the systemd unit qmiusb@NAME.service runs). The format is documented in qmiusb.conf(5):
 *
 *   # a comment (whole lines only)
 *   device = usb:2c7c:0125
 *   apn = internet
 *   password-file = /etc/qmiusb/home.password
 *
 * Every key is optional and may appear once; an unknown key or a bad value is an error naming
 * the file and line. Secrets never sit in the file itself: they are read from the *-file keys,
 * which must not be readable by group or others, and they appear in no message.
 *
 * Several PDNs: each "[pdn]" line starts a session of its own, whose keys (apn, ip-type, ifname,
 * user, password-file, auth, profile, routes) follow it, up to the next "[pdn]"; the keys
 * before the first section are the connection's, and each session's defaults (conf_pdn.c).
 */
#ifndef QCLI_CONF_H
#define QCLI_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Enough for "PATH:LINE: message" with a long path. */
#define QCLI_CONF_ERRLEN 512

enum qcli_conf_ip {
	QCLI_CONF_IP_UNSET,
	QCLI_CONF_IP_4,
	QCLI_CONF_IP_6,
	QCLI_CONF_IP_4V6
};
enum qcli_conf_auth {
	QCLI_CONF_AUTH_UNSET,
	QCLI_CONF_AUTH_NONE,
	QCLI_CONF_AUTH_PAP,
	QCLI_CONF_AUTH_CHAP,
	QCLI_CONF_AUTH_BOTH
};
enum qcli_conf_dns {
	QCLI_CONF_DNS_UNSET,
	QCLI_CONF_DNS_RESOLVCONF,
	QCLI_CONF_DNS_RESOLVED,
	QCLI_CONF_DNS_FILE,
	QCLI_CONF_DNS_NONE
};
enum qcli_conf_format {
	QCLI_CONF_FORMAT_UNSET,
	QCLI_CONF_FORMAT_RAW_IP,
	QCLI_CONF_FORMAT_QMAP,
	QCLI_CONF_FORMAT_AUTO
};

#define QCLI_CONF_MAX_PDN 8

/* One [pdn] section: unset members (NULL, *_UNSET, -1) take the top-level value. */
struct qcli_conf_pdn {
	char *apn, *user, *ifname, *password_file;
	char *password; /* the first line of password_file (qcli_conf_load only) */
	enum qcli_conf_ip ip_type;
	enum qcli_conf_auth auth;
	int profile; /* -1: unset */
	int routes;  /* -1: unset (default routes for the first session only), 0 no, 1 yes */
	unsigned line, password_line;
	unsigned seen[8]; /* where each key was set, 0: not yet */
};

/*
 * A parsed file. Every member is "not set" (NULL, *_UNSET, has_metric false) unless the file set
 * it, so the command line can override key by key. The strings belong to the struct and go with
 * qcli_conf_clear(); password and pin are wiped there.
 */
struct qcli_conf {
	char *path;   /* the file read, for the caller's own messages */
	char *device; /* a selector as -d takes: sim, usb, usb:VID:PID, ... */
	char *apn;
	char *user;
	char *ifname;
	char *dns_file;      /* the PATH of dns = file:PATH */
	char *password_file; /* as resolved: relative names are taken from the file's directory */
	char *pin_file;
	char *password; /* the first line of password_file (qcli_conf_load only) */
	char *pin;      /* the first line of pin_file: 4 to 8 digits (qcli_conf_load only) */
	enum qcli_conf_ip ip_type;
	enum qcli_conf_auth auth;
	enum qcli_conf_dns dns;
	enum qcli_conf_format data_format;
	bool has_metric;
	uint32_t metric;
	unsigned password_line, pin_line;            /* where the *-file keys are, for messages */
	struct qcli_conf_pdn pdn[QCLI_CONF_MAX_PDN]; /* the [pdn] sections, in order */
	unsigned n_pdn;
};

/*
 * qcli_conf_parse - parses the text of a configuration file (pure: reads no other file)
 * @c:    cleared and filled; the caller clears it (also on failure)
 * @text: the file's bytes, @len of them (a NUL byte among them is an error)
 * @path: the file's name, for messages and for resolving relative *-file names
 *
 * Returns 0, -EINVAL with "path:line: message" in err, or -ENOMEM. Secrets are not read.
 */
int qcli_conf_parse(struct qcli_conf *c, const char *text, size_t len, const char *path, char *err,
		    size_t errlen);

/*
 * qcli_conf_load - reads, checks and parses a configuration file, then reads its secrets
 * @name: a NAME (letters, digits and "_.@:-", not starting with a dot), looked up as
 *        $QMIUSB_CONFDIR/NAME.conf when that is set, else /etc/qmiusb/NAME.conf and then the
 *        build's configured directory; or a path to the file when it contains a '/'
 *
 * The file and its secret files must be owned by root or by the effective user, the file must
 * not be writable by group or others, and the secret files must not be readable or writable by
 * them either (as ssh asks of its keys); the directories holding them must not be writable by
 * group or others unless sticky. Returns 0, or a negative errno with the reason in err:
 * -ENOENT (no such file; err says where it looked), -EACCES (unsafe ownership or permissions, or
 * unreadable), -EINVAL (a mistake in the file or in a secret file), -ENOMEM.
 */
int qcli_conf_load(struct qcli_conf *c, const char *name, char *err, size_t errlen);

/* The PIN in the file path, with the checks and errors of qcli_conf_load's pin-file: 0 and a
 * malloc'd copy the caller wipes (qb_wipe) and frees, or a negative errno and err. */
int qcli_pin_file_read(const char *path, char **out, char *err, size_t errlen);
/* Runs the top-level key's check and setter on c (conf_pdn.c borrows them for a section's
 * keys). 0, -ENOENT (no such key), -EINVAL (why says why), -ENOMEM. */
int qcli_conf_set_key(struct qcli_conf *c, const char *key, const char *val, const char *dir,
		      char *why, size_t n);
/* conf_pdn.c: a "[...]" line (s, trimmed) starts a section: 0, or -EINVAL with why. */
int qcli_conf_pdn_begin(struct qcli_conf *c, const char *s, unsigned line, char *why, size_t n);
/* A key of the section being read: 0, -ENOENT (not a section key), -EINVAL (why), -ENOMEM. */
int qcli_conf_pdn_set(struct qcli_conf *c, const char *key, const char *val, const char *dir,
		      unsigned line, char *why, size_t n);
void qcli_conf_pdn_clear(struct qcli_conf *c); /* frees the sections' strings */

/* Wipes and frees a secret string (a password, a PIN); *s is NULL then. Accepts *s NULL. */
void qcli_secret_free(char **s);

/* Frees the strings (wiping the secrets) and resets c to "nothing set". Accepts NULL. */
void qcli_conf_clear(struct qcli_conf *c);

/* The spelling the file uses for each value ("4v6", "chap", "resolved", "raw-ip"; "" unset). */
const char *qcli_conf_ip_name(enum qcli_conf_ip v);
const char *qcli_conf_auth_name(enum qcli_conf_auth v);
const char *qcli_conf_dns_name(enum qcli_conf_dns v);
const char *qcli_conf_format_name(enum qcli_conf_format v);

#endif
