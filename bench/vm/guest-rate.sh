#!/bin/sh
# Runs inside the VM (vm-family.sh rate): open-loop UDP echoes at fixed rates (udp_rate -r)
# through (a) the kernel's raw-IP path, qmi_wwan wwan0, (b) qmiusb raw-IP and (c) qmiusb QMAP,
# on one gadget reflecting every packet. Each run accounts the driver (qmiusb, or the kernel's
# threads), the emulated modem (the gadget process) and the load generator; a second, shorter
# pass at the lowest rate counts system calls (a tracefs histogram, which slows every call, so
# its CPU figures are not used).
here=$(dirname "$0")
. "$here/guest-common.sh"
rates="1000 3000 6000"
sizes="64 1500"
echo "VMBENCH-START kernel $(uname -r), $(nproc) CPU, $secs s per rate"
bm_preload "$tools/udp_rate"
vm_gadget_start "" --data-mode reflect || bm_fail "no gadget: $(cat "$VM_STATE/gadget.why" 2>/dev/null)"
gpid=$(bm_gadget_pid)

# $1 = path tag, $2 = source address, the rest: more udp_rate -p arguments.
run_rates() {
	local tag=$1 addr=$2 size rate r
	shift 2
	# the floor: the path up, nothing sent (dummy_hcd's 125 us timer runs while transfers wait)
	r=$("$tools/udp_rate" -z -t "$secs" -p modem=$gpid "$@" "$addr" 10.64.255.1 64)
	echo "VMBENCH idle $tag - - $r"
	for size in $sizes; do
		for rate in $rates; do
			r=$("$tools/udp_rate" -r $rate -t "$secs" -p modem=$gpid "$@" "$addr" 10.64.255.1 $size)
			echo "VMBENCH rate $tag $size $rate $r"
		done
		r=$("$tools/udp_rate" -r 1000 -t 1 -s -p modem=$gpid "$@" "$addr" 10.64.255.1 $size)
		echo "VMBENCH sc $tag $size 1000 $r"
	done
}

kernel_up ""
echo "VMBENCH-NOTE kernel: qmi_wwan $kernel_net raw-ip ($kernel_addr), one packet per URB each way"
run_rates kernel "$kernel_addr"
kernel_down

for fmt in raw-ip auto; do
	qmiusb_up --data-format $fmt
	tag=qmiusb-raw
	[ $fmt = auto ] && tag=qmiusb-qmap
	echo "VMBENCH-NOTE $tag: $qmiusb_format"
	c0=$(qmiusb_counters)
	run_rates $tag "$qmiusb_addr" -p driver=$qmiusb_pid
	c1=$(qmiusb_counters)
	set -- $c0 $c1
	[ $fmt = auto ] && echo "VMBENCH-NOTE $tag over all its runs: UL $(( $6 - $1 )) packets in $(( $7 - $2 )) transfers, DL $(( $8 - $3 )) packets in $(( $9 - $4 )) transfers, drops $(( ${10} - $5 ))"
	echo "VMBENCH rss $tag - - $(qmiusb_rss)"
	qmiusb_down
done
vm_gadget_stop
echo "VMBENCH-DONE"
