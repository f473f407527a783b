# The gadget's data endpoints, through the kernel's own path: qmi_wwan in raw-ip mode, a call
# started with qmicli, then pings to the software modem's gateway over wwan0. One ping size makes
# a 512-byte IP packet (a multiple of the high-speed max packet size), so the zero-length packets
# that end such transfers are exercised in both directions.
. "$(dirname "$0")/../guest-lib.sh"

name=gadget-kernel-ping
if ! command -v qmicli >/dev/null; then
	vm_skip $name "qmicli not installed (Debian package libqmi-utils)"
	exit 0
fi
if ! vm_gadget_start || ! vm_bind_qmi_wwan; then
	vm_fail $name "no gadget bound to qmi_wwan" "$VM_STATE/gadget.log"
	exit 0
fi
intf=$(vm_usb_intf)
wdm=$(vm_cdc_wdm)
net=$(ls /sys/bus/usb/devices/"$intf"/net/ 2>/dev/null | head -n 1)
if [ -z "$net" ]; then
	vm_fail $name "qmi_wwan made no network interface"
	exit 0
fi

ip link set "$net" down
echo Y > /sys/class/net/"$net"/qmi/raw_ip
if ! vm_run kdata-llp qmicli -d "$wdm" --wda-set-data-format=link-layer-protocol=raw-ip ||
	! grep -q "raw-ip" "$VM_STATE/kdata-llp.out"; then
	vm_fail $name "qmicli could not set raw-ip" "$VM_STATE/kdata-llp.out"
	exit 0
fi
if ! vm_run kdata-start qmicli -d "$wdm" --wds-start-network=apn=internet,ip-type=4 \
	--client-no-release-cid; then
	vm_fail $name "qmicli could not start the call" "$VM_STATE/kdata-start.out"
	exit 0
fi
handle=$(sed -n "s/.*Packet data handle: '\([0-9]*\)'.*/\1/p" "$VM_STATE/kdata-start.out")
cid=$(sed -n "s/.*CID: '\([0-9]*\)'.*/\1/p" "$VM_STATE/kdata-start.out")

# The first session's addresses (src/sim/sim.h): host 10.64.0.1/30, gateway 10.64.0.2.
ip link set "$net" up
ip addr add 10.64.0.1/30 dev "$net"
fail=
for size in 484 1400; do
	if ! vm_run kdata-ping-$size ping -c 2 -i 0.2 -W 3 -s $size 10.64.0.2 ||
		! grep -qE "2 (packets )?received" "$VM_STATE/kdata-ping-$size.out"; then
		fail="$fail $size"
	fi
done
if [ -n "$fail" ]; then
	vm_fail $name "ping to 10.64.0.2 lost packets at size(s)$fail" "$VM_STATE/kdata-ping-${fail##* }.out"
else
	vm_pass $name "2 echoes each at 512 and 1428 bytes via $net"
fi

# Leave the modem as later checks expect it: no call, interface down.
ip addr flush dev "$net"
ip link set "$net" down
[ -n "$handle" ] && [ -n "$cid" ] &&
	vm_run kdata-stop qmicli -d "$wdm" --wds-stop-network="$handle" --client-cid="$cid"
