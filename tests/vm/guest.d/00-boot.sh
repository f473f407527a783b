# The VM itself: the USB stack the other checks need is there.
. "$(dirname "$0")/../guest-lib.sh"
name=vm-boot
if [ ! -d /sys/kernel/config/usb_gadget ]; then
	vm_fail $name "no /sys/kernel/config/usb_gadget (configfs/libcomposite)"
elif [ ! -e /sys/class/udc/dummy_udc.0 ]; then
	vm_fail $name "no dummy_udc.0 (dummy_hcd)"
elif [ ! -x "$QMIUSB" ]; then
	vm_fail $name "$QMIUSB is not visible in the guest"
else
	vm_pass $name "$(uname -r)"
fi
