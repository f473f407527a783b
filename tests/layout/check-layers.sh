#!/bin/sh
# The layout is the design: checks the rules a reader relies on when finding their way round
# src/. Each rule prints the offending lines; the exit status counts none of them as fine.
#   1. Each layer includes only the layers below it (the table in allowed()), so the directories
#      form no cycle.
#   2. src/qmi includes only base/ and qmi/ headers (the protocol is pure and I/O-free).
#   3. src/conn never prints and never picks an exit code (it reports through its events).
#   4. No hand-written source file is over 600 lines.
#   5. No comment sends the reader to a document that is not in the repository.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bad=0
fail() {
	echo "FAIL: $*"
	bad=$((bad + 1))
}

# What each layer may include besides itself. Read top down, this is the whole dependency graph,
# and it has no cycle.
allowed() {
	case $1 in
	base) echo "" ;;
	qmi) echo "base" ;;
	net | usb | proxy) echo "base qmi" ;;
	sim) echo "base qmi net" ;; # the operator network puts the software modem on a TUN
	conn) echo "base qmi net" ;;
	cli) echo "base qmi net usb proxy sim conn" ;;
	*) echo "" ;;
	esac
}

tmp=$(mktemp)
for f in $(git ls-files 'src/*.c' 'src/*.h'); do
	from=$(echo "$f" | cut -d/ -f2)
	ok=$(allowed "$from")
	for to in $(grep -o '#include "[a-z]*/' "$f" | sed 's/#include "//; s/\///' | sort -u); do
		[ "$to" = "$from" ] && continue
		case " $ok " in
		*" $to "*) ;;
		*) echo "FAIL: $f includes $to/ (layer $from may use: ${ok:-nothing of ours})" ;;
		esac
	done
done >"$tmp"
if [ -s "$tmp" ]; then
	cat "$tmp"
	bad=$((bad + $(wc -l <"$tmp")))
fi
rm -f "$tmp"

out=$(git grep -n '#include "' -- 'src/qmi/*' | grep -v '#include "\(qmi\|base\)/')
[ -z "$out" ] || fail "src/qmi includes outside base/ and qmi/:
$out"

if [ -d src/conn ]; then
	out=$(git grep -nE '\b(f?printf|puts|fputs|perror|exit)\s*\(|QCLI_EXIT' -- 'src/conn/*')
	[ -z "$out" ] || fail "src/conn prints or exits:
$out"
fi

for f in $(git ls-files 'src/*' 'tests/*' 'bench/*' 'fuzz/*' 'scripts/*' | grep -E '\.(c|h|sh|py)$'); do
	n=$(wc -l <"$f")
	[ "$n" -le 600 ] || fail "$f has $n lines (over 600: split it by job)"
done

out=$(git grep -nE '(qmi-protocol|kernel-path|vm-recipe|style)\.md' -- \
	'src/*' 'tests/*' 'bench/*' 'fuzz/*' 'scripts/*' '*.txt' | grep -v '^tests/layout/')
[ -z "$out" ] || fail "comments point to documents outside the repository:
$out"

if [ "$bad" -eq 0 ]; then
	echo "layout: 5 rules hold"
	exit 0
fi
echo "layout: $bad violation(s)"
exit 1
