# f. The modem is unplugged and plugged back while `qmiusb connect` over libusb is up: the
# gadget drops off the bus as a resetting modem does (usb-reset-data: on a bulk OUT packet,
# forgetting every client id) and is back a second later. Under the identity no kernel driver
# claims, as the hostile checks run it. connect must say the modem went away, remove its TUN,
# wait (udevd does not run here: its look every 2 s finds the modem), open it again and come
# back up by itself: byte-checked pings through the same TUN name after the replug, then a clean
# SIGTERM. Runs after 90, which ended the shared gadget: it starts its own and ends it.
. "$(dirname "$0")/../guest-lib.sh"

name=qmiusb-unplug-connected
out=$VM_STATE/unplug-connected.out
trace() { echo "VMTEST-TRACE unplug-connected: $* at $(cut -d' ' -f1 /proc/uptime)"; }
# Bounded waits that poll twice a second (a process every tenth of a second is slow under TCG).
upto() { # SECONDS COUNT PATTERN: until PATTERN is in $out COUNT times
	timeout "$1" sh -c 'until [ "$(grep -c "$2" "$1")" -ge "$3" ]; do sleep 0.5; done' _ \
		"$out" "$3" "$2"
}
pings() { # NAME SIZE: 3 byte-checked echoes from the gateway
	vm_run "$1" ping -c 3 -i 0.2 -W 3 -s "$2" -p 5aa5c33c0ff0 10.64.0.2 &&
		grep -qE "3 (packets )?received" "$VM_STATE/$1.out" &&
		! grep -q "wrong data" "$VM_STATE/$1.out"
}

vm_need_tun $name || exit 0
# The 40th uplink packet: the first pings (and the interface's own IPv6 chatter) pass before it.
if ! vm_hostile_start usb-reset-data=40; then
	vm_fail $name "no gadget" "$VM_STATE/gadget.log"
	vm_gadget_stop KILL
	exit 0
fi
"$QMIUSB" -d "usb:$VM_HOSTILE_VID:$VM_HOSTILE_PID" connect --apn internet --ifname wwu0 \
	> "$out" 2>&1 &
cpid=$!
fail=
upto 40 1 "data path:" || fail=" never-up"
trace "up:$fail"
[ -z "$fail" ] && ! pings uc-before 1400 && fail=" before"
if [ -z "$fail" ]; then
	# Uplink traffic until the gadget leaves.
	timeout 30 ping -i 0.1 -W 1 10.64.0.2 > "$VM_STATE/uc-load.out" 2>&1 &
	load=$!
	upto 30 1 "the modem went away" || fail="$fail no-unplug-seen"
	kill $load 2>/dev/null
	wait $load 2>/dev/null
	trace "went away:$fail"
fi
[ -z "$fail" ] && { upto 45 2 "data path:" || fail="$fail not-back"; }
trace "back:$fail"
if [ -z "$fail" ]; then
	grep -q "waiting for a modem matching usb:$VM_HOSTILE_VID:$VM_HOSTILE_PID" "$out" ||
		fail="$fail no-waiting-line"
	for size in 1400 484; do
		pings uc-after-$size $size || fail="$fail after-$size"
	done
fi
kill -TERM $cpid
timeout 30 sh -c "while kill -0 $cpid 2>/dev/null; do sleep 0.5; done" || kill -KILL $cpid
wait $cpid
rc=$?
trace "stopped: exit $rc"
[ $rc -ne 0 ] && fail="$fail exit-$rc"
[ -e /sys/class/net/wwu0 ] && fail="$fail tun-left"
grep -q 'usb-reset: off the bus' "$VM_STATE/gadget.log" || fail="$fail gadget-never-left"
sed "s/^/VMTEST-LOG $name: /" "$out"
if ! vm_hostile_stop $name; then
	:
elif [ -n "$fail" ]; then
	vm_fail $name "failed at:$fail" "$out"
else
	vm_pass $name "connect came back up after the replug; byte-checked pings at 512 and 1428 bytes"
fi
