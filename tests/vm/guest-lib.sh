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
	"$QMIUSB" --sim-fault "$VM_SIM_FAULTS,$1" sim --gadget --vid $VM_HOSTILE_VID \
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
