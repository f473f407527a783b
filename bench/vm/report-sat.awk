# report-sat.awk: the saturation rows (guest-sat.sh), closed-loop echoes; the header, notes
# and failures come from report-common.awk (its generic VMBENCH parsing does not fit these lines,
# which this script reads itself).
/VMBENCH udp / {
	path = $3; key = $4 " " $5
	for (i = 6; i <= NF; i++) { split($i, kv, "="); v[path, key, kv[1]] = kv[2] }
	if (!(key in seen)) { seen[key] = 1; order[++n] = key }
	if (!(path in pseen)) { pseen[path] = 1; paths[++np] = path }
}
/VMBENCH ctl / {
	for (i = 4; i <= NF; i++) { split($i, kv, "="); c[$3, kv[1]] = kv[2] }
}
END {
	header("qmiusb VM benchmark, saturation: closed-loop UDP echoes")
	print "SATURATION ROWS: closed loop, as many echoes as the path turns round. Bounded by dummy_hcd's"
	print "frame clock (its timer moves transfers once per 125 us microframe, about 133 us with its own"
	print "work), not by the driver alone: costs below saturation are in vm-rate.txt, the kernel's"
	print "QMAP path in vm-qmap.txt."
	print "load: UDP echo through the gadget (software modem in data=reflect mode), each"
	print "answer checked byte for byte; CPU = whole VM busy time per echo (/proc/stat)"
	print "data format: kernel = qmi_wwan raw-ip (one packet per URB, as qmi_wwan does"
	print "without qmimux); qmiusb = raw-ip; qmiusb-qmap = QMAP as connect negotiates it"
	print "(below); -poll = qmiusb forced onto poll()"
	notes()
	printf "%5s %8s  %-17s %-7s %10s %10s   %s\n", "size", "inflight", "path", "format", "pkt/s", "cpu-us", "vs kernel: pkt/s, cpu"
	for (k = 1; k <= n; k++) {
		key = order[k]; split(key, kk, " ")
		kp = v["kernel", key, "pps"]; kc = v["kernel", key, "cpu_us"]
		for (j = 1; j <= np; j++) {
			p = paths[j]
			if (!((p, key, "pps") in v)) continue
			qp = v[p, key, "pps"]; qc = v[p, key, "cpu_us"]
			rel = (p != "kernel" && kp > 0 && kc > 0) ? sprintf("x%.2f, x%.2f", qp / kp, qc / kc) : ""
			fmt = (p ~ /qmap/) ? "qmap" : "raw-ip"
			printf "%5s %8s  %-17s %-7s %10s %10s   %s\n", kk[1], kk[2], p, fmt, qp, qc, rel
			if (v[p, key, "corrupt"] + 0 || v[p, key, "lost"] + 0)
				printf "%47s lost %s, corrupt %s\n", "", v[p, key, "lost"], v[p, key, "corrupt"]
		}
	}
	print ""
	printf "control round trips (CTL Get Version Info, one at a time, after opening and one warm-up):\n"
	printf "  kernel cdc-wdm %s/s, qmiusb libusb %s/s", c["kernel", "rtt_per_s"], c["qmiusb", "rtt_per_s"]
	if (c["kernel", "rtt_per_s"] > 0 && c["qmiusb", "rtt_per_s"] != "")
		printf ", ratio %.2f", c["qmiusb", "rtt_per_s"] / c["kernel", "rtt_per_s"]
	print ""
}
