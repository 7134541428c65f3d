#!/usr/bin/env bash
# The ClusterFuzzLite build, run locally the way OSS-Fuzz's `compile` runs it (clang-19,
# libFuzzer), once per sanitizer the workflows build with (.github/workflows/cflite_*.yml):
# address, undefined and coverage. Every target each produced then runs over its seed
# corpus (1000 runs with ASan, 100 with the others).
# Prints "N passed, N failed"; exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
bash ci/deps.sh

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export CC=clang-19 CXX=clang++-19
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
export SRC
SRC=$(dirname "$repo")

passed=0 failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# flavour NAME RUNS CFLAGS: build.sh with these flags, then each target RUNS times
flavour() {
	local name=$1 runs=$2
	export CFLAGS=$3
	export CXXFLAGS=$CFLAGS
	export OUT=$scratch/$name/out WORK=$scratch/$name/work
	mkdir -p "$OUT" "$WORK"
	if timeout 1800 bash .clusterfuzzlite/build.sh >"$scratch/$name/build.log" 2>&1; then
		pass "clusterfuzzlite build.sh ($name)"
	else
		fail "clusterfuzzlite build.sh ($name); end of its output:"
		tail -n 30 "$scratch/$name/build.log" | sed 's/^/    /'
		return
	fi
	for src in harness/targets/*.c; do
		[ -e "$src" ] || continue
		local t=${src##*/}
		t=${t%.c}
		local bin=$OUT/$t
		if [ ! -x "$bin" ]; then
			fail "$t ($name): build.sh did not produce $bin"
			continue
		fi
		local corpus=$scratch/$name/corpus/$t
		mkdir -p "$corpus"
		if [ -f "$OUT/${t}_seed_corpus.zip" ]; then
			python3 -m zipfile -e "$OUT/${t}_seed_corpus.zip" "$corpus"
		fi
		local seeds args
		seeds=$(find "$corpus" -type f | wc -l)
		args=(-runs="$runs" "$corpus")
		[ -f "$OUT/$t.dict" ] && args=(-dict="$OUT/$t.dict" "${args[@]}")
		if LLVM_PROFILE_FILE=$scratch/$name/$t.profraw timeout 600 "$bin" "${args[@]}" \
			>"$scratch/$name/$t.log" 2>&1; then
			pass "$t ($name): $runs runs from $seeds seed inputs"
		else
			fail "$t ($name): end of its output:"
			tail -n 30 "$scratch/$name/$t.log" | sed 's/^/    /'
		fi
	done
}

flavour address 1000 "-fsanitize=address,fuzzer-no-link -g -O1"
flavour undefined 100 "-fsanitize=undefined,fuzzer-no-link -fno-sanitize-recover=undefined -g -O1"
flavour coverage 100 "-fprofile-instr-generate -fcoverage-mapping -g -O1"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
