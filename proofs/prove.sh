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

# name | file (relative to the tree) | functions whose goals count (empty: all of the file)
units=(
	"types.h|proofs/ranges.c|"
	"platform.c|monitor/core/platform.c|mem_is_hypervisor,mem_is_confidential,inside"
	"mt.c|monitor/core/mt.c|"
)

want=" ${PROVE_UNITS:-types.h platform.c mt.c} "
status=0
: >"$OUT/summary.txt"
for u in "${units[@]}"; do
	IFS='|' read -r name file fct <<<"$u"
	[[ $want == *" $name "* ]] || continue
	fct=${PROVE_FCT:-$fct}
	log="$OUT/$name.log"
	start=$SECONDS
	(cd "$SRC" && timeout 280 "$FRAMAC" -c11 \
		-cpp-extra-args="-Imonitor/inc -Imonitor/platform/host -include proofs/phys_model.h" \
		"$file" -wp -wp-rte ${fct:+-wp-fct "$fct"} -wp-prover z3,cvc4 \
		-wp-timeout "$TIMEOUT" -wp-par "$JOBS" -wp-cache none) >"$log" 2>&1
	rc=$?
	counts=$(sed -n 's/^\[wp\] Proved goals: *\([0-9]*\) \/ \([0-9]*\)$/\1 \2/p' "$log" | tail -n 1)
	read -r proved total <<<"${counts:-0 0}"
	line=$(printf '%-11s %4s/%-4s goals proved (%ds)' "$name" "$proved" "$total" $((SECONDS - start)))
	if [ "$rc" -ne 0 ] || [ "$total" -eq 0 ] || [ "$proved" -ne "$total" ] ||
		grep -q "User Error\|Frama-C aborted" "$log"; then
		line="$line  FAILED (log: $log)"
		status=1
		grep -A3 '^\[wp\] \[\(Failed\|Unknown\|Timeout\)\]' "$log" | sed 's/^/    /' | head -n 40
	fi
	echo "$line" | tee -a "$OUT/summary.txt"
done
exit $status
