# d. qmiusb's own data path over the gadget (qmi_wwan unbound): `qmiusb -d usb:... connect
# --data-format raw-ip` (QMAP, the default, is 62-qmiusb-qmap.sh's) sets raw-IP, starts the call, configures its TUN and pumps packets between the TUN and the bulk
# endpoints; pings to the software modem's gateway check every payload byte (ping -p pattern,
# 512 and 1428-byte packets: the first a multiple of the max packet size, so ZLPs are exercised);
# SIGTERM must stop the call, remove the TUN and exit 0.
. "$(dirname "$0")/../guest-lib.sh"

name=qmiusb-connect-usb
vm_need_usb_data $name || exit 0
out=$VM_STATE/connect.out
if ! vm_connect_start "$out" wwq0 --data-format raw-ip; then
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
vm_connect_stop wwq0 "$out"
if [ -n "$fail" ]; then
	vm_fail $name "ping through wwq0 failed at size(s)$fail" "$VM_STATE/udata-ping-${fail##* }.out"
elif [ -n "$VM_CONNECT_WHY" ]; then
	vm_fail $name "$VM_CONNECT_WHY" "$out"
else
	vm_pass $name "3 byte-checked echoes each at 512 and 1428 bytes via qmiusb's TUN"
fi
