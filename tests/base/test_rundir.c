/* SPDX-License-Identifier: MIT */
/* base/rundir.h: the runtime directory's checks, and atomic writes that follow no symlink. */
#include "base/rundir.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fresh private directory per test (Criterion runs each test in its own process). */
static char top[64];

static void mk_top(void)
{
	snprintf(top, sizeof(top), "/tmp/qmiusb-rundir-XXXXXX");
	cr_assert_not_null(mkdtemp(top));
	umask(022);
}

static void rm_rf(const char *path)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	cr_assert_eq(system(cmd), 0);
}

static void at(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", top, name);
}

/* Entries in dir, "." and ".." aside. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void assert_content(const char *path, const char *text)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	cr_assert_geq(n, 0);
	buf[n] = '\0';
	cr_assert_str_eq(buf, text, "%s", path);
}

Test(rundir, path)
{
	char buf[64];

	setenv("QMIUSB_RUNDIR", "/somewhere/qm", 1);
	cr_assert_eq(qb_rundir(buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "/somewhere/qm");
	cr_assert_eq(qb_rundir(buf, 5), -ENAMETOOLONG);
	unsetenv("QMIUSB_RUNDIR");
	setenv("XDG_RUNTIME_DIR", "/run/user/4242", 1);
	cr_assert_eq(qb_rundir(buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, geteuid() == 0 ? "/run/qmiusb" : "/run/user/4242/qmiusb");
}

Test(rundir, open_creates_and_checks)
{
	const char *why = NULL;
	char dir[96];
	struct stat st;
	int fd;

	mk_top();
	at(dir, sizeof(dir), "run");
	setenv("QMIUSB_RUNDIR", dir, 1);
	cr_assert_eq(qb_rundir_open(false, &why), -ENOENT);
	fd = qb_rundir_open(true, &why);
	cr_assert_geq(fd, 0, "%s", strerror(-fd));
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(st.st_mode & 07777, geteuid() == 0 ? 0755u : 0700u, "%o", st.st_mode);
	cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	fd = qb_rundir_open(true, NULL); /* already there: fine */
	cr_assert_geq(fd, 0);
	close(fd);
	rm_rf(top);
}

Test(rundir, refuses_a_symlink)
{
	const char *why = NULL;
	char dir[96], link[96];

	mk_top();
	at(dir, sizeof(dir), "real");
	at(link, sizeof(link), "run");
	cr_assert_eq(mkdir(dir, 0700), 0);
	cr_assert_eq(symlink(dir, link), 0);
	setenv("QMIUSB_RUNDIR", link, 1);
	cr_assert_eq(qb_rundir_open(false, &why), -EPERM);
	cr_assert_not_null(why);
	cr_assert_not_null(strstr(why, "symlink"), "%s", why);
	cr_assert_eq(qb_rundir_open(true, NULL), -EPERM);
	rm_rf(top);
}

Test(rundir, refuses_a_file)
{
	const char *why = NULL;
	char path[96];

	mk_top();
	at(path, sizeof(path), "run");
	put(path, "x");
	setenv("QMIUSB_RUNDIR", path, 1);
	cr_assert_eq(qb_rundir_open(true, &why), -EPERM);
	cr_assert_not_null(why);
	rm_rf(top);
}

Test(rundir, refuses_another_owner)
{
	const char *why = NULL;
	char dir[96];

	if (geteuid() != 0)
		cr_skip_test("giving a directory to another user needs root");
	mk_top();
	at(dir, sizeof(dir), "run");
	cr_assert_eq(mkdir(dir, 0700), 0);
	cr_assert_eq(chown(dir, 65534, 65534), 0);
	setenv("QMIUSB_RUNDIR", dir, 1);
	cr_assert_eq(qb_rundir_open(true, &why), -EPERM);
	cr_assert_str_eq(why, "owned by another user");
	rm_rf(top);
}

Test(rundir, refuses_group_or_world_writable)
{
	static const mode_t bad[] = { 0720, 0702, 0770, 01777 };
	const char *why;
	char dir[96];
	unsigned i;
	int fd;

	mk_top();
	at(dir, sizeof(dir), "run");
	cr_assert_eq(mkdir(dir, 0700), 0);
	setenv("QMIUSB_RUNDIR", dir, 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		cr_assert_eq(chmod(dir, bad[i]), 0);
		cr_assert_eq(qb_rundir_open(true, &why), -EPERM, "mode %o", bad[i]);
		cr_assert_str_eq(why, "writable by other users");
	}
	cr_assert_eq(chmod(dir, 0755), 0);
	fd = qb_rundir_open(true, NULL);
	cr_assert_geq(fd, 0, "a directory others may read is fine");
	close(fd);
	rm_rf(top);
}

Test(write_atomic, writes_and_replaces)
{
	char path[96];
	struct stat st;
	int dfd;

	mk_top();
	umask(0);
	dfd = open(top, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(dfd, 0);
	cr_assert_eq(qb_write_atomic(dfd, "state", "one\n", 4, 0640), 0);
	at(path, sizeof(path), "state");
	assert_content(path, "one\n");
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0640u, "%o", st.st_mode);
	cr_assert_eq(qb_write_atomic(dfd, "state", "two", 3, 0600), 0);
	assert_content(path, "two");
	cr_assert_eq(qb_write_atomic(dfd, "empty", "", 0, 0600), 0);
	at(path, sizeof(path), "empty");
	assert_content(path, "");
	cr_assert_eq(entries(top), 2, "a temporary file was left behind");
	/* AT_FDCWD with a full path, as a file outside the runtime directory is written. */
	at(path, sizeof(path), "elsewhere");
	cr_assert_eq(qb_write_atomic(AT_FDCWD, path, "three", 5, 0644), 0);
	assert_content(path, "three");
	close(dfd);
	rm_rf(top);
}

/* Symlinks planted at the final name and at the temporary name (it holds our pid: predictable)
 * lead to a victim file, and to a file that does not exist yet: neither is written or created. */
Test(write_atomic, follows_no_symlink)
{
	char victim[96], absent[96], tmpname[64], path[96];
	struct stat st;
	int dfd;

	mk_top();
	dfd = open(top, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(dfd, 0);
	at(victim, sizeof(victim), "victim");
	at(absent, sizeof(absent), "absent");
	put(victim, "keep");
	cr_assert_eq(symlinkat(victim, dfd, "state"), 0);
	snprintf(tmpname, sizeof(tmpname), "state.%ld.tmp", (long)getpid());
	cr_assert_eq(symlinkat(absent, dfd, tmpname), 0);
	cr_assert_eq(qb_write_atomic(dfd, "state", "new", 3, 0600), 0);
	assert_content(victim, "keep");
	cr_assert_eq(access(absent, F_OK), -1, "created through the temporary name's symlink");
	at(path, sizeof(path), "state");
	cr_assert_eq(lstat(path, &st), 0);
	cr_assert(S_ISREG(st.st_mode));
	assert_content(path, "new");
	/* The temporary name leading to the victim itself. */
	cr_assert_eq(symlinkat(victim, dfd, tmpname), 0);
	cr_assert_eq(qb_write_atomic(dfd, "state", "newer", 5, 0600), 0);
	assert_content(victim, "keep");
	assert_content(path, "newer");
	cr_assert_eq(entries(top), 2, "a temporary file or link was left behind");
	close(dfd);
	rm_rf(top);
}

Test(write_atomic, leaves_nothing_on_failure)
{
	char path[96];
	int dfd;

	mk_top();
	dfd = open(top, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(dfd, 0);
	/* The rename fails: a directory (not empty) holds the name. */
	cr_assert_eq(mkdirat(dfd, "state", 0700), 0);
	at(path, sizeof(path), "state/inside");
	put(path, "x");
	cr_assert_lt(qb_write_atomic(dfd, "state", "data", 4, 0600), 0);
	cr_assert_eq(entries(top), 1, "the temporary file was left behind");
	assert_content(path, "x");
	/* The temporary file cannot be made: its directory is missing. */
	cr_assert_eq(qb_write_atomic(dfd, "missing/state", "data", 4, 0600), -ENOENT);
	cr_assert_eq(entries(top), 1);
	close(dfd);
	rm_rf(top);
}
