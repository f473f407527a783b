#!/bin/sh
# The VM test tier: boots the current Debian kernel under QEMU (TCG) with the host's root shared
# read-only over 9p, runs tests/vm/guest.d/* inside it against the qmiusb binary under test, and
# turns the VMTEST lines printed on the serial console into pass/fail lines here.
#
# Usage: run-vm-tests.sh --qmiusb PATH --work DIR [--only GLOB] [--timeout SEC] [--keep-log]
#   --qmiusb   the binary under test (the build tree's, never an installed one)
#   --work     a folder under the build tree: kernel cache, initramfs, console log
#   --only     run only guest checks whose file name matches GLOB (e.g. '*qmicli*'); the
#              environment variable QMIUSB_VM_ONLY does the same under ctest
#   --timeout  wall-clock guard for the whole boot (default 600 s)
# Exit: 0 all ran checks passed, 1 a check failed or the guest broke, 77 QEMU cannot run here.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src_root=$(cd "$here/../.." && pwd)
qmiusb= work= only=${QMIUSB_VM_ONLY:-'*'} limit=600

while [ $# -gt 0 ]; do
	case "$1" in
	--qmiusb) qmiusb=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--timeout) limit=$2; shift 2 ;;
	*) echo "run-vm-tests: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$qmiusb" ] && [ -n "$work" ] || { echo "usage: $0 --qmiusb PATH --work DIR" >&2; exit 2; }

skip() {
	echo "SKIPPED: VM tier: $*"
	echo "VM tier: 0 passed, 0 failed, 1 skipped"
	exit 77
}

# Facilities, not failures: without these the tier cannot run at all on this machine.
qemu=$(command -v qemu-system-x86_64 || true)
[ -n "$qemu" ] || skip "qemu-system-x86_64 not installed (Debian package qemu-system-x86)"
busybox=$(command -v busybox || true)
[ -n "$busybox" ] || skip "busybox not installed (Debian package busybox-static)"
# The initramfs has no libc: a dynamically linked busybox cannot be its /init.
if ldd "$busybox" >/dev/null 2>&1; then
	skip "$busybox is dynamically linked (Debian package busybox-static)"
fi
command -v cpio >/dev/null || skip "cpio not installed"
command -v depmod >/dev/null || command -v /sbin/depmod >/dev/null || skip "depmod not installed (package kmod)"

[ -x "$qmiusb" ] || { echo "run-vm-tests: $qmiusb is not an executable" >&2; exit 1; }
qmiusb=$(cd "$(dirname "$qmiusb")" && pwd)/$(basename "$qmiusb")
mkdir -p "$work"
work=$(cd "$work" && pwd)

. "$here/vm-boot.sh"
if ! vm_boot_kernel "$work"; then
	skip "could not fetch the Debian kernel package (scripts/fetch-kernel failed; offline?)"
fi
[ -f "$vmlinuz" ] || { echo "run-vm-tests: no kernel image at $vmlinuz" >&2; exit 1; }
vm_boot_initramfs "$work" "$busybox"

log=$work/console.log
# The guest has no tmpfs of its own on /tmp, so host paths under /tmp stay visible to it.
append="$(vm_boot_append "$here/guest-run.sh" "$qmiusb") qmiusb_only=$only qmiusb_src=$src_root"

start=$(date +%s)
vm_boot_qemu "$limit" "$append" "$log"
rc=$vm_boot_rc
end=$(date +%s)

if [ $rc -ne 0 ] && ! grep -q 'VMTEST' "$log"; then
	if grep -qiE 'could not|failed to|not supported' "$log" && ! grep -q 'Linux version' "$log"; then
		tail -n 20 "$log"
		skip "QEMU could not start: $(grep -iE 'could not|failed to|not supported' "$log" | head -n 1)"
	fi
fi

tr -d '\r' < "$log" | awk -v rc="$rc" -v secs=$((end - start)) -v logf="$log" '
	/VMTEST-BOOT FAIL/ { sub(/.*VMTEST-BOOT FAIL /, ""); boot = $0 }
	/VMTEST-DONE/ { done = 1 }
	/VMTEST [^ ]+ (PASS|FAIL|SKIP)/ {
		sub(/.*VMTEST /, "")
		name = $1; verdict = $2
		$1 = ""; $2 = ""; sub(/^ +/, "")
		if (verdict == "PASS") { pass++; print "PASS " name (length($0) ? ": " $0 : "") }
		else if (verdict == "FAIL") { fail++; print "FAIL " name ": " $0 }
		else { skipped++; print "SKIP " name ": " $0 }
	}
	END {
		if (boot != "") { fail++; print "FAIL vm-boot: " boot }
		else if (!done) {
			fail++
			print "FAIL vm-run: the guest did not finish (qemu exit " rc ", " secs " s); see " logf
		}
		printf "VM tier (%d s): %d passed, %d failed, %d skipped\n", secs, pass, fail, skipped
		exit fail ? 1 : 0
	}' && exit 0
# A broken boot or a guest that never finished: its last words are the clue.
grep -q 'VMTEST-DONE' "$log" || { echo "--- last lines of $log:"; tail -n 30 "$log" | tr -d '\r'; }
exit 1
