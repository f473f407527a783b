/* SPDX-License-Identifier: MIT */
/* The FIFO a proxy publishes: made inside the verified runtime directory, never through a
 * symlink, never over somebody's file. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proxy/proxy.h"

static char base[64], target[96], run[96];

static void dirs(void)
{
	static unsigned seq;

	snprintf(base, sizeof(base), "/tmp/qmiusb-test-pub-%d-%u", (int)getpid(), seq++);
	snprintf(target, sizeof(target), "%s/elsewhere", base);
	snprintf(run, sizeof(run), "%s/run", base);
	cr_assert_eq(mkdir(base, 0700), 0, "%s: %s", base, strerror(errno));
	cr_assert_eq(mkdir(target, 0700), 0);
	setenv("QMIUSB_RUNDIR", run, 1);
}

static void cleanup(const char *name)
{
	char p[160];

	snprintf(p, sizeof(p), "%s/%s", run, name);
	unlink(p);
	snprintf(p, sizeof(p), "%s/%s", target, name);
	unlink(p);
	unlink(run);
	rmdir(run);
	rmdir(target);
	rmdir(base);
	unsetenv("QMIUSB_RUNDIR");
}

Test(proxy_publish, creates_the_runtime_directory_and_a_fifo_in_it)
{
	char path[PATH_MAX];
	struct stat st;

	dirs();
	cr_assert_eq(qprx_publish_path("pubtest", path, sizeof(path)), 0);
	cr_assert_eq(qprx_publish(path, NULL), 0);
	cr_assert_eq(lstat(run, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(st.st_mode & 022, 0, "runtime directory mode %o", st.st_mode & 0777);
	cr_assert_eq(lstat(path, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode));
	/* A second proxy (a restart) replaces its own kind of file. */
	cr_assert_eq(qprx_publish(path, NULL), 0);
	cleanup("pubtest");
}

Test(proxy_publish, a_runtime_directory_that_is_a_symlink_is_refused)
{
	char path[PATH_MAX], there[160];
	const char *why = NULL;

	dirs();
	cr_assert_eq(symlink(target, run), 0);
	cr_assert_eq(qprx_publish_path("pubtest", path, sizeof(path)), 0);
	cr_assert_eq(qprx_publish(path, &why), -EPERM);
	cr_assert(why && *why, "no reason given");
	snprintf(there, sizeof(there), "%s/pubtest", target);
	cr_assert_neq(access(there, F_OK), 0, "the FIFO went through the symlink");
	cleanup("pubtest");
}

Test(proxy_publish, a_group_writable_runtime_directory_is_refused)
{
	char path[PATH_MAX];
	const char *why = NULL;

	dirs();
	cr_assert_eq(mkdir(run, 0700), 0);
	cr_assert_eq(chmod(run, 0777), 0);
	cr_assert_eq(qprx_publish_path("pubtest", path, sizeof(path)), 0);
	cr_assert_eq(qprx_publish(path, &why), -EPERM);
	cr_assert(why && *why);
	cr_assert_neq(access(path, F_OK), 0);
	cleanup("pubtest");
}

Test(proxy_publish, a_symlink_at_the_path_is_not_followed)
{
	char path[PATH_MAX], victim[160];
	struct stat st;
	int fd;

	dirs();
	cr_assert_eq(mkdir(run, 0700), 0);
	snprintf(victim, sizeof(victim), "%s/victim", target);
	fd = open(victim, O_WRONLY | O_CREAT, 0600);
	cr_assert(fd >= 0);
	close(fd);
	cr_assert_eq(qprx_publish_path("pubtest", path, sizeof(path)), 0);
	cr_assert_eq(symlink(victim, path), 0);
	cr_assert_eq(qprx_publish(path, NULL), -EEXIST);
	cr_assert_eq(lstat(victim, &st), 0);
	cr_assert(S_ISREG(st.st_mode), "the symlink's target was replaced");
	cr_assert_eq(lstat(path, &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	unlink(victim);
	cleanup("pubtest");
}
