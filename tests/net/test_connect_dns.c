/* SPDX-License-Identifier: MIT */
/*
 * `connect --dns` against the real resolvers' tools, not the recording fakes of net_netconf:
 * openresolv's resolvconf (Debian's package, installed by scripts/install-deps) and, where
 * systemd-resolved runs, resolvectl. Each test runs in namespaces of its own: a network
 * namespace for the TUN and routes, and a mount namespace in which openresolv's configuration
 * points its resolv.conf and its records at the test's directory, so the host's resolver is
 * never touched.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "connect_harness.h"
#include "netns.h"

#define RESOLVCONF "/sbin/resolvconf"
#define RESOLVCONF_CONF "/etc/resolvconf.conf"

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

/* The file's text into buf ("" when it is missing). */
static const char *read_text(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	buf[0] = '\0';
	if (!f)
		return buf;
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* openresolv, not Debian's other resolvconf (which has neither a configuration file nor a
 * state_dir setting): its -v prints the variables of its configuration. */
static bool is_openresolv(void)
{
	char out[256];

	return access(RESOLVCONF, X_OK) == 0 && access(RESOLVCONF_CONF, R_OK) == 0 &&
	       strstr(cmd_output(out, sizeof(out), RESOLVCONF " -v 2>/dev/null"), "NAMESERVERS=");
}

/* A private mount namespace where /etc/resolvconf.conf is the test's: openresolv then writes
 * dir/resolv.conf and keeps its records under dir/state. */
static void private_openresolv(const char *dir)
{
	char conf[128], text[384];

	cr_assert_eq(unshare(CLONE_NEWNS), 0, "unshare(CLONE_NEWNS): %s", strerror(errno));
	cr_assert_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0, "%s", strerror(errno));
	snprintf(conf, sizeof(conf), "%s/resolvconf.conf", dir);
	snprintf(text, sizeof(text), "resolv_conf=%s/resolv.conf\nstate_dir=%s/state\n", dir, dir);
	write_text(conf, text);
	cr_assert_eq(mount(conf, RESOLVCONF_CONF, NULL, MS_BIND, NULL), 0, "bind %s: %s", conf,
		     strerror(errno));
}

Test(connect_dns, openresolv_records_added_and_removed)
{
	const char *args[] = { "connect", "--ifname", "wwdns0",     "--no-share", "--ip-type",
			       "4v6",     "--dns",    "resolvconf", NULL };
	char path[128], text[2048];
	struct child r;

	if (!is_openresolv())
		cr_skip_test("openresolv is not installed (%s, %s): scripts/install-deps installs "
			     "it",
			     RESOLVCONF, RESOLVCONF_CONF);
	enter_new_netns();
	test_rundir_make("/tmp/qmiusb-dns-XXXXXX");
	private_openresolv(test_rundir);
	snprintf(path, sizeof(path), "%s/resolv.conf", test_rundir);

	child_start_sim(&r, args);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "DNS handed to resolvconf"), "%s", r.out);
	/* What openresolv made of our record: the modem's servers, both families. */
	read_text(path, text, sizeof(text));
	cr_assert(strstr(text, "nameserver 10.64.255.53\n"), "resolv.conf:\n%s\n%s", text, r.out);
	cr_assert(strstr(text, "nameserver 2001:db8:ffff::53\n") ||
			  strstr(text, "nameserver 2001:db8:ffff:0:"),
		  "resolv.conf:\n%s", text);
	cr_assert(strstr(cmd_output(text, sizeof(text), RESOLVCONF " -l 'wwdns0*'"),
			 "10.64.255.53"),
		  "openresolv has no record for the interface:\n%s", text);

	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	/* Ours is gone; openresolv regenerated the file without it. */
	cr_assert(!strstr(read_text(path, text, sizeof(text)), "10.64.255.53"),
		  "resolv.conf kept the modem's server:\n%s", text);
	cr_assert(!strstr(cmd_output(text, sizeof(text), RESOLVCONF " -l 'wwdns0*'"),
			  "10.64.255.53"),
		  "openresolv kept the record:\n%s", text);
}

/* systemd-resolved's per-link servers through resolvectl: only where resolved runs (a test
 * cannot start it: it needs D-Bus and is the host's resolver). */
Test(connect_dns, resolved_link_servers_added_and_removed)
{
	const char *args[] = { "connect", "--ifname", "wwdns1",      "--no-share",
			       "--dns",   "resolved", "--no-routes", NULL };
	char text[2048];
	struct child r;

	if (system("resolvectl status >/dev/null 2>&1") != 0)
		cr_skip_test("systemd-resolved is not running here (resolvectl status fails): "
			     "resolvectl is tested with a recording fake in net_netconf only");
	/* resolved sees links by index in its own namespace: the host's. */
	test_rundir_make("/tmp/qmiusb-dns-XXXXXX");
	child_start_sim(&r, args);
	child_wait_up(&r);
	cr_assert(strstr(r.out, "DNS handed to systemd-resolved"), "%s", r.out);
	cr_assert(strstr(cmd_output(text, sizeof(text), "resolvectl dns wwdns1"), "10.64.255.53"),
		  "%s", text);
	cr_assert_eq(child_stop(&r, SIGTERM), 0, "%s", r.out);
	cr_assert(!strstr(cmd_output(text, sizeof(text), "resolvectl dns wwdns1 2>&1"),
			  "10.64.255.53"),
		  "%s", text);
}
