/* SPDX-License-Identifier: MIT */
/*
 * Finding and reading a configuration file and the secret files it names. The service runs as
 * root, so a file anyone else could have written would let them choose where root writes DNS
 * servers or which file root sends to the network as a password: such files are refused, as ssh
 * refuses a key others can read.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/wipe.h"
#include "cli/conf.h"
#include "qmi/pin.h"

#define MAX_CONF (64 * 1024)
#define MAX_SECRET 4096
#define MAX_PASSWORD 127
#define MAX_NAME 64

enum kind {
	CONF_FILE,
	SECRET_FILE
};

/* Whoever may write the directory may replace the file in it: the directory must be as safe as
 * the file (a sticky, world-writable one such as /tmp lets only owners rename). */
static int dir_checked(const char *path, const char *where, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	struct stat st;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (stat(dir, &st))
		return 0; /* the open will say what is wrong */
	if ((st.st_uid != 0 && st.st_uid != geteuid()) ||
	    ((st.st_mode & 022) && !(st.st_mode & S_ISVTX))) {
		snprintf(err, errlen,
			 "%s'%s' is in a directory others may change (%s, owner uid "
			 "%u, mode %04o): refused",
			 where, path, dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		return -EACCES;
	}
	return 0;
}

/* Opens path and checks what it is, who owns it and who else may touch it. Returns the fd, or
 * -errno with err filled ("where: what"). */
static int open_checked(const char *path, enum kind kind, const char *where, char *err,
			size_t errlen)
{
	struct stat st;
	int fd, r;

	r = dir_checked(path, where, err, errlen);
	if (r)
		return r;
	/* O_NONBLOCK: a FIFO planted at the name must not hang the service. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "%s'%s': %s", where, path, strerror(-r));
		return r == -ENOENT ? -ENOENT : r == -ENOMEM ? -ENOMEM : -EACCES;
	}
	if (fstat(fd, &st)) {
		r = -errno;
		snprintf(err, errlen, "%s'%s': %s", where, path, strerror(-r));
		close(fd);
		return -EACCES;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s'%s' is not a regular file", where, path);
		close(fd);
		return -EINVAL;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(err, errlen, "%s'%s' is owned by uid %u: it must belong to root%s", where,
			 path, (unsigned)st.st_uid, geteuid() ? " or to this user" : "");
		close(fd);
		return -EACCES;
	}
	if (kind == CONF_FILE && (st.st_mode & 022)) {
		snprintf(err, errlen,
			 "%s'%s' is writable by group or others (mode %04o): "
			 "refused; run chmod go-w %s",
			 where, path, (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return -EACCES;
	}
	if (kind == SECRET_FILE && (st.st_mode & 077)) {
		snprintf(err, errlen,
			 "%s'%s' holds a secret but is open to group or others (mode "
			 "%04o): refused; run chmod 600 %s",
			 where, path, (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return -EACCES;
	}
	return fd;
}

/* Reads all of fd (at most max bytes) into a malloc'd, NUL-terminated buffer the caller owns. */
static int read_all(int fd, size_t max, char **out, size_t *len)
{
	char *buf = malloc(max + 1);
	size_t n = 0;
	ssize_t k;

	if (!buf)
		return -ENOMEM;
	while (n <= max) {
		k = read(fd, buf + n, max + 1 - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int r = -errno;

			qb_wipe(buf, n);
			free(buf);
			return r < 0 ? r : -EIO; /* never 0: callers take 0 as "*out is set" */
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	if (n > max) {
		qb_wipe(buf, n);
		free(buf);
		return -EFBIG;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* The secret is the file's first line; anything but blank lines after it is a mistake (two
 * passwords?), as is a NUL byte. Nothing of the content ever reaches err, whose sentences start
 * with where. */
static int read_secret_at(const char *where, const char *path, char **out, char *err, size_t errlen)
{
	char *buf = NULL, *nl;
	size_t len = 0, n;
	int fd, r;

	fd = open_checked(path, SECRET_FILE, where, err, errlen);
	if (fd < 0)
		return fd;
	r = read_all(fd, MAX_SECRET, &buf, &len);
	close(fd);
	if (r) {
		snprintf(err, errlen, "%s'%s': %s", where, path,
			 r == -EFBIG ? "larger than 4096 bytes" : strerror(-r));
		return r == -ENOMEM ? r : r == -EFBIG ? -EINVAL : -EACCES;
	}
	r = -EINVAL;
	if (memchr(buf, '\0', len)) {
		snprintf(err, errlen, "%s'%s' is not a text file", where, path);
		goto out;
	}
	nl = strchr(buf, '\n');
	n = nl ? (size_t)(nl - buf) : len;
	if (nl && strspn(nl, " \t\r\n") != strlen(nl)) {
		snprintf(err, errlen,
			 "%s'%s' has more than one line: it must hold the secret alone", where,
			 path);
		goto out;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	if (!n) {
		snprintf(err, errlen, "%s'%s' is empty", where, path);
		goto out;
	}
	*out = strdup(buf);
	r = *out ? 0 : -ENOMEM;
	if (r)
		snprintf(err, errlen, "%s'%s': %s", where, path, strerror(ENOMEM));
out:
	qb_wipe(buf, len);
	free(buf);
	return r;
}

static int read_secret(struct qcli_conf *c, const char *key, const char *path, unsigned line,
		       char **out, char *err, size_t errlen)
{
	char where[QCLI_CONF_ERRLEN / 2];

	snprintf(where, sizeof(where), "%s:%u: %s ", c->path, line, key);
	return read_secret_at(where, path, out, err, errlen);
}

/* A secret that must be a PIN: -EINVAL (and nothing in *out) when it is not one. */
static int read_pin_at(const char *where, const char *path, char **out, char *err, size_t errlen)
{
	int r = read_secret_at(where, path, out, err, errlen);

	if (r || qmi_pin_valid(*out))
		return r;
	snprintf(err, errlen, "%s'%s' does not hold a PIN (%d to %d digits on the first line)",
		 where, path, QMI_PIN_MIN, QMI_PIN_MAX);
	qcli_secret_free(out);
	return -EINVAL;
}

int qcli_pin_file_read(const char *path, char **out, char *err, size_t errlen)
{
	return read_pin_at("--pin-file ", path, out, err, errlen);
}

/* A password-file's password, at the top or in a [pdn] section. */
static int read_password(struct qcli_conf *c, const char *file, unsigned line, char **out,
			 char *err, size_t errlen)
{
	int r = read_secret(c, "password-file", file, line, out, err, errlen);

	if (r)
		return r;
	if (strlen(*out) > MAX_PASSWORD) {
		snprintf(err, errlen,
			 "%s:%u: password-file '%s': the password is longer "
			 "than %d bytes",
			 c->path, line, file, MAX_PASSWORD);
		return -EINVAL;
	}
	return 0;
}

static int read_secrets(struct qcli_conf *c, char *err, size_t errlen)
{
	int r;

	if (c->password_file) {
		r = read_password(c, c->password_file, c->password_line, &c->password, err, errlen);
		if (r)
			return r;
	}
	for (unsigned i = 0; i < c->n_pdn; i++) {
		struct qcli_conf_pdn *p = &c->pdn[i];

		r = p->password_file ? read_password(c, p->password_file, p->password_line,
						     &p->password, err, errlen)
				     : 0;
		if (r)
			return r;
	}
	if (c->pin_file) {
		char where[QCLI_CONF_ERRLEN / 2];

		snprintf(where, sizeof(where), "%s:%u: pin-file ", c->path, c->pin_line);
		return read_pin_at(where, c->pin_file, &c->pin, err, errlen);
	}
	return 0;
}

static bool name_ok(const char *name)
{
	size_t n = strlen(name);

	return n && n <= MAX_NAME && name[0] != '.' &&
	       strspn(name,
		      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@:-") == n;
}

/* The file for a NAME: the first directory that has it, or (-ENOENT) every place looked. */
static int find(const char *name, char **path, char *err, size_t errlen)
{
	const char *env = getenv("QMIUSB_CONFDIR");
	const char *dirs[2] = { "/etc/qmiusb", QMIUSB_SYSCONFDIR };
	unsigned ndirs = strcmp(dirs[0], dirs[1]) ? 2 : 1;
	struct stat st;
	unsigned i;

	if (strchr(name, '/'))
		return (*path = strdup(name)) ? 0 : -ENOMEM;
	if (!name_ok(name)) {
		snprintf(err, errlen,
			 "invalid configuration name '%.*s': use letters, digits and "
			 "_.@:- (or give a path containing '/')",
			 MAX_NAME, name);
		return -EINVAL;
	}
	if (env && *env) {
		dirs[0] = env;
		ndirs = 1;
	}
	for (i = 0; i < ndirs; i++) {
		if (asprintf(path, "%s/%s.conf", dirs[i], name) < 0) {
			*path = NULL;
			return -ENOMEM;
		}
		/* Any answer but "not there" is for the open to report. */
		if (!stat(*path, &st) || errno != ENOENT)
			return 0;
		if (i + 1 < ndirs) {
			free(*path);
			*path = NULL;
		}
	}
	if (ndirs == 2)
		snprintf(err, errlen, "no configuration '%s': neither %s/%s.conf nor %s exists",
			 name, dirs[0], name, *path);
	else
		snprintf(err, errlen, "no configuration '%s': %s does not exist", name, *path);
	free(*path);
	*path = NULL;
	return -ENOENT;
}

int qcli_conf_load(struct qcli_conf *c, const char *name, char *err, size_t errlen)
{
	char *path = NULL, *text = NULL;
	size_t len = 0;
	int fd = -1, r;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	r = find(name, &path, err, errlen);
	if (r) {
		if (r == -ENOMEM)
			snprintf(err, errlen, "%s", strerror(ENOMEM));
		goto out;
	}
	fd = open_checked(path, CONF_FILE, "configuration ", err, errlen);
	if (fd < 0) {
		r = fd;
		fd = -1;
		goto out;
	}
	err[0] = '\0';
	r = read_all(fd, MAX_CONF, &text, &len);
	if (r) {
		snprintf(err, errlen, "configuration '%s': %s", path,
			 r == -EFBIG ? "larger than 64 KiB" : strerror(-r));
		r = r == -ENOMEM ? r : r == -EFBIG ? -EINVAL : -EACCES;
		goto out;
	}
	r = qcli_conf_parse(c, text, len, path, err, errlen);
	if (!r)
		r = read_secrets(c, err, errlen);
out:
	if (r)
		qcli_conf_clear(c);
	if (fd >= 0)
		close(fd);
	free(text);
	free(path);
	return r;
}
