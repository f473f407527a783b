/* SPDX-License-Identifier: MIT */
/*
 * Test harness for tests that run the built qmiusb and qmicli as programs: a command's output
 * caught whole, and a `qmiusb proxy` started in the background on the default socket name
 * (tests reaching it with qmicli each run in their own network namespace, where that abstract
 * name is theirs alone). The target defines QMIUSB_BIN, the built binary's path.
 */
#ifndef TESTS_PROXY_PX_HARNESS_H
#define TESTS_PROXY_PX_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

#define QMICLI "/usr/bin/qmicli"

/* Runs argv (argv[0] a path) with stdout and stderr into out, NUL-terminated (past cap - 1
 * bytes, only the last part is kept). Returns the exit status, or 128 + the signal. */
int px_run(const char *const argv[], char *out, size_t cap);

/* Skips the test where qmicli is missing or no network namespace can be made; else enters a
 * new network namespace. */
void px_enter_netns(void);

struct px {
	pid_t pid;
	char rundir[96];
	char dev[128]; /* the device file the proxy publishes */
	char log[128]; /* the proxy's stdout and stderr */
};

/* Runs QMIUSB_BIN with argv (argv[0] included) in the background, with its runtime directory
 * /tmp/<name>-<our pid>, and waits until it serves its device file on the default socket
 * (qmicli starts libqmi's own qmi-proxy when nobody listens). */
void px_start(struct px *px, const char *name, const char *const argv[]);
/* SIGTERM; the proxy must exit with 0. Its log and runtime directory stay for px_clean(). */
void px_stop(struct px *px);
/* Removes the log and the runtime directory of a proxy that has exited (the directory only
 * once empty). */
void px_clean(struct px *px);

#endif
