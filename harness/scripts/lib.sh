# shellcheck shell=bash
# Helpers shared by the fuzzing scripts; sourced, never run.
# Every script runs from the repository root so that the paths it prints work as typed.

FUZZ_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$FUZZ_REPO_ROOT" || exit 2

BUILD=${BUILD:-build}
# shellcheck disable=SC2034 # used by the scripts that source this
FUZZ_ENGINES=(libfuzzer afl)
# The firmware binary on Unicorn (harness/unicorn): the same drivers, other binaries.
# shellcheck disable=SC2034
UNICORN_ENGINES=(unicorn unicorn-afl)

# The fuzzing engine behind an ENGINE name: libfuzzer or afl.
engine_kind() {
	case $1 in
	libfuzzer | unicorn) echo libfuzzer ;;
	afl | unicorn-afl) echo afl ;;
	*) return 1 ;;
	esac
}

# Where the binary that replays a finding of ENGINE lives.
engine_replay_dir() {
	case $1 in
	unicorn | unicorn-afl) echo "$BUILD/fuzz/unicorn-replay" ;;
	*) echo "$BUILD/fuzz/replay" ;;
	esac
}

die() {
	echo "${0##*/}: $*" >&2
	exit 2
}

note() {
	echo "${0##*/}: $*" >&2
}

# Targets known to the build, one per harness/targets/*.c, in name order.
fuzz_targets() {
	local f
	for f in harness/targets/*.c; do
		[ -e "$f" ] || continue
		f=${f##*/}
		echo "${f%.c}"
	done
}

is_uint() {
	[[ $1 =~ ^[0-9]+$ ]]
}

now_s() {
	printf '%(%s)T' -1
}

# 1234567 -> 1.2M; keeps a status line short.
human() {
	awk -v n="${1:-0}" 'BEGIN {
		if (n >= 1e9) printf "%.1fG", n / 1e9;
		else if (n >= 1e6) printf "%.1fM", n / 1e6;
		else if (n >= 1e4) printf "%.0fk", n / 1e3;
		else printf "%d", n }'
}

json_string() {
	local s=$1
	s=${s//\\/\\\\}
	s=${s//\"/\\\"}
	printf '"%s"' "$s"
}

# Findings an engine left in a crashes directory (libFuzzer artifacts, AFL++ copies);
# slow-unit-* files are reports, not findings.
list_findings() {
	local dir=$1 f
	[ -d "$dir" ] || return 0
	for f in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* "$dir"/afl-*; do
		[ -f "$f" ] && echo "$f"
	done
	return 0
}

# Shared start of bench.sh and gate.sh: checks $seconds, fills $targets, and sets up
# $runs, $stamp and the $interrupted flag that Ctrl-C raises.
prepare_runs() {
	is_uint "$seconds" && [ "$seconds" -gt 0 ] || die "--seconds must be a positive integer"
	mapfile -t targets < <(fuzz_targets)
	[ ${#targets[@]} -gt 0 ] || die "no fuzz targets in harness/targets"
	runs=$BUILD/fuzz-runs
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	mkdir -p "$runs"
	interrupted=0
	trap 'interrupted=1' INT TERM
}
