# report-qmap.awk: the kernel QMAP family (guest-qmap.sh).
function per(a, b) { return b + 0 > 0 ? sprintf("%.1f", a / b) : "-" }
function drv(t, k) {
	if (t ~ /^qmimux/)
		return sprintf("%.1f", v["qmap", t, k, "vm_us"] - v["qmap", t, k, "modem_us"] - v["qmap", t, k, "load_us"])
	return v["qmap", t, k, "driver_us"]
}
function errs(t, k) {
	if (t ~ /^qmimux/)
		return sprintf("rx_err %d, over %d", v["qmap", t, k, "rx_err"], v["qmap", t, k, "rx_over"])
	return sprintf("drops %d", v["qmap", t, k, "drops"])
}
END {
	header("qmiusb VM benchmark, kernel QMAP: qmi_wwan + qmimux against qmiusb QMAP, one gadget")
	print "load: closed-loop UDP echoes (udp_rate -i INFLIGHT), reflected by the gadget, checked byte for"
	print "byte. Per echo (one packet each way): vm = the whole VM's busy CPU us (window less /proc/stat"
	print "idle), modem = the gadget process, load = udp_rate, driver = qmiusb's process, or for qmimux"
	print "vm - modem - load (its work runs in softirq, charged to whatever it interrupts); run times"
	print "from schedstat. ppt = packets per USB transfer, UL and DL: qmiusb's own counters; for qmimux"
	print "the mux device's packets over wwan0's (usbnet counts one per URB). The grant is the same for"
	print "both paths in a pair: the gadget runs with qmap-v1,qmap-max=SIZE, so qmicli's request and"
	print "qmiusb's (v5, 32 KB) both get MAP v1 and SIZE."
	notes()
	n = rows("qmap", "pps")
	# qmimux at its best, per load: the grant with the most packets/s
	for (i = 1; i <= n; i++) {
		t = RT[i]; k = RK[i]
		if (t ~ /^qmimux/ && v["qmap", t, k, "pps"] + 0 > v["qmap", best[k], k, "pps"] + 0) best[k] = t
	}
	fmt = "%-14s %5s %3s  %6s %6s %6s %6s %6s  %5s %5s  %-22s %s\n"
	printf fmt, "path", "size", "inf", "pkt/s", "vm", "driver", "modem", "load", "ULppt", "DLppt", "errors", "vs qmimux: pkt/s, vm cpu"
	for (i = 1; i <= n; i++) {
		t = RT[i]; k = RK[i]; split(k, kk, " ")
		r = ""
		# same grant: against qmimux-16k; at its best: against qmimux's best
		ref = t ~ /16k/ ? "qmimux-16k" : best[k]
		if (t !~ /^qmimux/ && ref != "" && v["qmap", ref, k, "pps"] > 0) {
			pr = v["qmap", t, k, "pps"] / v["qmap", ref, k, "pps"]
			cr = v["qmap", ref, k, "vm_us"] > 0 ? v["qmap", t, k, "vm_us"] / v["qmap", ref, k, "vm_us"] : 0
			r = sprintf("x%.2f, x%.2f (%s)", pr, cr, ref)
			if (kk[2] >= 16) { sat[t] = sprintf("%s B x %s: pkt/s x%.2f (target >= x1.50: %s), CPU/packet x%.2f (target <= x0.60: %s)", kk[1], kk[2], pr, pr >= 1.5 ? "met" : sprintf("missed by %.0f%%", (1 - pr / 1.5) * 100), cr, cr <= 0.6 ? "met" : sprintf("missed by %.0f%%", (cr / 0.6 - 1) * 100)); sat[t] = kk[1] " B x " kk[2] " against " ref substr(sat[t], index(sat[t], ":")); sats[t] = sats[t] "    " sat[t] "\n" }
		}
		if (v["qmap", t, k, "echoes"] + 0 == 0) {
			printf fmt, t, kk[1], kk[2], 0, "-", "-", "-", "-", "-", "-", errs(t, k),
				sprintf("nothing came back: %d sent", v["qmap", t, k, "sent"])
			continue
		}
		printf fmt, t, kk[1], kk[2], v["qmap", t, k, "pps"], v["qmap", t, k, "vm_us"], drv(t, k),
			v["qmap", t, k, "modem_us"], v["qmap", t, k, "load_us"],
			per(v["qmap", t, k, "ul_pkts"], v["qmap", t, k, "ul_xfers"]),
			per(v["qmap", t, k, "dl_pkts"], v["qmap", t, k, "dl_xfers"]), errs(t, k), r
		if (v["qmap", t, k, "corrupt"] + 0)
			printf "%14s corrupt answers: %s\n", "", v["qmap", t, k, "corrupt"]
	}
	print ""
	rss_lines()
	print ""
	print "targets at saturation (16 in flight): qmiusb-v1-16k against qmimux with the same grant,"
	print "qmiusb-v5-32k (its default) against qmimux at its best grant for that load, and"
	print "qmiusb-v5-nooff, the same with the TUN's offloads off:"
	for (j = 1; j <= ntags["qmap"]; j++) {
		t = tags["qmap", j]
		if (t in sats) printf "  %s\n%s", t, sats[t]
	}
}
