#!/usr/bin/env bash
# Source-based coverage of the monitor reached by the fuzz targets' inputs: the seeds,
# the regressions and, when there is one, the corpus of the newest campaign per target.
# Writes $BUILD/coverage/html/index.html and prints line and branch coverage of
# monitor/core. The coverage build has no sanitizers: an input that crashes it loses only
# that process's profile and is reported.
# CAMPAIGN_CORPUS=none leaves the campaign corpora out: what the committed seeds and
# regressions reach on their own.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROFDATA=${PROFDATA:-llvm-profdata-19}
LLVM_COV=${LLVM_COV:-llvm-cov-19}
# coverage of the monitor only: not the harness, the tests or the hardware model
IGNORE='(^|/)(tests|harness|model)/'

mapfile -t targets < <(fuzz_targets)
[ ${#targets[@]} -gt 0 ] || die "no fuzz targets in harness/targets"
out=$BUILD/coverage
rm -rf "$out/profraw" "$out/html"
mkdir -p "$out/profraw"

bins=()
for t in "${targets[@]}"; do
	bin=$BUILD/fuzz/cov/$t
	[ -x "$bin" ] || die "$bin is missing: run 'make coverage-build'"
	bins+=("$bin")
	inputs=()
	for d in "$BUILD/corpora/$t" "corpora/regressions/$t"; do
		[ -d "$d" ] && inputs+=("$d")
	done
	if [ "${CAMPAIGN_CORPUS:-newest}" != none ]; then
		newest=$(ls -d campaigns/*/"$t"/corpus 2>/dev/null | sort | tail -n 1 || true)
		[ -n "$newest" ] && inputs+=("$newest")
	fi
	if [ ${#inputs[@]} -eq 0 ]; then
		note "$t: no inputs"
		continue
	fi
	printf 'coverage: %-12s %s\n' "$t" "${inputs[*]}"
	LLVM_PROFILE_FILE="$out/profraw/$t-%p.profraw" timeout 3600 "$bin" -q "${inputs[@]}" >"$out/$t.log" 2>&1 ||
		note "$t: the coverage run failed (see $out/$t.log); its profile may be partial"
done

shopt -s nullglob
raw=("$out"/profraw/*.profraw)
[ ${#raw[@]} -gt 0 ] || die "no profile was written"
"$PROFDATA" merge -sparse "${raw[@]}" -o "$out/merged.profdata"

objects=("${bins[0]}")
for b in "${bins[@]:1}"; do
	objects+=(-object "$b")
done
"$LLVM_COV" show -format=html -output-dir="$out/html" -instr-profile="$out/merged.profdata" \
	-ignore-filename-regex="$IGNORE" -show-branches=count -show-line-counts-or-regions \
	-project-title="monitor, reached by the fuzz targets" "${objects[@]}" >/dev/null

# The report's last columns are Lines (total, missed, cover) and Branches (the same).
"$LLVM_COV" report -instr-profile="$out/merged.profdata" -ignore-filename-regex="$IGNORE" \
	-show-region-summary=false -show-branch-summary -show-instantiation-summary=false \
	"${objects[@]}" monitor/core >"$out/core-report.txt"
row() {
	awk -v want="$1" '
		/^-+$/ || /^Filename/ || NF < 7 { next }
		{
			name = $1; sub(/.*monitor\/core\//, "", name)
			if ((want == "total") != (name == "TOTAL")) next
			printf "%-32s %9s %8s %9s %8s\n", name, $(NF - 3), $(NF - 4), $NF, $(NF - 1)
		}' "$out/core-report.txt"
}
echo
printf '%-32s %9s %8s %9s %8s\n' "monitor/core" lines missed branches missed
row files | sort
echo
row total
echo
echo "coverage: $out/html/index.html"
