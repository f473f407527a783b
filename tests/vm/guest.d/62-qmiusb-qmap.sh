# d2. qmiusb's data path with QMAP aggregation over the gadget: `connect --data-format qmap`
# negotiates MAP v5 both ways through WDA with 32 KB aggregates, mux id 1 (Bind Mux Data Port); byte-checked pings (512 and 1428-byte packets, one at
# a time and 8 in flight so transfers carry several frames) must come back through the aggregates
# without a drop; SIGTERM must stop the call and remove the TUN.
. "$(dirname "$0")/../guest-lib.sh"

name=qmiusb-connect-qmap
vm_need_usb_data $name || exit 0
out=$VM_STATE/connect-qmap.out
if ! vm_connect_start "$out" wwq2 --data-format qmap; then
	vm_fail $name "no connection summary" "$out"
	exit 0
fi
fail=
grep -q "data format: qmap v5 (UL aggregated: 32 x 32768 B, DL aggregated: 32 x 32768 B, RX 16 x 32768 B), mux id 1" "$out" ||
	fail=" format"
for size in 1400 484; do
	if ! vm_run qdata-ping-$size ping -c 3 -i 0.2 -W 3 -s $size -p 5aa5c33c0ff0 10.64.0.2 ||
		! grep -qE "3 (packets )?received" "$VM_STATE/qdata-ping-$size.out" ||
		grep -q "wrong data" "$VM_STATE/qdata-ping-$size.out"; then
		fail="$fail $size"
	fi
	if ! vm_run qdata-burst-$size ping -c 40 -l 8 -i 0.05 -W 3 -s $size -p a55a3cc3 10.64.0.2 ||
		! grep -qE "40 (packets )?received" "$VM_STATE/qdata-burst-$size.out" ||
		grep -q "wrong data" "$VM_STATE/qdata-burst-$size.out"; then
		fail="$fail burst-$size"
	fi
done
sleep 1 # the connection republishes its counters every second
for f in ${XDG_RUNTIME_DIR:+"$XDG_RUNTIME_DIR"/qmiusb/*.conn} /run/qmiusb/*.conn; do
	[ -f "$f" ] && grep -q "^interface=wwq2$" "$f" && cp "$f" "$VM_STATE/qdata.conn" && break
done
grep -q "^qmap_up_transfers=" "$VM_STATE/qdata.conn" && grep -q "^drops=0$" "$VM_STATE/qdata.conn" ||
	fail="$fail counters"
vm_connect_stop wwq2 "$out"
if [ -n "$fail" ]; then
	cat "$VM_STATE/qdata.conn" >> "$out" 2>/dev/null
	vm_fail $name "QMAP data path failed at:$fail" "$out"
elif [ -n "$VM_CONNECT_WHY" ]; then
	vm_fail $name "$VM_CONNECT_WHY" "$out"
else
	vm_pass $name "byte-checked echoes at 512 and 1428 bytes, 1 and 8 in flight, through MAP aggregates ($(sed -n 's/^qmap_up_transfers=//p' "$VM_STATE/qdata.conn") UL transfers for $(sed -n 's/^tun_rx_packets=//p' "$VM_STATE/qdata.conn") packets)"
fi
