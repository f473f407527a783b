# h3. A hostile device on the data path and on the bus. bulk-garbage / bulk-oversize: before
# every packet toward the host, a transfer of random bytes, or one longer than qmiusb's bulk IN
# buffer; `qmiusb -d usb:... connect` must stay up, pings through its TUN must still come back,
# and SIGTERM must end it cleanly (exit 0, TUN and state file gone, no client id left). usb-reset:
# the device drops off the bus in the middle of info's third response fetch, forgets its client
# ids and comes back a second later: that info ends with a clear error (or an answer), and the
# next one answers in full; usb-reset-data, the same in the middle of connect's data transfers
# (connect notices, gives its TUN and state file up and waits for the modem: 92 sees it back).
. "$(dirname "$0")/../guest-lib.sh"

sel=usb:$VM_HOSTILE_VID:$VM_HOSTILE_PID
VM_CMD_TIMEOUT=20

data_round() { # knob
	local name=qmiusb-hostile-$1 out=$VM_STATE/qmiusb-hostile-$1.out rc why got
	if ! vm_hostile_start $1; then
		vm_fail $name "no gadget with $1" "$VM_STATE/gadget.log"
		vm_gadget_stop KILL
		return
	fi
	# raw-IP: the junk meets the plain packet path (its drops are counted per packet)
	"$QMIUSB" -d "$sel" connect --apn internet --ifname wwh0 --data-format raw-ip > "$out" 2>&1 &
	cpid=$!
	if ! vm_wait 300 grep -q "data path:" "$out"; then
		kill -TERM $cpid 2>/dev/null
		wait $cpid
		vm_hostile_stop $name && vm_fail $name "the connection never came up" "$out"
		return
	fi
	vm_run $name-ping ping -c 5 -i 0.2 -W 2 -s 1000 10.64.0.2
	got=$(sed -n 's/.* \([0-9]*\) \(packets \)\{0,1\}received.*/\1/p' "$VM_STATE/$name-ping.out")
	kill -0 $cpid 2>/dev/null || why="connect died under the junk"
	kill -TERM $cpid 2>/dev/null
	wait $cpid
	rc=$?
	[ -z "$why" ] && why=$(vm_hostile_why $rc "$out")
	[ -z "$why" ] && [ $rc -ne 0 ] && why="connect exited $rc after SIGTERM"
	[ -z "$why" ] && [ -e /sys/class/net/wwh0 ] && why="the TUN is still there"
	[ -z "$why" ] && ls /run/qmiusb/*.conn > /dev/null 2>&1 && why="a state file is left"
	[ -z "$why" ] && [ "${got:-0}" -lt 1 ] && why="no ping came back through the junk"
	sed "s/^/VMTEST-LOG $name: /" "$out" "$VM_STATE/$name-ping.out"
	if ! vm_hostile_stop $name; then
		:
	elif [ -n "$why" ]; then
		vm_fail $name "$why" "$out"
	else
		vm_pass $name "$got of 5 pings back; clean teardown"
	fi
}

if vm_need_tun qmiusb-hostile-bulk; then
	data_round bulk-garbage
	data_round bulk-oversize
fi

name=qmiusb-hostile-usb-reset
if ! vm_hostile_start usb-reset=3; then
	vm_fail $name "no gadget with usb-reset=3" "$VM_STATE/gadget.log"
	vm_gadget_stop KILL
else
	vm_run $name "$QMIUSB" -d "$sel" info
	rc=$?
	why=$(vm_hostile_why $rc "$VM_STATE/$name.out")
	grep -q 'usb-reset: off the bus' "$VM_STATE/gadget.log" || why="the gadget never reset"
	if [ -z "$why" ] && ! vm_wait 100 grep -q 'usb-reset: back on the bus' "$VM_STATE/gadget.log"; then
		why="the gadget never came back"
	fi
	if [ -z "$why" ] && ! vm_wait 100 vm_hostile_configured; then
		why="the host never configured the device again"
	fi
	if [ -z "$why" ]; then
		vm_run $name-again "$QMIUSB" -d "$sel" info
		rc2=$?
		[ $rc2 -ne 0 ] && why="info after the reset: exit $rc2"
	fi
	if [ -n "$why" ]; then # what the host saw of the device, for the console log
		{ ls /sys/bus/usb/devices; cat /sys/class/udc/*/state; dmesg | tail -n 15; } \
			>> "$VM_STATE/$name.out" 2>&1
	fi
	sed "s/^/VMTEST-LOG $name: /" "$VM_STATE/$name.out" "$VM_STATE/$name-again.out" 2>/dev/null
	if ! vm_hostile_stop $name; then
		:
	elif [ -n "$why" ]; then
		vm_fail $name "$why" "$VM_STATE/$name.out"
	else
		first=$(head -n 1 "$VM_STATE/$name.out" | head -c 80)
		vm_pass $name "info across the reset: exit $rc ($first); the next one answered"
	fi
fi
# usb-reset-data: the same reset on the third bulk OUT packet, under `connect`: the connection
# must notice by itself that the modem went away, with its TUN and state file gone while it
# waits for the modem (92-unplug-connected.sh sees it come back); SIGTERM ends it with exit 0,
# and once the device is back, info answers.
name=qmiusb-hostile-usb-reset-data
out=$VM_STATE/$name.out
if ! vm_need_tun $name; then
	:
elif ! vm_hostile_start usb-reset-data=3; then
	vm_fail $name "no gadget with usb-reset-data=3" "$VM_STATE/gadget.log"
	vm_gadget_stop KILL
else
	why=
	"$QMIUSB" -d "$sel" connect --apn internet --ifname wwh1 > "$out" 2>&1 &
	cpid=$!
	if ! vm_wait 300 grep -q "data path:" "$out"; then
		why="the connection never came up"
	else
		vm_run $name-ping ping -c 5 -i 0.2 -W 1 10.64.0.2
	fi
	# The connection must notice the unplug by itself (bounded): it waits for the modem, with
	# its TUN and state file gone, until it is stopped.
	if [ -z "$why" ] && ! vm_wait 150 grep -q "waiting for a modem matching $sel" "$out"; then
		why="connect did not notice within 15 s that the device dropped off"
	fi
	[ -z "$why" ] && ! grep -q "wwh1 removed" "$out" &&
		why="the TUN was not removed when the modem went away"
	kill -TERM $cpid 2>/dev/null
	if ! vm_wait 150 sh -c "! kill -0 $cpid"; then
		why=${why:-"connect still running 15 s after SIGTERM"}
		kill -KILL $cpid 2>/dev/null
	fi
	wait $cpid
	rc=$?
	[ -z "$why" ] && why=$(vm_hostile_why $rc "$out")
	[ -z "$why" ] && ! grep -q 'usb-reset: off the bus' "$VM_STATE/gadget.log" &&
		why="the gadget never reset"
	[ -z "$why" ] && [ $rc -ne 0 ] && why="connect exited $rc after SIGTERM, not 0"
	[ -z "$why" ] && [ -e /sys/class/net/wwh1 ] && why="the TUN is still there"
	[ -z "$why" ] && ls /run/qmiusb/*.conn > /dev/null 2>&1 && why="a state file is left"
	if [ -z "$why" ] && ! vm_wait 100 vm_hostile_configured; then
		why="the host never configured the device again"
	fi
	if [ -z "$why" ]; then
		vm_run $name-again "$QMIUSB" -d "$sel" info
		rc2=$?
		[ $rc2 -ne 0 ] && why="info after the reset: exit $rc2"
	fi
	sed "s/^/VMTEST-LOG $name: /" "$out"
	if ! vm_hostile_stop $name; then
		:
	elif [ -n "$why" ]; then
		vm_fail $name "$why" "$out"
	else
		vm_pass $name "connect noticed and waited for the modem, exit 0 on SIGTERM, TUN and state file gone; info after"
	fi
fi
vm_hostile_restore qmiusb-hostile-data
