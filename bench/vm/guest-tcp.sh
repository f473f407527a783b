#!/bin/sh
# Runs inside the VM (vm-family.sh tcp): bulk TCP with iperf3 (Debian's package) through the
# operator network: the gadget forwards to a TUN in the namespace qmiusb-op, where iperf3's
# server runs. 1 and 4 streams, each direction, through qmimux (mux id 1, MAP v1, wwan0's MTU
# lifted to the 16 KB grant through 802.3 mode), the kernel's raw-IP wwan0 and qmiusb
# (its default format; with --offload on and off when connect has that option). The CPU of
# each run comes from cpu_window (the whole VM's busy time, the modem, the driver, iperf3's
# server in the operator namespace, the client).
here=$(dirname "$0")
. "$here/guest-common.sh"
ns=qmiusb-op
iperf=$(command -v iperf3) || bm_fail "no iperf3 (scripts/install-deps installs it)"
echo "VMBENCH-START kernel $(uname -r), $(nproc) CPU, $secs s per run"
bm_preload "$tools/cpu_window" "$iperf"
ip netns add $ns && ip -n $ns link set lo up || bm_fail "ip netns add $ns"
vm_gadget_start "" --data-mode forward --opnet $ns ||
	bm_fail "no forwarding gadget: $(cat "$VM_STATE/gadget.why" 2>/dev/null)"
vm_wait 50 vm_qmi_wwan_bound
gpid=$(bm_gadget_pid)
ip netns exec $ns "$iperf" -s -B 10.64.255.1 --forceflush > "$VM_STATE/iperf-server.out" 2>&1 &
spid=$!
vm_wait 100 grep -q "listening" "$VM_STATE/iperf-server.out" || bm_fail "no iperf3 server: $(cat "$VM_STATE/iperf-server.out")"

# $1 = tag, $2 = source address, the rest: cpu_window -p arguments.
run_tcp() {
	local tag=$1 addr=$2 p dir rev out
	shift 2
	for p in 1 4; do
		for dir in up down; do
			rev=
			[ $dir = down ] && rev=-R
			out=$VM_STATE/iperf-$tag-$p-$dir.out
			"$tools/cpu_window" -p modem=$gpid -p server=$spid "$@" -- timeout 60 "$iperf" -c 10.64.255.1 \
				-B "$addr" -t "$secs" -P $p $rev -f k > "$out" 2>&1
			# the receiver's total (the [SUM] line with 4 streams, the stream's with one), in MB
			mb=$(awk '/receiver/ { l = $0 } END { n = split(l, f, " "); for (i = 2; i <= n; i++) {
				if (f[i] == "KBytes") m = f[i - 1] / 1024; else if (f[i] == "MBytes") m = f[i - 1];
				else if (f[i] == "GBytes") m = f[i - 1] * 1024 }
				printf "%.3f", m }' "$out")
			[ "$mb" = 0.000 ] && echo "VMBENCH-NOTE $tag $p $dir: no result: $(tail -n 2 "$out" | tr '\n' ' ')"
			kbps=$(awk '/receiver/ { l = $0 } END { n = split(l, f, " "); for (i = 1; i <= n; i++) if (f[i] == "Kbits/sec") print f[i - 1] }' "$out")
			retr=$(awk '/sender/ { l = $0 } END { n = split(l, f, " "); print (n >= 9 && f[n] == "sender") ? f[n - 1] : "-" }' "$out")
			echo "VMBENCH tcp $tag $p $dir mb=$mb kbps=${kbps:-0} retr=$retr $(sed -n 's/^CPUWIN //p' "$out")"
		done
	done
}

# qmimux first, on the fresh device: wwan0's MTU lifted through 802.3 mode to 16 KB, MAP v1 (all
# qmimux parses), 16 KB downlink aggregates asked for and granted
vm_bind_qmi_wwan || bm_fail "qmi_wwan did not bind"
net=$(ls /sys/bus/usb/devices/"$(vm_usb_intf)"/net/ | head -n 1)
ip link set "$net" down
echo Y > /sys/class/net/"$net"/qmi/raw_ip
echo N > /sys/class/net/"$net"/qmi/raw_ip
ip link set "$net" mtu 16384 || bm_fail "wwan0 mtu 16384 refused in 802.3 mode"
echo Y > /sys/class/net/"$net"/qmi/raw_ip
echo 1 > /sys/class/net/"$net"/qmi/add_mux || bm_fail "add_mux refused"
mux=$(ls -d /sys/class/net/qmimux* | head -n 1)
mux=${mux##*/}
kernel_up "$mux" "link-layer-protocol=raw-ip,ul-protocol=qmap,dl-protocol=qmap,dl-datagram-max-size=16384,dl-max-datagrams=32,ep-type=hsusb,ep-iface-number=$(cat /sys/bus/usb/devices/$(vm_usb_intf)/bInterfaceNumber)" 1
echo "VMBENCH-NOTE qmimux: $net mtu $(cat /sys/class/net/$net/mtu) + $mux (mux id 1, MAP v1, 16 KB downlink aggregates granted)"
run_tcp qmimux "$kernel_addr"
kernel_down
echo 1 > /sys/class/net/"$net"/qmi/del_mux

# the kernel's raw-IP path as it comes: MTU 1500, one packet per URB
ip link set "$net" mtu 1500
kernel_up ""
echo "VMBENCH-NOTE kernel: qmi_wwan $kernel_net raw-ip ($kernel_addr), MTU $(cat /sys/class/net/$kernel_net/mtu), one packet per URB"
run_tcp kernel "$kernel_addr"
kernel_down

cfgs=default
if "$QMIUSB" connect --help 2>&1 | grep -q -- "--offload"; then
	cfgs="on off"
else
	echo "VMBENCH-NOTE qmiusb: connect has no --offload option in this build: one configuration, as it is"
fi
for c in $cfgs; do
	tag=qmiusb
	if [ $c = default ]; then
		qmiusb_up
	else
		tag=qmiusb-offload-$c
		qmiusb_up --offload $c
	fi
	echo "VMBENCH-NOTE $tag: $qmiusb_format"
	run_tcp $tag "$qmiusb_addr" -p driver=$qmiusb_pid
	echo "VMBENCH rss $tag - - $(qmiusb_rss)"
	qmiusb_down
done
kill -TERM $spid
wait $spid
vm_gadget_stop
ip netns del $ns
echo "VMBENCH-DONE"
