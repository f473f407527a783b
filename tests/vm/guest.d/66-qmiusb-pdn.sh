# e2. Two PDNs on one modem over the virtual USB bus: `qmiusb -d usb:... connect --apn internet
# --apn ims` (QMAP by default: MAP v5, mux ids 1 and 2, one TUN each) against the forwarding
# gadget; a UDP transfer and a TCP stream to the operator network's peer go through the first
# session (its default route), then through the second (a host route to the peer via its TUN),
# every byte compared; each session's counters must show its own share; SIGTERM must tear both
# down. The shared gadget is replaced for the duration and restored afterwards.
. "$(dirname "$0")/../guest-lib.sh"

name=qmiusb-pdn
ns=qmiusb-pdn
port=5202
peer_addr=10.64.255.1
peer=${QMIUSB%/src/cli/qmiusb}/tests/net/qmiusb-opnet-peer

if [ ! -x "$peer" ]; then
	vm_fail $name "no $peer in the build tree (cmake --build BUILD --target qmiusb-opnet-peer)"
	exit 0
fi
vm_need_tun $name || exit 0

restore() {
	[ -n "$peer_pid" ] && kill -TERM "$peer_pid" 2>/dev/null && wait "$peer_pid" 2>/dev/null
	vm_gadget_restore $name
	ip netns del $ns 2>/dev/null
}
peer_pid=

state() { # the state file's value of $1
	local f
	for f in ${XDG_RUNTIME_DIR:+"$XDG_RUNTIME_DIR"/qmiusb/*.conn} /run/qmiusb/*.conn; do
		[ -f "$f" ] && grep -q "^interface=wwp1$" "$f" && sed -n "s/^$1=//p" "$f" && return
	done
}

ip netns del $ns 2>/dev/null
if ! ip netns add $ns || ! ip -n $ns link set lo up; then
	vm_fail $name "ip netns add $ns failed"
	exit 0
fi
if ! vm_gadget_replace "" --data-mode forward --opnet $ns; then
	vm_fail $name-gadget "no forwarding gadget: $(cat "$VM_STATE/gadget.why" 2>/dev/null)" \
		"$VM_STATE/gadget.log"
	restore
	exit 0
fi
"$peer" serve $port $ns > "$VM_STATE/pdn-peer.out" 2>&1 &
peer_pid=$!
if ! vm_wait 100 grep -q "listening on $port" "$VM_STATE/pdn-peer.out" || ! vm_unbind_qmi_wwan; then
	vm_fail $name "no echo peer in $ns, or qmi_wwan would not let go" "$VM_STATE/pdn-peer.out"
	restore
	exit 0
fi

out=$VM_STATE/pdn-connect.out
if ! vm_connect_start "$out" wwp1,wwp2 --apn ims ||
	! vm_wait 300 grep -q "pdn2\] connected: interface wwp2" "$out"; then
	vm_fail $name "the two sessions did not both come up" "$out"
	[ -n "$VM_CONNECT_PID" ] && kill -TERM $VM_CONNECT_PID 2>/dev/null && wait $VM_CONNECT_PID
	restore
	exit 0
fi
fail=
[ "$(grep -c "data format: qmap v5 (UL aggregated: 32 x 32768 B, DL aggregated: 32 x 32768 B, RX 16 x 32768 B), mux id [12]$" "$out")" = 2 ] ||
	fail=" format"

through() { # session label: UDP and TCP to the peer, whatever route is in force
	if ! vm_run pdn-udp-$1 "$peer" udp $peer_addr $port 100 1400 21; then
		fail="$fail $1-udp"
	fi
	if ! vm_run pdn-tcp-$1 "$peer" tcp $peer_addr $port 262144 23; then
		fail="$fail $1-tcp"
	fi
}
through pdn1
sleep 1 # the connection republishes its counters every second
one=$(state tun_rx_bytes)
ip route add $peer_addr/32 dev wwp2 || fail="$fail route"
through pdn2
sleep 1
two=$(state pdn2.tun_rx_bytes)
[ "${one:-0}" -ge 262144 ] && [ "${two:-0}" -ge 262144 ] || fail="$fail counters($one/$two)"

vm_connect_stop wwp1 "$out"
[ -e /sys/class/net/wwp2 ] && fail="$fail wwp2-left"
grep -q "pdn2\] IPv4 call stopped" "$out" || fail="$fail pdn2-stop"
if [ -n "$fail" ]; then
	cat "$VM_STATE"/pdn-udp-*.out "$VM_STATE"/pdn-tcp-*.out >> "$out" 2>/dev/null
	vm_fail $name "two PDNs failed at:$fail" "$out"
elif [ -n "$VM_CONNECT_WHY" ]; then
	vm_fail $name "$VM_CONNECT_WHY" "$out"
else
	vm_pass $name "UDP and TCP byte-exact through each of two QMAP v5 sessions (mux ids 1, 2; $one and $two bytes up)"
fi
restore
