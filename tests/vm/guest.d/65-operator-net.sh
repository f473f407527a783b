# e. The operator network over the virtual USB bus: the gadget's software modem forwards into a
# TUN inside its own network namespace (`sim --gadget --data-mode forward --opnet NS`), where
# the build tree's qmiusb-opnet-peer echoes TCP and UDP; `qmiusb -d usb:... connect` (qmi_wwan
# unbound) carries ping, a UDP transfer and a TCP stream to that peer, every byte compared, then
# SIGTERM must tear the connection down. The shared gadget is replaced for the duration and
# restored afterwards, with qmi_wwan bound or not as it was found.
. "$(dirname "$0")/../guest-lib.sh"

name=operator-net
ns=qmiusb-op
port=5201
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

ip netns del $ns 2>/dev/null
if ! ip netns add $ns || ! ip -n $ns link set lo up; then
	vm_fail $name "ip netns add $ns failed"
	exit 0
fi
if ! vm_gadget_replace "" --data-mode forward --opnet $ns ||
	! grep -q "operator network: qsimop0 in $ns" "$VM_STATE/gadget.log"; then
	vm_fail $name-gadget "no forwarding gadget: $(cat "$VM_STATE/gadget.why" 2>/dev/null)" \
		"$VM_STATE/gadget.log"
	restore
	exit 0
fi
addrs=$(ip -n $ns addr show dev qsimop0 2>&1)
case "$addrs" in
*"inet $peer_addr/16"*) vm_pass $name-gadget "forward mode, qsimop0 in $ns with $peer_addr/16" ;;
*)
	vm_fail $name-gadget "qsimop0 in $ns lacks $peer_addr/16: $(echo $addrs)"
	restore
	exit 0
	;;
esac

"$peer" serve $port $ns > "$VM_STATE/opnet-peer.out" 2>&1 &
peer_pid=$!
if ! vm_wait 100 grep -q "listening on $port" "$VM_STATE/opnet-peer.out" || ! vm_unbind_qmi_wwan; then
	vm_fail $name "no echo peer in $ns, or qmi_wwan would not let go" "$VM_STATE/opnet-peer.out"
	restore
	exit 0
fi

out=$VM_STATE/opnet-connect.out
if ! vm_connect_start "$out" wwq1; then
	vm_fail $name "no connection summary" "$out"
	restore
	exit 0
fi

# The peer is the operator namespace's own kernel and server: nothing in the modem answers
# 10.64.255.1, so every reply below crossed the bulk endpoints twice and the operator TUN.
if vm_run opnet-ping ping -c 3 -i 0.2 -W 3 -s 1400 -p 5aa5c33c0ff0 $peer_addr &&
	grep -qE "3 (packets )?received" "$VM_STATE/opnet-ping.out" &&
	! grep -q "wrong data" "$VM_STATE/opnet-ping.out"; then
	vm_pass $name-ping "3 byte-checked 1428-byte echoes from the peer in $ns"
else
	vm_fail $name-ping "ping $peer_addr through wwq1 failed" "$VM_STATE/opnet-ping.out"
fi
if vm_run opnet-udp "$peer" udp $peer_addr $port 100 1400 21; then
	vm_pass $name-udp "$(cat "$VM_STATE/opnet-udp.out")"
else
	vm_fail $name-udp "UDP transfer to $peer_addr:$port" "$VM_STATE/opnet-udp.out"
fi
if vm_run opnet-tcp "$peer" tcp $peer_addr $port 262144 23; then
	vm_pass $name-tcp "$(cat "$VM_STATE/opnet-tcp.out")"
else
	cat /run/qmiusb/*.conn >> "$VM_STATE/opnet-tcp.out" 2>/dev/null
	vm_fail $name-tcp "TCP stream to $peer_addr:$port" "$VM_STATE/opnet-tcp.out"
fi

if ! vm_connect_stop wwq1 "$out"; then
	vm_fail $name-teardown "$VM_CONNECT_WHY" "$out"
else
	vm_pass $name-teardown "SIGTERM: call stopped, wwq1 removed, exit 0"
fi
restore
