/* SPDX-License-Identifier: MIT */
/* The proxy's filesystem socket, for systems without abstract unix sockets. */
#include "proxy/sock_fs.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/qmiusb-sockfs-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/qmi-proxy", dir);
	unlink(p);
	rmdir(dir);
}

TestSuite(sock_fs, .init = setup, .fini = teardown);

Test(sock_fs, listen_connect_accept)
{
	int l = qprx_fs_listen(dir, "qmi-proxy", 4), c, a;

	cr_assert_geq(l, 0);
	cr_assert(fcntl(l, F_GETFL) & O_NONBLOCK);
	cr_assert(fcntl(l, F_GETFD) & FD_CLOEXEC);
	cr_assert_eq(qprx_fs_accept(l), -EAGAIN);
	c = qprx_fs_connect(dir, "qmi-proxy");
	cr_assert_geq(c, 0);
	cr_assert(fcntl(c, F_GETFD) & FD_CLOEXEC);
	a = qprx_fs_accept(l);
	cr_assert_geq(a, 0);
	cr_assert(fcntl(a, F_GETFL) & O_NONBLOCK);
	cr_assert(fcntl(a, F_GETFD) & FD_CLOEXEC);
	cr_assert_eq(write(c, "x", 1), 1);
	char b;
	cr_assert_eq(read(a, &b, 1), 1);
	cr_assert_eq(b, 'x');
	close(a);
	close(c);
	close(l);
	qprx_fs_unlisten(dir, "qmi-proxy");
	cr_assert_eq(qprx_fs_connect(dir, "qmi-proxy"), -ENOENT, "the file went with the listener");
}

Test(sock_fs, a_live_proxy_keeps_its_socket_and_a_dead_one_is_replaced)
{
	int l = qprx_fs_listen(dir, "qmi-proxy", 4), l2;

	cr_assert_geq(l, 0);
	cr_assert_eq(qprx_fs_listen(dir, "qmi-proxy", 4), -EADDRINUSE);
	close(l); /* dies without unlinking: the file stays, nobody answers */
	l2 = qprx_fs_listen(dir, "qmi-proxy", 4);
	cr_assert_geq(l2, 0, "the stale file was replaced: %s", strerror(-l2));
	int c = qprx_fs_connect(dir, "qmi-proxy");
	cr_assert_geq(c, 0);
	close(c);
	close(l2);
}

Test(sock_fs, something_else_at_the_path_is_left_alone)
{
	char p[128];
	int fd;

	snprintf(p, sizeof(p), "%s/qmi-proxy", dir);
	fd = open(p, O_CREAT | O_WRONLY, 0600);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(qprx_fs_listen(dir, "qmi-proxy", 4), -EEXIST);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_assert(S_ISREG(st.st_mode));
}

Test(sock_fs, bad_names)
{
	char longname[200];

	cr_assert_eq(qprx_fs_listen(dir, "a/b", 4), -EINVAL);
	cr_assert_eq(qprx_fs_listen(dir, "", 4), -EINVAL);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	cr_assert_eq(qprx_fs_connect(dir, longname), -ENAMETOOLONG);
}
