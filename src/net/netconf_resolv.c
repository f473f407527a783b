/* SPDX-License-Identifier: MIT */
/*
 * The modem's DNS servers handed to the system: resolvconf's per-interface records, systemd-
 * resolved's per-link servers (both through their commands), or a resolv.conf-format file of our
 * own. Whatever goes in comes out again on teardown, and nothing the user had is lost.
 */
#include "net/netconf_int.h"

#include "base/rundir.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* macOS: SO_NOSIGPIPE on the socket instead */
#endif

#define OUR_HEADER "# written by qmiusb connect\n"
#define FILE_MAX 65536

int qnet_dns_mode_parse(const char *text, enum qnet_dns_mode *mode, const char **path)
{
	*path = NULL;
	if (!strcmp(text, "none"))
		*mode = QNET_DNS_NONE;
	else if (!strcmp(text, "resolvconf"))
		*mode = QNET_DNS_RESOLVCONF;
	else if (!strcmp(text, "resolved"))
		*mode = QNET_DNS_RESOLVED;
	else if (!strncmp(text, "file:", 5) && text[5]) {
		*mode = QNET_DNS_FILE;
		*path = text + 5;
	} else
		return -EINVAL;
	return 0;
}

/* "nameserver A\n" for every server, into buf. The length, or -ENOSPC. */
static int ns_lines(const struct qnet_dns_state *st, char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN];
	size_t len = 0;
	unsigned i;
	int n;

	buf[0] = '\0';
	for (i = 0; i < st->n_dns4 + st->n_dns6; i++) {
		if (i < st->n_dns4)
			inet_ntop(AF_INET, &st->dns4[i], a, sizeof(a));
		else
			inet_ntop(AF_INET6, &st->dns6[i - st->n_dns4], a, sizeof(a));
		n = snprintf(buf + len, cap - len, "nameserver %s\n", a);
		if (n < 0 || (size_t)n >= cap - len)
			return -ENOSPC;
		len += (size_t)n;
	}
	return (int)len;
}

int qnet_dns_prepare(struct qnet_dns_state *st, const char *ifname, const struct qnet_ipconf *cfg)
{
	unsigned i;

	memset(st, 0, sizeof(*st));
	st->mode = cfg->dns_mode;
	if (strlen(ifname) >= sizeof(st->ifname) || ifname[0] == '-' || strchr(ifname, '/'))
		return -EINVAL;
	strcpy(st->ifname, ifname);
	if (st->mode == QNET_DNS_FILE) {
		if (!cfg->dns_path || !cfg->dns_path[0] ||
		    strlen(cfg->dns_path) >= sizeof(st->path))
			return -EINVAL;
		strcpy(st->path, cfg->dns_path);
	}
	for (i = 0; i < cfg->n_dns4 && i < QNET_DNS_MAX; i++)
		st->dns4[st->n_dns4++] = cfg->dns4[i];
	for (i = 0; i < cfg->n_dns6 && i < QNET_DNS_MAX; i++)
		st->dns6[st->n_dns6++] = cfg->dns6[i];
	return 0;
}

/* Runs argv (found on PATH) with input on its standard input and its output discarded.
 * 0 when it exited with status 0; -ENOENT when it is not installed; else -EIO. */
static int run(char *const argv[], const char *input)
{
	posix_spawn_file_actions_t fa;
	int sv[2], status, ret;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return -errno;
	fcntl(sv[0], F_SETFD, FD_CLOEXEC);
	fcntl(sv[1], F_SETFD, FD_CLOEXEC);
#ifdef SO_NOSIGPIPE
	setsockopt(sv[0], SOL_SOCKET, SO_NOSIGPIPE, &(int){ 1 }, sizeof(int));
#endif
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	ret = -posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (ret) {
		close(sv[0]);
		return ret == -ENOENT ? -ENOENT : -EIO;
	}
	/* A socket rather than a pipe: a tool that exits unread costs EPIPE, not SIGPIPE. */
	if (input && *input)
		(void)!send(sv[0], input, strlen(input), MSG_NOSIGNAL);
	close(sv[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	/* posix_spawnp may report a missing program as the child's exit status 127. */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -ENOENT;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

/* The file's text (up to FILE_MAX) into a fresh buffer the caller frees; -ENOENT when absent,
 * -ELOOP for a symlink. */
static int read_file(const char *path, char **out)
{
	char *buf = malloc(FILE_MAX + 1);
	ssize_t n;
	size_t len = 0;
	int fd, ret = 0;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	while (len < FILE_MAX && (n = read(fd, buf + len, FILE_MAX - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	if (!ret && len == FILE_MAX)
		ret = -EFBIG; /* not a resolv.conf: leave it alone */
out:
	if (ret) {
		free(buf);
		return ret;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

/* Appends the lines of text that are not ours (our header, our servers) to out. */
static size_t strip_ours(const char *text, const char *ours, char *out)
{
	const char *line = text, *end;
	size_t len = 0, n;

	for (; *line; line = end) {
		end = strchr(line, '\n');
		end = end ? end + 1 : line + strlen(line);
		n = (size_t)(end - line);
		if (n == strlen(OUR_HEADER) && !memcmp(line, OUR_HEADER, n))
			continue;
		if (n > 11 && n < 128 && !strncmp(line, "nameserver ", 11) && line[n - 1] == '\n') {
			char one[128];
			const char *p;

			memcpy(one, line, n);
			one[n] = '\0';
			/* Whole lines only: "nameserver 10.0.0.1" is not "nameserver 10.0.0.11". */
			for (p = strstr(ours, one); p && p != ours && p[-1] != '\n';
			     p = strstr(p + 1, one))
				;
			if (p)
				continue;
		}
		memcpy(out + len, line, n);
		len += n;
	}
	out[len] = '\0';
	return len;
}

static int install_file(struct qnet_dns_state *st, bool force, char *note, size_t nlen)
{
	char ours[4 * QNET_DNS_MAX * 64], *old = NULL, *text = NULL;
	size_t len;
	int n, ret;

	n = ns_lines(st, ours, sizeof(ours));
	if (n < 0)
		return n;
	ret = read_file(st->path, &old);
	if (ret == 0 && !force) {
		snprintf(note, nlen, "%s exists: not overwritten (--dns-force replaces it)",
			 st->path);
		ret = -EEXIST;
		goto out;
	}
	if (ret < 0 && ret != -ENOENT) {
		snprintf(note, nlen, "couldn't read %s: %s", st->path,
			 ret == -ELOOP ? "it is a symlink" : strerror(-ret));
		goto out;
	}
	st->created = ret == -ENOENT;
	text = malloc(strlen(OUR_HEADER) + (size_t)n + (old ? strlen(old) : 0) + 2);
	if (!text) {
		ret = -ENOMEM;
		goto out;
	}
	/* Ours first (a resolver tries them in order), then what was there, minus stale copies of
	 * ours, so removing ours later gives the user's file back. */
	len = (size_t)snprintf(text, strlen(OUR_HEADER) + (size_t)n + 1, "%s%s", OUR_HEADER, ours);
	if (old)
		len += strip_ours(old, ours, text + len);
	ret = qb_write_atomic(AT_FDCWD, st->path, text, len, 0644);
	if (ret < 0)
		snprintf(note, nlen, "couldn't write %s: %s", st->path, strerror(-ret));
out:
	free(old);
	free(text);
	return ret;
}

static void remove_file(const struct qnet_dns_state *st)
{
	char ours[4 * QNET_DNS_MAX * 64], *old = NULL, *rest = NULL;
	size_t len;

	if (ns_lines(st, ours, sizeof(ours)) < 0 || read_file(st->path, &old) != 0 || !old)
		return;
	rest = malloc(strlen(old) + 1);
	if (!rest)
		goto out;
	len = strip_ours(old, ours, rest);
	if (len == strlen(old))
		goto out; /* nothing of ours left in it */
	if (st->created && strspn(rest, " \t\n") == len)
		unlink(st->path);
	else
		qb_write_atomic(AT_FDCWD, st->path, rest, len, 0644);
out:
	free(old);
	free(rest);
}

static void resolvconf_name(const struct qnet_dns_state *st, char *buf, size_t len)
{
	snprintf(buf, len, "%s.qmiusb", st->ifname);
}

int qnet_dns_install(struct qnet_dns_state *st, bool force, char *note, size_t nlen)
{
	char lines[4 * QNET_DNS_MAX * 64], rc[48], a[QNET_DNS_MAX * 2][INET6_ADDRSTRLEN];
	char *argv[4 + QNET_DNS_MAX * 2];
	unsigned i, n = 0;
	int ret;

	note[0] = '\0';
	if (st->mode != QNET_DNS_NONE && st->n_dns4 + st->n_dns6 == 0) {
		snprintf(note, nlen, "the modem gave no DNS servers");
		return -ENODATA;
	}
	switch (st->mode) {
	case QNET_DNS_NONE:
		return 0;
	case QNET_DNS_FILE:
		return install_file(st, force, note, nlen);
	case QNET_DNS_RESOLVCONF:
		ret = ns_lines(st, lines, sizeof(lines));
		if (ret < 0)
			return ret;
		resolvconf_name(st, rc, sizeof(rc));
		argv[n++] = (char *)"resolvconf";
		argv[n++] = (char *)"-a";
		argv[n++] = rc;
		argv[n] = NULL;
		ret = run(argv, lines);
		if (ret < 0)
			snprintf(note, nlen, "resolvconf -a %s %s", rc,
				 ret == -ENOENT ? "failed: resolvconf is not installed" : "failed");
		return ret;
	case QNET_DNS_RESOLVED:
		argv[n++] = (char *)"resolvectl";
		argv[n++] = (char *)"dns";
		argv[n++] = st->ifname;
		for (i = 0; i < st->n_dns4; i++)
			argv[n++] = (char *)inet_ntop(AF_INET, &st->dns4[i], a[i], sizeof(a[i]));
		for (i = 0; i < st->n_dns6; i++)
			argv[n++] = (char *)inet_ntop(AF_INET6, &st->dns6[i], a[QNET_DNS_MAX + i],
						      sizeof(a[0]));
		argv[n] = NULL;
		ret = run(argv, NULL);
		if (ret < 0)
			snprintf(note, nlen, "resolvectl dns %s %s", st->ifname,
				 ret == -ENOENT ? "failed: resolvectl is not installed" : "failed");
		return ret;
	}
	return -EINVAL;
}

void qnet_dns_remove(const struct qnet_dns_state *st)
{
	char rc[48];
	char *argv[4];

	switch (st->mode) {
	case QNET_DNS_NONE:
		break;
	case QNET_DNS_FILE:
		remove_file(st);
		break;
	case QNET_DNS_RESOLVCONF:
		resolvconf_name(st, rc, sizeof(rc));
		argv[0] = (char *)"resolvconf";
		argv[1] = (char *)"-d";
		argv[2] = rc;
		argv[3] = NULL;
		run(argv, NULL);
		break;
	case QNET_DNS_RESOLVED:
		argv[0] = (char *)"resolvectl";
		argv[1] = (char *)"revert";
		argv[2] = (char *)st->ifname;
		argv[3] = NULL;
		run(argv, NULL);
		break;
	}
}

void qnet_dns_print_undo(FILE *out, const struct qnet_dns_state *st)
{
	switch (st->mode) {
	case QNET_DNS_NONE:
	case QNET_DNS_FILE:
		break;
	case QNET_DNS_RESOLVCONF:
		fprintf(out, "resolvconf -d %s.qmiusb\n", st->ifname);
		break;
	case QNET_DNS_RESOLVED:
		fprintf(out, "resolvectl revert %s\n", st->ifname);
		break;
	}
}
