# e. The gadget is unplugged (its UDC emptied) while a qmiusb command waits on it: the command
# ends by itself with the unplug message and exit code 6. Then the gadget's own teardown on
# SIGTERM: the process exits and its configfs gadget is gone. Runs last: it ends the gadget.
. "$(dirname "$0")/../guest-lib.sh"

sel=usb:$VM_VID:$VM_PID
# A fresh gadget whose answers are slow, so the command is surely mid-request at the unplug.
vm_gadget_stop
if ! vm_gadget_start delay=3000 || ! vm_unbind_qmi_wwan; then
	vm_fail qmiusb-unplug "no gadget" "$VM_STATE/gadget.log"
	exit 0
fi
intf=$(vm_usb_intf)
gdir=$(vm_gadget_dir)

"$QMIUSB" -d "$sel" info > "$VM_STATE/unplug.out" 2>&1 &
cmd=$!
# Unplug once the command holds the interface (usbfs claimed it), not at a guessed moment.
if ! vm_wait 300 sh -c "[ \"\$(basename \"\$(readlink /sys/bus/usb/devices/$intf/driver)\")\" = usbfs ]"; then
	vm_fail qmiusb-unplug "qmiusb never claimed $intf" "$VM_STATE/unplug.out"
	kill -KILL $cmd 2>/dev/null
	exit 0
fi
sleep 0.3
echo "" > "$gdir/UDC"
# The guard: a hang shows up as a kill, never as a stuck tier.
if vm_wait 200 sh -c "! kill -0 $cmd"; then
	wait $cmd
	rc=$?
	if [ $rc -eq 6 ] && grep -qi unplugged "$VM_STATE/unplug.out"; then
		vm_pass qmiusb-unplug "exit 6"
	else
		vm_fail qmiusb-unplug "want exit 6 and 'unplugged'; got exit $rc" "$VM_STATE/unplug.out"
	fi
else
	kill -KILL $cmd 2>/dev/null
	vm_fail qmiusb-unplug "still running 20 s after the unplug (hang)" "$VM_STATE/unplug.out"
fi

pid=$(cat "$VM_STATE/gadget.pid")
if ! vm_gadget_stop; then
	vm_fail gadget-teardown "did not exit on SIGTERM" "$VM_STATE/gadget.log"
elif [ "$(cat "$VM_STATE/gadget.rc" 2>/dev/null)" != 0 ]; then
	vm_fail gadget-teardown "exit status $(cat "$VM_STATE/gadget.rc" 2>/dev/null) after SIGTERM, want 0" \
		"$VM_STATE/gadget.log"
elif [ -d "$gdir" ]; then
	vm_fail gadget-teardown "$gdir still exists after exit" "$VM_STATE/gadget.log"
elif grep -q "qmiusb-ffs" /proc/mounts; then
	grep "qmiusb-ffs" /proc/mounts > "$VM_STATE/mounts.out"
	vm_fail gadget-teardown "a functionfs mount is left" "$VM_STATE/mounts.out"
	sed 's/^/  | /' "$VM_STATE/gadget.log"
else
	vm_pass gadget-teardown "pid $pid exited, configfs gadget removed"
fi
