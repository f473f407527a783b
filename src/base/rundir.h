/* SPDX-License-Identifier: MIT */
/*
 * The runtime directory for qmiusb's per-device files (a connection's state and lock, the path a
 * proxy publishes): $QMIUSB_RUNDIR; else, for root, /run/qmiusb (/var/run/qmiusb off Linux), so
 * that a root daemon's files stay reachable by the users it serves; else $XDG_RUNTIME_DIR/qmiusb;
 * else /tmp/qmiusb-<uid>.
 *
 * Files in it are opened relative to a descriptor from qb_rundir_open(), never by path, and never
 * through a symlink: the /tmp fallback is a directory any user could have created first.
 */
#ifndef QB_RUNDIR_H
#define QB_RUNDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Writes the directory's path (not created) into buf. 0 or -ENAMETOOLONG. */
int qb_rundir(char *buf, size_t cap);

/* Opens the directory (creating it first when create: 0755 for root's /run/qmiusb, whose
 * published paths other users must reach, 0700 otherwise) and checks it before any use: a real
 * directory, not a symlink, owned by us, writable by nobody else. Returns the directory's
 * descriptor (O_CLOEXEC), or -errno: -ENOENT when absent and !create, -EPERM when the checks fail
 * (*why, when given, says which). */
int qb_rundir_open(bool create, const char **why);

/* Replaces dirfd/name (dirfd may be AT_FDCWD) with len bytes of data: written to a fresh
 * temporary file beside it (created exclusively, no symlink followed), then renamed over name, so
 * a reader sees the old file or the new one, never a part. 0 or -errno; nothing is left behind on
 * failure. */
int qb_write_atomic(int dirfd, const char *name, const void *data, size_t len, mode_t mode);

#endif
