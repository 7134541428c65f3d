#!/usr/bin/env bash
# `make prove`: Frama-C WP, through Why3 with Z3 and CVC4, on each proof unit below,
# runtime-error goals included (-wp-rte). Fails unless every goal of every unit is proved.
# Writes one line per unit to $PROVE_OUT/summary.txt (docs/proofs.md).
#   PROVE_SRC    tree to prove (default: this checkout; proofs/prove-test.sh passes a copy)
#   PROVE_UNITS  space-separated unit names to run (default: all)
#   PROVE_FCT    restrict WP to these functions (comma-separated; default: the unit's)
#   PROVE_TIMEOUT per-goal prover timeout in seconds, PROVE_JOBS parallel provers
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
SRC=$(cd "${PROVE_SRC:-$here}" && pwd)
OUT=${PROVE_OUT:-$here/build/prove}
TIMEOUT=${PROVE_TIMEOUT:-10}
JOBS=${PROVE_JOBS:-2}
FRAMAC=${FRAMAC:-frama-c}
mkdir -p "$OUT"
# the host model's headers (arch_csr.h): model/inc, or monitor/platform/host before the move
HOST_INC=model/inc
[ -d "$SRC/$HOST_INC" ] || HOST_INC=monitor/platform/host

# name | files (relative to the tree; the first is the unit's, the others lend their proved
# contracts) | functions whose goals count (empty: all of the file) | extra frama-c options
# gstage.c: the foreign walk calls its leaf callback through a pointer, which the `calls`
# annotation and the precondition fn == &gstage_leaf pin down; RTE's \valid_function goal
# for that call is left out (-rte-no-pointer-call) since WP does not implement it.
# walk_table is a unit of its own: -wp-split cuts its loop-invariant goals by path (small
# goals, none near the timeout, where the unsplit ones need 5-10 s of Z3 or CVC4 each).
gstage_files="monitor/arch/riscv/gstage.c monitor/core/platform.c"
units=(
	"types.h|proofs/ranges.c||"
	"platform.c|monitor/core/platform.c|mem_is_hypervisor,mem_is_confidential,inside|"
	"mt.c|monitor/core/mt.c||"
	"gstage.c|$gstage_files|is_leaf,walk_leaf,skip_invalid_groups,gstage_walk_foreign|-rte-no-pointer-call"
	"gstage.c-walk_table|$gstage_files|walk_table|-rte-no-pointer-call -wp-split"
)

want=" ${PROVE_UNITS:-types.h platform.c mt.c gstage.c gstage.c-walk_table} "
# one unit: frama-c, then its summary line in $OUT/<name>.line (FAILED and the unproved
# goals in $OUT/<name>.fail)
prove_unit() {
	local name=$1 file=$2 fct=$3 extra=$4 par=$5
	local log="$OUT/$name.log" start=$SECONDS
	rm -f "$OUT/$name.fail"
	(cd "$SRC" && timeout 280 "$FRAMAC" -c11 \
		-cpp-extra-args="-DPROOFS_WP -Imonitor/inc -I$HOST_INC -include proofs/phys_model.h" \
		$file -wp -wp-rte ${fct:+-wp-fct "$fct"} $extra -wp-prover z3,cvc4 \
		-wp-timeout "$TIMEOUT" -wp-par "$par" -wp-cache none) >"$log" 2>&1
	local rc=$?
	local counts proved total line
	counts=$(sed -n 's/^\[wp\] Proved goals: *\([0-9]*\) \/ \([0-9]*\)$/\1 \2/p' "$log" | tail -n 1)
	read -r proved total <<<"${counts:-0 0}"
	line=$(printf '%-20s %4s/%-4s goals proved (%ds)' "$name" "$proved" "$total" $((SECONDS - start)))
	if [ "$rc" -ne 0 ] || [ "$total" -eq 0 ] || [ "$proved" -ne "$total" ] ||
		grep -q "User Error\|Frama-C aborted" "$log"; then
		line="$line  FAILED (log: $log)"
		grep -A3 '^\[wp\] \[\(Failed\|Unknown\|Timeout\)\]' "$log" | sed 's/^/    /' |
			head -n 40 >"$OUT/$name.fail"
	fi
	echo "$line" >"$OUT/$name.line"
}

names=()
for u in "${units[@]}"; do
	IFS='|' read -r name file fct extra <<<"$u"
	[[ $want == *" $name "* ]] || continue
	names+=("$name")
	# one unit at a time with PROVE_JOBS provers: mt.c is bound by its provers (with one
	# prover it takes three times as long), walk_table by WP's own simplifier
	prove_unit "$name" "$file" "${PROVE_FCT:-$fct}" "$extra" "$JOBS"
	cat "$OUT/$name.fail" 2>/dev/null
	cat "$OUT/$name.line"
done

status=0
: >"$OUT/summary.txt"
for name in "${names[@]}"; do
	[ -f "$OUT/$name.fail" ] && status=1
	cat "$OUT/$name.line" >>"$OUT/summary.txt" 2>/dev/null || status=1
done
exit $status
