# c2. A modem that STALLs GetEncapsulatedResponse: the shared gadget is replaced by one started
# with `--sim-fault resp-stall=3`, which answers the first three fetches that find a response
# waiting with a STALL, keeps the response and sends RESPONSE_AVAILABLE again. `qmiusb -d usb:...
# info` (qmi_wwan unbound) must still answer in full (as `-d sim` does), and the gadget's log
# must show exactly those three stalls: a run without them proves nothing, so it fails. The
# shared gadget comes back afterwards, with its driver as found.
. "$(dirname "$0")/../guest-lib.sh"

name=qmiusb-resp-stall
stalls=3
sel=usb:$VM_VID:$VM_PID
glog=$VM_STATE/gadget.log
out=$VM_STATE/resp-stall.out

if ! vm_gadget_replace "resp-stall=$stalls" || ! vm_unbind_qmi_wwan; then
	vm_fail $name "no gadget with resp-stall=$stalls, or qmi_wwan would not let go" "$glog"
	vm_gadget_restore $name
	exit 0
fi

# qmi_wwan's bind sends no QMI, so no fetch can have found a response yet: every stall that
# follows is one of qmiusb's requests.
before=$(grep -c 'GetEncapsulatedResponse stalled' "$glog")
vm_run resp-stall "$QMIUSB" -d "$sel" info
rc=$?
got=$(grep -c 'GetEncapsulatedResponse stalled' "$glog")
vm_run resp-stall-sim "$QMIUSB" -d sim --sim-fault "$VM_SIM_FAULTS" info
sed 's/\[[^]]*\]/[DEV]/g' "$out" > "$out.norm"
sed 's/\[[^]]*\]/[DEV]/g' "$VM_STATE/resp-stall-sim.out" > "$VM_STATE/resp-stall-sim.norm"
if [ $rc -ne 0 ]; then
	vm_fail $name "exit $rc after $got stalled GetEncapsulatedResponse" "$out"
elif ! diff -u "$VM_STATE/resp-stall-sim.norm" "$out.norm" > "$VM_STATE/resp-stall.diff"; then
	vm_fail $name "the answer differs from -d sim" "$VM_STATE/resp-stall.diff"
elif [ "$before" -ne 0 ] || [ "$got" -ne $stalls ]; then
	vm_fail $name "gadget logged $before stalls before info and $got after, want 0 and $stalls" \
		"$glog"
else
	vm_pass $name "info answered in full through $got stalled GetEncapsulatedResponse"
fi
sed 's/^/VMTEST-LOG resp-stall: /' "$out"

vm_gadget_restore $name
