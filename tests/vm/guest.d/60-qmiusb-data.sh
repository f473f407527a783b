# d. qmiusb's own data path over the gadget (qmi_wwan unbound): `qmiusb -d usb:... connect` sets
# raw-IP, starts the call, configures its TUN and pumps packets between the TUN and the bulk
# endpoints; pings to the software modem's gateway check every payload byte (ping -p pattern,
# 512 and 1428-byte packets: the first a multiple of the max packet size, so ZLPs are exercised);
# SIGTERM must stop the call, remove the TUN and exit 0. (Owned by the net helper.)
. "$(dirname "$0")/../guest-lib.sh"

name=qmiusb-connect-usb
sel=usb:$VM_VID:$VM_PID
if ! vm_gadget_start || ! vm_unbind_qmi_wwan; then
	vm_fail $name "no gadget, or qmi_wwan would not let go" "$VM_STATE/gadget.log"
	exit 0
fi
# The TUN driver is a module in Debian's kernel, and the guest's /dev is minimal.
modprobe tun 2>/dev/null
if [ ! -c /dev/net/tun ]; then
	mkdir -p /dev/net
	mknod /dev/net/tun c 10 200 2>/dev/null
fi
if [ ! -c /dev/net/tun ] || ! [ -d /sys/module/tun ]; then
	vm_skip $name "no TUN driver in the guest kernel"
	exit 0
fi
out=$VM_STATE/connect.out
"$QMIUSB" -d "$sel" connect --apn internet --ifname wwq0 > "$out" 2>&1 &
pid=$!
if ! vm_wait 300 grep -q "data path:" "$out"; then
	kill -TERM $pid 2>/dev/null
	wait $pid 2>/dev/null
	vm_fail $name "no connection summary" "$out"
	exit 0
fi
fail=
for size in 1400 484; do
	if ! vm_run udata-ping-$size ping -c 3 -i 0.2 -W 3 -s $size -p 5aa5c33c0ff0 10.64.0.2 ||
		! grep -qE "3 (packets )?received" "$VM_STATE/udata-ping-$size.out" ||
		grep -q "wrong data" "$VM_STATE/udata-ping-$size.out"; then
		fail="$fail $size"
	fi
done
# On failure the connection's own counters say which side lost what.
[ -n "$fail" ] && cat /run/qmiusb/*.conn >> "$VM_STATE/udata-ping-${fail##* }.out" 2>/dev/null
kill -TERM $pid
wait $pid
rc=$?
if [ -n "$fail" ]; then
	vm_fail $name "ping through wwq0 failed at size(s)$fail" "$VM_STATE/udata-ping-${fail##* }.out"
elif [ $rc -ne 0 ]; then
	vm_fail $name "connect exited $rc after SIGTERM" "$out"
elif [ -e /sys/class/net/wwq0 ] || ! grep -q "IPv4 call stopped" "$out"; then
	vm_fail $name "teardown incomplete" "$out"
else
	vm_pass $name "3 byte-checked echoes each at 512 and 1428 bytes via qmiusb's TUN"
fi
