/* SPDX-License-Identifier: MIT */
/*
 * The proxy's name as a socket file, NAME.sock, in the runtime directory (sock_path.c), built
 * where there are no abstract names and on Linux with QMIUSB_PORTABLE_PATHS; skipped on an
 * abstract build.
 */
#include "proxy/sock.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], file[128];

static void setup(void)
{
	if (qprx_abstract)
		return;
	snprintf(dir, sizeof(dir), "/tmp/qmiusb-sockpath-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/qmi-proxy.sock", dir);
	setenv("QMIUSB_RUNDIR", dir, 1);
}

static void teardown(void)
{
	if (qprx_abstract)
		return;
	unlink(file);
	rmdir(dir);
	unsetenv("QMIUSB_RUNDIR");
}

TestSuite(sock_path, .init = setup, .fini = teardown);

/* Each test starts with it, so every test reports the skip. */
#define NEED_PATH()                                                                                \
	do {                                                                                       \
		if (qprx_abstract)                                                                 \
			cr_skip_test("this build's proxy names are abstract");                     \
	} while (0)

Test(sock_path, the_name_is_a_file_in_the_runtime_directory_until_unlisten)
{
	struct stat st;
	int l, c;

	NEED_PATH();
	l = qprx_listen("qmi-proxy", 4);
	cr_assert_geq(l, 0, "qprx_listen: %s", strerror(-l));
	cr_assert_eq(lstat(file, &st), 0);
	cr_assert(S_ISSOCK(st.st_mode));
	c = qprx_connect("qmi-proxy");
	cr_assert_geq(c, 0, "qprx_connect: %s", strerror(-c));
	close(c);
	cr_assert_eq(qprx_listen("qmi-proxy", 4), -EADDRINUSE, "a live proxy was displaced");
	close(l);
	qprx_unlisten("qmi-proxy");
	cr_assert_eq(lstat(file, &st), -1, "the socket file outlived the proxy");
	cr_assert_eq(qprx_connect("qmi-proxy"), -ENOENT);
}

Test(sock_path, a_runtime_directory_others_may_write_is_refused)
{
	int l;

	NEED_PATH();
	cr_assert_eq(chmod(dir, 0777), 0);
	l = qprx_listen("qmi-proxy", 4);
	cr_assert_eq(l, -EPERM, "listened in a world-writable directory (%d)", l);
	cr_assert_eq(qprx_connect("qmi-proxy"), -EPERM);
	cr_assert_eq(chmod(dir, 0700), 0);
}

Test(sock_path, the_directory_is_created_when_missing)
{
	int l;

	NEED_PATH();
	cr_assert_eq(rmdir(dir), 0);
	l = qprx_listen("qmi-proxy", 4);
	cr_assert_geq(l, 0, "qprx_listen: %s", strerror(-l));
	close(l);
	qprx_unlisten("qmi-proxy");
}
