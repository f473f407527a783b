# Real modems' layouts (`sim --gadget --layout NAME`): the kernel is the reference. qmi_wwan
# binds by VID:PID:interface from its own table; qmiusb list must name exactly the interfaces
# qmi_wwan took, and `info` must answer over libusb on the one the modem serves.
. "$(dirname "$0")/../guest-lib.sh"

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

kernel_has() { [ -n "$(kernel_ifaces "$1")" ]; }

# What qmiusb list shows for the device: "usb:PATH:IFACE" lines -> interface numbers.
qmiusb_ifaces() {
	sed -n 's/^usb:[^:]*:\([0-9]*\) .*/\1/p' "$1" | sort -n | tr '\n' ' '
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
	if [ $rc -ne 0 ] || ! grep -qi imei "$VM_STATE/layout-$name-switch.out" ||
		! grep -q "switched the device from configuration $active to $want" \
			"$VM_STATE/layout-$name-switch.out" ||
		[ "$(cat /sys/bus/usb/devices/"$dev"/bConfigurationValue)" != "$want" ]; then
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

	"$QMIUSB" --sim-fault "$VM_SIM_FAULTS" sim --gadget --layout "$name" > "$log" 2>&1 &
	pid_g=$!
	if ! vm_wait 200 layout_dev "$vid" "$pid"; then
		vm_fail "layout-$name" "the host never configured $vid:$pid" "$log"
		dmesg | tail -n 12 | sed "s/^/VMTEST-LOG layout $name dmesg: /"
		kill "$pid_g" 2>/dev/null
		wait "$pid_g" 2>/dev/null
		return
	fi
	dev=$(layout_dev "$vid" "$pid")
	echo "VMTEST-LOG layout $name: $(cat /sys/bus/usb/devices/"$dev"/speed) Mb/s, configuration $(cat /sys/bus/usb/devices/"$dev"/bConfigurationValue)"
	[ -n "$config" ] && layout_switch "$name" "$vid" "$pid" "$dev" "$config"
	vm_wait 50 kernel_has "$dev"
	k=$(kernel_ifaces "$dev")
	vm_run "layout-$name-list" "$QMIUSB" -d "usb:$vid:$pid" list
	q=$(qmiusb_ifaces "$VM_STATE/layout-$name-list.out")
	sed "s/^/VMTEST-LOG layout $name list: /" "$VM_STATE/layout-$name-list.out"
	# dummy_hcd has fewer endpoints than these modems: those it cannot lend come out as
	# duplicate addresses, which the kernel skips in the later interface (dmesg says so), and
	# so does qmiusb. A QMI interface that lost its endpoints is then QMI for neither.
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

	kill "$pid_g"
	if ! vm_wait 100 sh -c "! kill -0 $pid_g"; then
		kill -KILL "$pid_g" 2>/dev/null
		vm_fail "layout-$name-stop" "the gadget did not stop on SIGTERM" "$log"
	fi
	wait "$pid_g" 2>/dev/null
	sed "s/^/VMTEST-LOG layout $name gadget: /" "$log"
	vm_wait 50 sh -c "! ls /sys/bus/usb/devices/$dev >/dev/null 2>&1"
}

echo "VMTEST-LOG dummy_hcd is_super_speed=$(cat /sys/module/dummy_hcd/parameters/is_super_speed 2>/dev/null)"
had=
if vm_gadget_running; then
	had=$(vm_intf_driver "$(vm_usb_intf)")
	vm_gadget_stop > /dev/null
	had=${had:-none}
fi
layout_check ec25 2c7c 0125 4
layout_check e398 12d1 1506 3
#layout_check rm500q 2c7c 0800 4
layout_check mc7455 1199 9071 8 1
if [ -n "$had" ]; then
	if vm_gadget_start; then
		vm_wait 50 vm_qmi_wwan_bound
		[ "$had" = qmi_wwan ] && vm_bind_qmi_wwan
		[ "$had" = qmi_wwan ] || vm_unbind_qmi_wwan
	else
		vm_fail layouts-restore "the shared gadget did not come back" "$VM_STATE/gadget.log"
	fi
fi
