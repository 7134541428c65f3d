#!/usr/bin/env bash
# The ClusterFuzzLite build, run locally the way OSS-Fuzz's `compile` runs it (clang-19,
# ASan, libFuzzer), then every target it produced for 1000 runs over its seed corpus.
# Prints "N passed, N failed"; exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
bash ci/deps.sh

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export CC=clang-19 CXX=clang++-19
export CFLAGS="-fsanitize=address,fuzzer-no-link -g -O1"
export CXXFLAGS=$CFLAGS
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
SRC=$(dirname "$repo")
export OUT=$scratch/out WORK=$scratch/work SRC
mkdir -p "$OUT" "$WORK"

passed=0 failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

if timeout 1800 bash .clusterfuzzlite/build.sh >"$scratch/build.log" 2>&1; then
	pass "clusterfuzzlite build.sh"
else
	fail "clusterfuzzlite build.sh; end of its output:"
	tail -n 30 "$scratch/build.log" | sed 's/^/    /'
fi

for src in harness/targets/*.c; do
	[ -e "$src" ] || continue
	t=${src##*/}
	t=${t%.c}
	bin=$OUT/$t
	if [ ! -x "$bin" ]; then
		fail "$t: build.sh did not produce $bin"
		continue
	fi
	corpus=$scratch/corpus/$t
	mkdir -p "$corpus"
	if [ -f "$OUT/${t}_seed_corpus.zip" ]; then
		python3 -m zipfile -e "$OUT/${t}_seed_corpus.zip" "$corpus"
	fi
	seeds=$(find "$corpus" -type f | wc -l)
	args=(-runs=1000 "$corpus")
	[ -f "$OUT/$t.dict" ] && args=(-dict="$OUT/$t.dict" "${args[@]}")
	if timeout 600 "$bin" "${args[@]}" >"$scratch/$t.log" 2>&1; then
		pass "$t: 1000 runs from $seeds seed inputs"
	else
		fail "$t: end of its output:"
		tail -n 30 "$scratch/$t.log" | sed 's/^/    /'
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
