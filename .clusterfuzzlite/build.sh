#!/bin/bash
# ClusterFuzzLite / OSS-Fuzz build: every harness/targets/<T>.c, with the host library and
# the harness, linked against the engine as $OUT/<T>, next to $OUT/<T>_seed_corpus.zip
# (the encoded text seeds and the regression inputs) and $OUT/<T>.dict.
#
# Inputs, as OSS-Fuzz's `compile` sets them: CC, CFLAGS, CXX, CXXFLAGS,
# LIB_FUZZING_ENGINE, OUT, SRC and WORK (scratch space; a temporary directory if unset).
# ci/fuzz-tests.sh runs it outside Docker with clang-19.
set -euo pipefail

die() {
	echo "build.sh: $*" >&2
	exit 1
}

# The repository: this script's parent in a checkout; $SRC/monitor in the image, where
# the Dockerfile copies this script to $SRC.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -d "$here/../monitor/core" ]; then
	repo=$(cd "$here/.." && pwd)
elif [ -n "${SRC:-}" ] && [ -d "$SRC/monitor/monitor/core" ]; then
	repo=$SRC/monitor
else
	die "cannot find the repository (looked in $here/.. and \$SRC/monitor)"
fi
cd "$repo"

: "${OUT:?OUT must name the output directory}"
: "${LIB_FUZZING_ENGINE:?LIB_FUZZING_ENGINE must be set (e.g. -fsanitize=fuzzer)}"
CC=${CC:-clang}
CXX=${CXX:-clang++}
CFLAGS=${CFLAGS:-}
CXXFLAGS=${CXXFLAGS:-$CFLAGS}
if [ -z "${WORK:-}" ]; then
	WORK=$(mktemp -d)
	trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
build=$WORK/monitor-build
rm -rf "$build"

# Warnings stay on but not fatal: the image's clang is newer than the one the project pins,
# and `make gate` already holds the code to -Werror.
PROJECT_FLAGS=(-std=c11 -Wall -Wextra -D_GNU_SOURCE
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -Imonitor/inc -Imodel/inc -Imodel -Irefhw
	-Ihvsim -Iharness/lib)
shopt -s nullglob
common_srcs=(harness/lib/*.c hvsim/*.c
	monitor/core/*.c monitor/crypto/*.c monitor/arch/riscv/*.c model/*.c refhw/*.c)
targets=() target_srcs=()
for f in harness/targets/*.c; do
	target_srcs+=("$f")
	f=${f##*/}
	targets+=("${f%.c}")
done
[ ${#targets[@]} -gt 0 ] || die "no fuzz targets in harness/targets"

# compile DIR CC FLAGS... -- SOURCES...: objects under DIR, mirroring the source tree
compile() {
	local dir=$1 cc=$2 flags=() src obj
	shift 2
	while [ "$1" != -- ]; do
		flags+=("$1")
		shift
	done
	shift
	for src in "$@"; do
		obj=$dir/${src%.c}.o
		mkdir -p "$(dirname "$obj")"
		# CFLAGS is a word list by convention, hence unquoted
		# shellcheck disable=SC2086
		$cc "${flags[@]}" -c "$src" -o "$obj"
	done
}
objects_of() {
	local dir=$1 src
	shift
	for src in "$@"; do
		echo "$dir/${src%.c}.o"
	done
}

# The fuzz targets, instrumented as the engine and the sanitizer want; coverage feedback
# from the monitor only when the harness lists what counts.
SANCOV_LISTS=()
[ -f harness/coverage-allowlist.txt ] &&
	SANCOV_LISTS+=(-fsanitize-coverage-allowlist=harness/coverage-allowlist.txt)
[ -f harness/coverage-ignorelist.txt ] &&
	SANCOV_LISTS+=(-fsanitize-coverage-ignorelist=harness/coverage-ignorelist.txt)
# shellcheck disable=SC2086
compile "$build/fuzz" "$CC" $CFLAGS "${PROJECT_FLAGS[@]}" "${SANCOV_LISTS[@]}" -- "${common_srcs[@]}" \
	"${target_srcs[@]}"
mapfile -t common_objs < <(objects_of "$build/fuzz" "${common_srcs[@]}")
for t in "${targets[@]}"; do
	# shellcheck disable=SC2086
	$CXX $CXXFLAGS "$build/fuzz/harness/targets/$t.o" "${common_objs[@]}" $LIB_FUZZING_ENGINE \
		-o "$OUT/$t"
done

# fuzzprog encodes the text seeds; it runs here, so it gets no sanitizer or coverage
# instrumentation (CFLAGS may hold -fsanitize=fuzzer-no-link, which needs the engine).
compile "$build/plain" "$CC" -O1 "${PROJECT_FLAGS[@]}" -- "${common_srcs[@]}" harness/tools/fuzzprog.c
mapfile -t plain_objs < <(objects_of "$build/plain" "${common_srcs[@]}" harness/tools/fuzzprog.c)
"$CC" "${plain_objs[@]}" -o "$build/fuzzprog"

zip_dir() {
	local zipfile=$1 dir=$2
	rm -f "$zipfile"
	if command -v zip >/dev/null; then
		(cd "$dir" && zip -q -X "$zipfile" ./*)
	else
		python3 - "$zipfile" "$dir" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name in sorted(os.listdir(sys.argv[2])):
        z.write(os.path.join(sys.argv[2], name), name)
PY
	fi
}

for t in "${targets[@]}"; do
	seeds=$build/seeds/$t
	mkdir -p "$seeds"
	for txt in corpora/"$t"/*.txt; do
		base=${txt##*/}
		"$build/fuzzprog" encode "$t" "$txt" "$seeds/${base%.txt}.bin"
	done
	for f in corpora/regressions/"$t"/*; do
		[ -f "$f" ] && cp "$f" "$seeds/regression-${f##*/}"
	done
	if [ -n "$(ls -A "$seeds")" ]; then
		zip_dir "$OUT/${t}_seed_corpus.zip" "$seeds"
	fi
	if [ -f "corpora/dict/$t.dict" ]; then
		cp "corpora/dict/$t.dict" "$OUT/$t.dict"
	fi
done
echo "build.sh: built ${targets[*]} into $OUT"
