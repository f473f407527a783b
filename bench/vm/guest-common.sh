# Sourced by the guest side of the VM benchmark families (guest-rate.sh, guest-qmap.sh,
# guest-tcp.sh): the environment, the modules, the page cache warmed, and the two ways onto
# the gadget, qmi_wwan's wwan0 (kernel_*) and `qmiusb connect` (qmiusb_*). Lines for the host
# start with VMBENCH; `bm_fail` ends the run with a VMBENCH-FAIL line.
. "$(dirname "$0")/guest-env.sh"
modprobe -a dummy_hcd libcomposite usb_f_fs qmi_wwan cdc_wdm tun 2>"$VM_STATE/modprobe.log" ||
	echo "VMBENCH-FAIL modprobe: $(cat "$VM_STATE/modprobe.log")"
mount -t configfs none /sys/kernel/config 2>/dev/null
mount -t tracefs none /sys/kernel/tracing 2>/dev/null
. "$src/tests/vm/guest-lib.sh"
VM_SIM_FAULTS=signal-static
[ -c /dev/net/tun ] || { mkdir -p /dev/net; mknod /dev/net/tun c 10 200; }

bm_fail() {
	echo "VMBENCH-FAIL $*"
	# for the console log (the host's report leaves these lines out)
	tail -n 15 "$VM_STATE/gadget.log" 2>/dev/null | sed 's/^/VMTEST-LOG gadget: /'
	dmesg | tail -n 15 | sed 's/^/VMTEST-LOG dmesg: /'
	echo "VMBENCH-DONE"
	exit 0
}

# Under -icount sleep=off an idle guest's clock jumps to its next timer, so a page fetched from
# the host over 9p in the middle of a measurement (a busy host answers late) looks like a long
# stall. Every program used, and its libraries, go into the page cache first.
bm_preload() {
	local f
	for f in "$QMIUSB" "$@" "$(command -v qmicli)" "$(command -v ip)"; do
		[ -n "$f" ] || continue
		cat "$f" $(ldd "$f" 2>/dev/null | awk '$2 == "=>" { print $3 } $1 ~ /^\// { print $1 }') \
			> /dev/null 2>&1
	done
	cat /usr/lib/x86_64-linux-gnu/gio/modules/* /usr/lib/locale/C.utf8/* \
		/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache > /dev/null 2>&1
}

# vm_run for qmicli, tried up to three times, each allowed 600 s of virtual time (idle time costs
# no wall clock under sleep=off): a page the host serves late over 9p stalls a run, and the
# guest clock jumps ahead meanwhile.
bm_qmicli() {
	local name=$1 n
	shift
	for n in 1 2 3; do
		VM_CMD_TIMEOUT=600 vm_run "$name" qmicli "$@" && return 0
		echo "VMBENCH-NOTE retry: qmicli $* ($n): $(tail -n 1 "$VM_STATE/$name.out")"
	done
	return 1
}

bm_gadget_pid() { cat "$VM_STATE/gadget.pid"; }

# The kernel path: qmi_wwan bound, wwan0 in raw-IP, the format set with qmicli's WDA arguments
# $2 (default plain raw-IP), a call started on a kept WDS client (bound to mux id $3 first when
# given), and the call's own IPv4 address on interface $1 (wwan0, or a qmimux device) with a
# route to the operator network (10.64.255.0/24, whose 10.64.255.1 every family sends to:
# reflected, or answered by the operator namespace in forward mode). Sets kernel_net (wwan0's name), kernel_wdm, kernel_addr.
kernel_up() {
	local dev=$1 fmt=${2:-link-layer-protocol=raw-ip} mux=${3:-} cidarg= intf
	vm_bind_qmi_wwan || bm_fail "qmi_wwan did not bind"
	intf=$(vm_usb_intf)
	kernel_wdm=$(vm_cdc_wdm)
	kernel_net=$(ls /sys/bus/usb/devices/"$intf"/net/ | head -n 1)
	kernel_ifnum=$(cat /sys/bus/usb/devices/"$intf"/bInterfaceNumber)
	[ -n "$dev" ] || dev=$kernel_net
	if [ "$(cat /sys/class/net/"$kernel_net"/qmi/raw_ip)" != Y ]; then
		ip link set "$kernel_net" down
		echo Y > /sys/class/net/"$kernel_net"/qmi/raw_ip
	fi
	bm_qmicli k-fmt -d "$kernel_wdm" --wda-set-data-format="$fmt" ||
		bm_fail "qmicli --wda-set-data-format=$fmt: $(cat "$VM_STATE/k-fmt.out")"
	if [ -n "$mux" ]; then
		bm_qmicli k-bind -d "$kernel_wdm" --client-no-release-cid \
			--wds-bind-mux-data-port="mux-id=$mux,ep-type=hsusb,ep-iface-number=$((kernel_ifnum))" ||
			bm_fail "qmicli bind mux: $(cat "$VM_STATE/k-bind.out")"
		cidarg=--client-cid=$(sed -n "s/.*CID: '\([0-9]*\)'.*/\1/p" "$VM_STATE/k-bind.out")
	fi
	bm_qmicli k-start -d "$kernel_wdm" --wds-start-network=apn=internet,ip-type=4 \
		--client-no-release-cid $cidarg || bm_fail "qmicli start: $(cat "$VM_STATE/k-start.out")"
	kernel_handle=$(sed -n "s/.*Packet data handle: '\([0-9]*\)'.*/\1/p" "$VM_STATE/k-start.out")
	kernel_cid=$(sed -n "s/.*CID: '\([0-9]*\)'.*/\1/p" "$VM_STATE/k-start.out")
	[ -n "$kernel_cid" ] || kernel_cid=${cidarg#--client-cid=}
	bm_qmicli k-set -d "$kernel_wdm" --wds-get-current-settings --client-cid="$kernel_cid" \
		--client-no-release-cid
	kernel_addr=$(sed -n "s/.*IPv4 address: \([0-9.]*\).*/\1/p" "$VM_STATE/k-set.out")
	[ -n "$kernel_addr" ] || bm_fail "no address: $(cat "$VM_STATE/k-set.out")"
	ip link set "$kernel_net" up
	ip link set "$dev" up
	ip addr add "$kernel_addr/32" dev "$dev"
	ip route add 10.64.255.0/24 dev "$dev"
	kernel_dev=$dev
}

kernel_down() {
	ip addr flush dev "$kernel_dev" 2>/dev/null
	ip link set "$kernel_dev" down 2>/dev/null
	ip link set "$kernel_net" down
	qmicli -d "$kernel_wdm" --wds-stop-network="$kernel_handle" --client-cid="$kernel_cid" \
		>/dev/null 2>&1
}

# qmiusb connect on the gadget (qmi_wwan unbound), TUN wwq0, extra arguments $@. Sets
# qmiusb_pid and qmiusb_addr (the TUN's IPv4 address).
qmiusb_up() {
	vm_unbind_qmi_wwan || bm_fail "qmi_wwan would not let go"
	"$QMIUSB" -d "usb:$VM_VID:$VM_PID" connect --apn internet --ifname wwq0 --no-routes "$@" \
		> "$VM_STATE/b-conn.out" 2>&1 &
	qmiusb_pid=$!
	vm_wait 600 grep -q "data path:" "$VM_STATE/b-conn.out" ||
		bm_fail "qmiusb connect $*: $(tail -n 3 "$VM_STATE/b-conn.out")"
	# the summary can come before the TUN has its address
	vm_wait 100 sh -c "ip -4 -o addr show dev wwq0 | grep -q inet" ||
		bm_fail "wwq0 got no IPv4 address"
	qmiusb_addr=$(ip -4 -o addr show dev wwq0 | awk '{ print $4 }' | cut -d/ -f1)
	ip route add 10.64.255.0/24 dev wwq0
	qmiusb_format=$(grep 'data format:' "$VM_STATE/b-conn.out" | tail -n 1 | sed 's/^[[:space:]]*data format: //')
}

# "rss=KB hwm=KB" of qmiusb connect.
qmiusb_rss() {
	echo "rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$qmiusb_pid/status) hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$qmiusb_pid/status)"
}

qmiusb_down() {
	kill -TERM "$qmiusb_pid"
	wait "$qmiusb_pid"
	vm_wait 100 sh -c "! [ -e /sys/class/net/wwq0 ]"
}

# qmiusb's counters from its state file (republished every second, so a fresh copy is waited
# for): "UL_PACKETS UL_TRANSFERS DL_PACKETS DL_TRANSFERS DROPS". Downlink transfers are the
# mux's (mux_down_transfers: it splits them among the sessions) where there is one.
qmiusb_counters() {
	local st k v dl f
	sleep 1
	# the newest state file of wwq0: a stopped connection's may linger a moment
	for f in $(ls -t "${XDG_RUNTIME_DIR:-/run}"/qmiusb/*.conn 2>/dev/null); do
		grep -q "^interface=wwq0$" "$f" && st=$(cat "$f") && break
	done
	dl=$(echo "$st" | sed -n "s/^mux_down_transfers=//p" | head -n 1)
	for k in tun_rx_packets qmap_up_transfers tun_tx_packets qmap_down_transfers drops; do
		v=$(echo "$st" | sed -n "s/^$k=//p" | head -n 1)
		[ $k = qmap_down_transfers ] && [ -n "$dl" ] && v=$dl
		printf '%s ' "${v:-0}"
	done
}

# A network device's "TX_PACKETS RX_PACKETS RX_ERRORS RX_OVER_ERRORS".
dev_counters() {
	local d=/sys/class/net/$1/statistics
	echo "$(cat $d/tx_packets) $(cat $d/rx_packets) $(cat $d/rx_errors) $(cat $d/rx_over_errors)"
}
