# h1. A hostile device whose descriptors lie, presented at bind time (`--sim-fault usb-desc=...`):
# bNumEndpoints 2 or 5 for three endpoints, wMaxPacketSize 0 on the bulk endpoints, endpoints of
# swapped types. `qmiusb list` and `qmiusb -d usb:... info` must end by themselves (bounded),
# without a crash or sanitizer report, with a clear error when they fail, and leave no client id
# on the modem. Lies that FunctionFS refuses to present (lengths past the end, CDC Union
# descriptors) are covered by tests/usb/test_desc_hostile.c instead.
. "$(dirname "$0")/../guest-lib.sh"

sel=usb:$VM_HOSTILE_VID:$VM_HOSTILE_PID
VM_CMD_TIMEOUT=20

for lie in few-eps many-eps mps0 ep-type; do
	name=qmiusb-hostile-desc-$lie
	if ! vm_hostile_start "usb-desc=$lie" any; then
		if grep -q 'FunctionFS refused the descriptors' "$VM_STATE/gadget.log"; then
			vm_skip $name "FunctionFS refuses to present this lie"
		else
			vm_fail $name "the lying gadget never enumerated" "$VM_STATE/gadget.log"
		fi
		vm_gadget_stop KILL
		continue
	fi
	# A lie the host's configuration step rejects leaves the device unconfigured: give the
	# step its chance (bounded), then take the device as it is.
	vm_wait 10 vm_hostile_configured
	vm_run $name-list "$QMIUSB" list
	rc_list=$?
	vm_run $name "$QMIUSB" -d "$sel" info
	rc=$?
	why=$(vm_hostile_why $rc_list "$VM_STATE/$name-list.out")
	[ -n "$why" ] && why="list: $why"
	[ -z "$why" ] && why=$(vm_hostile_why $rc "$VM_STATE/$name.out")
	sed "s/^/VMTEST-LOG $name: /" "$VM_STATE/$name-list.out" "$VM_STATE/$name.out"
	if ! vm_hostile_stop $name; then
		:
	elif [ -n "$why" ]; then
		vm_fail $name "$why" "$VM_STATE/$name.out"
	else
		vm_pass $name "info exit $rc: $(head -c 100 "$VM_STATE/$name.out" | head -n 1)"
	fi
done
# The shared gadget comes back at the end of 82-hostile-data.sh.
