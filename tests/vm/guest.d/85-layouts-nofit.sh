# Real modems' layouts that do not fit dummy_hcd's endpoints (why is worked out in
# tests/usb/test_layouts.c, which_fit_dummy_hcd): the five-function EC25 and RM500Q and the
# six-function Huawei E398 lose their QMI endpoints to repeated addresses, and the kernel and
# qmiusb must then agree that nothing is QMI. The RM500Q runs at SuperSpeed (dummy_hcd reloaded
# with is_super_speed=Y for it).
. "$(dirname "$0")/../guest-lib.sh"

echo "VMTEST-LOG dummy_hcd is_super_speed=$(cat /sys/module/dummy_hcd/parameters/is_super_speed 2>/dev/null)"
layouts_begin
layout_check ec25 2c7c 0125 4
layout_superspeed
layout_check e398 12d1 1506 3
layouts_end
