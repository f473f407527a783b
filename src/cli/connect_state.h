/* SPDX-License-Identifier: MIT */
/*
 * A running `qmiusb connect` publishes its state and counters in a small key=value file, one per
 * device, so `qmiusb status` and `qmiusb disconnect` in another shell can find it:
 * <rundir>/<device>.conn, in the directory base/rundir.h verifies, always opened relative to it
 * and never through a symlink.
 *
 * A file alone proves nothing (a SIGKILLed connect leaves it behind, and its pid may be reused):
 * the connect holds a write lock (fcntl) on <device>.lock for its whole life. A state file whose
 * lock is free is stale, and readers remove it; the pid readers get is the lock holder's, as the
 * kernel reports it, never the one written in the file. (A POSIX record lock, because only it
 * names its holder; it also drops when the holder closes any descriptor of the lock file, so a
 * process holding one must not read its own lock through the qcli_state_* readers.)
 */
#ifndef QCLI_CONNECT_STATE_H
#define QCLI_CONNECT_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define QCLI_STATE_MAX 384 /* keys in one file (each session of several has its own) */

struct qcli_state {
	unsigned n;
	char key[QCLI_STATE_MAX][32];
	char val[QCLI_STATE_MAX][160];
};

/* The publishing side, held by `connect`. */
struct qcli_statefile {
	int dirfd, lockfd; /* -1 when closed */
	char name[112];    /* <device>.conn */
	char lock[112];    /* <device>.lock */
	char alias[112];   /* a second name for the file, or "" */
};

/* Opens (creating) and verifies the runtime directory and takes devname's lock. 0; -EBUSY when
 * a live connect holds it (*holder: its pid); -EPERM when the directory fails the checks; else
 * -errno. err says why in words. */
int qcli_statefile_open(struct qcli_statefile *sf, const char *devname, pid_t *holder, char *err,
			size_t errlen);
/* Replaces the file with body. 0 or -errno. */
int qcli_statefile_write(struct qcli_statefile *sf, const char *body);
/* Makes alias a second name for the file (a relative symlink inside the directory), so
 * commands that reach the device under another name (the path a sharing `connect` publishes)
 * find it. Aliases are skipped by qcli_state_find(NULL). 0 or -errno. */
int qcli_statefile_alias(struct qcli_statefile *sf, const char *alias);
/* Removes the file, its alias and the lock, and releases the lock. Accepts a zeroed or closed
 * one (call qcli_statefile_init first). */
void qcli_statefile_close(struct qcli_statefile *sf);
void qcli_statefile_init(struct qcli_statefile *sf);

/* The live state of the connect on devname: 0, or -ENOENT when none runs (a stale file is
 * removed). *pid is the lock holder. */
int qcli_state_read(const char *devname, struct qcli_state *st, pid_t *pid);
/* The same for devname NULL: the only live one. 0, -ENOENT (none), -EEXIST (several). The
 * device's name goes to name. */
int qcli_state_find(const char *devname, char *name, size_t len, struct qcli_state *st, pid_t *pid);
/* True while the connect that published name's state (a name from qcli_state_find) still holds
 * its lock with pid *pid. */
bool qcli_state_live(const char *name, pid_t pid);
/* The value of key, or NULL. */
const char *qcli_state_get(const struct qcli_state *st, const char *key);

#endif
