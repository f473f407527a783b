#!/bin/sh
# SPDX-License-Identifier: MIT
# Generates the udev rules from the quirks table (run by the build; see udev/CMakeLists.txt).
# Usage: gen-rules.sh access|no-qmi_wwan QUIRKS_FILE > OUT
#   access       device-node access for the logged-in user (uaccess) and group plugdev
#   no-qmi_wwan  unbinds qmi_wwan from those devices as soon as it binds (optional, opt-in)
set -eu
mode=${1:?usage: gen-rules.sh access|no-qmi_wwan QUIRKS_FILE}
quirks=${2:?usage: gen-rules.sh access|no-qmi_wwan QUIRKS_FILE}
[ -r "$quirks" ] || { echo "gen-rules.sh: cannot read $quirks" >&2; exit 1; }

# Unique VID:PID pairs (and vendor-wide entries), in file order, skipping "ignore" lines.
awk -v mode="$mode" -v src="$(basename "$quirks")" '
function ids_ok(v, p) { return v ~ /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/ &&
	(p == "*" || p ~ /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/) }
BEGIN {
	print "# Generated from quirks/" src " by udev/gen-rules.sh at build time: do not edit,"
	print "# add a line to the quirks table instead (or a rule of your own in /etc/udev/rules.d)."
	if (mode == "access") {
		print "# Gives the logged-in user (uaccess; this file must sort before 73-seat-late.rules)"
		print "# and the group plugdev access to the USB device node of every known QMI modem."
		print "ACTION!=\"add|change\", GOTO=\"qmiusb_end\""
		print "SUBSYSTEM!=\"usb\", GOTO=\"qmiusb_end\""
		print "ENV{DEVTYPE}!=\"usb_device\", GOTO=\"qmiusb_end\""
	} else {
		print "# Optional: keeps the kernel driver qmi_wwan (and its cdc-wdm port) off the modems so"
		print "# qmiusb can claim them without --detach. Copy it to /etc/udev/rules.d/ to use it."
		print "ACTION!=\"bind\", GOTO=\"qmiusb_nokernel_end\""
		print "SUBSYSTEM!=\"usb\", GOTO=\"qmiusb_nokernel_end\""
		print "ENV{DEVTYPE}!=\"usb_interface\", GOTO=\"qmiusb_nokernel_end\""
		print "DRIVER!=\"qmi_wwan\", GOTO=\"qmiusb_nokernel_end\""
	}
}
{
	sub(/#.*/, "")
	if (NF == 0) next
	for (i = 2; i <= NF; i++) if ($i == "ignore") next
	n = split($1, f, ":")
	if (n < 2 || !ids_ok(f[1], f[2])) next
	v = tolower(f[1]); p = tolower(f[2])
	key = v ":" p
	if (key in seen) next
	seen[key] = 1
	if (mode == "access") {
		if (p == "*") {
			# A vendor-wide match would open every USB device of that vendor; those modems
			# need a rule naming their product ID (see udev/README.md).
			print "# skipped vendor-wide quirk entry " v ":*"
			next
		}
		printf "ATTR{idVendor}==\"%s\", ATTR{idProduct}==\"%s\", TAG+=\"uaccess\", GROUP=\"plugdev\", MODE=\"0660\", ENV{ID_QMIUSB}=\"1\"\n", v, p
	} else {
		if (p == "*")
			printf "ATTRS{idVendor}==\"%s\", RUN+=\"/bin/sh -c '\''echo %%k > /sys/bus/usb/drivers/qmi_wwan/unbind'\''\"\n", v
		else
			printf "ATTRS{idVendor}==\"%s\", ATTRS{idProduct}==\"%s\", RUN+=\"/bin/sh -c '\''echo %%k > /sys/bus/usb/drivers/qmi_wwan/unbind'\''\"\n", v, p
	}
}
END {
	print (mode == "access") ? "LABEL=\"qmiusb_end\"" : "LABEL=\"qmiusb_nokernel_end\""
}' "$quirks"
