# a. `qmiusb sim --gadget` comes up, the host side enumerates it as 2c7c:0125 and the kernel's
# qmi_wwan binds it (which also proves SET_CONTROL_LINE_STATE is acknowledged: a stall fails
# the bind).
. "$(dirname "$0")/../guest-lib.sh"

if ! vm_gadget_start; then
	vm_fail gadget-start "$(cat "$VM_STATE/gadget.why")" "$VM_STATE/gadget.log"
	exit 0
fi
if ! grep -q "gadget ready: $VM_VID:$VM_PID" "$VM_STATE/gadget.log"; then
	vm_fail gadget-start "no 'gadget ready' line" "$VM_STATE/gadget.log"
	exit 0
fi
intf=$(vm_usb_intf)
vm_pass gadget-start "enumerated as $intf"

cls=$(cat /sys/bus/usb/devices/"$intf"/bInterfaceClass /sys/bus/usb/devices/"$intf"/bInterfaceSubClass \
	/sys/bus/usb/devices/"$intf"/bInterfaceProtocol /sys/bus/usb/devices/"$intf"/bNumEndpoints | tr '\n' ' ')
if [ "$cls" = "ff ff ff 03 " ]; then
	vm_pass gadget-descriptors "ff/ff/ff, 3 endpoints"
else
	vm_fail gadget-descriptors "interface class/subclass/protocol/endpoints: $cls"
fi

if vm_wait 100 sh -c "[ \"\$(basename \"\$(readlink /sys/bus/usb/devices/$intf/driver)\")\" = qmi_wwan ]" &&
	wdm=$(vm_wait 100 vm_cdc_wdm && vm_cdc_wdm); then
	vm_pass gadget-qmi-wwan-bind "$wdm"
else
	vm_fail gadget-qmi-wwan-bind "driver '$(vm_intf_driver "$intf")', no cdc-wdm node" "$VM_STATE/gadget.log"
	dmesg | tail -n 15 | sed 's/^/  | /'
fi
