#!/usr/bin/env bash
# Shows that `make prove` catches real bugs: each case plants one bug in a copy of the
# tree (a sed over one file), runs the proof of the affected unit, and expects it to fail.
# A case fails this test if its sed changed nothing or if the proof still passes.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$here/build/prove-test
rm -rf "$out" && mkdir -p "$out"

# name # file # sed expression # unit # functions to prove (the ones the bug is in)
cases=(
	"release-does-not-zero#monitor/core/mt.c#s/memset(phys_ptr(mt->base + idx \* PAGE_SIZE, PAGE_SIZE), 0, PAGE_SIZE);/(void)phys_ptr(mt->base + idx * PAGE_SIZE, PAGE_SIZE);/#mt.c#release_index"
	"free-run-off-by-one#monitor/core/mt.c#/^static bool run_is_free/,/^}/s/for (unsigned i = 0; i < count; i++)/for (unsigned i = 1; i < count; i++)/#mt.c#run_is_free"
	"range-without-overflow-test#monitor/inc/types.h#s/return len != 0 \&\& len <= UINT64_MAX - base;/return len != 0;/#types.h#"
	"hypervisor-range-straddles#monitor/core/platform.c#s/return range_ok(pa, len) \&\& range_within(pa, len, base, size);/return range_ok(pa, len) \&\& pa >= base \&\& pa < base + size;/#platform.c#"
	"walk-leaf-unchecked#monitor/arch/riscv/gstage.c#s/if (!mem_is_hypervisor(pa, size) \&\& DEFENCE(D_PROMOTE_CHECKS_LEAVES))/if (0)/#gstage.c#walk_leaf"
)

status=0
for c in "${cases[@]}"; do
	IFS='#' read -r name file expr unit fct <<<"$c"
	tree=$out/$name
	mkdir -p "$tree/monitor"
	cp -r "$here/monitor/inc" "$here/monitor/core" "$here/monitor/arch" "$tree/monitor/"
	for d in model/inc monitor/platform/host; do # the host headers, before or after the move
		[ -d "$here/$d" ] && mkdir -p "$tree/$d" && cp -r "$here/$d/." "$tree/$d/"
	done
	cp -r "$here/proofs" "$tree/"
	sed -i "$expr" "$tree/$file"
	if cmp -s "$here/$file" "$tree/$file"; then
		echo "FAIL $name: the planted bug did not apply to $file"
		status=1
		continue
	fi
	if PROVE_SRC=$tree PROVE_OUT=$tree/out PROVE_UNITS=$unit PROVE_FCT=$fct PROVE_TIMEOUT=5 \
		bash "$here/proofs/prove.sh" >"$tree/prove.out" 2>&1; then
		echo "FAIL $name: the proof still passes"
		status=1
	else
		failed=$(grep '^\[wp\] \[[A-Za-z]*\] Goal typed_' "$tree/out/$unit.log" | grep -v ': Valid' |
			sed 's/^\[wp\] \[[A-Za-z]*\] Goal typed_\([A-Za-z0-9_]*\).*/\1/' |
			sort -u | head -n 4 | tr '\n' ' ')
		echo "ok   $name: $(sed 's/ *FAILED.*//; s/  */ /g' "$tree/out/summary.txt"); unproved: ${failed:-?}"
	fi
done
exit $status
