#!/bin/sh
# SPDX-License-Identifier: MIT
# Usage: check.sh tree|man|completion BUILD_DIR SOURCE_DIR QMIUSB_BINARY
#   tree        installs into a DESTDIR with --prefix /usr and checks every file's place and
#               mode, the unit's ExecStart, systemd-analyze verify on the unit, the manuals'
#               lint and the udev rules
#   man         every command, and every option that `qmiusb --help` and each command's
#               --help name, is in qmiusb(1)
#   completion  bash completion registers, completes commands and each command's options
set -eu
mode=$1 build=$2 src=$3 bin=$4
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d /tmp/qmiusb-install-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

commands() { "$bin" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }'; }
# The long options a help text names, less qmicli's that it quotes.
options() { grep -o -- '--[a-z][a-z-]*' | grep -vx -e --device-open-qmi -e --get-service-version-info | sort -u; }
# The options a command's help lists as its own (the indented option lines).
own_options() { grep -E '^ +(-[a-zA-Z][ ,]+)?--' | options; }

lint_man() {
	if command -v mandoc >/dev/null; then
		# Warnings and worse; STYLE notes (long source lines, manuals not installed here)
		# are not defects of the page.
		mandoc -Tlint -W warning "$@" || fail "mandoc -Tlint: $*"
	elif command -v groff >/dev/null; then
		out=$(groff -ww -z -mandoc "$@" 2>&1) || fail "groff: $out"
		[ -z "$out" ] || fail "groff -ww: $out"
	else
		echo "SKIP: neither mandoc nor groff to lint the manuals (scripts/install-deps)" >&2
		exit 77
	fi
}

case $mode in
tree)
	d=$tmp/root
	DESTDIR=$d cmake --install "$build" --prefix /usr >"$tmp/log" 2>&1 ||
		{ cat "$tmp/log" >&2; fail "cmake --install (is everything built?)"; }
	for f in \
		usr/bin/qmiusb:755 \
		usr/share/man/man1/qmiusb.1:644 \
		usr/share/man/man5/qmiusb.conf.5:644 \
		usr/share/bash-completion/completions/qmiusb:644 \
		usr/lib/systemd/system/qmiusb@.service:644 \
		usr/lib/udev/rules.d/70-qmiusb.rules:644 \
		usr/lib/udev/rules.d/78-qmiusb-service.rules:644 \
		usr/share/qmiusb/udev/71-qmiusb-no-qmi_wwan.rules:644 \
		usr/share/qmiusb/qmi-devices.conf:644 \
		usr/share/doc/qmiusb/LICENSE:644 \
		usr/share/doc/qmiusb/example.conf:644; do
		p=$d/${f%:*}
		[ -f "$p" ] || fail "not installed: /${f%:*}"
		m=$(stat -c %a "$p")
		[ "$m" = "${f#*:}" ] || fail "/${f%:*} has mode $m, wants ${f#*:}"
	done
	"$d/usr/bin/qmiusb" --version | grep -q '^qmiusb ' || fail "the installed binary does not run"
	cmp -s "$d/usr/share/doc/qmiusb/LICENSE" "$src/LICENSE" || fail "LICENSE differs"
	grep -q '^MIT License' "$src/LICENSE" || fail "LICENSE is not the MIT license"
	if grep -rhoE 'SPDX-License-Identifier: [A-Za-z0-9.+-]+' "$src/src" "$src/tests" "$src/udev" \
		"$src/systemd" "$src/man" "$src/completion" "$src/scripts" | grep -qvx 'SPDX-License-Identifier: MIT'; then
		fail "a source file has an SPDX identifier other than MIT, which LICENSE does not cover"
	fi

	unit=$d/usr/lib/systemd/system/qmiusb@.service
	grep -qx 'ExecStart=/usr/bin/qmiusb connect --config %i' "$unit" ||
		fail "ExecStart does not run the installed binary: $(grep ExecStart "$unit")"
	for k in Type=notify Restart=on-failure RestartPreventExitStatus='2 7' RuntimeDirectory=qmiusb RuntimeDirectoryPreserve=yes \
		CapabilityBoundingSet=CAP_NET_ADMIN ProtectSystem=strict ProtectHome=yes \
		NoNewPrivileges=yes 'DeviceAllow=char-usb_device rw' 'DeviceAllow=/dev/net/tun rw'; do
		grep -qx "$k" "$unit" || fail "the unit lacks $k"
	done
	grep -q '^RestartSec=' "$unit" || fail "the unit lacks RestartSec"

	rules=$d/usr/lib/udev/rules.d/78-qmiusb-service.rules
	grep -q 'ENV{SYSTEMD_WANTS}+="qmiusb@$env{QMIUSB_CONFIG}.service"' "$rules" ||
		fail "78-qmiusb-service.rules starts no unit"
	grep -q 'TAG+="systemd"' "$rules" || fail "78-qmiusb-service.rules lacks TAG+=systemd"
	grep -q 'ENV{ID_MM_DEVICE_IGNORE}="1"' "$rules" || fail "78-qmiusb-service.rules lets ModemManager in"

	lint_man "$d/usr/share/man/man1/qmiusb.1" "$d/usr/share/man/man5/qmiusb.conf.5"

	if ! command -v systemd-analyze >/dev/null; then
		echo "SKIP: systemd-analyze is missing: the unit was not verified (scripts/install-deps)" >&2
		exit 77
	fi
	# verify wants an instance, and checks that ExecStart exists on this machine: point it at
	# the DESTDIR's binary. It exits 0 on unknown keys and bad values, so any output fails.
	sed "s|^ExecStart=/usr/bin/|ExecStart=$d/usr/bin/|" "$unit" >"$tmp/qmiusb@test.service"
	out=$(systemd-analyze verify --man=no "$tmp/qmiusb@test.service" 2>&1) ||
		fail "systemd-analyze verify: $out"
	[ -z "$out" ] || fail "systemd-analyze verify: $out"
	;;
man)
	command -v mandoc >/dev/null || { echo "SKIP: mandoc is missing (scripts/install-deps)" >&2; exit 77; }
	# The rendered page, without the backspace overstrikes.
	mandoc -Tascii "$src/man/qmiusb.1" | sed 's/.\x08//g' >"$tmp/page"
	lint_man "$src/man/qmiusb.1" "$src/man/qmiusb.conf.5"
	missing=
	for c in $(commands); do
		grep -q "^ *$c" "$tmp/page" || missing="$missing command:$c"
		for o in $("$bin" "$c" --help | options); do
			grep -q -- "$o" "$tmp/page" || missing="$missing $c:$o"
		done
	done
	for o in $("$bin" --help | options); do
		grep -q -- "$o" "$tmp/page" || missing="$missing global:$o"
	done
	[ -z "$missing" ] || fail "qmiusb(1) does not describe:$missing"
	# Every key the parser accepts is in qmiusb.conf(5) and in the example.
	mandoc -Tascii "$src/man/qmiusb.conf.5" | sed 's/.\x08//g' >"$tmp/conf5"
	keys=$(sed -n 's/^	{ "\([a-z-]*\)", set_.* },$/\1/p' "$src/src/cli/conf.c")
	[ -n "$keys" ] || fail "no keys found in src/cli/conf.c"
	for k in $keys; do
		grep -q "^ *$k = " "$tmp/conf5" || fail "qmiusb.conf(5) does not describe $k"
		grep -q "^#*$k = " "$src/etc/example.conf" || fail "etc/example.conf does not show $k"
	done
	;;
completion)
	command -v bash >/dev/null || { echo "SKIP: no bash" >&2; exit 77; }
	# complete(): what the completion offers for the words of a command line ending in
	# the word being completed.
	cat >"$tmp/run.bash" <<'BASH'
source "$1"
complete -p qmiusb | grep -q -- '-F _qmiusb qmiusb$' || { echo "not registered"; exit 1; }
offers() {
	read -ra COMP_WORDS <<<"$1"
	[[ $1 == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_qmiusb
	printf '%s\n' "${COMPREPLY[@]}"
}
shift
what=$1 line=$2
shift 2
got=$(offers "$line")
for want in "$@"; do
	grep -qx -- "$want" <<<"$got" || { echo "'$line' does not offer $want (offers: $got)"; exit 1; }
done
BASH
	comp=$src/completion/qmiusb
	run() { out=$(bash "$tmp/run.bash" "$comp" "$@" 2>&1) || fail "$out"; }
	run offers "qmiusb c" connect
	[ "$(bash -c "source '$comp'; COMP_WORDS=(qmiusb c); COMP_CWORD=1; _qmiusb; echo \${COMPREPLY[*]}")" = connect ] ||
		fail "'qmiusb c' offers more than connect"
	run offers "qmiusb " $(commands)
	run offers "qmiusb -d sim --json " $(commands)
	run offers "qmiusb --" $("$bin" --help | options)
	for c in $(commands); do
		run offers "qmiusb -d sim $c --" $("$bin" "$c" --help | own_options)
	done
	run offers "qmiusb connect --ip-type " 4 6 4v6
	;;
*)
	fail "unknown mode $mode"
	;;
esac
echo "ok: $mode"
