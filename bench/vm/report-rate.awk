# report-rate.awk: the cost-below-saturation family (guest-rate.sh).
function f(x) { return x == "" ? "-" : x }
function drv(t, k) { # the driver's CPU: qmiusb's process, or for the kernel what is left
	if (t == "kernel")
		return sprintf("%.1f", v["rate", t, k, "vm_us"] - v["rate", t, k, "modem_us"] - v["rate", t, k, "load_us"])
	return v["rate", t, k, "driver_us"]
}
function above(t, k, rate) { # the VM's CPU per echo above the idle floor
	return v["rate", t, k, "vm_us"] - v["idle", t, "- -", "vm_us"] / rate
}
END {
	header("qmiusb VM benchmark, cost below saturation: open-loop UDP echoes at fixed rates")
	print "load: udp_rate -r RATE sends RATE datagrams/s whatever comes back; the gadget (software modem,"
	print "data=reflect) returns each, so RATE packets/s go each way; every answer checked byte for byte."
	print "CPU microseconds per echo (one packet each way), over the same window: vm = the whole VM's"
	print "busy time (the window less /proc/stat's idle time: exact under NOHZ, in 10 ms units, so"
	print "+-10000/echoes us); modem = the gadget process, load = udp_rate itself, driver = qmiusb's"
	print "process, each from its threads' schedstat run time (exact; /proc/PID/stat's utime+stime are"
	print "250 Hz tick samples, which a paced load beats against). For the kernel path driver ="
	print "vm - modem - load: qmi_wwan/usbnet run in softirq and kernel threads, and softirq time is"
	print "charged to whatever task it interrupts (no IRQ time accounting in this kernel), so every"
	print "process's figure includes the interrupt work (dummy_hcd's and the stack's) that hit it;"
	print "kthr = kernel threads (ksoftirqd, kworkers) alone. floor = the VM's busy time per second with"
	print "the path up and nothing sent (dummy_hcd's 125 us timer runs while any transfer waits, and both"
	print "paths keep bulk IN transfers queued); vm-fl = vm less that floor spread over the echoes."
	print "cs = context switches per echo (voluntary + involuntary, every thread, /proc/PID/task/*/status);"
	print "sc = system calls per echo, counted in a separate 1 s pass at 1000/s through a tracefs"
	print "histogram on raw_syscalls:sys_enter (/proc/PID/io's syscr/syscw miss ioctl, sendto and recvfrom)."
	notes()
	for (j = 1; j <= ntags["idle"]; j++) {
		t = tags["idle", j]
		printf "floor %-12s VM busy %.1f ms/s (modem %.1f, driver %s, load %.1f, kernel threads %.1f)\n", t,
			v["idle", t, "- -", "vm_us"] / 1000, v["idle", t, "- -", "modem_us"] / 1000,
			t == "kernel" ? "-" : sprintf("%.1f", v["idle", t, "- -", "driver_us"] / 1000),
			v["idle", t, "- -", "load_us"] / 1000, v["idle", t, "- -", "kthr_us"] / 1000
	}
	print ""
	fmt = "%5s %5s  %-11s %5s %4s %5s %5s  %6s %6s %6s %6s %6s %5s  %5s %5s %5s  %5s %5s %5s  %s\n"
	printf fmt, "size", "rate", "path", "pkt/s", "lost", "p50us", "p99us", "vm", "vm-fl", "driver", "modem",
		"load", "kthr", "drvcs", "modcs", "ldcs", "drvsc", "modsc", "ldsc", "vm, vm-fl vs kernel"
	n = rows("rate", "pps", 1)
	for (i = 1; i <= n; i++) {
		t = RT[i]; k = RK[i]; split(k, kk, " ")
		dcs = t == "kernel" ? v["rate", t, k, "kthr_cs"] : v["rate", t, k, "driver_cs"]
		dsc = t == "kernel" ? "-" : v["sc", t, kk[1] " 1000", "driver_sc"]
		a = above(t, k, kk[2]); ka = above("kernel", k, kk[2])
		printf fmt, kk[1], kk[2], t, v["rate", t, k, "pps"], v["rate", t, k, "lost"],
			f(v["rate", t, k, "rtt_p50_us"]), f(v["rate", t, k, "rtt_p99_us"]),
			v["rate", t, k, "vm_us"], sprintf("%.1f", a), drv(t, k), v["rate", t, k, "modem_us"],
			v["rate", t, k, "load_us"], v["rate", t, k, "kthr_us"], f(dcs),
			v["rate", t, k, "modem_cs"], v["rate", t, k, "load_cs"], f(dsc),
			f(v["sc", t, kk[1] " 1000", "modem_sc"]), f(v["sc", t, kk[1] " 1000", "load_sc"]),
			t == "kernel" ? "" : ratio(v["rate", t, k, "vm_us"], v["rate", "kernel", k, "vm_us"]) ", " ratio(a, ka)
		if (t != "kernel" && v["rate", "kernel", k, "vm_us"] > 0) {
			x = v["rate", t, k, "vm_us"] / v["rate", "kernel", k, "vm_us"]
			sum[t] += x; cnt[t]++
			if (x > worst[t]) { worst[t] = x; wk[t] = k }
			if (ka > 0) { y = a / ka; suma[t] += y; if (y > worsta[t]) worsta[t] = y }
		}
	}
	print ""
	rss_lines()
	print ""
	print "targets (the whole VM's CPU per echo against the kernel path's, same size and rate; raw-IP"
	print "should be at most x1.10): the mean and worst of the rows, as measured and above the floor"
	for (j = 1; j <= ntags["rate"]; j++) {
		t = tags["rate", j]
		if (!(t in cnt)) continue
		m = sum[t] / cnt[t]; ma = suma[t] / cnt[t]
		printf "  %-12s vm: mean x%.2f, worst x%.2f (%s B at %s/s); vm-fl: mean x%.2f, worst x%.2f", t, m, worst[t],
			substr(wk[t], 1, index(wk[t], " ") - 1), substr(wk[t], index(wk[t], " ") + 1), ma, worsta[t]
		if (t == "qmiusb-raw")
			printf "; x1.10: %s", m <= 1.10 ? "met on the mean" : sprintf("missed by %.0f%% on the mean", (m / 1.10 - 1) * 100)
		print ""
	}
}
