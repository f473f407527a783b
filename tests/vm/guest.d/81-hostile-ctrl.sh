# h2. A hostile device on the control channel, one gadget per knob: junk past each response and
# more than the host asked for (resp-long), junk fetches (resp-babble), RESPONSE_AVAILABLE storms,
# notifications of unknown types, responses whose QMUX length lies, responses for a client id and
# a service never allocated, and indications without end. Every junk frame is announced like a
# response, so recovering is possible: `qmiusb -d usb:... info` must answer in full, exactly as
# `-d sim` does, with no sanitizer report, within a bounded time, and leave no client id behind.
. "$(dirname "$0")/../guest-lib.sh"

sel=usb:$VM_HOSTILE_VID:$VM_HOSTILE_PID
VM_CMD_TIMEOUT=20

vm_run hostile-sim "$QMIUSB" -d sim --sim-fault "$VM_SIM_FAULTS" info
sed 's/\[[^]]*\]/[DEV]/g' "$VM_STATE/hostile-sim.out" > "$VM_STATE/hostile-sim.norm"

for knob in resp-long resp-babble notify-storm notify-unknown qmux-lie foreign-cid ind-flood; do
	name=qmiusb-hostile-$knob
	out=$VM_STATE/$name.out
	if ! vm_hostile_start $knob; then
		vm_fail $name "no gadget with $knob" "$VM_STATE/gadget.log"
		vm_gadget_stop KILL
		continue
	fi
	vm_run $name "$QMIUSB" -d "$sel" info
	rc=$?
	why=$(vm_hostile_why $rc "$out")
	sed 's/\[[^]]*\]/[DEV]/g' "$out" > "$out.norm"
	sed "s/^/VMTEST-LOG $name: /" "$out"
	if ! vm_hostile_stop $name; then
		:
	elif [ -n "$why" ]; then
		vm_fail $name "$why" "$out"
	elif [ $rc -ne 0 ]; then
		vm_fail $name "did not recover: exit $rc" "$out"
	elif ! diff -u "$VM_STATE/hostile-sim.norm" "$out.norm" > "$VM_STATE/$name.diff"; then
		vm_fail $name "the answer differs from -d sim" "$VM_STATE/$name.diff"
	else
		vm_pass $name "info answered in full"
	fi
done
# The shared gadget comes back at the end of 82-hostile-data.sh.
