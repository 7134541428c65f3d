# shellcheck shell=bash
# Shared by the backends; sourced, never run. The contract every backend keeps:
#   backends/<name>.sh TARGET FILE
#   exit 0  reproduced: stdout is the finding's one line (the oracle's or sanitizer's)
#   exit 1  ran to the end, nothing found: stdout says what ran
#   exit 2  not available for this target or input: stdout is a one-line reason
# and reads from its environment:
#   TRIAGE_BUILD         the build tree of the host fuzz binaries that found the input
#                        (default build)
#   TRIAGE_FIRMWARE_BUILD  the build tree of the firmware backends (default build)
#   TRIAGE_DEFENCES_OFF  defences switched off in the build that found the input (a
#                        planted-bug test build); a firmware backend must run a firmware
#                        with the same defences off, or answer 2
#   TRIAGE_LOG           file that receives the run's complete output (default: none)
#   TRIAGE_TIMEOUT       seconds before a run counts as a hang (default 30)
# A backend never answers 0 unless its run reported a finding.
BACKEND_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$BACKEND_ROOT" || exit 2

# shellcheck disable=SC2034 # read by the backend that sources this
[ $# -eq 2 ] || { echo "usage: ${0##*/} TARGET FILE"; exit 2; }
# shellcheck disable=SC2034
target=$1 input=$2
# shellcheck disable=SC2034
build=${TRIAGE_BUILD:-build}
# shellcheck disable=SC2034 # used by the firmware backends
firmware_build=${TRIAGE_FIRMWARE_BUILD:-build}
# shellcheck disable=SC2034
log=${TRIAGE_LOG:-/dev/null}
# shellcheck disable=SC2034
limit=${TRIAGE_TIMEOUT:-30}
defences_off=${TRIAGE_DEFENCES_OFF:-0}
[ -f "$input" ] || { echo "no such input: $input"; exit 2; }

unavailable() {
	echo "$*"
	exit 2
}

planted() {
	[ -n "$defences_off" ] && [ "$((defences_off))" -ne 0 ]
}

# The first line of the log that reports a finding, from its marker on.
finding_line() {
	grep -m1 -oE '==ORACLE==.*|ERROR: (AddressSanitizer|LeakSanitizer): .*|runtime error: .*|hardware model: .*' "$1"
}
