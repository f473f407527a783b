/* SPDX-License-Identifier: MIT */
/*
 * `pin`, `mode`, `profile` and `radio` through `qmiusb proxy -d sim`, with unmodified qmicli
 * seeing the state they leave (and the other way round): one modem, shared. Each test runs in
 * its own network namespace, since qmicli always uses the abstract socket "qmi-proxy".
 */
#include <criterion/criterion.h>
#include <string.h>

#include "proxy/px_harness.h"

static char out[32768];

static void proxy_start(struct px *px, const char *faults, const char *extra)
{
	const char *argv[] = { "qmiusb", "--sim-fault", faults, "proxy", "--no-exit", extra, NULL };

	px_start(px, "qmiusb-online-test", argv);
}

static void proxy_stop(struct px *px)
{
	px_stop(px);
	px_clean(px);
}

/* qmicli -d DEV -p --device-open-qmi A1 [A2] (a2 may be NULL). */
static int qmicli(struct px *px, const char *a1, const char *a2)
{
	const char *argv[] = { QMICLI, "-d", px->dev, "-p", "--device-open-qmi", a1, a2, NULL };

	return px_run(argv, out, sizeof(out));
}

#define QMIUSB(...)                                                                                \
	px_run((const char *const[]){ QMIUSB_BIN, "-p", __VA_ARGS__, NULL }, out, sizeof(out))
#define HAS(needle) cr_assert(strstr(out, (needle)), "missing <%s> in:\n%s", (needle), out)

Test(online, pin_state_is_the_modems)
{
	struct px px;

	px_enter_netns();
	proxy_start(&px, "pin=2468", NULL);
	cr_assert_eq(qmicli(&px, "--uim-get-card-status", NULL), 0, "%s", out);
	HAS("PIN1 state: 'enabled-not-verified'");
	cr_assert_eq(QMIUSB("pin", "verify", "1111"), 4, "%s", out);
	HAS("Verify: 2");
	cr_assert_eq(QMIUSB("pin", "verify", "2468"), 0, "%s", out);
	HAS("PIN verified successfully");
	cr_assert_eq(qmicli(&px, "--uim-get-card-status", NULL), 0, "%s", out);
	HAS("PIN1 state: 'enabled-verified'");
	/* The other way round: qmicli changes the PIN protection, qmiusb sees it. */
	cr_assert_eq(qmicli(&px, "--uim-set-pin-protection=PIN1,disable,2468", NULL), 0, "%s", out);
	cr_assert_eq(QMIUSB("--json", "pin", "status"), 0, "%s", out);
	HAS("\"state\":\"disabled\"");
	proxy_stop(&px);
}

Test(online, mode_profiles_and_radio_are_shared)
{
	struct px px;

	px_enter_netns();
	proxy_start(&px, "seed=1", NULL);
	cr_assert_eq(QMIUSB("mode", "low-power"), 0, "%s", out);
	cr_assert_eq(qmicli(&px, "--dms-get-operating-mode", NULL), 0, "%s", out);
	HAS("Mode: 'low-power'");
	cr_assert_eq(qmicli(&px, "--dms-set-operating-mode=offline", NULL), 0, "%s", out);
	cr_assert_eq(QMIUSB("mode", "online"), 4, "offline is left only by reset: %s", out);
	HAS("InvalidTransition");
	cr_assert_eq(QMIUSB("mode", "reset"), 0, "%s", out);
	cr_assert_eq(QMIUSB("--json", "mode"), 0, "%s", out);
	HAS("\"mode\":\"online\"");

	cr_assert_eq(QMIUSB("profile", "create", "--name", "corp", "--apn", "corp.example",
			    "--password", "hunter2", "--auth", "pap"),
		     0, "%s", out);
	HAS("Profile index: '3'");
	cr_assert_eq(qmicli(&px, "--wds-get-profile-list=3gpp", NULL), 0, "%s", out);
	HAS("[3] 3gpp - corp");
	HAS("APN: 'corp.example'");
	cr_assert_eq(QMIUSB("profile", "list"), 0, "%s", out);
	HAS("[3] 3gpp - corp");
	cr_assert(!strstr(out, "hunter2"), "the password was printed: %s", out);
	cr_assert_eq(QMIUSB("profile", "delete", "3"), 0, "%s", out);
	cr_assert_eq(qmicli(&px, "--wds-get-profile-list=3gpp", NULL), 0, "%s", out);
	cr_assert(!strstr(out, "corp"), "%s", out);

	cr_assert_eq(QMIUSB("radio", "set", "--modes", "lte,5g", "--lte-bands", "1,3,7,20"), 0,
		     "%s", out);
	cr_assert_eq(qmicli(&px, "--nas-get-system-selection-preference", NULL), 0, "%s", out);
	HAS("Mode preference: 'lte, 5gnr'");
	HAS("LTE band preference: '1, 3, 7, 20'");
	cr_assert_eq(QMIUSB("radio"), 0, "%s", out);
	HAS("Mode preference: 'lte, 5gnr'");
	proxy_stop(&px);
}

/* A modem whose UIM service gives no client: qmicli holds the only UIM client id (the proxy
 * keeps it), so `pin` must go through DMS and still see the same card. */
Test(online, pin_falls_back_to_dms_without_uim)
{
	struct px px;

	px_enter_netns();
	proxy_start(&px, "pin=2468,cid-limit=1", "--keep-cids");
	cr_assert_eq(qmicli(&px, "--uim-get-card-status", "--client-no-release-cid"), 0, "%s", out);
	cr_assert_eq(QMIUSB("--json", "pin", "status"), 0, "%s", out);
	HAS("\"source\":\"dms\"");
	HAS("\"state\":\"enabled-not-verified\"");
	cr_assert_eq(QMIUSB("pin", "verify", "2468"), 0, "%s", out);
	HAS("PIN verified successfully");
	cr_assert_eq(QMIUSB("pin", "status"), 0, "%s", out);
	HAS("Status: enabled-verified");
	cr_assert_eq(QMIUSB("pin", "change", "2468", "1357"), 4, "%s", out);
	HAS("the modem has no UIM service");
	proxy_stop(&px);
}
