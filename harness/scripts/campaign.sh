#!/usr/bin/env bash
# A fuzzing campaign on the host library (or, with ENGINE=unicorn|unicorn-afl, on the
# firmware binary in Unicorn): one engine, one target or every target in turn,
# with a live status line, a stats time series, a coverage plot and a summary listing each
# finding with the commands that reproduce it. Run through `make fuzz`, which builds first.
#
# Exit status: 0 nothing found, 1 findings, 2 a fuzzer could not run, 130 interrupted.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	cat <<EOF
usage: campaign.sh [--target T|all] [--engine libfuzzer|afl|unicorn|unicorn-afl] [--seconds N] [--jobs N]
                   [--out DIR | --dir DIR] [--label NAME] [--progress auto|tty|lines|none]
                   [--quiet]
  --target    one of: $(fuzz_targets | tr '\n' ' ')or all (default; the time is split)
  --seconds   total wall-clock budget (default 600)
  --jobs      parallel fuzzing processes per target (default 1)
  --out       where the campaign directory goes (default campaigns)
  --dir       the campaign directory itself (must not exist yet)
  --quiet     no status line and no summary table (the files are still written)
EOF
	exit 2
}

target=all engine=libfuzzer total_seconds=600 jobs=1 out_root=campaigns label="" run=""
progress=auto show_summary=1
while [ $# -gt 0 ]; do
	case $1 in
	--target) target=${2:?}; shift 2 ;;
	--engine) engine=${2:?}; shift 2 ;;
	--seconds) total_seconds=${2:?}; shift 2 ;;
	--jobs) jobs=${2:?}; shift 2 ;;
	--out) out_root=${2:?}; shift 2 ;;
	--dir) run=${2:?}; shift 2 ;;
	--label) label=${2:?}; shift 2 ;;
	--progress) progress=${2:?}; shift 2 ;;
	--quiet) progress=none show_summary=0; shift ;;
	-h | --help) usage ;;
	*) note "unknown argument $1"; usage ;;
	esac
done

kind=$(engine_kind "$engine") || die "ENGINE must be libfuzzer, afl, unicorn or unicorn-afl, not '$engine'"
replay_dir=$(engine_replay_dir "$engine")
is_uint "$total_seconds" && [ "$total_seconds" -gt 0 ] || die "SECONDS must be a positive integer"
is_uint "$jobs" && [ "$jobs" -gt 0 ] || die "JOBS must be a positive integer"
mapfile -t all_targets < <(fuzz_targets)
[ ${#all_targets[@]} -gt 0 ] || die "no fuzz targets in harness/targets"
if [ "$target" = all ]; then
	targets=("${all_targets[@]}")
	# the Unicorn harness builds the targets one hart can play (mk/unicorn.mk)
	if [ "$kind" != "$engine" ]; then
		targets=()
		for t in "${all_targets[@]}"; do
			[ -x "$BUILD/fuzz/$engine/$t" ] && targets+=("$t")
		done
		[ ${#targets[@]} -gt 0 ] || die "no $engine binaries in $BUILD/fuzz/$engine: run 'make unicorn-build'"
	fi
else
	printf '%s\n' "${all_targets[@]}" | grep -qx -- "$target" ||
		die "unknown TARGET '$target' (known: ${all_targets[*]} all)"
	targets=("$target")
fi
for t in "${targets[@]}"; do
	[ -x "$BUILD/fuzz/$engine/$t" ] || die "$BUILD/fuzz/$engine/$t is missing: run 'make fuzz-build'"
done
per_target=$((total_seconds / ${#targets[@]}))
[ "$per_target" -ge 1 ] || per_target=1
if [ "$progress" = auto ]; then
	if [ -t 1 ]; then progress="tty"; else progress="lines"; fi
fi

if [ -n "$run" ]; then
	[ ! -e "$run" ] || die "$run already exists"
else
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	run=$out_root/$stamp-$target-$engine${label:+-$label}
	n=1
	while [ -e "$run" ]; do
		n=$((n + 1))
		run=$out_root/$stamp-$target-$engine${label:+-$label}-$n
	done
fi
mkdir -p "$run"
stats=$run/stats.csv
echo "target,time_s,execs,exec_per_s,coverage,corpus,crashes" >"$stats"

child_pids=()
statsd_pid=""
afl_final=0
interrupted=0
trap 'interrupted=1' INT TERM
# On any exit: ask the fuzzers to stop, then force them and their own children (a killed
# afl-fuzz would leave its fork server behind).
kill_children() {
	local p i c
	[ ${#child_pids[@]} -gt 0 ] || [ -n "$statsd_pid" ] || return 0
	for p in "${child_pids[@]}" $statsd_pid; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for i in 1 2 3 4 5 6 7 8 9 10; do
		alive || break
		sleep 0.3
	done
	for p in "${child_pids[@]}" $statsd_pid; do
		# /proc rather than pkill: procps is not on a bare container
		for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do
			kill -KILL "$c" 2>/dev/null || true
		done
		kill -KILL "$p" 2>/dev/null || true
	done
}
trap kill_children EXIT

# --- engines: start() launches the fuzzer(s), sample() prints "execs exec/s cov corpus
# crashes" from what they report, finish() collects results once they have exited.

libfuzzer_start() {
	local t=$1 tdir=$2 secs=$3
	local dict=corpora/dict/$t.dict
	local args=("$tdir/corpus" -max_total_time="$secs" -artifact_prefix="$tdir/crashes/"
		-print_final_stats=1 -timeout=10 -rss_limit_mb=2048)
	[ -f "$dict" ] && args+=(-dict="$dict")
	[ "$jobs" -gt 1 ] && args+=(-fork="$jobs")
	echo "$BUILD/fuzz/$engine/$t ${args[*]}" >"$tdir/command"
	"$BUILD/fuzz/$engine/$t" "${args[@]}" >"$tdir/fuzz.log" 2>&1 &
	child_pids=($!)
}

# The last status line libFuzzer printed: "#N <event> cov: C ft: F corp: U/S ... exec/s: E"
# (fork mode: "#N: cov: C ft: F corp: U exec/s: E ..."). The Unicorn build has no PC
# table (its coverage is extra counters), so its coverage is the feature count.
libfuzzer_sample() {
	local tdir=$1 key="cov: "
	[ "$engine" = libfuzzer ] || key="ft: "
	tail -c 65536 "$tdir/fuzz.log" 2>/dev/null | tr '\r' '\n' | awk -v crashes="$(list_findings "$tdir/crashes" | wc -l)" -v key="$key" '
		function after(s, key,   i, v) {
			i = index(s, key); if (!i) return 0
			v = substr(s, i + length(key)); sub(/[^0-9].*/, "", v)
			return v == "" ? 0 : v
		}
		/^#[0-9]+/ { line = $0 }
		/^stat::number_of_executed_units:/ { final_execs = $2 }
		/^stat::average_exec_per_sec:/ { final_rate = $2 }
		END {
			execs = line; sub(/^#/, "", execs); sub(/[^0-9].*/, "", execs)
			rate = after(line, "exec/s: "); if (!rate) rate = after(line, "exec/s ")
			if (final_execs != "") execs = final_execs
			if (final_rate != "") rate = final_rate
			printf "%d %d %d %d %d\n", execs, rate, after(line, key), after(line, "corp: "), crashes
		}'
}

libfuzzer_finish() {
	:
}

afl_start() {
	local t=$1 tdir=$2 secs=$3 i port=""
	local dict=corpora/dict/$t.dict
	local common=(-i "$tdir/corpus" -o "$tdir/afl" -V "$secs" -t 10000)
	[ -f "$dict" ] && common+=(-x "$dict")
	afl_final=0
	# live numbers over StatsD (see afl_statsd.py); without them the status line waits
	# for fuzzer_stats, which AFL++ 4.04c writes once a minute
	statsd_pid=""
	rm -f "$tdir/afl-statsd.port" "$tdir/afl-live.txt"
	if command -v python3 >/dev/null; then
		python3 harness/scripts/afl_statsd.py "$tdir/afl-statsd.port" "$tdir/afl-live.txt" \
			2>"$tdir/afl-statsd.log" &
		statsd_pid=$!
		for i in 1 2 3 4 5 6 7 8 9 10; do
			[ -s "$tdir/afl-statsd.port" ] && break
			sleep 0.2
		done
		[ -s "$tdir/afl-statsd.port" ] && port=$(cat "$tdir/afl-statsd.port")
	fi
	child_pids=()
	: >"$tdir/command"
	for ((i = 0; i < jobs; i++)); do
		local role=() name=default
		if [ "$jobs" -gt 1 ]; then
			if [ "$i" -eq 0 ]; then role=(-M main) name=main; else role=(-S "sec$i") name=sec$i; fi
		fi
		echo "afl-fuzz ${common[*]} ${role[*]} -- $BUILD/fuzz/$engine/$t" >>"$tdir/command"
		# no TTY, no CPU governor, no core_pattern and no free core to pin in CI
		# containers; sanitizers must abort so that AFL++ sees a crash
		env AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
			AFL_NO_AFFINITY=1 \
			${port:+AFL_STATSD=1 AFL_STATSD_HOST=127.0.0.1 AFL_STATSD_PORT=$port} \
			${port:+AFL_STATSD_TAGS_FLAVOR=dogstatsd} \
			ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0 \
			UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:symbolize=0 \
			afl-fuzz "${common[@]}" "${role[@]}" -T "$name" -- "$BUILD/fuzz/$engine/$t" \
			>"$tdir/afl-$name.log" 2>&1 &
		child_pids+=($!)
		# secondaries sync from the main instance's directory: let it exist first
		if [ "$i" -eq 0 ] && [ "$jobs" -gt 1 ]; then sleep 1; fi
	done
}

# While the fuzzers run: the StatsD numbers if there are any, else fuzzer_stats. At the
# end: fuzzer_stats, which AFL++ writes when it exits. Executions and findings add up
# over instances, the main (first) instance's queue is the corpus, coverage is the best
# any instance saw.
afl_sample() {
	local tdir=$1 files=()
	if [ "$afl_final" = 0 ] && [ -s "$tdir/afl-live.txt" ]; then
		awk '
			NR == 1 { corpus = $5 }
			{ execs += $2; rate += $3; if ($4 > cov) cov = $4; found += $6 + $7 }
			END { printf "%d %d %d %d %d\n", execs, rate, cov, corpus, found }' "$tdir/afl-live.txt"
		return
	fi
	files=("$tdir"/afl/*/fuzzer_stats)
	[ -e "${files[0]}" ] || { echo "0 0 0 0 0"; return; }
	awk -F' *: *' '
		FNR == 1 { n++ }
		$1 == "execs_done" { execs += $2 }
		$1 == "run_time" && $2 > 0 { time[n] = $2 }
		$1 == "execs_done" { done[n] = $2 }
		$1 == "edges_found" && $2 > cov { cov = $2 }
		$1 == "corpus_count" && n == 1 { corpus = $2 }
		$1 == "saved_crashes" || $1 == "unique_crashes" { found += $2 }
		$1 == "saved_hangs" || $1 == "unique_hangs" { found += $2 }
		END {
			for (i = 1; i <= n; i++) if (time[i]) rate += done[i] / time[i]
			printf "%d %d %d %d %d\n", execs, rate, cov, corpus, found
		}' "${files[@]}"
}

# Copies findings into crashes/ under names a shell and make accept, and the queue
# into corpus/ (new inputs only), so every engine leaves the same layout.
afl_finish() {
	local tdir=$1 inst f id kind seen
	afl_final=1
	if [ -n "$statsd_pid" ]; then
		kill "$statsd_pid" 2>/dev/null || true
		wait "$statsd_pid" 2>/dev/null || true
		statsd_pid=""
	fi
	for inst in "$tdir"/afl/*/; do
		[ -d "$inst" ] || continue
		inst=${inst%/}
		local name=${inst##*/}
		for kind in crashes hangs; do
			for f in "$inst/$kind"/id:*; do
				[ -f "$f" ] || continue
				id=${f##*/id:}
				id=${id%%,*}
				if [ "$kind" = crashes ]; then
					local sig=${f##*,sig:}
					sig=${sig%%,*}
					cp "$f" "$tdir/crashes/afl-$name-$id-sig$sig"
				else
					cp "$f" "$tdir/crashes/afl-$name-$id-hang"
				fi
			done
		done
	done
	local queue=$tdir/afl/default/queue
	[ -d "$queue" ] || queue=$tdir/afl/main/queue
	[ -d "$queue" ] || return 0
	seen=$(find "$tdir/corpus" -maxdepth 1 -type f -exec sha1sum {} + | cut -d' ' -f1 | sort)
	find "$queue" -maxdepth 1 -type f -name 'id:*' -exec sha1sum {} + |
		while read -r sum f; do
			grep -qx "$sum" <<<"$seen" || cp "$f" "$tdir/corpus/$sum"
		done
}

# --- one target

status_line() {
	local t=$1 execs=$2 rate=$3 cov=$4 corpus=$5 crashes=$6
	local now
	printf -v now '%(%s)T' -1
	local elapsed=$((now - campaign_start))
	local cov_name=cov
	[ "$kind" = afl ] && cov_name=edges
	[ "$engine" = unicorn ] && cov_name=ft
	printf '[%4d/%ds] %-11s execs %-7s %6s/s  %s %-6s corpus %-6s crashes %s' \
		"$elapsed" "$total_seconds" "$t" "$(human "$execs")" "$(human "$rate")" \
		"$cov_name" "$cov" "$corpus" "$crashes"
}

alive() {
	local p
	for p in "${child_pids[@]}"; do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}

signal_children() {
	local p
	for p in "${child_pids[@]}"; do
		kill "-$1" "$p" 2>/dev/null || true
	done
}

run_target() {
	local t=$1 secs=$2 f
	local tdir=$run/$t
	mkdir -p "$tdir/corpus" "$tdir/crashes"
	for f in "$BUILD/corpora/$t"/*.bin corpora/regressions/"$t"/*; do
		[ -f "$f" ] && cp "$f" "$tdir/corpus/"
	done
	# AFL++ refuses an empty input directory; any byte string is a valid program
	[ -n "$(ls -A "$tdir/corpus")" ] || printf '\0' >"$tdir/corpus/empty"

	local start end last_line now sample execs=0 rate=0 cov=0 corpus=0 crashes=0
	printf -v start '%(%s)T' -1
	last_line=$start
	# generous: AFL++ calibrates before its clock starts and a crash report takes time
	local hard_deadline=$((start + secs + 30 + secs / 5)) stop_sent=0
	"${kind}_start" "$t" "$tdir" "$secs"
	# Ctrl-C reaches every process in the foreground group, the helpers of this loop
	# included: nothing here may end the script, the summary must still be written
	while alive; do
		sleep 1 || true
		printf -v now '%(%s)T' -1
		if [ "$interrupted" = 1 ] || [ "$now" -ge "$hard_deadline" ]; then
			if [ "$stop_sent" = 0 ]; then
				[ "$interrupted" = 1 ] || note "$t: still running past its deadline, stopping it"
				signal_children INT
				stop_sent=$now
			elif [ $((now - stop_sent)) -ge 10 ]; then
				signal_children KILL
			fi
		fi
		if sample=$("${kind}_sample" "$tdir" 2>/dev/null) && [ -n "$sample" ]; then
			read -r execs rate cov corpus crashes <<<"$sample" || true
		fi
		echo "$t,$((now - start)),$execs,$rate,$cov,$corpus,$crashes" >>"$stats"
		case $progress in
		tty) printf '\r%s\033[K' "$(status_line "$t" "$execs" "$rate" "$cov" "$corpus" "$crashes")" ;;
		lines)
			# every 10 s, but not just before the final line
			if [ $((now - last_line)) -ge 10 ] && [ $((now - start)) -lt "$secs" ]; then
				status_line "$t" "$execs" "$rate" "$cov" "$corpus" "$crashes" || true
				echo
				last_line=$now
			fi
			;;
		esac
	done
	local rc=0 p
	for p in "${child_pids[@]}"; do
		wait "$p" || rc=$?
	done
	child_pids=()
	[ "$progress" = tty ] && printf '\r\033[K'
	printf -v end '%(%s)T' -1
	"${kind}_finish" "$tdir"
	read -r execs rate cov corpus crashes <<<"$("${kind}_sample" "$tdir")"
	# libFuzzer's exec/s is an integer that stays 0 for short or slow runs
	[ "$rate" -gt 0 ] || rate=$((execs / (end - start > 0 ? end - start : 1)))
	echo "$t,$((end - start)),$execs,$rate,$cov,$corpus,$crashes" >>"$stats"
	[ "$progress" = none ] || { status_line "$t" "$execs" "$rate" "$cov" "$corpus" "$crashes"; echo; }

	local findings status=ok
	findings=$(list_findings "$tdir/crashes" | wc -l)
	if [ "$findings" -gt 0 ]; then
		status=findings
	elif [ "$interrupted" = 1 ]; then
		status=interrupted
	elif [ "$rc" -ne 0 ]; then
		status=error
		note "$t: the fuzzer exited with status $rc and left no finding; end of its log:"
		tail -n 20 "$tdir"/*.log >&2 || true
	fi
	cat >"$tdir/result.env" <<EOF
TARGET=$t
ENGINE=$engine
STATUS=$status
SECONDS_RUN=$((end - start))
EXECS=$execs
EXEC_PER_S=$rate
COVERAGE=$cov
CORPUS=$corpus
FINDINGS=$findings
EOF
}

# --- the campaign

printf -v campaign_start '%(%s)T' -1
if [ "$progress" != none ]; then
	echo "campaign: $run"
	echo "campaign: ${targets[*]} with $engine, ${per_target}s each, $jobs job(s)"
fi
for t in "${targets[@]}"; do
	[ "$interrupted" = 1 ] && break
	run_target "$t" "$per_target"
done
trap - INT TERM

cov_label="libFuzzer cov (edges)"
[ "$kind" = afl ] && cov_label="AFL++ edges found"
[ "$engine" = unicorn ] && cov_label="libFuzzer features (emulated block edges)"
bash harness/scripts/plot.sh "$stats" "$run/coverage.png" "$engine: coverage over time" "$cov_label" ||
	note "no coverage plot (gnuplot failed)"

# --- summary: text for people, JSON for scripts

write_summary() {
	local t f
	printf '%-12s %-11s %12s %9s %9s %8s %8s\n' target status execs exec/s coverage corpus findings
	for t in "${targets[@]}"; do
		[ -f "$run/$t/result.env" ] || { printf '%-12s %-11s\n' "$t" "not run"; continue; }
		(
			# shellcheck disable=SC1090
			. "$run/$t/result.env"
			printf '%-12s %-11s %12d %9d %9d %8d %8d\n' "$t" "$STATUS" "$EXECS" "$EXEC_PER_S" \
				"$COVERAGE" "$CORPUS" "$FINDINGS"
		)
	done
	for t in "${targets[@]}"; do
		while read -r f; do
			[ -n "$f" ] || continue
			echo
			echo "finding: $f"
			echo "  reproduce: $replay_dir/$t $f"
			[ "$kind" != "$engine" ] || echo "         or: make repro CRASH=$f"
			echo "  decode:    $BUILD/tools/fuzzprog decode $t $f"
		done < <(list_findings "$run/$t/crashes")
	done
	echo
	echo "campaign directory: $run (stats.csv, coverage.png, summary.json)"
}
write_summary >"$run/summary.txt"

{
	echo "{"
	echo "  \"directory\": $(json_string "$run"),"
	echo "  \"engine\": \"$engine\", \"seconds\": $total_seconds, \"jobs\": $jobs,"
	echo "  \"interrupted\": $([ "$interrupted" = 1 ] && echo true || echo false),"
	echo "  \"targets\": ["
	sep=""
	for t in "${targets[@]}"; do
		[ -f "$run/$t/result.env" ] || continue
		(
			# shellcheck disable=SC1090
			. "$run/$t/result.env"
			printf '%s    {"name": "%s", "status": "%s", "seconds": %d, "execs": %d, "exec_per_s": %d, "coverage": %d, "corpus": %d, "findings": [' \
				"$sep" "$t" "$STATUS" "$SECONDS_RUN" "$EXECS" "$EXEC_PER_S" "$COVERAGE" "$CORPUS"
			fsep=""
			while read -r f; do
				[ -n "$f" ] || continue
				printf '%s%s' "$fsep" "$(json_string "$f")"
				fsep=", "
			done < <(list_findings "$run/$t/crashes")
			printf ']}'
		)
		sep=$',\n'
	done
	printf '\n  ]\n}\n'
} >"$run/summary.json"

[ "$show_summary" = 1 ] && { echo; cat "$run/summary.txt"; }

status=0
for t in "${targets[@]}"; do
	[ -f "$run/$t/result.env" ] || continue
	# shellcheck disable=SC1090
	case $(. "$run/$t/result.env" && echo "$STATUS") in
	findings) status=1 ;;
	error) [ "$status" = 1 ] || status=2 ;;
	esac
done
[ "$status" = 0 ] && [ "$interrupted" = 1 ] && status=130
exit "$status"
