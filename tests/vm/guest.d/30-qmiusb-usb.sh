# c. qmiusb itself over libusb (qmi_wwan unbound): list, info, signal, status and versions, each
# checked against the software modem's known values and against the same command on the
# in-process software modem (-d sim): over USB the answers must be the same.
. "$(dirname "$0")/../guest-lib.sh"

sel=usb:$VM_VID:$VM_PID
if ! vm_gadget_start || ! vm_unbind_qmi_wwan; then
	vm_fail qmiusb-usb "no gadget, or qmi_wwan would not let go" "$VM_STATE/gadget.log"
	exit 0
fi

vm_run usb-list "$QMIUSB" -d "$sel" list
rc=$?
if [ $rc -ne 0 ]; then
	vm_fail qmiusb-usb-list "exit $rc" "$VM_STATE/usb-list.out"
else
	# The gadget's identity (src/sim/gadget_configfs.c) as list must show it.
	miss=
	for p in "$VM_VID:$VM_PID" "qmiusb software modem" "0123456789" "interface[: ]+0" "match"; do
		grep -qiE "$p" "$VM_STATE/usb-list.out" || miss="$miss '$p'"
	done
	if [ -n "$miss" ]; then
		vm_fail qmiusb-usb-list "missing$miss" "$VM_STATE/usb-list.out"
	else
		vm_pass qmiusb-usb-list
	fi
fi
sed 's/^/VMTEST-LOG list: /' "$VM_STATE/usb-list.out"

# usb_check CMD PATTERN...: the command over USB exits 0, shows every PATTERN (grep -E), and
# prints what the in-process modem prints (the [device] names aside).
usb_check() {
	cmd=$1
	shift
	name=qmiusb-usb-$cmd
	vm_run "usb-$cmd" "$QMIUSB" -d "$sel" "$cmd"
	rc=$?
	if [ $rc -ne 0 ]; then
		vm_fail "$name" "exit $rc" "$VM_STATE/usb-$cmd.out"
		return
	fi
	for p in "$@"; do
		if ! grep -qE -- "$p" "$VM_STATE/usb-$cmd.out"; then
			vm_fail "$name" "no line matching '$p'" "$VM_STATE/usb-$cmd.out"
			return
		fi
	done
	vm_run "sim-$cmd" "$QMIUSB" -d sim --sim-fault "$VM_SIM_FAULTS" "$cmd"
	sed 's/\[[^]]*\]/[DEV]/g' "$VM_STATE/usb-$cmd.out" > "$VM_STATE/usb-$cmd.norm"
	sed 's/\[[^]]*\]/[DEV]/g' "$VM_STATE/sim-$cmd.out" > "$VM_STATE/sim-$cmd.norm"
	if ! diff -u "$VM_STATE/sim-$cmd.norm" "$VM_STATE/usb-$cmd.norm" > "$VM_STATE/$cmd.diff"; then
		vm_fail "$name" "differs from -d sim" "$VM_STATE/$cmd.diff"
		return
	fi
	vm_pass "$name"
}

# qmiusb asserts DTR on open as qmi_wwan does for this quirk-flagged (and any USB 3) device;
# qmi_wwan's own DTR at bind is already in the log, so count the lines the info run adds.
dtr_before=$(grep -c 'SET_CONTROL_LINE_STATE DTR=1' "$VM_STATE/gadget.log")
usb_check info "352099001761481"
dtr_after=$(grep -c 'SET_CONTROL_LINE_STATE DTR=1' "$VM_STATE/gadget.log")
if [ "$dtr_after" -gt "$dtr_before" ]; then
	vm_pass qmiusb-usb-dtr
else
	vm_fail qmiusb-usb-dtr "no SET_CONTROL_LINE_STATE DTR=1 from qmiusb" "$VM_STATE/gadget.log"
fi
usb_check signal "-65"
usb_check status "disconnected"
usb_check versions "dms" "nas" "wds"
