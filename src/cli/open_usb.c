/* SPDX-License-Identifier: MIT */
/* `-d usb...`: the libusb backend behind the CLI's device-open dispatch. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "usb/usb.h"

/* QMIUSB_DETACH=1 in the environment is the config-file-free way to make --detach the default
 * (e.g. for a systemd unit); the command line still wins for --no-reattach. */
static bool env_flag(const char *name)
{
	const char *v = getenv(name);
	return v && *v && strcmp(v, "0") != 0;
}

int qcli_open_usb(struct qcli *cli, const char *selector, struct qmi_transport *out, char *err,
		  size_t errlen)
{
	struct qusb_open_opts o = {
		.quirks_file = cli->quirks_file,
		.detach = cli->usb_detach || env_flag("QMIUSB_DETACH"),
		.no_reattach = cli->usb_no_reattach,
		.log = cli->err,
		.usb_config = cli->usb_config,
		/* Raw-IP's packet per transfer, until a QMAP grant makes the receive transfers
		 * the size of a downlink aggregate (connect asks for 32 KB ones, as 5G modems'
		 * vendor drivers do, and takes up to 64 KB); uplink aggregates of 32 KB. */
		.rx_size = 16384,
		.rx_transfers = 16,
		.tx_size = 32768,
	};
	const char *sel = selector ? selector : "usb";

	/* Only an explicit -d reaches here with another name (no -d means "usb"): a usage error. */
	if (strncmp(sel, "usb", 3) != 0 || (sel[3] != '\0' && sel[3] != ':')) {
		snprintf(err, errlen, "unknown device '%s' (expected sim, usb or usb:...)", sel);
		return -EINVAL;
	}
	return qusb_transport_open(out, sel, &o, err, errlen);
}
