/* SPDX-License-Identifier: MIT */
/*
 * A running `qmiusb connect` publishes its state and counters in a small key=value file, one per
 * device, so `qmiusb status` and `qmiusb disconnect` in another shell can find it:
 * <rundir>/<device>.conn, in the directory qb_rundir() names (base/rundir.h).
 * The file is replaced atomically and removed at the end; a stale one (its pid gone) is ignored.
 */
#ifndef QCLI_CONNECT_STATE_H
#define QCLI_CONNECT_STATE_H

#include <stddef.h>
#include <sys/types.h>

#define QCONN_STATE_MAX 48 /* keys in one file */

struct qconn_state {
	unsigned n;
	char key[QCONN_STATE_MAX][32];
	char val[QCONN_STATE_MAX][96];
};

/* The file's path for a device name ("sim", "usb:1-1.2:4"); creates the directory when create.
 * 0 or -errno. */
int qconn_state_path(const char *devname, char *buf, size_t len, int create);
/* Replaces the file with body (key=value lines). 0 or -errno. */
int qconn_state_write(const char *path, const char *body);
/* Reads and parses the file; -ENOENT when absent or when its pid is gone (a stale file). */
int qconn_state_read(const char *path, struct qconn_state *st, pid_t *pid);
/* The live state file whose device is devname (NULL: the only live one). 0, -ENOENT (none),
 * -EEXIST (several, and devname NULL). */
int qconn_state_find(const char *devname, char *path, size_t len, struct qconn_state *st,
		     pid_t *pid);
/* Makes alias a second name for devname's state file (a relative symlink), so commands that
 * reach the device under another name (the path a sharing `connect` publishes) find it; the
 * alias's path goes to buf, for unlink() at the end. Aliases are skipped by
 * qconn_state_find(NULL). 0 or -errno. */
int qconn_state_alias(const char *devname, const char *alias, char *buf, size_t len);
/* The value of key, or NULL. */
const char *qconn_state_get(const struct qconn_state *st, const char *key);

#endif
