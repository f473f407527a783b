#!/bin/sh
# Runs inside the VM (see vm-bulk.sh): what one packet costs qmiusb's bulk path over libusb.
# `qmiusb connect` runs with the allocation counter preloaded (bench/alloc_count.c); for each
# load, strace follows every thread of it while udp_load echoes packets through the gadget, and
# the counters are read before and after. Prints "VMBULK ..." lines for the host to tabulate.
. "$(dirname "$0")/guest-env.sh"
modprobe -a dummy_hcd libcomposite usb_f_fs tun 2>"$VM_STATE/modprobe.log" ||
	echo "VMBULK-FAIL modprobe: $(cat "$VM_STATE/modprobe.log")"
mount -t configfs none /sys/kernel/config 2>/dev/null
. "$src/tests/vm/guest-lib.sh"
VM_SIM_FAULTS=signal-static
loads="1500:1 1500:16 64:16"
counter=$VM_STATE/alloc.count

fail() { echo "VMBULK-FAIL $*"; echo "VMBULK-DONE"; exit 0; }
echo "VMBULK-START kernel $(uname -r), $(nproc) CPU, $secs s per load"

# Everything the run executes into the page cache first (see guest-common.sh: a page fetched over
# 9p mid-load looks like a stall under -icount sleep=off).
for f in "$QMIUSB" "$tools/udp_load" "$tools/libqmiusb_alloc_count.so" "$(command -v strace)" \
	"$(command -v ip)"; do
	cat "$f" $(ldd "$f" 2>/dev/null | awk '$2 == "=>" { print $3 } $1 ~ /^\// { print $1 }') \
		> /dev/null 2>&1
done

vm_gadget_start "" --data-mode reflect || fail "no gadget: $(cat "$VM_STATE/gadget.why" 2>/dev/null)"
[ -c /dev/net/tun ] || { mkdir -p /dev/net; mknod /dev/net/tun c 10 200; }

# The eight counters of alloc_count.c, space separated.
counts() { od -An -t u8 -w64 -N64 "$counter" | tr -s ' ' | sed 's/^ //'; }

# What each of the process's descriptors is, as "fd:label" words, for the syscall keys.
fd_labels() {
	for fd in /proc/"$1"/fd/*; do
		t=$(readlink "$fd")
		case "$t" in
		/dev/net/tun) l=tun ;;
		/dev/bus/usb/*) l=usbfs ;;
		anon_inode:\[eventfd\]) l=eventfd ;;
		anon_inode:\[timerfd\]) l=timerfd ;;
		anon_inode:\[signalfd\]) l=signalfd ;;
		anon_inode:\[io_uring\]) l=io_uring ;;
		socket:*) l=socket ;;
		pipe:*) l=pipe ;;
		*) l=other ;;
		esac
		printf '%s:%s ' "${fd##*/}" "$l"
	done
}

# Each format with the transfers run by libusb's event handling (QMIUSB_USBFS_DIRECT=0) and
# straight on usbfs (the default on Linux).
for cfg in raw-ip:libusb raw-ip:usbfs qmap:libusb qmap:usbfs; do
	fmt=${cfg%:*}
	tag=$fmt/${cfg#*:}
	direct=1
	[ "${cfg#*:}" = libusb ] && direct=0
	head -c 4096 /dev/zero > "$counter"
	QMIUSB_USBFS_DIRECT=$direct QMIUSB_ALLOC_COUNT=$counter \
		LD_PRELOAD=$tools/libqmiusb_alloc_count.so \
		"$QMIUSB" -d "usb:$VM_VID:$VM_PID" connect --apn internet --ifname wwq0 --no-routes \
		--data-format "$fmt" > "$VM_STATE/b-conn.out" 2>&1 &
	pid=$!
	vm_wait 600 grep -q "data path:" "$VM_STATE/b-conn.out" ||
		fail "qmiusb connect: $(tail -n 3 "$VM_STATE/b-conn.out")"
	echo "VMBULK-NOTE $tag $(grep 'data path:' "$VM_STATE/b-conn.out" | sed 's/^[[:space:]]*//')"
	echo "VMBULK-NOTE $tag $(grep 'data format:' "$VM_STATE/b-conn.out" | tail -n 1 | sed 's/^[[:space:]]*//')"
	echo "VMBULK-NOTE $tag usbfs-mapped regions in connect: $(grep -c /dev/bus/usb /proc/$pid/maps)"
	# One untimed load first: whatever is allocated once (the loop's arrays, lazily made
	# buffers) is not a per-packet cost.
	"$tools/udp_load" 10.64.0.1 10.64.0.2 1500 16 1 > /dev/null
	labels=$(fd_labels $pid)
	for l in $loads; do
		size=${l%:*} inflight=${l#*:}
		# Untraced first: the process's wakeups (voluntary context switches: each time it
		# blocked) and CPU time (ticks of /proc/PID/stat) per echo, and the whole VM's
		# CPU per echo as udp_load reports it.
		w0=$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' /proc/$pid/status)
		t0=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
		r=$("$tools/udp_load" 10.64.0.1 10.64.0.2 "$size" "$inflight" "$secs")
		w1=$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' /proc/$pid/status)
		t1=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
		echo "VMBULK free $tag $size $inflight wakeups=$(( w1 - w0 )) ticks=$(( t1 - t0 )) hz=$(getconf CLK_TCK) $r"
		# io_uring's kernel workers (iou-wrk-*) are threads of the process that cannot be
		# traced, and make no system calls of their own.
		tids=$(for t in /proc/$pid/task/*; do
			case "$(cat "$t/comm")" in iou-*) ;; *) echo "-p ${t##*/}" ;; esac
		done)
		strace -f -qq -o "$VM_STATE/strace.out" $tids &
		spid=$!
		sleep 1 # strace attached (its output starts with the attach of every thread)
		c0=$(counts)
		r=$("$tools/udp_load" 10.64.0.1 10.64.0.2 "$size" "$inflight" "$secs")
		c1=$(counts)
		kill -INT $spid
		wait $spid
		echoes=$(echo "$r" | sed -n 's/.*echoes=\([0-9]*\).*/\1/p')
		set -- $c0 $c1
		echo "VMBULK run $tag $size $inflight echoes=$echoes malloc=$(( $9 - $1 )) calloc=$(( ${10} - $2 )) realloc=$(( ${11} - $3 )) aligned=$(( ${12} - $4 )) free=$(( ${13} - $5 )) copies=$(( ${14} - $6 )) copy_bytes=$(( ${15} - $7 )) big_copies=$(( ${16} - $8 )) $r"
		# One key per system call: its name, the ioctl request or what the descriptor is,
		# and the error it returned.
		awk -v labels="$labels" -v pre="VMBULK sys $tag $size $inflight" '
			BEGIN { n = split(labels, w, " "); for (i = 1; i <= n; i++) { split(w[i], kv, ":"); fdl[kv[1]] = kv[2] } }
			{ sub(/^[0-9]+ +/, "") }
			/^<\.\.\./ || /^\+\+\+/ || /^---/ || !/\(/ { next }
			{
				name = $0; sub(/\(.*/, "", name)
				args = $0; sub(/^[a-z0-9_]+\(/, "", args)
				fd = args; sub(/[,)].*/, "", fd)
				key = name
				if (name == "ioctl") { split(args, a, ", "); key = key "/" a[2] }
				else if (fd ~ /^[0-9]+$/ && (fd in fdl)) key = key "/" fdl[fd]
				if (match($0, /= -1 E[A-Z]+/)) key = key "/" substr($0, RSTART + 5, RLENGTH - 5)
				c[key]++
			}
			END { for (k in c) print pre, k, c[k] }' "$VM_STATE/strace.out"
	done
	kill -TERM $pid
	wait $pid
	vm_wait 100 sh -c "! [ -e /sys/class/net/wwq0 ]"
done
vm_gadget_stop
echo "VMBULK-DONE"
