#!/bin/sh
# The VM benchmark: boots the Debian kernel under QEMU in deterministic icount mode
# (-icount shift=0,sleep=off: figures repeat run to run; tests/vm's facilities), runs
# bench/vm/guest-bench.sh inside, and tabulates the kernel path (qmi_wwan wwan0, cdc-wdm)
# against qmiusb (TUN, libusb) on the same gadget with the same load. Prints nothing it did not
# measure; asserts nothing.
#
# Usage: vm-bench.sh --qmiusb PATH --tools DIR --work DIR [--out FILE] [--secs N]
#   --tools  the folder with udp_load and ctl_rtt (the build tree's bench/)
#   --secs   virtual seconds per load (default 2; each costs about 8 s of wall clock)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src_root=$(cd "$here/../.." && pwd)
qmiusb= tools= work= out= secs=2
while [ $# -gt 0 ]; do
	case "$1" in
	--qmiusb) qmiusb=$2; shift 2 ;;
	--tools) tools=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--secs) secs=$2; shift 2 ;;
	*) echo "vm-bench: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$qmiusb" ] && [ -n "$tools" ] && [ -n "$work" ] ||
	{ echo "usage: $0 --qmiusb PATH --tools DIR --work DIR [--out FILE]" >&2; exit 2; }
qemu=$(command -v qemu-system-x86_64) || { echo "vm-bench: no qemu-system-x86_64" >&2; exit 77; }
busybox=$(command -v busybox) || { echo "vm-bench: no busybox" >&2; exit 77; }
qmiusb=$(cd "$(dirname "$qmiusb")" && pwd)/$(basename "$qmiusb")
tools=$(cd "$tools" && pwd)
mkdir -p "$work"
work=$(cd "$work" && pwd)
case "$(file -b "$qmiusb" 2>/dev/null)" in
*sanitize*|*asan*) ;;
esac
if nm -D "$qmiusb" 2>/dev/null | grep -q __asan_init || nm "$qmiusb" 2>/dev/null | grep -q __asan_init; then
	echo "vm-bench: note: $qmiusb is a sanitizer build; its figures are not representative" >&2
fi

. "$src_root/tests/vm/vm-boot.sh"
vm_boot_kernel "$work" || { echo "vm-bench: no kernel" >&2; exit 77; }
vm_boot_initramfs "$work" "$busybox"

log=$work/console.log
append="$(vm_boot_append "$here/guest-bench.sh" "$qmiusb")"
append="$append qmiusb_src=$src_root qmiusb_tools=$tools qmiusb_secs=$secs"
start=$(date +%s)
vm_boot_qemu 3000 "$append" "$log" -icount shift=0,sleep=off
wall=$(( $(date +%s) - start ))

report=$(tr -d '\r' < "$log" | awk -v wall="$wall" -v logf="$log" '
	/VMBENCH-START/ { sub(/.*VMBENCH-START /, ""); hdr = $0 }
	/VMBENCH-NOTE/ { sub(/.*VMBENCH-NOTE /, ""); note = note "  " $0 "\n" }
	/VMBENCH-FAIL/ { sub(/.*VMBENCH-FAIL /, ""); fails = fails "  FAILED: " $0 "\n" }
	/VMBENCH udp / {
		path = $3; key = $4 " " $5
		for (i = 6; i <= NF; i++) { split($i, kv, "="); v[path, key, kv[1]] = kv[2] }
		if (!(key in seen)) { seen[key] = 1; order[++n] = key }
		if (!(path in pseen)) { pseen[path] = 1; paths[++np] = path }
	}
	/VMBENCH ctl / {
		for (i = 4; i <= NF; i++) { split($i, kv, "="); c[$3, kv[1]] = kv[2] }
	}
	END {
		print "qmiusb VM benchmark: QEMU TCG -icount shift=0,sleep=off (deterministic), 1 vCPU"
		print "guest: " hdr "; wall clock " wall " s; console log " logf
		print "load: UDP echo through the gadget (software modem in data=reflect mode), each"
		print "answer checked byte for byte; CPU = whole VM busy time per echo (/proc/stat)"
		print "data format: kernel = qmi_wwan raw-ip (one packet per URB, as qmi_wwan does"
		print "without qmimux); qmiusb = raw-ip; qmiusb-qmap = QMAP (MAP v1, mux id 0) with UL"
		print "and DL aggregation negotiated through WDA; -poll = qmiusb forced onto poll()"
		printf "%s", note
		printf "%s", fails
		print ""
		printf "%5s %8s  %-17s %-7s %10s %10s   %s\n", "size", "inflight", "path", "format", "pkt/s", "cpu-us", "vs kernel: pkt/s, cpu"
		for (k = 1; k <= n; k++) {
			key = order[k]; split(key, kk, " ")
			kp = v["kernel", key, "pps"]; kc = v["kernel", key, "cpu_us"]
			for (j = 1; j <= np; j++) {
				p = paths[j]
				if (!((p, key, "pps") in v)) continue
				qp = v[p, key, "pps"]; qc = v[p, key, "cpu_us"]
				ratio = (p != "kernel" && kp > 0 && kc > 0) ? sprintf("x%.2f, x%.2f", qp / kp, qc / kc) : ""
				fmt = (p ~ /qmap/) ? "qmap" : "raw-ip"
				printf "%5s %8s  %-17s %-7s %10s %10s   %s\n", kk[1], kk[2], p, fmt, qp, qc, ratio
				if (v[p, key, "corrupt"] + 0 || v[p, key, "lost"] + 0)
					printf "%47s lost %s, corrupt %s\n", "", v[p, key, "lost"], v[p, key, "corrupt"]
			}
		}
		print ""
		printf "control round trips (CTL Get Version Info, one at a time, after opening and one warm-up):\n"
		printf "  kernel cdc-wdm %s/s, qmiusb libusb %s/s", c["kernel", "rtt_per_s"], c["qmiusb", "rtt_per_s"]
		if (c["kernel", "rtt_per_s"] > 0 && c["qmiusb", "rtt_per_s"] != "")
			printf ", ratio %.2f", c["qmiusb", "rtt_per_s"] / c["kernel", "rtt_per_s"]
		print ""
	}')
echo "$report"
if [ -n "$out" ]; then
	echo "$report" > "$out"
	echo "written to $out"
fi
