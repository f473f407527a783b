#!/bin/sh
# Runs inside the VM (vm-family.sh qmap): the kernel's QMAP path, qmi_wwan + qmimux (add_mux,
# mux id 1, MAP v1: all qmimux parses), against qmiusb's QMAP on the same mux id, with the same
# grant from the same gadget: the software modem is started with qmap-v1,qmap-max=SIZE, so
# qmicli's request (--wda-set-data-format) and qmiusb's (WDA from connect, which asks for v5 and
# 32 KB) both end at MAP v1 and SIZE. First it shows the usbnet receive-size limit (the RX URB
# size read from usbmon, for each way of setting wwan0's MTU). Closed-loop UDP echoes; packets
# per transfer and the modem's CPU on every row.
here=$(dirname "$0")
. "$here/guest-common.sh"
loads="1500:1 1500:16 64:16"
echo "VMBENCH-START kernel $(uname -r), $(nproc) CPU, $secs s per load"
bm_preload "$tools/udp_rate"
modprobe usbmon 2>/dev/null
mount -t debugfs none /sys/kernel/debug 2>/dev/null

gadget() { # $1 = extra sim faults
	vm_gadget_stop
	vm_gadget_start "$1" --data-mode reflect || bm_fail "no gadget ($1): $(cat "$VM_STATE/gadget.why" 2>/dev/null)"
	vm_wait 50 vm_qmi_wwan_bound
	gpid=$(bm_gadget_pid)
}

# The bulk IN URBs qmi_wwan submits when $1 (wwan0) comes up, from usbmon's text log: "SIZE B x
# COUNT" (usbnet queues as many as fit its 60 x 1518-byte budget).
rx_urb() {
	local mon=/sys/kernel/debug/usb/usbmon/0u cap
	[ -r $mon ] || { echo "?"; return; }
	timeout 3 cat $mon > "$VM_STATE/usbmon.txt" 2>/dev/null &
	cap=$!
	sleep 0.5
	ip link set "$1" up
	wait $cap
	# only submissions with a length count: "SIZE B x N" needs both
	awk '$3 == "S" && $4 ~ /^Bi:/ && $6 ~ /^[0-9]+$/ { n++; if (len == "") len = $6 }
		END { if (n) printf "%s B x %d", len, n; else printf "(usbmon caught none)" }' \
		"$VM_STATE/usbmon.txt"
	ip link set "$1" down
}

maxmtu() { ip -d link show "$1" | sed -n 's/.* maxmtu \([0-9]*\).*/\1/p'; }

# --- the limit ---
gadget "qmap-v1,qmap-max=16384"
vm_bind_qmi_wwan || bm_fail "qmi_wwan did not bind"
net=$(ls /sys/bus/usb/devices/"$(vm_usb_intf)"/net/ | head -n 1)
ip link set "$net" down
echo Y > /sys/class/net/"$net"/qmi/raw_ip
echo "VMBENCH-NOTE limit: $net raw-ip: mtu $(cat /sys/class/net/$net/mtu), max_mtu $(maxmtu $net), RX URBs $(rx_urb $net)"
for m in 16384 4096 1500; do
	e=$(ip link set "$net" mtu $m 2>&1) && e=accepted
	echo "VMBENCH-NOTE limit: raw-ip, ip link set mtu $m: $e; mtu now $(cat /sys/class/net/$net/mtu), RX URBs $(rx_urb $net)"
done
# ModemManager's way: the MTU set while in 802.3 mode, where qmi_wwan lifts max_mtu again.
echo N > /sys/class/net/"$net"/qmi/raw_ip
echo "VMBENCH-NOTE limit: raw_ip=N (802.3): max_mtu $(maxmtu $net)"
for m in 16384 32768; do
	e=$(ip link set "$net" mtu $m 2>&1) && e=accepted
	echo Y > /sys/class/net/"$net"/qmi/raw_ip
	echo "VMBENCH-NOTE limit: 802.3 then raw-ip, mtu $m: $e; mtu now $(cat /sys/class/net/$net/mtu), RX URBs $(rx_urb $net)"
	echo N > /sys/class/net/"$net"/qmi/raw_ip
done
echo Y > /sys/class/net/"$net"/qmi/raw_ip
ip link set "$net" mtu 1500 2>/dev/null

# $1 = tag, $2 = grant (aggregate size), $3 = wwan0's MTU path: "raw" (as set in raw-ip mode:
# 1500) or "lifted" (set in 802.3 mode to the grant, then raw-ip).
kernel_qmap() {
	local tag=$1 size=$2 how=$3 l r c0 c1 m0 m1
	gadget "qmap-v1,qmap-max=$size"
	vm_bind_qmi_wwan || bm_fail "qmi_wwan did not bind"
	net=$(ls /sys/bus/usb/devices/"$(vm_usb_intf)"/net/ | head -n 1)
	ip link set "$net" down
	# qmi_wwan lifts max_mtu only on a switch into 802.3 (a fresh device is in 802.3 already)
	echo Y > /sys/class/net/"$net"/qmi/raw_ip
	echo N > /sys/class/net/"$net"/qmi/raw_ip
	if [ "$how" = lifted ]; then
		ip link set "$net" mtu "$size" || bm_fail "$tag: mtu $size refused in 802.3 mode"
	fi
	echo Y > /sys/class/net/"$net"/qmi/raw_ip
	urb=$(rx_urb "$net")
	echo 1 > /sys/class/net/"$net"/qmi/add_mux || bm_fail "add_mux refused"
	mux=$(ls -d /sys/class/net/qmimux* | head -n 1)
	mux=${mux##*/}
	kernel_up "$mux" "link-layer-protocol=raw-ip,ul-protocol=qmap,dl-protocol=qmap,dl-datagram-max-size=$size,dl-max-datagrams=32,ep-type=hsusb,ep-iface-number=$(cat /sys/bus/usb/devices/$(vm_usb_intf)/bInterfaceNumber)" 1
	grant=$( grep -iE "datagram|protocol|size" "$VM_STATE/k-fmt.out" | tr -s ' \n' ' ' | tr -d "'")
	echo "VMBENCH-NOTE $tag: qmi_wwan $net + $mux (mux id 1), mtu $(cat /sys/class/net/$net/mtu), RX URBs $urb; granted: $grant"
	for l in $loads; do
		c0=$(dev_counters "$net"); m0=$(dev_counters "$mux")
		r=$("$tools/udp_rate" -i "${l#*:}" -t "$secs" -p modem=$gpid "$kernel_addr" 10.64.255.1 "${l%:*}")
		c1=$(dev_counters "$net"); m1=$(dev_counters "$mux")
		set -- $c0 $c1 $m0 $m1
		echo "VMBENCH qmap $tag ${l%:*} ${l#*:} $r ul_pkts=$(( ${13} - $9 )) ul_xfers=$(( $5 - $1 )) dl_pkts=$(( ${14} - ${10} )) dl_xfers=$(( $6 - $2 )) rx_err=$(( $7 - $3 )) rx_over=$(( $8 - $4 ))"
	done
	kernel_down
	echo 1 > /sys/class/net/"$net"/qmi/del_mux
}

# $1 = tag, $2 = extra sim faults (the grant), the rest = connect's arguments.
qmiusb_qmap() {
	local tag=$1 faults=$2 l r c0 c1
	shift 2
	gadget "$faults"
	qmiusb_up "$@"
	echo "VMBENCH-NOTE $tag: qmiusb connect, $qmiusb_format"
	for l in $loads; do
		c0=$(qmiusb_counters)
		r=$("$tools/udp_rate" -i "${l#*:}" -t "$secs" -p modem=$gpid -p driver=$qmiusb_pid "$qmiusb_addr" 10.64.255.1 "${l%:*}")
		c1=$(qmiusb_counters)
		set -- $c0 $c1
		echo "VMBENCH qmap $tag ${l%:*} ${l#*:} $r ul_pkts=$(( $6 - $1 )) ul_xfers=$(( $7 - $2 )) dl_pkts=$(( $8 - $3 )) dl_xfers=$(( $9 - $4 )) drops=$(( ${10} - $5 ))"
	done
	echo "VMBENCH rss $tag - - $(qmiusb_rss)"
	qmiusb_down
}

# Like with like: MAP v1, mux id 1, 16 KB aggregates granted to both.
kernel_qmap qmimux-16k 16384 lifted
qmiusb_qmap qmiusb-v1-16k "qmap-v1,qmap-max=16384" --data-format qmap
# The kernel as it comes: wwan0's MTU left at 1500 (the smallest grant the modem makes, 2 KB).
kernel_qmap qmimux-asis 2048 raw
# Each at its best on this kernel: qmimux over the grants the modem makes (the larger its RX URBs,
# the fewer usbnet queues); qmiusb as it negotiates by default (MAP v5, 32 KB).
kernel_qmap qmimux-4k 4096 lifted
kernel_qmap qmimux-8k 8192 lifted
kernel_qmap qmimux-32k 32768 lifted
qmiusb_qmap qmiusb-v5-32k "" --data-format auto
# The same without the TUN's offloads: what they cost UDP, which they do not help.
qmiusb_qmap qmiusb-v5-nooff "" --data-format auto --offload off
vm_gadget_stop
echo "VMBENCH-DONE"
