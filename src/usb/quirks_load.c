/* SPDX-License-Identifier: MIT */
/* Where the quirks files live; the parsing itself is in quirks.c. */
#include "usb/quirks.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QUIRKS_FILE "qmi-devices.conf"

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int only_conf(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".conf") == 0;
}

const char *qusb_quirks_file_problem(int r)
{
	if (r == -EISDIR)
		return "is a directory";
	if (r == -EBADMSG)
		return "no entries (binary file)";
	return strerror(-r);
}

/* A quirks.d directory: missing is fine; each *.conf in name order. */
static int load_dir(struct qusb_quirks *q, const char *dir, qusb_quirk_err_cb err, void *user)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, only_conf, by_name);
	int total = 0;
	if (n < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		char path[4096];
		int r = 0;
		if (total >= 0 && snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) <
					  (int)sizeof(path)) {
			r = qusb_quirks_load_file(q, path, err, user);
			if (r == -ENOMEM)
				total = r;
			else if (r < 0 && err)
				err(user, path, 0, qusb_quirks_file_problem(r));
			else if (r > 0)
				total += r;
		}
		free(names[i]);
	}
	free(names);
	return total;
}

/* The user's own file: whatever is wrong with it, the tables loaded before it still apply. */
static int load_extra(struct qusb_quirks *q, const char *path, qusb_quirk_err_cb err, void *user)
{
	static const char still[] = "; the shipped table and the generic rules still apply";
	char msg[160];
	size_t before = q->n;
	int r = qusb_quirks_load_file(q, path, err, user);

	if (r == -ENOMEM)
		return r;
	if (r == -EBADMSG || (r >= 0 && q->n == before))
		snprintf(msg, sizeof(msg), "no entries (binary or empty file)%s", still);
	else if (r < 0)
		snprintf(msg, sizeof(msg), "%s%s", qusb_quirks_file_problem(r), still);
	else
		return r;
	if (err)
		err(user, path, 0, msg);
	return r < 0 ? 0 : r;
}

static int load_all(struct qusb_quirks *q, const char *extra_file, qusb_quirk_err_cb err,
		    void *user)
{
	/* The installed table wins; a binary that was never installed finds the source tree's. */
	static const char *const shipped[] = {
		QMIUSB_DATADIR "/" QUIRKS_FILE,
		QMIUSB_SOURCE_DIR "/quirks/" QUIRKS_FILE,
	};
	int total = 0, r = -ENOENT;

	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		if (access(shipped[i], R_OK) != 0)
			continue;
		r = qusb_quirks_load_file(q, shipped[i], err, user);
		break;
	}
	if (r < 0)
		return r;
	total += r;

	r = load_dir(q, "/etc/qmiusb/quirks.d", err, user);
	if (r < 0)
		return r;
	total += r;
	if (strcmp(QMIUSB_SYSCONFDIR, "/etc/qmiusb") != 0) {
		r = load_dir(q, QMIUSB_SYSCONFDIR "/quirks.d", err, user);
		if (r < 0)
			return r;
		total += r;
	}
	if (extra_file) {
		r = load_extra(q, extra_file, err, user);
		if (r < 0)
			return r;
		total += r;
	}
	return total;
}

int qusb_quirks_load_default(struct qusb_quirks *q, const char *extra_file, qusb_quirk_err_cb err,
			     void *user)
{
	int r = load_all(q, extra_file, err, user);

	if (r < 0) {
		/* nothing half-loaded: callers say the generic rule alone applies */
		qusb_quirks_clear(q);
	}
	return r;
}
