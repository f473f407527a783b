/* SPDX-License-Identifier: MIT */
/* Who may use the proxy: SO_PEERCRED against root, the proxy's user, --allow-user and
 * --allow-group (supplementary groups included). */
#include <criterion/criterion.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/loop.h"
#include "proxy/harness.h"
#include "proxy/srv.h"
#include "qmi/device.h"
#include "qmi/errors.h"
#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/tlv.h"

struct user_try {
	uid_t uid;
	gid_t gid;
};

static int try_as_user(struct fx *fx, void *arg)
{
	struct user_try *u = arg;
	struct qmi_transport tr;
	int ret;

	if (setgroups(0, NULL) < 0 || setgid(u->gid) < 0 || setuid(u->uid) < 0)
		return 10;
	ret = qprx_client_transport_open(&tr, fx->sock, fx->pub, NULL, NULL);
	if (ret == 0) {
		qmi_transport_destroy(&tr);
		return 0;
	}
	return ret == -EACCES ? 1 : 20;
}

Test(proxy_access, peer_credentials_refuse_other_users)
{
	struct qprx_server_opts o = { 0 };
	struct user_try nobody = { 65534, 65534 };
	struct fx fx;

	if (geteuid() != 0)
		cr_skip_test("needs root to become another user");
	fx_setup(&fx, &o, NULL);
	cr_assert_eq(run_child(&fx, try_as_user, &nobody), 1, "uid 65534 was not refused");
	cr_assert_eq(fx_stats(&fx).refused, 1);
	cr_assert_eq(fx_stats(&fx).clients, 0);
	fx_teardown(&fx);
}

Test(proxy_access, allow_user_and_allow_group_admit)
{
	struct qprx_server_opts o = { .has_allow_user = true, .allow_user = 65534 };
	struct qprx_server_opts og = { .has_allow_group = true, .allow_group = 4242 };
	struct user_try nobody = { 65534, 65534 }, member = { 4343, 4242 }, other = { 4343, 4343 };
	struct fx fx;

	if (geteuid() != 0)
		cr_skip_test("needs root to become another user");
	fx_setup(&fx, &o, NULL);
	cr_assert_eq(run_child(&fx, try_as_user, &nobody), 0, "--allow-user was refused");
	fx_teardown(&fx);
	fx_setup(&fx, &og, NULL);
	cr_assert_eq(run_child(&fx, try_as_user, &member), 0, "a primary group member was refused");
	cr_assert_eq(run_child(&fx, try_as_user, &other), 1, "a non-member was admitted");
	fx_teardown(&fx);
}

static void bind_over(const char *file, const char *extra_line)
{
	char tmp[128], buf[1 << 16];
	FILE *in, *out;
	size_t n;

	snprintf(tmp, sizeof(tmp), "/tmp/qmiusb-test-%d-%s", (int)getpid(), strrchr(file, '/') + 1);
	in = fopen(file, "r");
	out = fopen(tmp, "w");
	cr_assert(in && out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		cr_assert_eq(fwrite(buf, 1, n, out), n);
	fprintf(out, "%s\n", extra_line);
	fclose(in);
	fclose(out);
	cr_assert_eq(mount(tmp, file, NULL, MS_BIND, NULL), 0, "bind %s: %s", file,
		     strerror(errno));
	unlink(tmp); /* the mount keeps it alive */
}

Test(proxy_access, allow_group_admits_supplementary_members)
{
	/* SO_PEERCRED carries only the primary gid: membership through /etc/group must be
	 * looked up. A private mount namespace gives this test its own user and group. */
	struct qprx_server_opts o = { .has_allow_group = true, .allow_group = 4242 };
	struct user_try member = { 4343, 4343 }, stranger = { 4344, 4344 };
	struct fx fx;

	if (geteuid() != 0)
		cr_skip_test("needs root for a mount namespace and another user");
	if (unshare(CLONE_NEWNS) < 0)
		cr_skip_test("no mount namespace: %s", strerror(errno));
	cr_assert_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	bind_over("/etc/passwd", "qmiusbtu:x:4343:4343::/:/bin/false\n"
				 "qmiusbts:x:4344:4344::/:/bin/false");
	bind_over("/etc/group", "qmiusbtg:x:4242:qmiusbtu");
	fx_setup(&fx, &o, NULL);
	cr_assert_eq(run_child(&fx, try_as_user, &member), 0, "a supplementary member was refused");
	cr_assert_eq(run_child(&fx, try_as_user, &stranger), 1, "a non-member was admitted");
	fx_teardown(&fx);
}
