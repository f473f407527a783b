# d. With qmi_wwan bound, qmiusb refuses without --detach (naming the driver), takes the device
# with --detach, and gives it back on exit: the driver link is qmi_wwan again and the kernel
# path works again.
. "$(dirname "$0")/../guest-lib.sh"

sel=usb:$VM_VID:$VM_PID
if ! vm_gadget_start || ! vm_bind_qmi_wwan; then
	vm_fail qmiusb-detach "no gadget bound to qmi_wwan" "$VM_STATE/gadget.log"
	exit 0
fi
intf=$(vm_usb_intf)

vm_run busy "$QMIUSB" -d "$sel" info
rc=$?
if [ $rc -eq 3 ] && grep -q qmi_wwan "$VM_STATE/busy.out"; then
	vm_pass qmiusb-busy "exit 3, names qmi_wwan"
else
	vm_fail qmiusb-busy "want exit 3 and a message naming qmi_wwan; got exit $rc" "$VM_STATE/busy.out"
fi

vm_run detach "$QMIUSB" -d "$sel" --detach info
rc=$?
drv=$(vm_intf_driver "$intf")
if [ $rc -ne 0 ]; then
	vm_fail qmiusb-detach "exit $rc" "$VM_STATE/detach.out"
elif ! grep -q 352099001761481 "$VM_STATE/detach.out"; then
	vm_fail qmiusb-detach "no IMEI in the output" "$VM_STATE/detach.out"
elif [ "$drv" != qmi_wwan ]; then
	vm_fail qmiusb-detach "driver after exit: '${drv:-none}', want qmi_wwan"
elif ! vm_wait 100 vm_cdc_wdm; then
	vm_fail qmiusb-detach "qmi_wwan is back but no cdc-wdm node"
elif command -v qmicli >/dev/null &&
	! vm_run reattached timeout 30 qmicli -d "$(vm_cdc_wdm)" --dms-get-ids; then
	vm_fail qmiusb-detach "qmicli fails after the reattach" "$VM_STATE/reattached.out"
else
	vm_pass qmiusb-detach "reattached to qmi_wwan"
fi

# With --no-reattach the kernel driver stays off after qmiusb exits (the interface unbound, no
# cdc-wdm node), until someone binds it again: here the check itself, so later checks find
# qmi_wwan bound as this file leaves it.
if ! vm_bind_qmi_wwan; then
	vm_fail qmiusb-no-reattach "qmi_wwan is not bound to start with" "$VM_STATE/gadget.log"
	exit 0
fi
vm_run no-reattach "$QMIUSB" -d "$sel" --detach --no-reattach info
rc=$?
# A reattach would be immediate; a moment's wait lets a late one show.
sleep 1
drv=$(vm_intf_driver "$intf")
if [ $rc -ne 0 ]; then
	vm_fail qmiusb-no-reattach "exit $rc" "$VM_STATE/no-reattach.out"
elif ! grep -q 352099001761481 "$VM_STATE/no-reattach.out"; then
	vm_fail qmiusb-no-reattach "no IMEI in the output" "$VM_STATE/no-reattach.out"
elif [ -n "$drv" ]; then
	vm_fail qmiusb-no-reattach "driver after exit: '$drv', want none"
elif vm_cdc_wdm >/dev/null; then
	vm_fail qmiusb-no-reattach "no driver, yet a cdc-wdm node: $(vm_cdc_wdm)"
else
	vm_pass qmiusb-no-reattach "interface left without a driver"
fi
if ! vm_bind_qmi_wwan; then
	vm_fail qmiusb-no-reattach-rebind "qmi_wwan would not bind again (driver '$(vm_intf_driver "$intf")')"
fi
