# e. The gadget is unplugged (its UDC emptied) while a qmiusb command waits on it: the command
# ends by itself with the unplug message and exit code 6. Then the gadget's own teardown on
# SIGINT: the process exits and its configfs gadget is gone. It ends the shared gadget: only
# checks with a gadget of their own (92) come after it.
. "$(dirname "$0")/../guest-lib.sh"

sel=usb:$VM_VID:$VM_PID
# A fresh gadget whose answers are slow, so the command is surely mid-request at the unplug.
t_stop=$(cut -d' ' -f1 /proc/uptime)
vm_gadget_stop
echo "VMTEST-TRACE unplug: stopped the first gadget in $(awk "BEGIN { print $(cut -d' ' -f1 /proc/uptime) - $t_stop }") s"
if ! vm_gadget_start delay=3000 || ! vm_unbind_qmi_wwan; then
	vm_fail qmiusb-unplug "no gadget" "$VM_STATE/gadget.log"
	exit 0
fi
intf=$(vm_usb_intf)
gdir=$(vm_gadget_dir)
echo "VMTEST-TRACE unplug: new gadget up at $(cut -d' ' -f1 /proc/uptime)"

"$QMIUSB" -d "$sel" info > "$VM_STATE/unplug.out" 2>&1 &
cmd=$!
# Unplug once the command holds the interface (usbfs claimed it), not at a guessed moment.
if ! vm_wait 300 sh -c "[ \"\$(basename \"\$(readlink /sys/bus/usb/devices/$intf/driver)\")\" = usbfs ]"; then
	vm_fail qmiusb-unplug "qmiusb never claimed $intf" "$VM_STATE/unplug.out"
	kill -KILL $cmd 2>/dev/null
	exit 0
fi
echo "VMTEST-TRACE unplug: claimed at $(cut -d' ' -f1 /proc/uptime)"
sleep 0.3
t0=$(cut -d' ' -f1 /proc/uptime)
echo "" > "$gdir/UDC"
# The guard: a hang shows up as a kill, never as a stuck tier.
if vm_wait 200 sh -c "! kill -0 $cmd"; then
	wait $cmd
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	if [ $rc -eq 6 ] && grep -qi unplugged "$VM_STATE/unplug.out"; then
		# A figure, not a criterion (the criterion is the 20 s guard above).
		vm_pass qmiusb-unplug "exit 6, $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s after the unplug"
	else
		vm_fail qmiusb-unplug "want exit 6 and 'unplugged'; got exit $rc" "$VM_STATE/unplug.out"
	fi
else
	kill -KILL $cmd 2>/dev/null
	vm_fail qmiusb-unplug "still running 20 s after the unplug (hang)" "$VM_STATE/unplug.out"
fi

pid=$(cat "$VM_STATE/gadget.pid")
# SIGINT here (the first gadget got SIGTERM): a shell starts background jobs with SIGINT
# ignored, so this also proves the gadget takes it back.
if ! vm_gadget_stop INT; then
	vm_fail gadget-teardown "did not exit on SIGINT" "$VM_STATE/gadget.log"
elif [ "$(cat "$VM_STATE/gadget.rc" 2>/dev/null)" != 0 ]; then
	vm_fail gadget-teardown "exit status $(cat "$VM_STATE/gadget.rc" 2>/dev/null) after SIGINT, want 0" \
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
