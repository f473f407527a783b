#!/bin/busybox sh
# /init of the VM tier's initramfs: reach the host's root over 9p (read-only) with a tmpfs
# overlay on top, then hand over to the guest test runner named on the kernel command line.
# Anything going wrong here is printed as a VMTEST-BOOT line so the host can tell a broken boot
# from a failed check.
/bin/busybox mkdir -p /bin /proc /sys /dev /lower /upper /newroot
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

die() {
	echo "VMTEST-BOOT FAIL $*"
	echo o > /proc/sysrq-trigger
	sleep 60
}

arg() {
	for kv in $(cat /proc/cmdline); do
		case "$kv" in "$1="*) echo "${kv#*=}"; return ;; esac
	done
}

# Order matters: each module needs the ones before it (no modprobe in here).
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
	netfs fscache 9pnet 9pnet_virtio 9p overlay; do
	[ -f /mods/$m.ko ] || continue
	insmod /mods/$m.ko || die "insmod $m"
done

mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /lower \
	|| die "mount 9p hostroot"
mount -t tmpfs -o size=512m tmpfs /upper || die "mount tmpfs"
mkdir -p /upper/rw /upper/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/upper/rw,workdir=/upper/work /newroot \
	|| die "mount overlay"

kdir=$(arg qmiusb_kdir)
runner=$(arg qmiusb_runner)
[ -n "$runner" ] || die "no qmiusb_runner= on the kernel command line"
if [ -n "$kdir" ]; then
	mkdir -p /newroot/lib/modules
	mount --bind "/newroot$kdir/lib/modules" /newroot/lib/modules || die "bind modules"
fi
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev

chroot /newroot /bin/sh "$runner"
echo o > /newroot/proc/sysrq-trigger
sleep 60
