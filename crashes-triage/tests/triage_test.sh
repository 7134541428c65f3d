#!/usr/bin/env bash
# The triage self-test (make triage-test). On the planted-bug build ($TT_BUILD, see
# mk/triage.mk) it runs short campaigns with one defence switched off, triages them and
# checks the buckets:
#   bug A  D_RELEASE_ZEROES off (freed pages keep their data): libFuzzer and AFL++
#   bug B  D_ARGS_IN_HV_MEMORY off (call buffers in monitor memory): libFuzzer
#   1. A's findings from both engines: exactly one bucket, reproduced on the host, the
#      firmware backends reporting what they honestly are, a minimised decoded input
#   2. A and B: exactly two buckets, each holding one bug's findings only
#   3. the same inputs on the intact monitor (no defence off): no bucket at all
#   4. planted-bug inputs are never filed as regressions (ADD=1)
#   5. `triage.py repro` runs one input on every backend
# plus the signature parser's unit tests. Prints "N passed, N failed".
# shellcheck disable=SC2012 # crash file names are hex digests and afl-* names
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
BUILD=${BUILD:-build}
TT_BUILD=${TT_BUILD:-$BUILD/triage-test}
TT_TARGET=${TT_TARGET:-hv_calls}
SECONDS_PER_CAMPAIGN=${SECONDS_PER_CAMPAIGN:-30}
export TRIAGE_BUILD=$BUILD

passed=0 failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
check() { # description, then a command that must succeed
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# A defence's bit from monitor/inc/defence.h, so the test follows the header.
defence_bit() {
	local shift
	shift=$(sed -n "s/^[[:space:]]*$1 = 1U << \([0-9]*\),.*/\1/p" monitor/inc/defence.h)
	[ -n "$shift" ] || { echo "no $1 in monitor/inc/defence.h" >&2; exit 2; }
	printf '0x%x' $((1 << shift))
}
BUG_A=$(defence_bit D_RELEASE_ZEROES)
BUG_B=$(defence_bit D_ARGS_IN_HV_MEMORY)

work=$TT_BUILD/run
rm -rf "$work"
mkdir -p "$work/campaigns"

# campaign NAME ENGINE DEFENCES_OFF SECONDS: one campaign on the planted build, with the
# triage.env that tells triage which defences that build had off.
campaign() {
	local dir=$work/campaigns/$1
	echo "== campaign $1: $2, defences $3 off, ${4}s"
	TRIAGE_DEFENCES_OFF=$3 BUILD=$TT_BUILD bash harness/scripts/campaign.sh --target "$TT_TARGET" \
		--engine "$2" --seconds "$4" --dir "$dir" --progress none --quiet
	echo "TRIAGE_DEFENCES_OFF=$3" >"$dir/triage.env"
	ls "$dir/$TT_TARGET/crashes" | wc -l | xargs echo "   findings:"
}

# the report's facts, for the checks below
query() { # report.json, python expression over `r`
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"
}

echo "== signature parser unit tests"
if python3 -m unittest discover -s crashes-triage/tests -p 'test_*.py' 2>"$work/unittest.log"; then
	pass "signature parser: $(grep -o 'Ran [0-9]* tests' "$work/unittest.log")"
else
	fail "signature parser unit tests:"
	sed 's/^/    /' "$work/unittest.log"
fi

campaign a-libfuzzer libfuzzer "$BUG_A" "$SECONDS_PER_CAMPAIGN"
campaign a-afl afl "$BUG_A" "$SECONDS_PER_CAMPAIGN"
campaign b-libfuzzer libfuzzer "$BUG_B" "$SECONDS_PER_CAMPAIGN"

# --- 1. one bug, two engines: one bucket
r1=$work/report-one-bug
TRIAGE_FIRMWARE=${TT_FIRMWARE_A:-} python3 crashes-triage/triage.py triage --out "$r1" --minimize-seconds 10 \
	"$work/campaigns/a-libfuzzer" "$work/campaigns/a-afl" | tee "$work/triage-1.log"
j=$r1/report.json
check "bug A: libFuzzer found it" [ "$(ls "$work/campaigns/a-libfuzzer/$TT_TARGET/crashes" | wc -l)" -ge 1 ]
check "bug A: AFL++ found it" [ "$(ls "$work/campaigns/a-afl/$TT_TARGET/crashes" | wc -l)" -ge 1 ]
check "bug A: exactly one bucket" [ "$(query "$j" 'len(r["buckets"])')" = 1 ]
check "bug A: every finding in it" [ "$(query "$j" 'r["buckets"][0]["count"] if r["buckets"] else 0')" = \
	"$(query "$j" 'r["findings"]')" ]
check "bug A: inputs from both engines, different bytes, in the one bucket" \
	[ "$(query "$j" 'sorted(r["buckets"][0]["engines"]) == ["afl", "libfuzzer"] and r["buckets"][0]["unique_inputs"] >= 2')" = True ]
check "bug A: the invariants oracle names I.MT.3" \
	[ "$(query "$j" 'r["buckets"][0]["signature"]')" = "oracle invariants: I.MT.3: free page # is not zero" ]
check "bug A: reproduced on the host" \
	[ "$(query "$j" 'r["buckets"][0]["backends"]["host"]["status"]')" = reproduced ]
# a firmware backend may say reproduced only with its own oracle line
honest=$(query "$j" 'all(b["status"] in ("reproduced", "not reproduced", "not available") and
	(b["status"] != "reproduced" or b["line"].startswith("==ORACLE==")) and b["line"]
	for k in r["buckets"] for n, b in k["backends"].items() if n != "host")')
check "bug A: firmware backends report an honest status with a reason" [ "$honest" = True ]
query "$j" '"\n".join("   %s: %s: %s" % (n, b["status"], b["line"]) for n, b in r["buckets"][0]["backends"].items())'
check "bug A: minimised no larger than the smallest finding, and decoded" \
	[ "$(query "$j" '(lambda m: m["bytes"] <= m["original_bytes"] and m["steps"][0] == "target '"$TT_TARGET"'" and len(m["steps"]) >= 2)(r["buckets"][0]["minimized"])')" = True ]
check "bug A: the minimised input still fires the bug on the host" \
	env TRIAGE_BUILD="$TT_BUILD" TRIAGE_DEFENCES_OFF="$BUG_A" crashes-triage/backends/host.sh "$TT_TARGET" \
	"$r1/$(query "$j" 'r["buckets"][0]["minimized"]["file"]')"
check "bug A: reproduced on the firmware in Unicorn (built with the same defence off)" \
	[ "$(query "$j" 'r["buckets"][0]["backends"]["unicorn"]["status"]')" = reproduced ]
check "bug A: report.md has the bucket's section" grep -q '^## Bucket 1: oracle (invariants)' "$r1/report.md"

# --- 2. two bugs: two buckets
r2=$work/report-two-bugs
python3 crashes-triage/triage.py triage --out "$r2" --minimize-seconds 5 \
	"$work/campaigns/a-libfuzzer" "$work/campaigns/b-libfuzzer" >"$work/triage-2.log"
j=$r2/report.json
tail -n 6 "$work/triage-2.log"
check "bugs A and B: exactly two buckets" [ "$(query "$j" 'len(r["buckets"])')" = 2 ]
check "bugs A and B: each bucket holds one campaign's findings" \
	[ "$(query "$j" 'all(len({p.split("/campaigns/")[1].split("/")[0] for p in b["findings"]}) == 1 for b in r["buckets"])')" = True ]

# --- 3. the same findings on the intact monitor: nothing reproduces, no bucket
mkdir -p "$work/intact"
cp -r "$work/campaigns/a-libfuzzer" "$work/campaigns/b-libfuzzer" "$work/intact/"
for d in "$work"/intact/*/; do echo "TRIAGE_DEFENCES_OFF=0" >"$d/triage.env"; done
r3=$work/report-intact
python3 crashes-triage/triage.py triage --out "$r3" "$work"/intact/* >"$work/triage-3.log"
j=$r3/report.json
check "intact monitor: no bucket, every finding listed as not reproduced" \
	[ "$(query "$j" 'len(r["buckets"]) == 0 and len(r["not_reproduced"]) == r["findings"] > 0')" = True ]

# --- 4. ADD=1 never files a planted bug
regressions=$work/regressions
python3 crashes-triage/triage.py triage --add --regressions "$regressions" --out "$work/report-add" \
	--minimize-seconds 2 "$work/campaigns/b-libfuzzer" >"$work/triage-4.log"
check "ADD=1: planted-bug inputs are not filed" [ ! -e "$regressions" ]
check "ADD=1: says why" grep -q 'not filed: found on a planted-bug build' "$work/triage-4.log"

# --- 5. repro: one input, every backend
one=$(ls "$work/campaigns/b-libfuzzer/$TT_TARGET/crashes/"* | head -n 1)
python3 crashes-triage/triage.py repro "$one" >"$work/repro.log" 2>/dev/null
rc=$?
sed -n '/^host\|^unicorn\|^qemu/p' "$work/repro.log"
repro_found_on_host() {
	[ "$rc" = 1 ] && grep -q '^host     reproduced: hardware model:' "$work/repro.log"
}
check "repro: reproduced on the host, exit 1" repro_found_on_host
check "repro: names every backend" [ "$(grep -cE '^(host|unicorn|qemu) ' "$work/repro.log")" = 3 ]

echo "reports: $r1/report.md $r2/report.md"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
