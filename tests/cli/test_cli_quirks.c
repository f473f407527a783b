/* SPDX-License-Identifier: MIT */
/* --quirks FILE that cannot be used: the message names the file, says what is wrong with it and
 * what still applies, for `list` (the CLI reports it) and for -d usb (the USB layer does). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli_run.h"

#define HAS(hay, needle) cr_assert(strstr((hay), (needle)), "missing <%s> in:\n%s", (needle), (hay))
#define HASNT(hay, needle)                                                                         \
	cr_assert(!strstr((hay), (needle)), "unexpected <%s> in:\n%s", (needle), (hay))

#define STILL "; the shipped table and the generic rules still apply\n"

static void check(const char *file, const char *why)
{
	const char *cmds[][3] = { { "list", NULL, NULL }, { "-d", "usb", "info" } };
	char want[512];

	snprintf(want, sizeof(want), "qmiusb: %s: %s" STILL, file, why);
	for (size_t i = 0; i < 2; i++) {
		struct run r = cmds[i][1]
				       ? RUN("--quirks", file, cmds[i][0], cmds[i][1], cmds[i][2])
				       : RUN("--quirks", file, cmds[i][0]);

		HAS(r.err, want);
		HASNT(r.err, "generic rule only");
		HASNT(r.err, "Input/output error");
		HASNT(r.err, "(line ignored)");
		run_free(&r);
	}
}

Test(quirks_cli, a_directory_is_named_as_one)
{
	char dir[] = "/tmp/qmiusb-quirks-dir-XXXXXX";

	cr_assert_not_null(mkdtemp(dir));
	check(dir, "is a directory");
	rmdir(dir);
}

Test(quirks_cli, a_binary_file_gives_no_entries)
{
	check("/dev/zero", "no entries (binary or empty file)");
}

Test(quirks_cli, an_empty_file_gives_no_entries)
{
	char path[] = "/tmp/qmiusb-quirks-XXXXXX";
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	close(fd);
	check(path, "no entries (binary or empty file)");
	unlink(path);
}

Test(quirks_cli, a_missing_file_is_named)
{
	check("/nonexistent/qmiusb-quirks.conf", "No such file or directory");
}
