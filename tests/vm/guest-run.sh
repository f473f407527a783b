#!/bin/sh
# Runs inside the VM (chrooted into the overlay of the host's root): loads the USB modules,
# mounts configfs, then runs every tests/vm/guest.d/*.sh in name order, each under a timeout.
# Parameters come from the kernel command line (qmiusb_bin, qmiusb_only, qmiusb_src).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
here=$(dirname "$0")

arg() {
	for kv in $(cat /proc/cmdline); do
		case "$kv" in "$1="*) echo "${kv#*=}"; return ;; esac
	done
}

export QMIUSB=$(arg qmiusb_bin)
export QMIUSB_SRC=$(arg qmiusb_src)
only=$(arg qmiusb_only)
export VM_VID=2c7c VM_PID=0125 VM_STATE=/run/qmiusb-vm
export HOME=/root
mkdir -p /run "$VM_STATE"
mount -t tmpfs tmpfs /run 2>/dev/null
mkdir -p "$VM_STATE"
# Sanitizer builds of qmiusb: leaks are the unit tests' business; a report here would only
# garble the output a check reads.
export ASAN_OPTIONS=detect_leaks=0

# configfs is a module here: it must be loaded before the mount or the mount fails quietly.
if ! modprobe -a dummy_hcd libcomposite usb_f_fs qmi_wwan cdc_wdm 2>"$VM_STATE/modprobe.log"; then
	echo "VMTEST-BOOT FAIL modprobe: $(cat "$VM_STATE/modprobe.log")"
fi
mount -t configfs none /sys/kernel/config 2>/dev/null
mount -t debugfs none /sys/kernel/debug 2>/dev/null

echo "VMTEST-START kernel $(uname -r), qmiusb $QMIUSB"
for t in "$here"/guest.d/*.sh; do
	[ -f "$t" ] || continue
	case "$(basename "$t")" in $only) ;; *) continue ;; esac
	# A hung check must not hang the tier: the host's guard would only tell us "no VMTEST-DONE".
	t0=$(cut -d' ' -f1 /proc/uptime)
	timeout -k 5 120 sh "$t"
	rc=$?
	# Guest seconds per check, for whoever needs to keep the tier short (console log only).
	echo "VMTEST-TIME $(basename "$t" .sh) $t0 $(cut -d' ' -f1 /proc/uptime)"
	if [ $rc -ge 124 ]; then
		echo "VMTEST $(basename "$t" .sh) FAIL the check itself timed out or crashed (exit $rc)"
	fi
done
# Leave no gadget behind: a clean teardown is part of what the gadget promises.
. "$here/guest-lib.sh"
vm_gadget_stop
echo "VMTEST-DONE"
