# Booting the VM, shared by tests/vm/run-vm-tests.sh and bench/vm/vm-bench.sh (sourced by sh
# under set -eu): the Debian kernel from the cache, an initramfs that only has to reach the 9p
# root (everything else comes from the host's own files), and QEMU TCG with the host's root
# shared read-only and the serial console into a log. The caller sets src_root (the source tree),
# qemu and work.

# Fetches (or finds cached) the kernel package under $1/kernel. Sets kdir, kver, vmlinuz and
# mods; 1 if scripts/fetch-kernel failed.
vm_boot_kernel() {
	local kout
	kout=$("$src_root/scripts/fetch-kernel" "$1/kernel") || return 1
	kdir=${kout% *}
	kver=${kout##* }
	vmlinuz=$kdir/boot/vmlinuz-$kver
	mods=$kdir/lib/modules/$kver
}

# Builds $1/initrd.gz (in $1/initramfs) from busybox $2 and the kernel's virtio/9p modules.
vm_boot_initramfs() {
	local ird=$1/initramfs m f
	rm -rf "$ird"
	mkdir -p "$ird/bin" "$ird/mods"
	cp "$2" "$ird/bin/busybox"
	cp "$src_root/tests/vm/initramfs-init.sh" "$ird/init"
	chmod +x "$ird/init"
	for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
		netfs fscache 9pnet 9pnet_virtio 9p overlay; do
		f=$(find "$mods/kernel" -name "$m.ko*" | head -n 1)
		[ -n "$f" ] || continue # built in
		case "$f" in
		*.ko.xz) xz -dc "$f" > "$ird/mods/$m.ko" ;;
		*.ko.zst) zstd -qdc "$f" > "$ird/mods/$m.ko" ;;
		*) cp "$f" "$ird/mods/$m.ko" ;;
		esac
	done
	(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) > "$1/initrd.gz"
}

# The kernel command line for guest runner $1 (a script under the host's root) and qmiusb $2;
# the caller appends its own qmiusb_* settings.
vm_boot_append() {
	printf '%s %s\n' "console=ttyS0 panic=-1 loglevel=3 edd=off rdinit=/init" \
		"qmiusb_kdir=$kdir qmiusb_runner=$1 qmiusb_bin=$2"
}

# Boots $qemu with the kernel and $work/initrd.gz under a wall-clock guard of $1 s, command line
# $2, the console into $3; the rest are extra QEMU options (the bench's -icount). Sets vm_boot_rc
# to QEMU's (or timeout's) exit code.
vm_boot_qemu() {
	local limit=$1 append=$2 log=$3
	shift 3
	set +e
	timeout --foreground -k 5 "$limit" "$qemu" -accel tcg "$@" -m 1024 -smp 1 -nographic \
		-no-reboot -kernel "$vmlinuz" -initrd "$work/initrd.gz" -append "$append" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-nic none -monitor none -serial stdio < /dev/null > "$log" 2>&1
	vm_boot_rc=$?
	set -e
}
