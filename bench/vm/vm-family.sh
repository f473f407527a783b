#!/bin/sh
# One family of the VM benchmarks (bench/README.md): boots the Debian kernel under QEMU in
# deterministic icount mode (-icount shift=0,sleep=off, tests/vm's facilities), runs
# bench/vm/guest-FAMILY.sh inside and turns its VMBENCH lines into a report with
# bench/vm/report-FAMILY.awk. Asserts nothing.
#
# Usage: vm-family.sh --family sat|rate|qmap|tcp --qmiusb PATH --tools DIR --work DIR
#                     [--out FILE] [--secs N]
#   --tools  the folder with udp_rate, cpu_window, udp_load and ctl_rtt (the build tree's bench/)
#   --secs   virtual seconds per measurement (default: the family's own)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src_root=$(cd "$here/../.." && pwd)
family= qmiusb= tools= work= out= secs=
while [ $# -gt 0 ]; do
	case "$1" in
	--family) family=$2; shift 2 ;;
	--qmiusb) qmiusb=$2; shift 2 ;;
	--tools) tools=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--secs) secs=$2; shift 2 ;;
	*) echo "vm-family: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$family" ] && [ -n "$qmiusb" ] && [ -n "$tools" ] && [ -n "$work" ] &&
	[ -f "$here/guest-$family.sh" ] ||
	{ echo "usage: $0 --family sat|rate|qmap|tcp --qmiusb PATH --tools DIR --work DIR [--out FILE]" >&2; exit 2; }
case "$family" in
rate) : "${secs:=3}" ;;
*) : "${secs:=2}" ;;
esac
qemu=$(command -v qemu-system-x86_64) || { echo "vm-family: no qemu-system-x86_64" >&2; exit 77; }
busybox=$(command -v busybox) || { echo "vm-family: no busybox" >&2; exit 77; }
qmiusb=$(cd "$(dirname "$qmiusb")" && pwd)/$(basename "$qmiusb")
tools=$(cd "$tools" && pwd)
mkdir -p "$work"
work=$(cd "$work" && pwd)
if nm "$qmiusb" 2>/dev/null | grep -q __asan_init; then
	echo "vm-family: note: $qmiusb is a sanitizer build; its figures are not representative" >&2
fi

. "$src_root/tests/vm/vm-boot.sh"
vm_boot_kernel "$work" || { echo "vm-family: no kernel" >&2; exit 77; }
vm_boot_initramfs "$work" "$busybox"

log=$work/console-$family.log
append="$(vm_boot_append "$here/guest-$family.sh" "$qmiusb")"
append="$append qmiusb_src=$src_root qmiusb_tools=$tools qmiusb_secs=$secs"
start=$(date +%s)
vm_boot_qemu 1500 "$append" "$log" -icount shift=0,sleep=off
wall=$(( $(date +%s) - start ))

report=$(tr -d '\r' < "$log" | awk -v wall="$wall" -v logf="$log" -f "$here/report-common.awk" \
	-f "$here/report-$family.awk")
echo "$report"
if [ -n "$out" ]; then
	echo "$report" > "$out"
	echo "written to $out"
fi
