#!/bin/sh
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 60).
# Usage: fuzz/run.sh [SECONDS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${FUZZ_BUILD:-$here/../build-fuzz}
secs=${1:-60}
CC=clang cmake -S "$here" -B "$build" >/dev/null
cmake --build "$build" -j"$(nproc)"
for t in fuzz_frame fuzz_splitter; do
	mkdir -p "$build/corpus-$t"
	"$build/$t" -max_total_time="$secs" -max_len=9000 "$build/corpus-$t" "$here/seeds"
done
