# d2b. A 64 KB downlink grant over the gadget (`dl-agg=65536`, twice what connect asks for):
# `connect --data-format qmap` takes it (QMAP, no raw-IP fallback), resizes its USB receive
# transfers to one granted aggregate each (16 x 65536 B, said in the format line), and
# byte-checked pings, 32 in flight so that the modem's aggregates carry many frames, all come
# back; SIGTERM stops the call. The shared gadget comes back afterwards.
. "$(dirname "$0")/../guest-lib.sh"

name=qmiusb-connect-qmap64
vm_need_tun $name || exit 0
out=$VM_STATE/connect-qmap64.out
if ! vm_gadget_replace dl-agg=65536 || ! vm_unbind_qmi_wwan; then
	vm_fail $name "no gadget with dl-agg=65536, or qmi_wwan would not let go" "$VM_STATE/gadget.log"
	vm_gadget_restore $name
	exit 0
fi
if ! vm_connect_start "$out" wwq4 --data-format qmap; then
	vm_fail $name "no connection summary" "$out"
	vm_gadget_restore $name
	exit 0
fi
fail=
grep -q "DL aggregated: 32 x 65536 B, RX 16 x 65536 B), mux id 1" "$out" || fail=" format"
if ! vm_run qdata64-burst ping -c 64 -l 32 -i 0.05 -W 3 -s 1400 -p 3cc3a55a 10.64.0.2 ||
	! grep -qE "64 (packets )?received" "$VM_STATE/qdata64-burst.out" ||
	grep -q "wrong data" "$VM_STATE/qdata64-burst.out"; then
	fail="$fail burst"
fi
vm_connect_stop wwq4 "$out"
vm_gadget_restore $name
if [ -n "$fail" ]; then
	vm_fail $name "64 KB grant failed at:$fail" "$out"
elif [ -n "$VM_CONNECT_WHY" ]; then
	vm_fail $name "$VM_CONNECT_WHY" "$out"
else
	vm_pass $name "$(grep -o 'data format: [^)]*)' "$out" | head -n 1); 64 byte-checked echoes, 32 in flight"
fi
