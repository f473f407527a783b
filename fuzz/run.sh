#!/bin/sh
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 60).
# Usage: fuzz/run.sh [SECONDS]
# FUZZ_BUILD: the build directory (default build-fuzz next to the source tree).
# FUZZ_TARGETS: a subset to run, e.g. "fuzz_quirks fuzz_desc" (default: all of them).
# Every target runs even when an earlier one fails; the exit status is 1 if any failed. Crash
# inputs land in the build directory (crash-*), not in the current one.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${FUZZ_BUILD:-$here/../build-fuzz}
secs=${1:-60}
targets=${FUZZ_TARGETS:-fuzz_frame fuzz_splitter fuzz_qmap fuzz_qmap5 fuzz_quirks fuzz_desc fuzz_string fuzz_plmn}
CC=clang cmake -S "$here" -B "$build" >/dev/null
cmake --build "$build" -j"$(nproc)"
failed=""
for t in $targets; do
	# libFuzzer reads seed directories recursively: the QMI frames sit at the top of seeds/,
	# the other inputs in their own subdirectories.
	case $t in
	fuzz_quirks) seeds=$here/seeds/quirks ;;
	fuzz_desc) seeds=$here/seeds/desc ;;
	fuzz_string) seeds=$here/seeds/string ;;
	fuzz_plmn) seeds=$here/seeds/plmn ;;
	*) seeds=$here/seeds ;;
	esac
	mkdir -p "$build/corpus-$t"
	"$build/$t" -max_total_time="$secs" -max_len=9000 -print_final_stats=1 \
		-artifact_prefix="$build/$t-" "$build/corpus-$t" "$seeds" || failed="$failed $t"
done
if [ -n "$failed" ]; then
	echo "run.sh: failed:$failed" >&2
	exit 1
fi
