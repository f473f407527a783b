# Shared by the report-FAMILY.awk scripts (vm-family.sh): the header, notes and failures, and
# the VMBENCH lines "VMBENCH KIND TAG A B key=value..." into v[KIND, TAG, A, B, key], with the
# order each (TAG) and each (A B) first appeared.
/VMBENCH-START/ { sub(/.*VMBENCH-START /, ""); hdr = $0 }
/VMBENCH-NOTE/ { sub(/.*VMBENCH-NOTE /, ""); note = note "  " $0 "\n" }
/VMBENCH-FAIL/ { sub(/.*VMBENCH-FAIL /, ""); fails = fails "  FAILED: " $0 "\n" }
/VMBENCH-DONE/ { done = 1 }
/^VMBENCH [a-z]/ || /[^-]VMBENCH [a-z]/ {
	line = $0
	sub(/.*VMBENCH /, "", line)
	nf = split(line, F, " ")
	kind = F[1]; tag = F[2]; key = F[3] " " F[4]
	for (i = 5; i <= nf; i++) {
		eq = index(F[i], "=")
		if (eq) v[kind, tag, key, substr(F[i], 1, eq - 1)] = substr(F[i], eq + 1)
	}
	if (!((kind, tag) in tseen)) { tseen[kind, tag] = 1; tags[kind, ++ntags[kind]] = tag }
	if (!((kind, key) in kseen)) { kseen[kind, key] = 1; keys[kind, ++nkeys[kind]] = key }
}
function header(title) {
	print title
	print "QEMU TCG -icount shift=0,sleep=off (deterministic), 1 vCPU; guest: " hdr
	print "wall clock " wall " s; console log " logf
	if (!done) print "  INCOMPLETE: the guest did not finish (see the console log)"
}
function notes() { # after each report's explanation: the guest's notes and failures
	printf "%s", note
	printf "%s", fails
	print ""
}
# The rows of kind that carry field, into RT[1..n] (tag) and RK[1..n] (key), each tag's keys in
# the order they first appeared (bykey: each key's tags instead); returns n.
function rows(kind, field, bykey,   i, j, n, t, k) {
	split("", RT); split("", RK)
	for (i = 1; i <= (bykey ? nkeys[kind] : ntags[kind]); i++)
		for (j = 1; j <= (bykey ? ntags[kind] : nkeys[kind]); j++) {
			t = tags[kind, bykey ? j : i]; k = keys[kind, bykey ? i : j]
			if ((kind, t, k, field) in v) { RT[++n] = t; RK[n] = k }
		}
	return n + 0
}
function ratio(a, b) { return (a != "" && b != "" && b + 0 > 0) ? sprintf("x%.2f", a / b) : "-" }
function rss_lines(   j, t, k) { # qmiusb's memory after each configuration's runs
	print "memory: qmiusb connect's VmRSS / VmHWM after its runs (target: at most 8 MiB per modem)"
	for (j = 1; j <= ntags["rss"]; j++) {
		t = tags["rss", j]; k = "- -"
		printf "  %-18s VmRSS %d KiB, VmHWM %d KiB: %s\n", t, v["rss", t, k, "rss"], v["rss", t, k, "hwm"],
			v["rss", t, k, "hwm"] <= 8192 ? "within 8 MiB" : sprintf("over 8 MiB by %d KiB", v["rss", t, k, "hwm"] - 8192)
	}
}
