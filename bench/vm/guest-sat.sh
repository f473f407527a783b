#!/bin/sh
# Runs inside the VM (vm-family.sh sat, the bench-vm target): closed-loop UDP echoes and control
# round trips through (i) the kernel path, qmi_wwan raw-ip wwan0 + /dev/cdc-wdm, and (ii)
# qmiusb's TUN and libusb, against one gadget whose software modem reflects every packet.
here=$(dirname "$0")
. "$here/guest-common.sh"
loads="1500:1 1500:8 1500:16 64:16"
echo "VMBENCH-START kernel $(uname -r), $(nproc) CPU, $secs s per load"
bm_preload "$tools/udp_load" "$tools/ctl_rtt"
vm_gadget_start "" --data-mode reflect || bm_fail "no gadget: $(cat "$VM_STATE/gadget.why" 2>/dev/null)"

# (i) the kernel path
kernel_up ""
for l in $loads; do
	r=$("$tools/udp_load" "$kernel_addr" 10.64.255.1 "${l%:*}" "${l#*:}" "$secs")
	echo "VMBENCH udp kernel ${l%:*} ${l#*:} $r"
done
r=$("$tools/ctl_rtt" cdc-wdm "$kernel_wdm" 300)
echo "VMBENCH ctl kernel $r"
kernel_down

# (ii) qmiusb on its default loop (io_uring), then forced onto poll() for comparison; each in
# raw-IP (the kernel path's format) and with QMAP aggregation (--data-format qmap).
for cfg in auto:raw-ip poll:raw-ip auto:qmap poll:qmap; do
	loopkind=${cfg%:*}
	fmt=${cfg#*:}
	tag=qmiusb
	[ "$fmt" = qmap ] && tag=$tag-qmap
	[ "$loopkind" = poll ] && tag=$tag-poll
	export QMIUSB_LOOP=$loopkind
	qmiusb_up --data-format "$fmt"
	echo "VMBENCH-NOTE $tag $(grep 'data path:' "$VM_STATE/b-conn.out" | sed 's/^[[:space:]]*//')"
	echo "VMBENCH-NOTE $tag data format: $qmiusb_format"
	for l in $loads; do
		[ "$fmt" = qmap ] && c0=$(qmiusb_counters)
		r=$("$tools/udp_load" "$qmiusb_addr" 10.64.255.1 "${l%:*}" "${l#*:}" "$secs")
		echo "VMBENCH udp $tag ${l%:*} ${l#*:} $r"
		[ "$fmt" = qmap ] || continue
		c1=$(qmiusb_counters)
		set -- $c0 $c1
		echo "VMBENCH-NOTE $tag ${l%:*} B x ${l#*:}: UL $(( $6 - $1 )) packets in $(( $7 - $2 )) transfers, DL $(( $8 - $3 )) packets in $(( $9 - $4 )) transfers, drops $(( ${10} - $5 ))"
	done
	qmiusb_down
done
unset QMIUSB_LOOP
vm_unbind_qmi_wwan
r=$("$tools/ctl_rtt" usb "usb:$VM_VID:$VM_PID" 300)
echo "VMBENCH ctl qmiusb $r"
vm_gadget_stop
echo "VMBENCH-DONE"
