# c2. The commands that bring a modem online, read-only, over libusb (qmi_wwan unbound): pin
# status, mode, profile list and radio show each exit 0, show the software modem's known state,
# and print what the in-process modem (-d sim) prints, the [device] names aside.
. "$(dirname "$0")/../guest-lib.sh"

sel=usb:$VM_VID:$VM_PID
if ! vm_gadget_start || ! vm_unbind_qmi_wwan; then
	vm_fail qmiusb-online "no gadget, or qmi_wwan would not let go" "$VM_STATE/gadget.log"
	exit 0
fi

# online_check NAME PATTERN -- ARGS...: `qmiusb ARGS` over USB shows PATTERN (grep -E) and
# matches -d sim.
online_check() {
	name=qmiusb-online-$1
	pat=$2
	shift 3
	vm_run "usb-$name" "$QMIUSB" -d "$sel" "$@"
	rc=$?
	if [ $rc -ne 0 ]; then
		vm_fail "$name" "exit $rc" "$VM_STATE/usb-$name.out"
		return
	fi
	if ! grep -qE -- "$pat" "$VM_STATE/usb-$name.out"; then
		vm_fail "$name" "no line matching '$pat'" "$VM_STATE/usb-$name.out"
		return
	fi
	vm_run "sim-$name" "$QMIUSB" -d sim --sim-fault "$VM_SIM_FAULTS" "$@"
	sed 's/\[[^]]*\]/[DEV]/g' "$VM_STATE/usb-$name.out" > "$VM_STATE/usb-$name.norm"
	sed 's/\[[^]]*\]/[DEV]/g' "$VM_STATE/sim-$name.out" > "$VM_STATE/sim-$name.norm"
	if ! diff -u "$VM_STATE/sim-$name.norm" "$VM_STATE/usb-$name.norm" > "$VM_STATE/$name.diff"; then
		vm_fail "$name" "differs from -d sim" "$VM_STATE/$name.diff"
		return
	fi
	vm_pass "$name"
}

online_check pin "Status: disabled" -- pin status
online_check mode "Mode: 'online'" -- mode
online_check profile "\[1\] 3gpp - internet" -- profile list
online_check radio "PLMN: '00101'" -- radio show
