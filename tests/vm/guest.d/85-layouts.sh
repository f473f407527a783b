# Real modems' layouts that fit dummy_hcd's endpoints (`sim --gadget --layout NAME`): qmi_wwan
# and qmiusb agree on the QMI interface, `info` answers over libusb, and a device shipped in its
# MBIM configuration is switched by --usb-config or by a config=N quirks entry. The helpers are
# in guest-lib.sh; the layouts that do not fit are in 85-layouts-nofit.sh.
. "$(dirname "$0")/../guest-lib.sh"

layouts_begin
layout_check mc7455 1199 9071 8 1
layout_check mc7710 1199 68a2 8
layout_check mc8355 1199 9013 0
layout_quirk_switch mc7455 1199 9071 1
layouts_end
