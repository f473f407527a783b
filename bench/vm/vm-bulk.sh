#!/bin/sh
# The bulk-path cost benchmark: boots the VM as vm-family.sh does (QEMU -icount, the software
# modem as a gadget on dummy_hcd reflecting every packet), runs bench/vm/bulk-guest.sh inside,
# and tabulates per echoed packet (one packet up and one down) the system calls of `qmiusb
# connect` by name, its allocations and its user-space copies, in raw-IP and QMAP. Counts, not
# times: strace slows the process, which changes how many completions one wakeup finds at 16
# in flight, so the 16-in-flight columns show the batched regime rather than its exact figures.
#
# Usage: vm-bulk.sh --qmiusb PATH --tools DIR --work DIR [--out FILE] [--secs N] [--title T]
#   --tools     the folder with udp_load and libqmiusb_alloc_count.so (the build tree's bench/)
#   --out       appends the table to FILE under the title (the results file keeps before/after)
#   --from-log  tabulates the console log of an earlier run instead of booting the VM
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src_root=$(cd "$here/../.." && pwd)
qmiusb= tools= work= out= secs=1 title="bulk path" from_log=
while [ $# -gt 0 ]; do
	case "$1" in
	--qmiusb) qmiusb=$2; shift 2 ;;
	--tools) tools=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--secs) secs=$2; shift 2 ;;
	--title) title=$2; shift 2 ;;
	--from-log) from_log=$2; shift 2 ;;
	*) echo "vm-bulk: unknown argument $1" >&2; exit 2 ;;
	esac
done
if [ -n "$from_log" ]; then
	log=$from_log
else
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
	vm_boot_qemu 1200 "$append" "$log" -icount shift=0,sleep=off
fi

report=$(tr -d '\r' < "$log" | awk -v title="$title" -v rev="$(git -C "$src_root" describe --always --dirty 2>/dev/null)" '
	/VMBULK-START/ { sub(/.*VMBULK-START /, ""); hdr = $0 }
	/VMBULK-NOTE/ { sub(/.*VMBULK-NOTE /, ""); note = note "  " $0 "\n" }
	/VMBULK-FAIL/ { sub(/.*VMBULK-FAIL /, ""); fails = fails "  FAILED: " $0 "\n" }
	/VMBULK run / {
		col = $3 " " $5 "x" $4
		if (!(col in cseen)) { cseen[col] = 1; cols[++nc] = col }
		for (i = 6; i <= NF; i++) { split($i, kv, "="); v[col, kv[1]] = kv[2] }
	}
	/VMBULK free / {
		col = $3 " " $5 "x" $4
		for (i = 6; i <= NF; i++) { split($i, kv, "="); u[col, kv[1]] = kv[2] }
	}
	/VMBULK sys / {
		col = $3 " " $5 "x" $4
		if (!($6 in kseen)) { kseen[$6] = 1; keys[++nk] = $6 }
		s[col, $6] = $7
	}
	function per(x, col) { return v[col, "echoes"] > 0 ? sprintf("%.2f", x / v[col, "echoes"]) : "-" }
	function row(label, f, what,    c) {
		printf "%-38s", label
		for (c = 1; c <= nc; c++) if (cfmt[c] == f) printf " %15s", (what == "" ? "" : per(what == "sys" ? s[cols[c], rk] : v[cols[c], what], cols[c]))
		print ""
	}
	END {
		print "== " title " (" rev ") =="
		print "guest: " hdr
		printf "%s", note
		printf "%s", fails
		print "per echo = one packet up (TUN read -> bulk OUT) and one down (bulk IN -> TUN write);"
		print "libusb = transfers through the event handling of libusb (QMIUSB_USBFS_DIRECT=0),"
		print "usbfs = straight on usbfs (transport_urb_linux.c)"
		for (i = 1; i <= nk; i++) for (j = i + 1; j <= nk; j++) if (keys[j] < keys[i]) { t = keys[i]; keys[i] = keys[j]; keys[j] = t }
		for (c = 1; c <= nc; c++) { split(cols[c], cp, "/"); cfmt[c] = cp[1]; if (!(cp[1] in fseen)) { fseen[cp[1]] = 1; fmts[++nf] = cp[1] } }
		for (f = 1; f <= nf; f++) {
			print ""
			printf "%-38s", fmts[f] ": events, in flight x size"
			for (c = 1; c <= nc; c++) if (cfmt[c] == fmts[f]) { x = cols[c]; sub(/^[^\/]*\//, "", x); split(x, xp, " "); printf " %15s", xp[1] " " xp[2] }
			print ""
			printf "%-38s", "echoes counted"
			for (c = 1; c <= nc; c++) if (cfmt[c] == fmts[f]) printf " %15s", v[cols[c], "echoes"]
			print ""
			for (i = 1; i <= nk; i++) {
				shown = 0
				for (c = 1; c <= nc; c++) if (cfmt[c] == fmts[f] && v[cols[c], "echoes"] > 0 && s[cols[c], keys[i]] / v[cols[c], "echoes"] >= 0.005) shown = 1
				if (!shown) continue
				rk = keys[i]
				row("syscall " keys[i], fmts[f], "sys")
			}
			printf "%-38s", "syscalls, all (rarer ones included)"
			for (c = 1; c <= nc; c++) if (cfmt[c] == fmts[f]) { t = 0; for (i = 1; i <= nk; i++) t += s[cols[c], keys[i]]; printf " %15s", per(t, cols[c]) }
			print ""
			row("allocator: malloc", fmts[f], "malloc")
			row("allocator: calloc", fmts[f], "calloc")
			row("allocator: realloc", fmts[f], "realloc")
			row("allocator: aligned", fmts[f], "aligned")
			row("allocator: free", fmts[f], "free")
			row("user copies (memcpy/memmove)", fmts[f], "copies")
			row("  of them >= 256 bytes", fmts[f], "big_copies")
			row("  bytes", fmts[f], "copy_bytes")
			printf "%-38s", "untraced: wakeups of connect"
			for (c = 1; c <= nc; c++) if (cfmt[c] == fmts[f]) printf " %15s", (u[cols[c], "echoes"] > 0 ? sprintf("%.2f", u[cols[c], "wakeups"] / u[cols[c], "echoes"]) : "-")
			print ""
			printf "%-38s", "untraced: CPU us of connect"
			for (c = 1; c <= nc; c++) if (cfmt[c] == fmts[f]) printf " %15s", (u[cols[c], "echoes"] > 0 && u[cols[c], "hz"] > 0 ? sprintf("%.1f", u[cols[c], "ticks"] * 1e6 / u[cols[c], "hz"] / u[cols[c], "echoes"]) : "-")
			print ""
			printf "%-38s", "untraced: CPU us of the whole VM"
			for (c = 1; c <= nc; c++) if (cfmt[c] == fmts[f]) printf " %15s", u[cols[c], "cpu_us"]
			print ""
			printf "%-38s", "untraced: echoes/s"
			for (c = 1; c <= nc; c++) if (cfmt[c] == fmts[f]) printf " %15s", u[cols[c], "pps"]
			print ""
			printf "%-38s", "(echoes/s under strace: not a figure)"
			for (c = 1; c <= nc; c++) if (cfmt[c] == fmts[f]) printf " %15s", v[cols[c], "pps"]
			print ""
		}
	}')
echo "$report"
if [ -n "$out" ]; then
	printf '%s\n\n' "$report" >> "$out"
	echo "appended to $out"
fi
