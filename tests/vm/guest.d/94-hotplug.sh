# g. The modem is plugged in after `qmiusb connect` started, with udevd running: libusb's
# hotplug hears the arrival from udevd's broadcast, and connect says so and comes up from it
# (92 covers the same wait without udevd, where only the look every 2 s finds the modem). The
# gadget takes the identity no kernel driver claims; udevd runs only for this check, without
# rules, so that nothing else in the guest changes.
. "$(dirname "$0")/../guest-lib.sh"

name=qmiusb-hotplug
out=$VM_STATE/hotplug.out
upto() { # SECONDS PATTERN: until PATTERN is in $out
	timeout "$1" sh -c 'until grep -q "$2" "$1"; do sleep 0.5; done' _ "$out" "$2"
}

udevd=
for p in /lib/systemd/systemd-udevd /usr/lib/systemd/systemd-udevd; do
	[ -x "$p" ] && udevd=$p && break
done
if [ -z "$udevd" ]; then
	vm_skip $name "systemd-udevd not installed (Debian package udev): libusb's hotplug is untested"
	exit 0
fi
vm_need_tun $name || exit 0
vm_gadget_stop
mkdir -p "$VM_STATE/udev-rules"
: > "$VM_STATE/udevd.log"
# udevd reads its rules from /etc, /run and /usr/lib: the host's are hidden behind an empty
# directory while it runs (libusb needs only the broadcast, which udevd sends without rules).
rules=
for d in /etc/udev/rules.d /usr/lib/udev/rules.d; do
	[ -d "$d" ] && mount --bind "$VM_STATE/udev-rules" "$d" && rules="$rules $d"
done
udevd_stop() { # and give the host's rules back
	udevadm control --exit 2>/dev/null || pkill -f systemd-udevd
	for d in $rules; do umount "$d"; done
}
"$udevd" --daemon --resolve-names=never > "$VM_STATE/udevd.log" 2>&1
if ! vm_wait 200 test -S /run/udev/control; then
	udevd_stop
	vm_fail $name "udevd did not start" "$VM_STATE/udevd.log"
	exit 0
fi

"$QMIUSB" -d "usb:$VM_HOSTILE_VID:$VM_HOSTILE_PID" connect --apn internet --ifname wwh0 \
	> "$out" 2>&1 &
cpid=$!
fail=
upto 30 "waiting for a modem matching" || fail=" never-waiting"
grep -q "(USB hotplug, and a look every 2 s)" "$out" || fail="$fail no-hotplug-watch"
if [ -z "$fail" ]; then
	vm_hostile_start "" || fail="$fail no-gadget"
fi
[ -z "$fail" ] && { upto 30 "USB hotplug reported an arrival" || fail="$fail no-arrival-heard"; }
[ -z "$fail" ] && { upto 40 "data path:" || fail="$fail never-up"; }
if [ -z "$fail" ]; then
	vm_run hp-ping ping -c 3 -i 0.2 -W 3 -s 1400 -p 5aa5c33c0ff0 10.64.0.2 &&
		grep -qE "3 (packets )?received" "$VM_STATE/hp-ping.out" &&
		! grep -q "wrong data" "$VM_STATE/hp-ping.out" || fail="$fail ping"
fi
kill -TERM $cpid
timeout 30 sh -c "while kill -0 $cpid 2>/dev/null; do sleep 0.5; done" || kill -KILL $cpid
wait $cpid
rc=$?
[ $rc -ne 0 ] && fail="$fail exit-$rc"
udevd_stop
sed "s/^/VMTEST-LOG $name: /" "$out"
if ! vm_gadget_stop || [ "$(cat "$VM_STATE/gadget.rc")" != 0 ]; then
	vm_fail $name "the gadget did not stop cleanly" "$VM_STATE/gadget.log"
elif [ -n "$fail" ]; then
	vm_fail $name "failed at:$fail" "$out"
else
	vm_pass $name "the arrival came from udevd through libusb's hotplug; connect came up and pinged"
fi
