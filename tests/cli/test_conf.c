/* SPDX-License-Identifier: MIT */
/* The configuration file (cli/conf.c, conf_load.c): every key and value rule on strings, then
 * finding the file, its ownership and permissions, and the secret files. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/conf.h"

#define HAS(hay, needle) cr_assert(strstr((hay), (needle)), "missing <%s> in:\n%s", (needle), (hay))
#define HASNT(hay, needle)                                                                         \
	cr_assert(!strstr((hay), (needle)), "unexpected <%s> in:\n%s", (needle), (hay))

static struct qcli_conf conf;
static char err[QCLI_CONF_ERRLEN];

static int parse(const char *text)
{
	qcli_conf_clear(&conf);
	return qcli_conf_parse(&conf, text, strlen(text), "/etc/qmiusb/t.conf", err, sizeof(err));
}

/* text must be refused with exactly this "file:line: message" start. */
static void refused(const char *text, const char *want)
{
	cr_assert_eq(parse(text), -EINVAL, "accepted:\n%s", text);
	HAS(err, want);
	qcli_conf_clear(&conf);
}

static void fini(void)
{
	qcli_conf_clear(&conf);
}

TestSuite(conf, .fini = fini);

Test(conf, every_key_is_read)
{
	cr_assert_eq(parse("# home router\n"
			   "device = usb:2c7c:0125\n"
			   "apn=internet.example\n"
			   "  ip-type =  4v6  \n"
			   "; another comment\n"
			   "\n"
			   "auth = chap\n"
			   "user = john doe\n"
			   "password-file = /etc/qmiusb/home.password\n"
			   "pin-file = home.pin\n"
			   "ifname = wwan0\n"
			   "metric = 4294967295\n"
			   "dns = file:/run/qmiusb/resolv.conf\r\n"
			   "data-format = auto"),
		     0, "%s", err);
	cr_assert_str_eq(conf.path, "/etc/qmiusb/t.conf");
	cr_assert_str_eq(conf.device, "usb:2c7c:0125");
	cr_assert_str_eq(conf.apn, "internet.example");
	cr_assert_eq(conf.ip_type, QCLI_CONF_IP_4V6);
	cr_assert_eq(conf.auth, QCLI_CONF_AUTH_CHAP);
	cr_assert_str_eq(conf.user, "john doe");
	cr_assert_str_eq(conf.password_file, "/etc/qmiusb/home.password");
	cr_assert_eq(conf.password_line, 9);
	/* A relative name is the configuration directory's, not the working directory's. */
	cr_assert_str_eq(conf.pin_file, "/etc/qmiusb/home.pin");
	cr_assert_eq(conf.pin_line, 10);
	cr_assert_str_eq(conf.ifname, "wwan0");
	cr_assert(conf.has_metric);
	cr_assert_eq(conf.metric, 4294967295u);
	cr_assert_eq(conf.dns, QCLI_CONF_DNS_FILE);
	cr_assert_str_eq(conf.dns_file, "/run/qmiusb/resolv.conf");
	cr_assert_eq(conf.data_format, QCLI_CONF_FORMAT_AUTO);
	/* parse() reads no secret file. */
	cr_assert_null(conf.password);
	cr_assert_null(conf.pin);
}

Test(conf, nothing_set_is_nothing_set)
{
	cr_assert_eq(parse("# only comments\n\n   \n"), 0);
	cr_assert_null(conf.device);
	cr_assert_null(conf.apn);
	cr_assert_eq(conf.ip_type, QCLI_CONF_IP_UNSET);
	cr_assert_eq(conf.auth, QCLI_CONF_AUTH_UNSET);
	cr_assert_eq(conf.dns, QCLI_CONF_DNS_UNSET);
	cr_assert_eq(conf.data_format, QCLI_CONF_FORMAT_UNSET);
	cr_assert_not(conf.has_metric);
	cr_assert_eq(parse(""), 0);
}

Test(conf, each_enumerated_value)
{
	static const struct {
		const char *text;
		int want;
		int *got;
	} rows[] = {
		{ "ip-type = 4", QCLI_CONF_IP_4, (int *)&conf.ip_type },
		{ "ip-type = 6", QCLI_CONF_IP_6, (int *)&conf.ip_type },
		{ "auth = none", QCLI_CONF_AUTH_NONE, (int *)&conf.auth },
		{ "auth = pap", QCLI_CONF_AUTH_PAP, (int *)&conf.auth },
		{ "auth = both", QCLI_CONF_AUTH_BOTH, (int *)&conf.auth },
		{ "dns = resolvconf", QCLI_CONF_DNS_RESOLVCONF, (int *)&conf.dns },
		{ "dns = resolved", QCLI_CONF_DNS_RESOLVED, (int *)&conf.dns },
		{ "dns = none", QCLI_CONF_DNS_NONE, (int *)&conf.dns },
		{ "data-format = raw-ip", QCLI_CONF_FORMAT_RAW_IP, (int *)&conf.data_format },
		{ "data-format = qmap", QCLI_CONF_FORMAT_QMAP, (int *)&conf.data_format },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cr_assert_eq(parse(rows[i].text), 0, "%s: %s", rows[i].text, err);
		cr_assert_eq(*rows[i].got, rows[i].want, "%s", rows[i].text);
	}
	cr_assert_str_eq(qcli_conf_ip_name(QCLI_CONF_IP_4V6), "4v6");
	cr_assert_str_eq(qcli_conf_auth_name(QCLI_CONF_AUTH_BOTH), "both");
	cr_assert_str_eq(qcli_conf_dns_name(QCLI_CONF_DNS_RESOLVED), "resolved");
	cr_assert_str_eq(qcli_conf_format_name(QCLI_CONF_FORMAT_RAW_IP), "raw-ip");
	cr_assert_str_eq(qcli_conf_format_name(QCLI_CONF_FORMAT_UNSET), "");
}

Test(conf, devices_as_d_takes_them)
{
	const char *ok[] = { "sim",         "usb",       "usb:2c7c:0125:4",
			     "usb:001:005", "usb:1-1.2", "usb:serial=ABC123" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char text[64];

		snprintf(text, sizeof(text), "device = %s", ok[i]);
		cr_assert_eq(parse(text), 0, "%s: %s", text, err);
		cr_assert_str_eq(conf.device, ok[i]);
	}
	refused("device = modem0", "/etc/qmiusb/t.conf:1: device: ");
	refused("device = usb:zz:01", "/etc/qmiusb/t.conf:1: device: ");
}

Test(conf, bad_values_name_file_line_and_rule)
{
	refused("\n\nip-type = 5", "/etc/qmiusb/t.conf:3: ip-type: 4, 6 or 4v6");
	refused("auth = md5", "t.conf:1: auth: none, pap, chap or both");
	refused("data-format = qmap5", "t.conf:1: data-format: raw-ip, qmap or auto");
	refused("dns = systemd", "t.conf:1: dns: resolvconf, resolved, file:PATH or none");
	refused("dns = file", "t.conf:1: dns: resolvconf, resolved, file:PATH or none");
	refused("dns = file:resolv.conf", "t.conf:1: dns: file:PATH needs an absolute PATH");
	refused("metric = -1", "t.conf:1: metric: a route metric is a number from 0 to 4294967295");
	refused("metric = 4294967296", "t.conf:1: metric: a route metric");
	refused("metric = 99999999999999999999999", "t.conf:1: metric: a route metric");
	refused("metric = 0x10", "t.conf:1: metric: a route metric");
	refused("metric = 7 00", "t.conf:1: metric: a route metric");
	refused("ifname = wwan0123456789012", "t.conf:1: ifname: not an interface name");
	refused("ifname = ..", "t.conf:1: ifname: not an interface name");
	refused("ifname = a/b", "t.conf:1: ifname: not an interface name");
	refused("ifname = wwan:0", "t.conf:1: ifname: not an interface name");
	refused("ifname = ww an", "t.conf:1: ifname: not an interface name");
	refused("apn = my apn",
		"t.conf:1: apn: at most 100 characters, printable and without spaces");
	refused("apn = caf\xc3\xa9", "t.conf:1: apn: at most 100");
	refused("user = a\tb", "t.conf:1: user: at most 127 printable characters");
	cr_assert_eq(parse("ifname = 123456789012345"), 0, "%s", err); /* 15: the limit */
	cr_assert_eq(parse("metric = 0"), 0, "%s", err);
	cr_assert(conf.has_metric);
}

Test(conf, long_values_at_and_over_their_limits)
{
	char text[400];

	snprintf(text, sizeof(text), "apn = %0100d", 0);
	cr_assert_eq(parse(text), 0, "%s", err);
	snprintf(text, sizeof(text), "apn = %0101d", 0);
	refused(text, "t.conf:1: apn: at most 100");
	snprintf(text, sizeof(text), "user = %0127d", 0);
	cr_assert_eq(parse(text), 0, "%s", err);
	snprintf(text, sizeof(text), "user = %0128d", 0);
	refused(text, "t.conf:1: user: at most 127");
}

Test(conf, syntax_errors)
{
	refused("apn internet", "t.conf:1: expected 'key = value'");
	refused("= internet", "t.conf:1: expected 'key = value' (no key before '=')");
	refused("apn =", "t.conf:1: apn needs a value");
	refused("apn =   \t", "t.conf:1: apn needs a value");
	refused("Apn = internet", "t.conf:1: unknown key 'Apn'");
	refused("apn = a\nfoo = bar", "t.conf:2: unknown key 'foo'");
	refused("apn = a\n\n# c\napn = b\n", "t.conf:4: apn is set twice (first on line 1)");
}

/* Each [pdn] is a session of its own; the keys above the first are the connection's. */
Test(conf, pdn_sections)
{
	cr_assert_eq(parse("apn = a\nip-type = 4\n"
			   "[pdn]\napn = internet\nifname = wwan0\n"
			   "[pdn]\napn = ims\nip-type = 6\nauth = pap\nuser = u\n"
			   "password-file = ims.password\nprofile = 3\nroutes = yes\n"),
		     0, "%s", err);
	cr_assert_str_eq(conf.apn, "a");
	cr_assert_eq(conf.ip_type, QCLI_CONF_IP_4);
	cr_assert_eq(conf.n_pdn, 2);
	cr_assert_str_eq(conf.pdn[0].apn, "internet");
	cr_assert_str_eq(conf.pdn[0].ifname, "wwan0");
	cr_assert_eq(conf.pdn[0].ip_type, QCLI_CONF_IP_UNSET);
	cr_assert_eq(conf.pdn[0].profile, -1);
	cr_assert_eq(conf.pdn[0].routes, -1);
	cr_assert_str_eq(conf.pdn[1].apn, "ims");
	cr_assert_eq(conf.pdn[1].ip_type, QCLI_CONF_IP_6);
	cr_assert_eq(conf.pdn[1].auth, QCLI_CONF_AUTH_PAP);
	cr_assert_str_eq(conf.pdn[1].user, "u");
	cr_assert_str_eq(conf.pdn[1].password_file, "/etc/qmiusb/ims.password");
	cr_assert_eq(conf.pdn[1].password_line, 11);
	cr_assert_eq(conf.pdn[1].profile, 3);
	cr_assert_eq(conf.pdn[1].routes, 1);

	refused("  [main]", "t.conf:1: the only section is [pdn] (one per session)");
	refused("[pdn]\ndevice = sim\n", "t.conf:2: 'device' is not a [pdn] key (apn, ip-type");
	refused("[pdn]\napn = a\napn = b\n",
		"t.conf:3: apn is set twice in this [pdn] (first on line 2)");
	refused("[pdn]\nroutes = maybe\n", "t.conf:2: routes: yes");
	refused("[pdn]\nprofile = 0\n", "t.conf:2: profile: a profile number from 1 to 255");
	refused("[pdn]\nprofile = 256\n", "t.conf:2: profile:");
	refused("[pdn]\napn = a b\n", "t.conf:2: apn: at most 100 characters");
	refused("[pdn]\nip-type = 5\n", "t.conf:2: ip-type: 4, 6 or 4v6");
	refused("[pdn]\napn =\n", "t.conf:2: apn needs a value");
	refused("[pdn]\npassword = x\n", "t.conf:2: 'password' is not a [pdn] key");
	refused("[pdn]\n[pdn]\n[pdn]\n[pdn]\n[pdn]\n[pdn]\n[pdn]\n[pdn]\n[pdn]\n",
		"t.conf:9: at most 8 [pdn] sections");
}

Test(conf, secrets_are_never_written_in_the_file_nor_quoted)
{
	refused("password = hunter2", "t.conf:1: unknown key 'password': secrets are not written "
				      "in this file; name a file holding it with password-file");
	HASNT(err, "hunter2");
	refused("pin = 1234", "name a file holding it with pin-file");
	HASNT(err, "1234");
	/* A line without '=' could be a secret pasted in by mistake: it is not echoed. */
	refused("hunter2", "t.conf:1: expected 'key = value'");
	HASNT(err, "hunter2");
}

Test(conf, a_nul_byte_or_a_huge_line_is_refused)
{
	static const char nul[] = "apn = a\0b\n";
	char *big = malloc(5000);

	cr_assert_eq(qcli_conf_parse(&conf, nul, sizeof(nul) - 1, "/x/t.conf", err, sizeof(err)),
		     -EINVAL);
	HAS(err, "/x/t.conf: not a text file (it contains a NUL byte)");
	qcli_conf_clear(&conf);
	memset(big, 'a', 4999);
	memcpy(big, "apn = ", 6);
	big[4999] = '\0';
	refused(big, "t.conf:1: line longer than 4096 bytes");
	free(big);
}

Test(conf, a_name_without_directory_keeps_relative_files_as_written)
{
	cr_assert_eq(qcli_conf_parse(&conf, "pin-file = x.pin", 16, "t.conf", err, sizeof(err)), 0);
	cr_assert_str_eq(conf.pin_file, "x.pin");
}

/* --- the files ------------------------------------------------------------------------------ */

static char dir[] = "/tmp/qmiusb-conf-XXXXXX";

static void put(const char *name, const char *text, mode_t mode)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
}

static void files_init(void)
{
	cr_assert_not_null(mkdtemp(dir));
	setenv("QMIUSB_CONFDIR", dir, 1);
}

static void files_fini(void)
{
	char cmd[300];

	qcli_conf_clear(&conf);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
	unsetenv("QMIUSB_CONFDIR");
}

TestSuite(conf_files, .init = files_init, .fini = files_fini);

static int load(const char *name)
{
	qcli_conf_clear(&conf);
	return qcli_conf_load(&conf, name, err, sizeof(err));
}

Test(conf_files, a_name_is_found_in_the_directory_with_its_secrets)
{
	char want[300];

	put("home.conf", "apn = internet\npassword-file = home.password\npin-file = pin\n", 0644);
	put("home.password", "s3cret pass\n\n", 0600);
	put("pin", "1234\r\n", 0400);
	cr_assert_eq(load("home"), 0, "%s", err);
	snprintf(want, sizeof(want), "%s/home.conf", dir);
	cr_assert_str_eq(conf.path, want);
	cr_assert_str_eq(conf.apn, "internet");
	cr_assert_str_eq(conf.password, "s3cret pass");
	cr_assert_str_eq(conf.pin, "1234");
	/* A path works too. */
	cr_assert_eq(load(want), 0, "%s", err);
	cr_assert_str_eq(conf.pin, "1234");
}

/* A [pdn]'s password file follows the same rules as the top-level one. */
Test(conf_files, a_pdn_password_is_read_and_checked)
{
	put("two.conf", "apn = a\n[pdn]\napn = b\n[pdn]\npassword-file = two.password\n", 0644);
	put("two.password", "pdn secret\n", 0644);
	cr_assert_eq(load("two"), -EACCES, "%s", err);
	HASNT(err, "pdn secret");
	put("two.password", "pdn secret\n", 0600);
	cr_assert_eq(load("two"), 0, "%s", err);
	cr_assert_eq(conf.n_pdn, 2);
	cr_assert_null(conf.pdn[0].password);
	cr_assert_str_eq(conf.pdn[1].password, "pdn secret");
}

Test(conf_files, a_missing_configuration_says_where_it_looked)
{
	char want[300];

	cr_assert_eq(load("nothere"), -ENOENT);
	snprintf(want, sizeof(want), "no configuration 'nothere': %s/nothere.conf does not exist",
		 dir);
	HAS(err, want);
	cr_assert_null(conf.path);
}

Test(conf_files, names_that_could_escape_the_directory_are_refused)
{
	const char *bad[] = { ".hidden", "", "a b", "x*", "..", "na\nme" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(load(bad[i]), -EINVAL, "%s", bad[i]);
		HAS(err, "invalid configuration name");
	}
}

Test(conf_files, a_configuration_others_may_write_is_refused)
{
	put("w.conf", "apn = internet\n", 0664);
	cr_assert_eq(load("w"), -EACCES);
	HAS(err, "w.conf' is writable by group or others (mode 0664): refused; run chmod go-w");
	put("w.conf", "apn = internet\n", 0646);
	cr_assert_eq(load("w"), -EACCES);
	put("w.conf", "apn = internet\n", 0640);
	cr_assert_eq(load("w"), 0, "%s", err);
}

Test(conf_files, files_of_another_user_are_refused)
{
	char path[300];

	if (geteuid() != 0)
		cr_skip_test("needs root to give a file away (chown)");
	put("o.conf", "apn = internet\n", 0644);
	snprintf(path, sizeof(path), "%s/o.conf", dir);
	cr_assert_eq(chown(path, 65534, 65534), 0);
	cr_assert_eq(load("o"), -EACCES);
	HAS(err, "o.conf' is owned by uid 65534: it must belong to root");

	put("p.conf", "password-file = p.pw\n", 0644);
	put("p.pw", "secret\n", 0600);
	snprintf(path, sizeof(path), "%s/p.pw", dir);
	cr_assert_eq(chown(path, 65534, 65534), 0);
	cr_assert_eq(load("p"), -EACCES);
	HAS(err, "p.conf:1: password-file '");
	HAS(err, "p.pw' is owned by uid 65534");
}

Test(conf_files, a_secret_others_may_read_is_refused_like_an_ssh_key)
{
	put("s.conf", "apn = a\n\npassword-file = s.pw\n", 0644);
	put("s.pw", "secret\n", 0640);
	cr_assert_eq(load("s"), -EACCES);
	HAS(err, "s.conf:3: password-file '");
	HAS(err, "s.pw' holds a secret but is open to group or others (mode 0640): refused; "
		 "run chmod 600 ");
	HASNT(err, "secret\n");
	cr_assert_null(conf.password);
	put("s.pw", "secret\n", 0604);
	cr_assert_eq(load("s"), -EACCES);
	put("s.pw", "secret\n", 0620);
	cr_assert_eq(load("s"), -EACCES);
	put("s.conf", "pin-file = s.pin\n", 0644);
	put("s.pin", "1234\n", 0644);
	cr_assert_eq(load("s"), -EACCES);
	HAS(err, "s.conf:1: pin-file '");
}

Test(conf_files, secret_contents_are_checked_but_never_shown)
{
	put("c.conf", "password-file = c.pw\npin-file = c.pin\n", 0644);
	put("c.pin", "1234\n", 0600);

	put("c.pw", "", 0600);
	cr_assert_eq(load("c"), -EINVAL);
	HAS(err, "c.conf:1: password-file '");
	HAS(err, "c.pw' is empty");
	put("c.pw", "\n", 0600);
	cr_assert_eq(load("c"), -EINVAL);
	HAS(err, "c.pw' is empty");
	put("c.pw", "first-secret\nsecond-secret\n", 0600);
	cr_assert_eq(load("c"), -EINVAL);
	HAS(err, "c.pw' has more than one line: it must hold the secret alone");
	HASNT(err, "first-secret");
	HASNT(err, "second-secret");

	put("c.pw", "pw\n", 0600);
	put("c.pin", "12a4\n", 0600);
	cr_assert_eq(load("c"), -EINVAL);
	HAS(err, "c.conf:2: pin-file '");
	HAS(err, "c.pin' does not hold a PIN (4 to 8 digits on the first line)");
	HASNT(err, "12a4");
	put("c.pin", "123\n", 0600);
	cr_assert_eq(load("c"), -EINVAL);
	put("c.pin", "123456789\n", 0600);
	cr_assert_eq(load("c"), -EINVAL);
	put("c.pin", "12345678", 0600);
	cr_assert_eq(load("c"), 0, "%s", err);
	cr_assert_str_eq(conf.pin, "12345678");
	cr_assert_str_eq(conf.password, "pw");
}

Test(conf_files, oversized_binary_and_missing_secret_files)
{
	char *big = malloc(5000);

	put("b.conf", "password-file = b.pw\n", 0644);
	memset(big, 'x', 4999);
	big[4999] = '\0';
	put("b.pw", big, 0600);
	cr_assert_eq(load("b"), -EINVAL);
	HAS(err, "b.pw': larger than 4096 bytes");
	free(big);
	put("b.pw", "", 0600);
	{
		char path[300];
		int fd;

		snprintf(path, sizeof(path), "%s/b.pw", dir);
		fd = open(path, O_WRONLY | O_TRUNC);
		cr_assert_eq(write(fd, "pw\0x\n", 5), 5);
		close(fd);
	}
	cr_assert_eq(load("b"), -EINVAL);
	HAS(err, "b.pw' is not a text file");
	put("b.conf", "password-file = /nonexistent/b.pw\n", 0644);
	cr_assert_eq(load("b"), -ENOENT);
	HAS(err, "b.conf:1: password-file '/nonexistent/b.pw': No such file or directory");
	put("b.conf", "password-file = /dev/null\n", 0644);
	cr_assert_eq(load("b"), -EINVAL);
	HAS(err, "'/dev/null' is not a regular file");
}

Test(conf_files, a_bad_file_reports_its_line_and_leaves_nothing_set)
{
	put("bad.conf", "apn = internet\nmtu = 1500\n", 0644);
	cr_assert_eq(load("bad"), -EINVAL);
	HAS(err, "/bad.conf:2: unknown key 'mtu'");
	cr_assert_null(conf.apn);
	cr_assert_null(conf.path);
}

Test(conf_files, a_directory_or_a_fifo_is_not_a_configuration)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/d.conf", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	cr_assert_eq(load("d"), -EINVAL);
	HAS(err, "d.conf' is not a regular file");
	snprintf(path, sizeof(path), "%s/f.conf", dir);
	cr_assert_eq(mkfifo(path, 0644), 0);
	cr_assert_eq(load("f"), -EINVAL); /* and it did not hang on the open */
	HAS(err, "f.conf' is not a regular file");
}

Test(conf, the_installed_example_is_valid)
{
	/* Its content only: a checkout's file modes depend on the umask it was made with. */
	char path[512], text[8192];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/etc/example.conf", QMIUSB_SOURCE_DIR);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	cr_assert_lt(n, sizeof(text));
	cr_assert_eq(qcli_conf_parse(&conf, text, n, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(conf.device, "usb");
	cr_assert_str_eq(conf.apn, "internet");
	cr_assert_null(conf.password_file);
}

Test(conf_files, a_file_in_a_directory_others_may_change_is_refused)
{
	char sub[300], path[400];

	put("x.pw", "pw\n", 0600);
	snprintf(sub, sizeof(sub), "%s/open", dir);
	cr_assert_eq(mkdir(sub, 0700), 0);
	cr_assert_eq(chmod(sub, 0777), 0);
	snprintf(path, sizeof(path), "%s/open/y.conf", dir);
	{
		FILE *f = fopen(path, "w");

		cr_assert_not_null(f);
		fprintf(f, "password-file = %s/x.pw\n", dir);
		fclose(f);
	}
	cr_assert_eq(chmod(path, 0644), 0);
	cr_assert_eq(load(path), -EACCES);
	HAS(err, "y.conf' is in a directory others may change (");
	HAS(err, "mode 0777): refused");
	/* Sticky, as /tmp: only the owner may rename or remove the file. */
	cr_assert_eq(chmod(sub, 01777), 0);
	cr_assert_eq(load(path), 0, "%s", err);
	cr_assert_str_eq(conf.password, "pw");
	/* The secret file's directory is checked too (x.pw is in dir). */
	cr_assert_eq(chmod(sub, 0755), 0);
	cr_assert_eq(chmod(dir, 0770), 0);
	cr_assert_eq(load(path), -EACCES);
	HAS(err, "y.conf:1: password-file '");
	HAS(err, "x.pw' is in a directory others may change");
	cr_assert_eq(chmod(dir, 0700), 0);
}
