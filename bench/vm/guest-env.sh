# Sourced first by every guest side of the VM benchmarks (guest-common.sh, bulk-guest.sh): the
# environment, what the host passed on the kernel command line (qmiusb_bin, qmiusb_src,
# qmiusb_tools, qmiusb_secs), and the state folder on a tmpfs.
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
