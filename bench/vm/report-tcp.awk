# report-tcp.awk: the bulk TCP family (guest-tcp.sh).
function cpm(t, k, what) { # CPU microseconds per MB received
	return v["tcp", t, k, "mb"] + 0 > 0 ? v["tcp", t, k, what] / v["tcp", t, k, "mb"] : 0
}
END {
	header("qmiusb VM benchmark, bulk TCP: iperf3 through the operator network")
	print "iperf3 (Debian's package) from the VM's host side to its server in the operator namespace,"
	print "behind the gadget's software modem in forward mode; up = towards the network, down = -R."
	print "MB = what the receiver got; goodput in Mbit/s of virtual time; CPU per MB in microseconds:"
	print "vm = the whole VM's busy time (window less /proc/stat idle), modem = the gadget process,"
	print "driver = qmiusb's process (for the kernel paths their work is in softirq and kernel threads:"
	print "vm - modem - server - client), server = iperf3 -s, client = iperf3 -c (getrusage); run"
	print "times from schedstat. retr = the sender's TCP retransmissions."
	notes()
	fmt = "%-18s %3s %-4s  %8s %8s %5s  %8s %8s %8s %8s %8s  %s\n"
	printf fmt, "path", "str", "dir", "MB", "Mbit/s", "retr", "vm/MB", "driver", "modem", "server", "client", "vm/MB vs kernel"
	n = rows("tcp", "mb")
	for (i = 1; i <= n; i++) {
		t = RT[i]; k = RK[i]; split(k, kk, " ")
		d = t ~ /^qmiusb/ ? cpm(t, k, "driver_us") : cpm(t, k, "vm_us") - cpm(t, k, "modem_us") - cpm(t, k, "server_us") - cpm(t, k, "cmd_us")
		kv = cpm("kernel", k, "vm_us")
		r = t == "kernel" || kv <= 0 ? "" : sprintf("x%.2f", cpm(t, k, "vm_us") / kv)
		printf fmt, t, kk[1], kk[2], v["tcp", t, k, "mb"], sprintf("%.1f", v["tcp", t, k, "kbps"] / 1000),
			v["tcp", t, k, "retr"], sprintf("%.0f", cpm(t, k, "vm_us")), sprintf("%.0f", d),
			sprintf("%.0f", cpm(t, k, "modem_us")), sprintf("%.0f", cpm(t, k, "server_us")),
			sprintf("%.0f", cpm(t, k, "cmd_us")), r
		if (t ~ /^qmiusb/ && kv > 0) {
			x = cpm(t, k, "vm_us") / kv
			sum[t] += x; cnt[t]++
			if (x > worst[t]) { worst[t] = x; wk[t] = k }
		}
	}
	print ""
	rss_lines()
	print ""
	print "target: qmiusb at most x0.50 of the kernel raw-IP path's CPU per MB (the whole VM's):"
	for (j = 1; j <= ntags["tcp"]; j++) {
		t = tags["tcp", j]
		if (!(t in cnt)) continue
		m = sum[t] / cnt[t]
		printf "  %-18s mean x%.2f, worst x%.2f (%s); %s\n", t, m, worst[t], wk[t],
			m <= 0.5 ? "met on the mean" : sprintf("missed by %.0f%% on the mean", (m / 0.5 - 1) * 100)
	}
}
