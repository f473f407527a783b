# c2. A modem that STALLs GetEncapsulatedResponse: the shared gadget is replaced by one started
# with `--sim-fault resp-stall=3`, which answers the first three fetches that find a response
# waiting with a STALL and keeps the response. In the first round it sends RESPONSE_AVAILABLE
# again; in the second (`resp-stall-silent`) it does not, so only qmiusb's own fetches after a
# failed one can get the response. Each round, `qmiusb -d usb:... info` (qmi_wwan unbound) must
# answer in full, as `-d sim` does, and the gadget's log must show exactly those three stalls: a
# run without them proves nothing, so it fails. The shared gadget comes back after each round,
# with its driver as found.
. "$(dirname "$0")/../guest-lib.sh"

stalls=3
sel=usb:$VM_VID:$VM_PID
glog=$VM_STATE/gadget.log

vm_run resp-stall-sim "$QMIUSB" -d sim --sim-fault "$VM_SIM_FAULTS" info
sed 's/\[[^]]*\]/[DEV]/g' "$VM_STATE/resp-stall-sim.out" > "$VM_STATE/resp-stall-sim.norm"

stall_round() { # name, extra faults, how the gadget logs each stall
	local name=$1 how=$3 out=$VM_STATE/$1.out before got rc
	if ! vm_gadget_replace "resp-stall=$stalls$2" || ! vm_unbind_qmi_wwan; then
		vm_fail "$name" "no gadget with resp-stall=$stalls$2, or qmi_wwan would not let go" \
			"$glog"
		vm_gadget_restore "$name"
		return
	fi
	# qmi_wwan's bind sends no QMI, so no fetch can have found a response yet: every stall
	# that follows is one of qmiusb's requests.
	before=$(grep -c 'GetEncapsulatedResponse stalled' "$glog")
	vm_run "$name" "$QMIUSB" -d "$sel" info
	rc=$?
	got=$(grep -c "GetEncapsulatedResponse stalled.*response kept, $how" "$glog")
	sed 's/\[[^]]*\]/[DEV]/g' "$out" > "$out.norm"
	if [ $rc -ne 0 ]; then
		vm_fail "$name" "exit $rc after $got stalled GetEncapsulatedResponse" "$out"
	elif ! diff -u "$VM_STATE/resp-stall-sim.norm" "$out.norm" > "$VM_STATE/$name.diff"; then
		vm_fail "$name" "the answer differs from -d sim" "$VM_STATE/$name.diff"
	elif [ "$before" -ne 0 ] || [ "$got" -ne $stalls ]; then
		local why="gadget logged $before stalls before info, $got ($how) after"
		vm_fail "$name" "$why; want 0 and $stalls" "$glog"
	else
		vm_pass "$name" "info answered in full through $got stalled fetches ($how)"
	fi
	sed "s/^/VMTEST-LOG $name: /" "$out"
	vm_gadget_restore "$name"
}

stall_round qmiusb-resp-stall "" "announced again"
stall_round qmiusb-resp-stall-silent ",resp-stall-silent" "not announced again"
