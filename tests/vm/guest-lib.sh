# Shared helpers for the guest checks in guest.d/ (sourced by sh, i.e. dash: `local` is there). Each check prints one or
# more lines "VMTEST <name> PASS|FAIL|SKIP <reason>" on stdout; guest-run.sh passes them through.
# State shared between checks (the gadget's pid, its log) lives under $VM_STATE.

: "${VM_STATE:=/run/qmiusb-vm}"
mkdir -p "$VM_STATE"

vm_pass() { echo "VMTEST $1 PASS${2:+ $2}"; }
vm_skip() { echo "VMTEST $1 SKIP $2"; }
vm_fail() {
	echo "VMTEST $1 FAIL $2"
	# The log file named as $3 (if any) goes to the console so a failure can be read from CI.
	if [ -n "${3:-}" ] && [ -f "$3" ]; then
		sed -n '1,40s/^/  | /p' "$3"
	fi
}

# The gadget's USB interface as the host side sees it, once enumerated: e.g. 1-1:1.0.
vm_usb_intf() {
	local d p
	for d in /sys/bus/usb/devices/*:1.0; do
		[ -e "$d" ] || continue
		p=${d%:1.0}
		if [ "$(cat "$p/idVendor" 2>/dev/null)" = "$VM_VID" ] &&
			[ "$(cat "$p/idProduct" 2>/dev/null)" = "$VM_PID" ]; then
			basename "$d"
			return 0
		fi
	done
	return 1
}

vm_intf_driver() { # prints the bound driver's name, or nothing
	[ -e "/sys/bus/usb/devices/$1/driver" ] && basename "$(readlink "/sys/bus/usb/devices/$1/driver")"
	return 0
}

# Waits (polling sysfs, bounded) until a condition command succeeds. $1 = tenths of a second.
vm_wait() {
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

vm_gadget_running() { [ -f "$VM_STATE/gadget.pid" ] && kill -0 "$(cat "$VM_STATE/gadget.pid")" 2>/dev/null; }

# The software modem's settings for every gadget the checks start: a static signal, so the
# values qmicli and qmiusb read are known (-65 dBm). A check may start one with more knobs.
VM_SIM_FAULTS=${VM_SIM_FAULTS:-signal-static}

# Starts `qmiusb --sim-fault FAULTS sim --gadget ARGS` in the background unless one runs already
# and waits until the host side has enumerated it. $1 = extra fault knobs ("" for none), the rest
# goes to `sim`. 0 on success; on failure the reason is in $VM_STATE/gadget.why.
vm_gadget_start() {
	local faults
	vm_gadget_running && return 0
	faults=$VM_SIM_FAULTS${1:+,$1}
	[ $# -gt 0 ] && shift
	: > "$VM_STATE/gadget.log"
	"$QMIUSB" --sim-fault "$faults" sim --gadget "$@" > "$VM_STATE/gadget.log" 2>&1 &
	echo $! > "$VM_STATE/gadget.pid"
	if ! vm_wait 200 vm_usb_intf; then
		if vm_gadget_running; then
			echo "the host side never enumerated $VM_VID:$VM_PID" > "$VM_STATE/gadget.why"
		else
			echo "qmiusb sim --gadget exited" > "$VM_STATE/gadget.why"
		fi
		return 1
	fi
	return 0
}

# Stops the gadget with SIGTERM or $1 (it tears its configfs gadget down itself) and waits.
vm_gadget_stop() {
	local pid
	vm_gadget_running || { rm -f "$VM_STATE/gadget.pid"; return 0; }
	pid=$(cat "$VM_STATE/gadget.pid")
	kill -"${1:-TERM}" "$pid"
	if ! vm_wait 100 sh -c "! kill -0 $pid"; then
		kill -KILL "$pid" 2>/dev/null
		rm -f "$VM_STATE/gadget.pid"
		return 1
	fi
	# Only the shell that started it can reap it; in another one the exit status is unknown.
	wait "$pid" 2>/dev/null
	echo $? > "$VM_STATE/gadget.rc"
	rm -f "$VM_STATE/gadget.pid"
	# Into the console log (the host ignores these lines): the gadget's own account of its run.
	sed 's/^/VMTEST-LOG gadget: /' "$VM_STATE/gadget.log"
	return 0
}

vm_qmi_wwan_bound() { [ "$(vm_intf_driver "$(vm_usb_intf)")" = qmi_wwan ]; }

# For one check: stops the shared gadget (remembering whether one ran and which driver held its
# interface) and starts `vm_gadget_start FAULTS [sim ARGS]` instead; qmi_wwan's own bind of the
# new one is awaited (bounded), so a later unbind cannot race it. 0 when the new gadget is up.
vm_gadget_replace() {
	VM_HAD_GADGET= VM_HAD_DRIVER=
	if vm_gadget_running; then
		VM_HAD_GADGET=1
		VM_HAD_DRIVER=$(vm_intf_driver "$(vm_usb_intf)")
		vm_gadget_stop
	fi
	vm_gadget_start "$@" || return 1
	vm_wait 50 vm_qmi_wwan_bound
	return 0
}

# Ends vm_gadget_replace's gadget (check $1-gadget-stop fails unless it stops cleanly) and brings
# the shared one back with its interface's driver as found (else check $1-restore fails).
vm_gadget_restore() {
	if vm_gadget_running; then
		if ! vm_gadget_stop || [ "$(cat "$VM_STATE/gadget.rc")" != 0 ]; then
			vm_fail "$1-gadget-stop" "the replacement gadget did not stop cleanly" \
				"$VM_STATE/gadget.log"
		fi
	fi
	[ -n "$VM_HAD_GADGET" ] || return 0
	if ! vm_gadget_start; then
		vm_fail "$1-restore" "the shared gadget did not come back" "$VM_STATE/gadget.log"
		return 1
	fi
	vm_wait 50 vm_qmi_wwan_bound
	if [ "$VM_HAD_DRIVER" = qmi_wwan ]; then
		vm_bind_qmi_wwan
	else
		vm_unbind_qmi_wwan
	fi
}

# The configfs directory of the running gadget (the one bound to a UDC, or the only one).
vm_gadget_dir() {
	local d
	for d in /sys/kernel/config/usb_gadget/qmiusb*; do
		[ -d "$d" ] && echo "$d" && return 0
	done
	return 1
}

# Runs a command with a timeout, stdout+stderr into $VM_STATE/$1.out; returns its exit code.
vm_run() {
	local out=$VM_STATE/$1.out
	shift
	timeout -k 2 "${VM_CMD_TIMEOUT:-30}" "$@" > "$out" 2>&1
}

# Binds qmi_wwan to the gadget's interface (or leaves it bound) and waits for /dev/cdc-wdm*.
vm_bind_qmi_wwan() {
	local i
	i=$(vm_usb_intf) || return 1
	[ "$(vm_intf_driver "$i")" = qmi_wwan ] || echo "$i" > /sys/bus/usb/drivers/qmi_wwan/bind 2>/dev/null
	vm_wait 100 vm_cdc_wdm
}

vm_unbind_qmi_wwan() {
	local i
	i=$(vm_usb_intf) || return 1
	[ "$(vm_intf_driver "$i")" = qmi_wwan ] || return 0
	echo "$i" > /sys/bus/usb/drivers/qmi_wwan/unbind
}

vm_cdc_wdm() { # prints the gadget's cdc-wdm node, e.g. /dev/cdc-wdm0
	local i u
	i=$(vm_usb_intf) || return 1
	for u in /sys/bus/usb/devices/"$i"/usbmisc/cdc-wdm*; do
		[ -e "$u" ] || continue
		echo "/dev/$(basename "$u")"
		[ -c "/dev/$(basename "$u")" ]
		return
	done
	return 1
}

# Loads the TUN driver and makes /dev/net/tun (a module in Debian's kernel, and the guest's /dev
# is minimal). 1 if there is none, after reporting check $1 as skipped.
vm_need_tun() {
	modprobe tun 2>/dev/null
	if [ ! -c /dev/net/tun ]; then
		mkdir -p /dev/net
		mknod /dev/net/tun c 10 200 2>/dev/null
	fi
	if [ ! -c /dev/net/tun ] || ! [ -d /sys/module/tun ]; then
		vm_skip "$1" "no TUN driver in the guest kernel"
		return 1
	fi
}

# For check $1, qmiusb's own data path over the shared gadget: the gadget running, qmi_wwan
# unbound, a TUN driver. 1 if not, after reporting the check as failed or skipped.
vm_need_usb_data() {
	if ! vm_gadget_start || ! vm_unbind_qmi_wwan; then
		vm_fail "$1" "no gadget, or qmi_wwan would not let go" "$VM_STATE/gadget.log"
		return 1
	fi
	vm_need_tun "$1"
}

# Starts `qmiusb -d usb:VID:PID connect --apn internet --ifname $2 [rest]` over the gadget in
# the background, its output into $1, and waits until it is up ("data path:"). 0 with its pid in
# $VM_CONNECT_PID; 1 (the connection stopped again) if it never came up. Call it from the
# check's own shell, not in $(...): only that shell can wait for the connection.
vm_connect_start() {
	local out=$1 ifname=$2
	shift 2
	"$QMIUSB" -d "usb:$VM_VID:$VM_PID" connect --apn internet --ifname "$ifname" "$@" > "$out" 2>&1 &
	VM_CONNECT_PID=$!
	if ! vm_wait 300 grep -q "data path:" "$out"; then
		kill -TERM $VM_CONNECT_PID 2>/dev/null
		wait $VM_CONNECT_PID 2>/dev/null
		return 1
	fi
	return 0
}

# Stops the connection vm_connect_start() started with SIGTERM and checks its teardown: exit 0,
# the call stopped ($2 = its output), the TUN $1 gone. 0 if so, else 1 with the reason in
# $VM_CONNECT_WHY.
vm_connect_stop() {
	local rc
	kill -TERM $VM_CONNECT_PID
	wait $VM_CONNECT_PID
	rc=$?
	VM_CONNECT_WHY=
	if [ $rc -ne 0 ]; then
		VM_CONNECT_WHY="connect exited $rc after SIGTERM"
	elif [ -e "/sys/class/net/$1" ] || ! grep -q "IPv4 call stopped" "$2"; then
		VM_CONNECT_WHY="teardown incomplete"
	fi
	[ -z "$VM_CONNECT_WHY" ]
}

# ---- the hostile device (guest.d/8x-hostile-*.sh) ----
# Hostile gadgets run under an identity no kernel driver claims, so qmiusb gets the interface at
# once (no qmi_wwan bind to wait for and undo), and one at a time in place of the shared gadget.
VM_HOSTILE_VID=1234
VM_HOSTILE_PID=5678

vm_hostile_device() { # prints the device's sysfs name once enumerated, configured or not
	local d
	for d in /sys/bus/usb/devices/*; do
		[ "$(cat "$d/idVendor" 2>/dev/null)" = $VM_HOSTILE_VID ] &&
			[ "$(cat "$d/idProduct" 2>/dev/null)" = $VM_HOSTILE_PID ] &&
			basename "$d" && return 0
	done
	return 1
}

vm_hostile_configured() { # the device has its interface (a lying one may never get it)
	local d
	d=$(vm_hostile_device) && [ -e "/sys/bus/usb/devices/$d:1.0" ]
}

# Stops whatever gadget runs (remembering in $VM_STATE/hostile.had when it was the shared one, for
# vm_hostile_restore) and starts `sim --gadget` as the hostile identity with the knobs $1. Waits
# (bounded) until the host has enumerated the device and, unless $2 is "any", configured it.
# 0 when so.
vm_hostile_start() {
	# Every hostile gadget is stopped by its check, so one running here is the shared one.
	vm_gadget_running && : > "$VM_STATE/hostile.had"
	vm_gadget_stop
	: > "$VM_STATE/gadget.log"
	"$QMIUSB" --sim-fault "$VM_SIM_FAULTS${1:+,$1}" sim --gadget --vid $VM_HOSTILE_VID \
		--pid $VM_HOSTILE_PID > "$VM_STATE/gadget.log" 2>&1 &
	echo $! > "$VM_STATE/gadget.pid"
	if [ "${2:-}" = any ]; then
		vm_wait 100 vm_hostile_device
	else
		vm_wait 100 vm_hostile_configured
	fi
}

# Stops the hostile gadget; check $1 fails unless it stopped cleanly with every client id the
# host allocated released again, and it did act hostile (a run without it proves nothing): the
# gadget logs both at teardown. 0 if so.
vm_hostile_stop() {
	local left acts
	if ! vm_gadget_stop || [ "$(cat "$VM_STATE/gadget.rc")" != 0 ]; then
		vm_fail "$1" "the hostile gadget did not stop cleanly" "$VM_STATE/gadget.log"
		return 1
	fi
	left=$(sed -n 's/.*client ids still allocated: //p' "$VM_STATE/gadget.log")
	if [ "$left" != 0 ]; then
		vm_fail "$1" "client ids left on the modem: ${left:-unknown}" "$VM_STATE/gadget.log"
		return 1
	fi
	acts=$(sed -n 's/.*hostile acts: //p' "$VM_STATE/gadget.log")
	if [ "${acts:-0}" = 0 ] && ! grep -q 'descriptors lie' "$VM_STATE/gadget.log"; then
		vm_fail "$1" "the gadget never acted hostile" "$VM_STATE/gadget.log"
		return 1
	fi
	return 0
}

# Why a qmiusb run (exit code $1, output $2) is not a clean end, or nothing: no crash, no
# sanitizer report, no hang (timeout's 124/137), and a message when it failed.
vm_hostile_why() {
	if grep -q -e 'Sanitizer' -e 'runtime error' "$2"; then
		echo "sanitizer report"
	elif [ "$1" -ge 124 ]; then
		echo "crashed or hung (exit $1)"
	elif [ "$1" -ne 0 ] && ! grep -q -e 'error' -e 'unplugged' "$2"; then
		echo "exit $1 without a message"
	fi
}

# Brings the shared gadget back if a hostile check stopped it (with qmi_wwan, as 10-gadget.sh
# left it). Only the last hostile file (82) calls it: restarting it in between costs seconds, and
# nothing but the hostile checks runs between them.
vm_hostile_restore() {
	[ -e "$VM_STATE/hostile.had" ] || return 0
	rm -f "$VM_STATE/hostile.had"
	if ! vm_gadget_start; then
		vm_fail "$1-restore" "the shared gadget did not come back" "$VM_STATE/gadget.log"
		return 1
	fi
	vm_wait 50 vm_qmi_wwan_bound
}

# ---- real modems' layouts (guest.d/85-layouts*.sh): the kernel is the reference. qmi_wwan binds
# by VID:PID:interface from its own table; qmiusb list must name exactly the interfaces qmi_wwan
# took, and `info` must answer over libusb on the one the modem serves.

# The device with VID $1 PID $2 once configured: its sysfs name (e.g. 1-1).
layout_dev() {
	local d n
	for d in /sys/bus/usb/devices/*; do
		n=${d##*/}
		case $n in *:*|usb*) continue ;; esac
		[ "$(cat "$d/idVendor" 2>/dev/null)" = "$1" ] || continue
		[ "$(cat "$d/idProduct" 2>/dev/null)" = "$2" ] || continue
		[ -n "$(cat "$d/bConfigurationValue" 2>/dev/null)" ] || continue
		echo "$n"
		return 0
	done
	return 1
}

# The interface numbers qmi_wwan holds on device $1, sorted, one line.
kernel_ifaces() {
	local l out=
	for l in /sys/bus/usb/drivers/qmi_wwan/"$1":*; do
		[ -e "$l" ] || continue
		out="$out ${l##*.}"
	done
	echo "$out" | tr ' ' '\n' | sed '/^$/d' | sort -n | tr '\n' ' '
}

# Without a fork: it runs in a wait loop, and a loaded VM takes a second per fork.
kernel_has() {
	local l
	for l in /sys/bus/usb/drivers/qmi_wwan/"$1":*; do
		[ -e "$l" ] && return 0
	done
	return 1
}

# What qmiusb list shows for the device: "usb:PATH:IFACE" lines -> interface numbers.
qmiusb_ifaces() {
	sed -n 's/^usb:[^:]*:\([0-9]*\) .*/\1/p' "$1" | sort -n | tr '\n' ' '
}

# layout_start NAME VID PID LOG CHECK: starts the layout's gadget (its pid into LAYOUT_PID) and
# waits for the host to configure it (its sysfs name into LAYOUT_DEV); else CHECK fails, 1.
layout_start() {
	"$QMIUSB" --sim-fault "$VM_SIM_FAULTS" sim --gadget --layout "$1" > "$4" 2>&1 &
	LAYOUT_PID=$!
	if ! vm_wait 200 layout_dev "$2" "$3"; then
		vm_fail "$5" "the host never configured $2:$3" "$4"
		dmesg | tail -n 12 | sed "s/^/VMTEST-LOG layout $1 dmesg: /"
		kill "$LAYOUT_PID" 2>/dev/null
		wait "$LAYOUT_PID" 2>/dev/null
		return 1
	fi
	LAYOUT_DEV=$(layout_dev "$2" "$3")
}

# layout_switched RC OUT DEV FROM TO WHY: the info run (exit RC, output in OUT) answered, and
# switched device DEV from configuration FROM to TO saying why (WHY).
layout_switched() {
	[ "$1" -eq 0 ] && grep -qi imei "$2" &&
		grep -q "switched the device from configuration $4 to $5 ($6)" "$2" &&
		[ "$(cat /sys/bus/usb/devices/"$3"/bConfigurationValue)" = "$5" ]
}

# layout_switch NAME VID PID DEV CONFIG: a device found in another configuration than CONFIG,
# the one holding QMI: list says so, and --usb-config CONFIG switches it before info answers.
layout_switch() {
	local name=$1 vid=$2 pid=$3 dev=$4 want=$5 active rc

	active=$(cat /sys/bus/usb/devices/"$dev"/bConfigurationValue)
	vm_run "layout-$name-inactive" "$QMIUSB" -d "usb:$vid:$pid" list
	sed "s/^/VMTEST-LOG layout $name inactive list: /" "$VM_STATE/layout-$name-inactive.out"
	if [ "$active" = "$want" ] ||
		! grep -q "QMI in configuration $want; active: $active" "$VM_STATE/layout-$name-inactive.out"; then
		vm_fail "layout-$name-inactive" "active configuration $active; list does not say so" \
			"$VM_STATE/layout-$name-inactive.out"
		return
	fi
	vm_pass "layout-$name-inactive" "QMI in configuration $want; active: $active"
	vm_run "layout-$name-switch" "$QMIUSB" --usb-config "$want" --detach -d "usb:$vid:$pid" info
	rc=$?
	if ! layout_switched $rc "$VM_STATE/layout-$name-switch.out" "$dev" "$active" "$want" \
		--usb-config; then
		vm_fail "layout-$name-usb-config" "exit $rc" "$VM_STATE/layout-$name-switch.out"
	else
		vm_pass "layout-$name-usb-config"
	fi
}

# layout_check NAME VID PID SERVED [CONFIG]: one layout from start to teardown; with CONFIG,
# the device comes up in another configuration and is switched to CONFIG first.
layout_check() {
	local name=$1 vid=$2 pid=$3 served=$4 config=${5:-} dev k q pid_g rc
	local log=$VM_STATE/layout-$name.log

	layout_start "$name" "$vid" "$pid" "$log" "layout-$name" || return
	pid_g=$LAYOUT_PID dev=$LAYOUT_DEV
	echo "VMTEST-LOG layout $name configured at $(cut -d' ' -f1 /proc/uptime) s"
	echo "VMTEST-LOG layout $name: $(cat /sys/bus/usb/devices/"$dev"/speed) Mb/s, configuration $(cat /sys/bus/usb/devices/"$dev"/bConfigurationValue)"
	[ -n "$config" ] && layout_switch "$name" "$vid" "$pid" "$dev" "$config"
	# qmi_wwan binds while the host configures the device: two seconds is plenty, and a layout
	# it never binds (one that does not fit dummy_hcd) waits them out in full.
	vm_wait 20 kernel_has "$dev"
	k=$(kernel_ifaces "$dev")
	echo "VMTEST-LOG layout $name kernel at $(cut -d' ' -f1 /proc/uptime) s"
	vm_run "layout-$name-list" "$QMIUSB" -d "usb:$vid:$pid" list
	q=$(qmiusb_ifaces "$VM_STATE/layout-$name-list.out")
	echo "VMTEST-LOG layout $name listed at $(cut -d' ' -f1 /proc/uptime) s"
	sed "s/^/VMTEST-LOG layout $name list: /" "$VM_STATE/layout-$name-list.out"
	# dummy_hcd numbers its configurable endpoints 1, 2, 3... again after its fixed ones: a
	# fifth bulk OUT or an eighth IN endpoint repeats an address, which the kernel skips in the
	# later interface (dmesg says so), and so does qmiusb. A QMI interface that lost its
	# endpoints is then QMI for neither.
	if [ "$k" != "$q" ]; then
		sed -n "/Vendor=$vid ProdID=$pid/,/^\$/s/^/VMTEST-LOG layout $name devices: /p" \
			/sys/kernel/debug/usb/devices
		dmesg | tail -n 15 | sed "s/^/VMTEST-LOG layout $name dmesg: /"
		vm_fail "layout-$name-pick" "qmi_wwan holds '${k}', qmiusb list names '${q}'" \
			"$VM_STATE/layout-$name-list.out"
	else
		vm_pass "layout-$name-pick" "interface(s) ${k:-none (endpoints dummy_hcd could not lend)}"
	fi
	case " $k" in
	*" $served "*) ;;
	*)
		vm_skip "layout-$name-info" "interface $served has no endpoints of its own on dummy_hcd"
		layout_stop "$name" "$pid_g" "$log" "$dev"
		return
		;;
	esac
	[ -e "/sys/bus/usb/drivers/qmi_wwan/$dev:1.$served" ] &&
		echo "$dev:1.$served" > /sys/bus/usb/drivers/qmi_wwan/unbind
	vm_run "layout-$name-info" "$QMIUSB" -d "usb:$dev:$served" info
	rc=$?
	if [ $rc -ne 0 ] || ! grep -qi imei "$VM_STATE/layout-$name-info.out"; then
		vm_fail "layout-$name-info" "exit $rc" "$VM_STATE/layout-$name-info.out"
	else
		vm_pass "layout-$name-info"
	fi
	layout_stop "$name" "$pid_g" "$log" "$dev"
}

# layout_stop NAME PID LOG DEV: SIGTERM, the gadget's log into the console, device gone.
layout_stop() {
	local name=$1 pid_g=$2 log=$3 dev=$4

	echo "VMTEST-LOG layout $name stopping at $(cut -d' ' -f1 /proc/uptime) s"
	kill "$pid_g"
	if ! vm_wait 100 sh -c "! kill -0 $pid_g"; then
		sed "s/^/VMTEST-LOG layout $name gadget stack: /" /proc/"$pid_g"/stack 2>/dev/null
		kill -KILL "$pid_g" 2>/dev/null
		vm_fail "layout-$name-stop" "the gadget did not stop on SIGTERM" "$log"
		# Stuck in the kernel, it would block the wait below for good.
		vm_wait 50 sh -c "! kill -0 $pid_g" || return
	fi
	wait "$pid_g" 2>/dev/null
	sed "s/^/VMTEST-LOG layout $name gadget: /" "$log"
	vm_wait 50 sh -c "! ls /sys/bus/usb/devices/$dev >/dev/null 2>&1"
}

# layout_quirk_switch NAME VID PID CONFIG: a quirks entry with config=CONFIG switches the device
# from the configuration it came up in, without --usb-config, and names the entry.
layout_quirk_switch() {
	local name=$1 vid=$2 pid=$3 want=$4 dev pid_g rc active
	local log=$VM_STATE/layout-$name-quirk.log quirks=$VM_STATE/layout-$name.conf

	layout_start "$name" "$vid" "$pid" "$log" "layout-$name-quirk-config" || return
	pid_g=$LAYOUT_PID dev=$LAYOUT_DEV
	active=$(cat /sys/bus/usb/devices/"$dev"/bConfigurationValue)
	echo "$vid:$pid:8 dtr config=$want" > "$quirks"
	vm_run "layout-$name-quirk" "$QMIUSB" --quirks "$quirks" --detach -d "usb:$vid:$pid" info
	rc=$?
	if ! layout_switched $rc "$VM_STATE/layout-$name-quirk.out" "$dev" "$active" "$want" \
		"quirk layout-$name.conf:1"; then
		vm_fail "layout-$name-quirk-config" "exit $rc" "$VM_STATE/layout-$name-quirk.out"
	else
		vm_pass "layout-$name-quirk-config" "config=$want switched it from $active"
	fi
	layout_stop "$name-quirk" "$pid_g" "$log" "$dev"
}

# The 5G layout at SuperSpeed: dummy_hcd offers it only when loaded with is_super_speed=Y, so it
# is reloaded so for this one layout (the shared gadget is stopped), then as it was.
layout_superspeed() {
	local was
	was=$(cat /sys/module/dummy_hcd/parameters/is_super_speed 2>/dev/null)
	if ! modprobe -r dummy_hcd 2> "$VM_STATE/layout-ss.err" ||
		! modprobe dummy_hcd is_super_speed=Y 2>> "$VM_STATE/layout-ss.err" ||
		! vm_wait 50 sh -c 'ls /sys/class/udc/* > /dev/null 2>&1'; then
		vm_skip layout-rm500q "cannot reload dummy_hcd with is_super_speed=Y: $(tail -n 1 "$VM_STATE/layout-ss.err")"
		modprobe dummy_hcd 2> /dev/null
		return
	fi
	echo "VMTEST-LOG dummy_hcd reloaded: is_super_speed=$(cat /sys/module/dummy_hcd/parameters/is_super_speed)"
	layout_check rm500q 2c7c 0800 4
	modprobe -r dummy_hcd && modprobe dummy_hcd ${was:+is_super_speed=$was}
	if ! vm_wait 50 sh -c 'ls /sys/class/udc/* > /dev/null 2>&1'; then
		vm_fail layout-rm500q-restore "dummy_hcd did not come back" "$VM_STATE/layout-ss.err"
	fi
}

# Stops the shared gadget for a run of layouts, remembering which driver held it (in
# VM_LAYOUTS_HAD); layouts_end brings it back as it was.
layouts_begin() {
	VM_LAYOUTS_HAD=
	if vm_gadget_running; then
		VM_LAYOUTS_HAD=$(vm_intf_driver "$(vm_usb_intf)")
		vm_gadget_stop > /dev/null
		VM_LAYOUTS_HAD=${VM_LAYOUTS_HAD:-none}
	fi
}

layouts_end() {
	local had=$VM_LAYOUTS_HAD
	if [ -n "$had" ]; then
		if vm_gadget_start; then
			vm_wait 50 vm_qmi_wwan_bound
			[ "$had" = qmi_wwan ] && vm_bind_qmi_wwan
			[ "$had" = qmi_wwan ] || vm_unbind_qmi_wwan
		else
			vm_fail layouts-restore "the shared gadget did not come back" "$VM_STATE/gadget.log"
		fi
	fi
}
