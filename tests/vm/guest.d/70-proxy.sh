# f. Port sharing over real USB (issue 5): `qmiusb proxy -d usb:...` claims the gadget's interface
# through libusb and unmodified qmicli (-p, libqmi's qmi-proxy protocol) shares it: the same
# checks as tests/proxy/test_qmicli.c against -d sim, plus qmiusb's own `-p info` and several
# qmicli at once; SIGTERM must end the proxy with 0 and give the interface back. qmicli only
# knows the abstract socket "qmi-proxy": the guest's own namespace, so the default name is used.
. "$(dirname "$0")/../guest-lib.sh"

sel=usb:$VM_VID:$VM_PID
if ! command -v qmicli >/dev/null; then
	vm_skip proxy "qmicli not installed (Debian package libqmi-utils)"
	exit 0
fi
if ! vm_gadget_start || ! vm_unbind_qmi_wwan; then
	vm_fail proxy-start "no gadget, or qmi_wwan would not let go" "$VM_STATE/gadget.log"
	exit 0
fi
intf=$(vm_usb_intf)

plog=$VM_STATE/proxy.log
"$QMIUSB" -d "$sel" proxy -v > "$plog" 2>&1 &
ppid=$!
# qmicli -p spawns libqmi's own qmi-proxy when nobody listens: never run it before this line.
if ! vm_wait 300 grep -q "qmiusb proxy: serving .*device path " "$plog"; then
	kill -KILL $ppid 2>/dev/null
	wait $ppid 2>/dev/null
	vm_fail proxy-start "no 'serving ... device path' line" "$plog"
	exit 0
fi
dev=$(sed -n 's/^qmiusb proxy: serving .*, device path \(.*\)$/\1/p' "$plog" | head -n 1)
if [ ! -p "$dev" ]; then
	vm_fail proxy-start "published path '$dev' is not a FIFO" "$plog"
	kill -KILL $ppid 2>/dev/null
	wait $ppid 2>/dev/null
	exit 0
fi
# The proxy opens the device before it publishes: by now libusb holds the interface.
drv=$(vm_intf_driver "$intf")
if [ "$drv" != usbfs ]; then
	vm_fail proxy-start "$intf bound to '${drv:-none}', want usbfs (claimed by the proxy)" "$plog"
	kill -KILL $ppid 2>/dev/null
	wait $ppid 2>/dev/null
	exit 0
fi
vm_pass proxy-start "$dev, $intf claimed through usbfs"

# pq_run NAME PATTERNS ARG...: qmicli through the proxy with ARGs (output in $VM_STATE/NAME.out);
# 0 when it exits 0 and shows every pattern of the |-separated list PATTERNS (each grep -E),
# else 1 with the reason in $why.
pq_run() {
	local name=$1 pats=$2 out p rc
	shift 2
	out=$VM_STATE/$name.out
	vm_run "$name" qmicli -p --device-open-qmi -d "$dev" "$@"
	rc=$?
	if [ $rc -ne 0 ]; then
		why="qmicli $* failed (exit $rc)"
		return 1
	fi
	echo "$pats" | tr '|' '\n' > "$VM_STATE/$name.pats"
	while IFS= read -r p; do
		if ! grep -qE -- "$p" "$out"; then
			why="qmicli $*: no line matching '$p'"
			return 1
		fi
	done < "$VM_STATE/$name.pats"
	return 0
}

pqmicli_check() {
	if pq_run "$@"; then
		vm_pass "$1"
	else
		vm_fail "$1" "$why" "$VM_STATE/$1.out"
	fi
}

pqmicli_check proxy-qmicli-version-info "Supported versions|ctl \(1\.[0-9]+\)|dms \([0-9]+\.[0-9]+\)|nas \(|wds \(" \
	--get-service-version-info
pqmicli_check proxy-qmicli-dms-ids "IMEI: '352099001761481'" --dms-get-ids
pqmicli_check proxy-qmicli-nas-signal "Successfully got signal strength|Network 'lte': '-65 dBm'" \
	--nas-get-signal-strength
pqmicli_check proxy-qmicli-wds-packet-status "Connection status: 'disconnected'" \
	--wds-get-packet-service-status

# A call whose client id outlives its qmicli, then stopped by a second qmicli adopting that id.
name=proxy-qmicli-start-stop
if ! pq_run proxy-net-start "Packet data handle: '[0-9]+'|CID: '[0-9]+'" \
	--wds-start-network=apn=internet,ip-type=4 --client-no-release-cid; then
	vm_fail $name "start: $why" "$VM_STATE/proxy-net-start.out"
else
	handle=$(sed -n "s/.*Packet data handle: '\([0-9]*\)'.*/\1/p" "$VM_STATE/proxy-net-start.out")
	cid=$(sed -n "s/.*CID: '\([0-9]*\)'.*/\1/p" "$VM_STATE/proxy-net-start.out")
	if pq_run proxy-net-stop "Network stopped" --wds-stop-network="$handle" --client-cid="$cid"; then
		vm_pass $name "handle $handle on client id $cid"
	else
		vm_fail $name "stop: $why" "$VM_STATE/proxy-net-stop.out"
	fi
fi

# qmiusb's own command, forced through the proxy (-p, no -d: the published device is found).
name=proxy-qmiusb-info
vm_run proxy-qmiusb-info "$QMIUSB" -p info
rc=$?
if [ $rc -ne 0 ]; then
	vm_fail $name "qmiusb -p info: exit $rc" "$VM_STATE/$name.out"
elif ! grep -q "352099001761481" "$VM_STATE/$name.out" || ! grep -qF "[$dev]" "$VM_STATE/$name.out"; then
	vm_fail $name "want the IMEI, reported as [$dev]" "$VM_STATE/$name.out"
else
	vm_pass $name
fi

# Several qmicli at once, each with its own client ids on the one USB interface.
name=proxy-qmicli-concurrent
n=5
pids=
i=0
while [ $i -lt $n ]; do
	if [ $((i % 2)) -eq 0 ]; then a=--dms-get-ids; else a=--nas-get-signal-strength; fi
	timeout -k 2 30 qmicli -p --device-open-qmi -d "$dev" $a > "$VM_STATE/conc-$i.out" 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
fail=
i=0
for p in $pids; do
	wait "$p"
	rc=$?
	if [ $((i % 2)) -eq 0 ]; then want="IMEI: '352099001761481'"; else want="Network 'lte': '-65 dBm'"; fi
	if [ $rc -ne 0 ] || ! grep -qF "$want" "$VM_STATE/conc-$i.out"; then
		[ -z "$fail" ] && first=$VM_STATE/conc-$i.out
		fail="$fail $i(exit $rc)"
	fi
	i=$((i + 1))
done
if [ -n "$fail" ]; then
	vm_fail $name "failed:$fail" "$first"
else
	vm_pass $name "$n qmicli processes"
fi

# SIGTERM: exit 0, the published file gone, the interface released (a direct open works).
name=proxy-stop
kill -TERM $ppid
if ! vm_wait 150 sh -c "! kill -0 $ppid"; then
	kill -KILL $ppid 2>/dev/null
	wait $ppid 2>/dev/null
	vm_fail $name "still running 15 s after SIGTERM" "$plog"
	sed 's/^/VMTEST-LOG proxy: /' "$plog"
	exit 0
fi
wait $ppid
rc=$?
sed 's/^/VMTEST-LOG proxy: /' "$plog"
drv=$(vm_intf_driver "$intf")
if [ $rc -ne 0 ]; then
	vm_fail $name "exit $rc after SIGTERM, want 0" "$plog"
elif [ -e "$dev" ]; then
	vm_fail $name "$dev left behind"
elif [ "$drv" = usbfs ]; then
	vm_fail $name "$intf still claimed (driver usbfs) after exit"
elif ! vm_run proxy-after "$QMIUSB" --no-proxy -d "$sel" versions ||
	! grep -q dms "$VM_STATE/proxy-after.out"; then
	vm_fail $name "a direct open after the proxy fails" "$VM_STATE/proxy-after.out"
else
	vm_pass $name "exit 0, interface released"
fi
