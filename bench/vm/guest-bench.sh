#!/bin/sh
# Runs inside the VM (see vm-bench.sh): the same UDP echo load and the same control round trips
# through (i) the kernel path, qmi_wwan raw-ip wwan0 + /dev/cdc-wdm, and (ii) qmiusb's TUN and
# libusb, against one gadget whose software modem reflects every packet. Prints "VMBENCH ..."
# lines for the host to tabulate.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
arg() {
	for kv in $(cat /proc/cmdline); do
		case "$kv" in "$1="*) echo "${kv#*=}"; return ;; esac
	done
}
export QMIUSB=$(arg qmiusb_bin)
src=$(arg qmiusb_src)
tools=$(arg qmiusb_tools)
secs=$(arg qmiusb_secs)
: "${secs:=2}"
export VM_VID=2c7c VM_PID=0125 VM_STATE=/run/qmiusb-vm HOME=/root ASAN_OPTIONS=detect_leaks=0
mount -t tmpfs tmpfs /run 2>/dev/null
mkdir -p "$VM_STATE"
modprobe -a dummy_hcd libcomposite usb_f_fs qmi_wwan cdc_wdm tun 2>"$VM_STATE/modprobe.log" ||
	echo "VMBENCH-FAIL modprobe: $(cat "$VM_STATE/modprobe.log")"
mount -t configfs none /sys/kernel/config 2>/dev/null
. "$src/tests/vm/guest-lib.sh"
VM_SIM_FAULTS=signal-static
loads="1500:1 1500:8 1500:16 64:16"

fail() { echo "VMBENCH-FAIL $*"; echo "VMBENCH-DONE"; exit 0; }
echo "VMBENCH-START kernel $(uname -r), $(nproc) CPU, $secs s per load"

# Under -icount sleep=off an idle guest's clock jumps to its next timer, so a page fetched from
# the host over 9p in the middle of an exchange (a busy host answers late) can look like a
# 30-second stall and trip a timeout. Every program the benchmark runs, and its libraries, go
# into the page cache first.
for f in "$QMIUSB" "$tools/udp_load" "$tools/ctl_rtt" "$(command -v qmicli)" "$(command -v ip)"; do
	cat "$f" $(ldd "$f" 2>/dev/null | awk '$2 == "=>" { print $3 } $1 ~ /^\// { print $1 }') \
		> /dev/null 2>&1
done
cat /usr/lib/x86_64-linux-gnu/gio/modules/* > /dev/null 2>&1

vm_gadget_start "" --data-mode reflect || fail "no gadget: $(cat "$VM_STATE/gadget.why" 2>/dev/null)"

# (i) the kernel path
vm_bind_qmi_wwan || fail "qmi_wwan did not bind"
intf=$(vm_usb_intf)
wdm=$(vm_cdc_wdm)
net=$(ls /sys/bus/usb/devices/"$intf"/net/ | head -n 1)
ip link set "$net" down
echo Y > /sys/class/net/"$net"/qmi/raw_ip
vm_run b-llp qmicli -d "$wdm" --wda-set-data-format=link-layer-protocol=raw-ip ||
	fail "qmicli raw-ip: $(cat "$VM_STATE/b-llp.out")"
vm_run b-start qmicli -d "$wdm" --wds-start-network=apn=internet,ip-type=4 --client-no-release-cid ||
	fail "qmicli start: $(cat "$VM_STATE/b-start.out")"
handle=$(sed -n "s/.*Packet data handle: '\([0-9]*\)'.*/\1/p" "$VM_STATE/b-start.out")
cid=$(sed -n "s/.*CID: '\([0-9]*\)'.*/\1/p" "$VM_STATE/b-start.out")
ip link set "$net" up
ip addr add 10.64.0.1/30 dev "$net"
for l in $loads; do
	r=$("$tools/udp_load" 10.64.0.1 10.64.0.2 "${l%:*}" "${l#*:}" "$secs")
	echo "VMBENCH udp kernel ${l%:*} ${l#*:} $r"
done
r=$("$tools/ctl_rtt" cdc-wdm "$wdm" 300)
echo "VMBENCH ctl kernel $r"
ip addr flush dev "$net"
ip link set "$net" down
qmicli -d "$wdm" --wds-stop-network="$handle" --client-cid="$cid" >/dev/null 2>&1

# (ii) qmiusb
vm_unbind_qmi_wwan || fail "qmi_wwan would not let go"
[ -c /dev/net/tun ] || { mkdir -p /dev/net; mknod /dev/net/tun c 10 200; }
# qmiusb on its default loop (io_uring), then forced onto poll() for comparison; each in raw-IP
# (the kernel path's format) and with QMAP aggregation (--data-format qmap).
for cfg in auto:raw-ip poll:raw-ip auto:qmap poll:qmap; do
	loopkind=${cfg%:*}
	fmt=${cfg#*:}
	tag=qmiusb
	[ "$fmt" = qmap ] && tag=$tag-qmap
	[ "$loopkind" = poll ] && tag=$tag-poll
	QMIUSB_LOOP=$loopkind "$QMIUSB" -d "usb:$VM_VID:$VM_PID" connect --apn internet --ifname wwq0 \
		--no-routes --data-format "$fmt" > "$VM_STATE/b-conn.out" 2>&1 &
	pid=$!
	vm_wait 600 grep -q "data path:" "$VM_STATE/b-conn.out" ||
		fail "qmiusb connect: $(tail -n 3 "$VM_STATE/b-conn.out")"
	echo "VMBENCH-NOTE $tag $(grep 'data path:' "$VM_STATE/b-conn.out" | sed 's/^[[:space:]]*//')"
	echo "VMBENCH-NOTE $tag $(grep 'data format:' "$VM_STATE/b-conn.out" | tail -n 1 | sed 's/^[[:space:]]*//')"
	# How well transfers were packed, per load (the connection republishes its counters every
	# second, so each read waits for a fresh copy).
	counters() {
		sleep 1
		st=$(cat "${XDG_RUNTIME_DIR:-/run}"/qmiusb/*.conn 2>/dev/null)
		for k in tun_rx_packets qmap_up_transfers tun_tx_packets qmap_down_transfers drops; do
			v=$(echo "$st" | sed -n "s/^$k=//p" | head -n 1)
			printf '%s ' "${v:-0}"
		done
	}
	for l in $loads; do
		[ "$fmt" = qmap ] && c0=$(counters)
		r=$("$tools/udp_load" 10.64.0.1 10.64.0.2 "${l%:*}" "${l#*:}" "$secs")
		echo "VMBENCH udp $tag ${l%:*} ${l#*:} $r"
		[ "$fmt" = qmap ] || continue
		c1=$(counters)
		set -- $c0 $c1
		echo "VMBENCH-NOTE $tag ${l%:*} B x ${l#*:}: UL $(( $6 - $1 )) packets in $(( $7 - $2 )) transfers, DL $(( $8 - $3 )) packets in $(( $9 - $4 )) transfers, drops $(( ${10} - $5 ))"
	done
	kill -TERM $pid
	wait $pid
	vm_wait 100 sh -c "! [ -e /sys/class/net/wwq0 ]"
done
r=$("$tools/ctl_rtt" usb "usb:$VM_VID:$VM_PID" 300)
echo "VMBENCH ctl qmiusb $r"
vm_gadget_stop
echo "VMBENCH-DONE"
