# b. The independent client: libqmi's qmicli through the kernel's qmi_wwan + cdc-wdm against the
# gadget, checked against the software modem's known values (src/sim/sim.h).
. "$(dirname "$0")/../guest-lib.sh"

if ! command -v qmicli >/dev/null; then
	vm_skip qmicli "qmicli not installed (Debian package libqmi-utils)"
	exit 0
fi
if ! vm_gadget_start || ! vm_bind_qmi_wwan; then
	vm_fail qmicli "no gadget bound to qmi_wwan" "$VM_STATE/gadget.log"
	exit 0
fi
wdm=$(vm_cdc_wdm)

# qmicli_check NAME ARG PATTERN...: runs qmicli ARG, wants exit 0 and every PATTERN (grep -E).
qmicli_check() {
	name=$1 arg=$2
	shift 2
	out=$VM_STATE/$name.out
	timeout 30 qmicli -d "$wdm" "$arg" > "$out" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		vm_fail "$name" "qmicli $arg failed (exit $rc)" "$out"
		return
	fi
	for p in "$@"; do
		if ! grep -qE -- "$p" "$out"; then
			vm_fail "$name" "qmicli $arg: no line matching '$p'" "$out"
			return
		fi
	done
	vm_pass "$name"
}

qmicli_check qmicli-version-info --get-service-version-info \
	"Supported versions" "ctl \(1\.[0-9]+\)" "dms \([0-9]+\.[0-9]+\)" "nas \(" "wds \(" "wda \("
qmicli_check qmicli-dms-ids --dms-get-ids \
	"IMEI: '352099001761481'" "ESN: '80A1B2C3'" "MEID: 'A1000012345678'"
qmicli_check qmicli-nas-signal --nas-get-signal-strength \
	"Successfully got signal strength" "Current:" "Network 'lte': '-65 dBm'"
qmicli_check qmicli-wds-packet-status --wds-get-packet-service-status \
	"Connection status: 'disconnected'"
qmicli_check qmicli-wda-data-format --wda-get-data-format \
	"Link layer protocol: '802-3'"

# qmicli_refused NAME ARG: runs qmicli ARG, wants it refused by the modem with InvalidArgument.
qmicli_refused() {
	out=$VM_STATE/$1.out
	if timeout 30 qmicli -d "$wdm" "$2" > "$out" 2>&1; then
		vm_fail "$1" "qmicli $2 succeeded" "$out"
	elif ! grep -q "InvalidArgument" "$out"; then
		vm_fail "$1" "qmicli $2: not refused with InvalidArgument" "$out"
	else
		vm_pass "$1"
	fi
}

# Endpoint Info as ModemManager fills it on qmi_wwan: the HSUSB type and the number of the USB
# interface cdc-wdm sits on. The gadget takes its own port only, so libqmi's encoding and this
# choice must agree with the modem's, and qmiusb's requests (62, 63, 66, 94) with the same modem.
ifnum=$((0x$(cat /sys/bus/usb/devices/"$(vm_usb_intf)"/bInterfaceNumber)))
ep="ep-type=hsusb,ep-iface-number=$ifnum"
other="ep-type=hsusb,ep-iface-number=$((ifnum + 1))"
qmicli_check qmicli-wda-endpoint "--wda-get-data-format=$ep" "Link layer protocol: '802-3'"
qmicli_refused qmicli-wda-endpoint-other "--wda-get-data-format=$other"
qmicli_check qmicli-wds-bind-mux "--wds-bind-mux-data-port=mux-id=1,$ep" # silent on success
qmicli_refused qmicli-wds-bind-mux-other "--wds-bind-mux-data-port=mux-id=1,$other"
