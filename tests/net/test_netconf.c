/* SPDX-License-Identifier: MIT */
/* Routes that were already there, the route metric, the crash record and its recovery, and the
 * DNS modes (resolvconf and resolvectl replaced by recording fakes on PATH). */
#include "net/netconf.h"
#include "net/tun.h"
#include "netns.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[64];

static void setup(void)
{
	char path[600];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/qmiusb-netconf-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(path, sizeof(path), "%s/run", tmpdir);
	cr_assert_eq(mkdir(path, 0700), 0);
	setenv("QMIUSB_RUNDIR", path, 1);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "/bin/rm -rf '%s'", tmpdir);
	(void)!system(cmd);
}

TestSuite(netconf, .init = setup, .fini = teardown);

static struct qnet_ipconf sample(void)
{
	struct qnet_ipconf c = { .has_v4 = true, .v4_prefix = 30, .mtu = 1400, .routes = true };

	inet_pton(AF_INET, "10.64.1.2", &c.v4_addr);
	inet_pton(AF_INET, "10.64.0.53", &c.dns4[0]);
	inet_pton(AF_INET, "10.64.0.54", &c.dns4[1]);
	c.n_dns4 = 2;
	return c;
}

/* The output of a shell command, into buf. */
static const char *sh(char *buf, size_t cap, const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	size_t n;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	n = fread(buf, 1, cap - 1, p);
	buf[n] = '\0';
	pclose(p);
	return buf;
}

static void slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return;
	n = read(fd, buf, cap - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
}

static void spit(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static struct qnet_tun *tun_up(const char *name)
{
	struct qnet_tun *tun = NULL;
	char err[256] = "";

	enter_new_netns();
	cr_assert_eq(qnet_tun_open(&tun, name, err, sizeof(err)), 0, "%s", err);
	return tun;
}

/* Someone else's identical default route: reported as not added, and left in place after. */
Test(netconf, existing_route_is_not_ours)
{
	struct qnet_tun *tun = tun_up("qtest0");
	struct qnet_netconf *nc = NULL;
	struct qnet_ipconf c = sample();
	char err[256] = "", out[512];

	/* The user's own address too: the kernel drops a device's IPv4 routes with its last
	 * address, which is not what this test is about. */
	cr_assert_eq(system("ip link set dev qtest0 up && ip addr add 192.0.2.9/32 dev qtest0 && "
			    "ip route add default dev qtest0 metric 700"),
		     0);
	cr_assert_eq(qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(c.routes_added, 0u);
	cr_assert_eq(c.routes_existed, QNET_ROUTE_V4);
	cr_assert(strstr(sh(out, sizeof(out), "ip route show default dev qtest0"), "metric 700"),
		  "'%s'", out);
	qnet_netconf_undo(nc);
	cr_assert(strstr(sh(out, sizeof(out), "ip route show default dev qtest0"), "metric 700"),
		  "the user's route was removed: '%s'", out);
	qnet_tun_close(tun);
}

Test(netconf, metric_is_used_and_route_removed)
{
	struct qnet_tun *tun = tun_up("qtest0");
	struct qnet_netconf *nc = NULL;
	struct qnet_ipconf c = sample();
	char err[256] = "", out[512];

	c.route_metric = 1234;
	cr_assert_eq(qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(c.routes_added, QNET_ROUTE_V4);
	cr_assert(strstr(sh(out, sizeof(out), "ip route show default dev qtest0"), "metric 1234"),
		  "%s", out);
	qnet_netconf_undo(nc);
	cr_assert_str_eq(sh(out, sizeof(out), "ip route show default dev qtest0"), "");
	qnet_tun_close(tun);
}

static bool has_record(const char *owner_prefix)
{
	char path[600];
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof(path), "%s/run", tmpdir);
	d = opendir(path);
	cr_assert_not_null(d);
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, owner_prefix, strlen(owner_prefix)))
			found = true;
	closedir(d);
	return found;
}

/* A connect killed while up leaves routes, address and DNS on a persistent TUN; the next one's
 * recovery takes exactly those away, and nothing of another device's live connect. */
Test(netconf, recover_after_kill)
{
	char err[256] = "", out[512], dns[600], text[256], *rep = NULL;
	struct qnet_ipconf c = sample();
	size_t replen = 0;
	FILE *report;
	pid_t pid;
	int st;

	enter_new_netns();
	cr_assert_eq(system("ip tuntap add dev wwkill mode tun"), 0);
	snprintf(dns, sizeof(dns), "%s/resolv.conf", tmpdir);
	c.dns_mode = QNET_DNS_FILE;
	c.dns_path = dns;
	c.record_owner = "sim";
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct qnet_tun *tun = NULL;
		struct qnet_netconf *nc = NULL;

		if (qnet_tun_open(&tun, "wwkill", err, sizeof(err)) ||
		    qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err)))
			_exit(1);
		_exit(c.dns_done ? 0 : 2); /* no teardown: as SIGKILLed */
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%d", st);
	cr_assert(strstr(sh(out, sizeof(out), "ip route show default dev wwkill"), "metric 700"));
	cr_assert(strstr(sh(out, sizeof(out), "ip addr show dev wwkill"), "10.64.1.2/30"));
	slurp(dns, text, sizeof(text));
	cr_assert(strstr(text, "nameserver 10.64.0.53\n"), "%s", text);
	cr_assert(has_record("sim."));

	report = open_memstream(&rep, &replen);
	cr_assert_eq(qnet_netconf_recover("other", report), 0);
	cr_assert(has_record("sim."));
	cr_assert_eq(qnet_netconf_recover("sim", report), 1);
	fclose(report);
	cr_assert(strstr(rep, "undoing what a previous connect left on wwkill: default routes "
			      "addresses link settings DNS"),
		  "%s", rep);
	cr_assert_str_eq(sh(out, sizeof(out), "ip route show default dev wwkill"), "");
	cr_assert_not(strstr(sh(out, sizeof(out), "ip addr show dev wwkill"), "10.64.1.2"));
	cr_assert_neq(access(dns, F_OK), 0, "the DNS file we created is still there");
	cr_assert_not(has_record("sim."));
	cr_assert_eq(qnet_netconf_recover("sim", NULL), 0);
	free(rep);
}

/* A program on PATH that appends its arguments and its standard input to tmpdir/log. */
static void fake(const char *name)
{
	char path[600], script[800];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	snprintf(script, sizeof(script), "#!/bin/sh\necho \"%s $*\" >> '%s/log'\n%s", name, tmpdir,
		 strcmp(name, "resolvconf") ? "" : "cat >> \"$(dirname $0)/log\"\n");
	spit(path, script);
	cr_assert_eq(chmod(path, 0755), 0);
	snprintf(path, sizeof(path), "%s:%s", tmpdir, getenv("PATH"));
	setenv("PATH", path, 1);
}

Test(netconf, dns_resolvconf)
{
	struct qnet_tun *tun = tun_up("qtest0");
	struct qnet_netconf *nc = NULL;
	struct qnet_ipconf c = sample();
	char err[256] = "", log[600], text[512];

	fake("resolvconf");
	c.dns_mode = QNET_DNS_RESOLVCONF;
	cr_assert_eq(qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err)),
		     0, "%s", err);
	cr_assert(c.dns_done, "%s", c.dns_note);
	snprintf(log, sizeof(log), "%s/log", tmpdir);
	slurp(log, text, sizeof(text));
	cr_assert_str_eq(text, "resolvconf -a qtest0.qmiusb\n"
			       "nameserver 10.64.0.53\nnameserver 10.64.0.54\n");
	qnet_netconf_undo(nc);
	slurp(log, text, sizeof(text));
	cr_assert(strstr(text, "\nresolvconf -d qtest0.qmiusb\n"), "%s", text);
	qnet_tun_close(tun);
}

Test(netconf, dns_resolved)
{
	struct qnet_tun *tun = tun_up("qtest0");
	struct qnet_netconf *nc = NULL;
	struct qnet_ipconf c = sample();
	char err[256] = "", log[600], text[512];

	fake("resolvectl");
	c.dns_mode = QNET_DNS_RESOLVED;
	cr_assert_eq(qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err)),
		     0, "%s", err);
	cr_assert(c.dns_done, "%s", c.dns_note);
	qnet_netconf_undo(nc);
	snprintf(log, sizeof(log), "%s/log", tmpdir);
	slurp(log, text, sizeof(text));
	cr_assert_str_eq(text, "resolvectl dns qtest0 10.64.0.53 10.64.0.54\n"
			       "resolvectl revert qtest0\n");
	qnet_tun_close(tun);
}

Test(netconf, dns_tool_missing)
{
	struct qnet_tun *tun = tun_up("qtest0");
	struct qnet_netconf *nc = NULL;
	struct qnet_ipconf c = sample();
	char err[256] = "";

	setenv("PATH", tmpdir, 1); /* nothing in it */
	c.dns_mode = QNET_DNS_RESOLVED;
	cr_assert_eq(qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_not(c.dns_done);
	cr_assert_str_eq(c.dns_note, "resolvectl dns qtest0 failed: resolvectl is not installed");
	qnet_netconf_undo(nc);
	qnet_tun_close(tun);
}

/* An existing file is refused without force; with it, ours go first and come out again. */
Test(netconf, dns_file_existing)
{
	static const char user[] = "search example.org\nnameserver 192.0.2.1\n";
	struct qnet_tun *tun = tun_up("qtest0");
	struct qnet_netconf *nc = NULL;
	struct qnet_ipconf c = sample();
	char err[256] = "", path[600], text[512], note[700];

	snprintf(path, sizeof(path), "%s/resolv.conf", tmpdir);
	spit(path, user);
	c.dns_mode = QNET_DNS_FILE;
	c.dns_path = path;
	cr_assert_eq(qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_not(c.dns_done);
	snprintf(note, sizeof(note), "%s exists: not overwritten (--dns-force replaces it)", path);
	cr_assert_str_eq(c.dns_note, note);
	slurp(path, text, sizeof(text));
	cr_assert_str_eq(text, user);
	qnet_netconf_undo(nc);
	slurp(path, text, sizeof(text));
	cr_assert_str_eq(text, user);

	c.dns_force = true;
	cr_assert_eq(qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err)),
		     0, "%s", err);
	cr_assert(c.dns_done, "%s", c.dns_note);
	slurp(path, text, sizeof(text));
	cr_assert_str_eq(text, "# written by qmiusb connect\nnameserver 10.64.0.53\n"
			       "nameserver 10.64.0.54\nsearch example.org\nnameserver 192.0.2.1\n");
	qnet_netconf_undo(nc);
	slurp(path, text, sizeof(text));
	cr_assert_str_eq(text, user);
	qnet_tun_close(tun);
}

Test(netconf, dns_file_unwritable)
{
	struct qnet_tun *tun = tun_up("qtest0");
	struct qnet_netconf *nc = NULL;
	struct qnet_ipconf c = sample();
	char err[256] = "";

	c.dns_mode = QNET_DNS_FILE;
	c.dns_path = "/nonexistent-dir/resolv.conf";
	cr_assert_eq(qnet_netconf_apply(&nc, tun->ifindex, tun->name, &c, stderr, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_not(c.dns_done);
	cr_assert_str_eq(c.dns_note,
			 "couldn't write /nonexistent-dir/resolv.conf: No such file or directory");
	qnet_netconf_undo(nc);
	qnet_tun_close(tun);
}

Test(netconf, dns_mode_parse)
{
	enum qnet_dns_mode m;
	const char *p;

	cr_assert_eq(qnet_dns_mode_parse("file:/x", &m, &p), 0);
	cr_assert_eq(m, QNET_DNS_FILE);
	cr_assert_str_eq(p, "/x");
	cr_assert_eq(qnet_dns_mode_parse("resolved", &m, &p), 0);
	cr_assert_eq(m, QNET_DNS_RESOLVED);
	cr_assert_eq(qnet_dns_mode_parse("file:", &m, &p), -EINVAL);
	cr_assert_eq(qnet_dns_mode_parse("systemd", &m, &p), -EINVAL);
}
