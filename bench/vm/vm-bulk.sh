#!/bin/sh
# The bulk-path cost benchmark: boots the VM as vm-bench.sh does (QEMU -icount, the software
# modem as a gadget on dummy_hcd reflecting every packet), runs bench/vm/bulk-guest.sh inside,
# and tabulates per echoed packet (one packet up and one down) the system calls of `qmiusb
# connect` by name, its allocations and its user-space copies, in raw-IP and QMAP. Counts, not
# times: strace slows the process, which changes how many completions one wakeup finds at 16
# in flight, so the 16-in-flight columns show the batched regime rather than its exact figures.
#
# Usage: vm-bulk.sh --qmiusb PATH --tools DIR --work DIR [--out FILE] [--secs N] [--title T]
#   --tools  the folder with udp_load and libqmiusb_alloc_count.so (the build tree's bench/)
#   --out    appends the table to FILE under the title (the results file keeps before/after)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src_root=$(cd "$here/../.." && pwd)
qmiusb= tools= work= out= secs=2 title="bulk path"
while [ $# -gt 0 ]; do
	case "$1" in
	--qmiusb) qmiusb=$2; shift 2 ;;
	--tools) tools=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--secs) secs=$2; shift 2 ;;
	--title) title=$2; shift 2 ;;
	*) echo "vm-bulk: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$qmiusb" ] && [ -n "$tools" ] && [ -n "$work" ] ||
	{ echo "usage: $0 --qmiusb PATH --tools DIR --work DIR [--out FILE]" >&2; exit 2; }
qemu=$(command -v qemu-system-x86_64) || { echo "vm-bulk: no qemu-system-x86_64" >&2; exit 77; }
busybox=$(command -v busybox) || { echo "vm-bulk: no busybox" >&2; exit 77; }
command -v strace > /dev/null || { echo "vm-bulk: no strace" >&2; exit 77; }
qmiusb=$(cd "$(dirname "$qmiusb")" && pwd)/$(basename "$qmiusb")
tools=$(cd "$tools" && pwd)
mkdir -p "$work"
work=$(cd "$work" && pwd)

. "$src_root/tests/vm/vm-boot.sh"
vm_boot_kernel "$work" || { echo "vm-bulk: no kernel" >&2; exit 77; }
vm_boot_initramfs "$work" "$busybox"

log=$work/console.log
append="$(vm_boot_append "$here/bulk-guest.sh" "$qmiusb")"
append="$append qmiusb_src=$src_root qmiusb_tools=$tools qmiusb_secs=$secs"
vm_boot_qemu 1500 "$append" "$log" -icount shift=0,sleep=off

report=$(tr -d '\r' < "$log" | awk -v title="$title" -v rev="$(git -C "$src_root" describe --always --dirty 2>/dev/null)" '
	/VMBULK-START/ { sub(/.*VMBULK-START /, ""); hdr = $0 }
	/VMBULK-NOTE/ { sub(/.*VMBULK-NOTE /, ""); note = note "  " $0 "\n" }
	/VMBULK-FAIL/ { sub(/.*VMBULK-FAIL /, ""); fails = fails "  FAILED: " $0 "\n" }
	/VMBULK run / {
		col = $3 " " $5 "x" $4
		if (!(col in cseen)) { cseen[col] = 1; cols[++nc] = col }
		for (i = 6; i <= NF; i++) { split($i, kv, "="); v[col, kv[1]] = kv[2] }
	}
	/VMBULK sys / {
		col = $3 " " $5 "x" $4
		if (!($6 in kseen)) { kseen[$6] = 1; keys[++nk] = $6 }
		s[col, $6] = $7
	}
	function per(x, col) { return v[col, "echoes"] > 0 ? sprintf("%.2f", x / v[col, "echoes"]) : "-" }
	END {
		print "== " title " (" rev ") =="
		print "guest: " hdr
		printf "%s", note
		printf "%s", fails
		print "per echo = one packet up (TUN read -> bulk OUT) and one down (bulk IN -> TUN write)"
		printf "%-40s", "columns: format, in flight x size"
		for (c = 1; c <= nc; c++) printf " %15s", cols[c]
		print ""
		printf "%-40s", "echoes counted"
		for (c = 1; c <= nc; c++) printf " %15s", v[cols[c], "echoes"]
		print ""
		# sorted keys: system calls by name
		for (i = 1; i <= nk; i++) for (j = i + 1; j <= nk; j++) if (keys[j] < keys[i]) { t = keys[i]; keys[i] = keys[j]; keys[j] = t }
		for (i = 1; i <= nk; i++) {
			printf "%-40s", "syscall " keys[i]
			for (c = 1; c <= nc; c++) printf " %15s", per(s[cols[c], keys[i]], cols[c])
			print ""
		}
		printf "%-40s", "syscalls, all"
		for (c = 1; c <= nc; c++) { t = 0; for (i = 1; i <= nk; i++) t += s[cols[c], keys[i]]; printf " %15s", per(t, cols[c]) }
		print ""
		split("malloc calloc realloc aligned free", ak, " ")
		for (a = 1; a <= 5; a++) {
			printf "%-40s", "allocator: " ak[a]
			for (c = 1; c <= nc; c++) printf " %15s", per(v[cols[c], ak[a]], cols[c])
			print ""
		}
		printf "%-40s", "user copies (memcpy/memmove), calls"
		for (c = 1; c <= nc; c++) printf " %15s", per(v[cols[c], "copies"], cols[c])
		print ""
		printf "%-40s", "  of them >= 256 bytes"
		for (c = 1; c <= nc; c++) printf " %15s", per(v[cols[c], "big_copies"], cols[c])
		print ""
		printf "%-40s", "  bytes"
		for (c = 1; c <= nc; c++) printf " %15s", per(v[cols[c], "copy_bytes"], cols[c])
		print ""
		printf "%-40s", "(echoes/s under strace, not a figure)"
		for (c = 1; c <= nc; c++) printf " %15s", v[cols[c], "pps"]
		print ""
	}')
echo "$report"
if [ -n "$out" ]; then
	printf '%s\n\n' "$report" >> "$out"
	echo "appended to $out"
fi
