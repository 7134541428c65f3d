#!/usr/bin/env bash
# Turns the harness's sancov coverage lists into the single denylist AFL++ 4.04c accepts
# (it refuses an allowlist and a denylist together, and would read "fun:*" in an allowlist
# as "every function"): every source the allowlist does not name, plus the ignorelist.
# usage: afl_denylist.sh ALLOWLIST|-- IGNORELIST|-- SOURCE... > denylist
set -euo pipefail
allowlist=$1 ignorelist=$2
shift 2

entries() { # the "src:" or "fun:" patterns of a sancov list
	sed -n "s/^[[:space:]]*$2:[[:space:]]*//p" "$1" | sed 's/[[:space:]]*$//'
}

if [ "$ignorelist" != -- ]; then
	entries "$ignorelist" src | sed 's/^/src:/'
	entries "$ignorelist" fun | sed 's/^/fun:/'
fi
[ "$allowlist" != -- ] || exit 0
mapfile -t allowed < <(entries "$allowlist" src)
for src in "$@"; do
	keep=0
	for pattern in "${allowed[@]}"; do
		# an unquoted right-hand side is a pattern; [[ ]] never expands it against files
		# shellcheck disable=SC2053
		if [[ $src == $pattern ]]; then
			keep=1
			break
		fi
	done
	# AFL++ matches a file entry as a suffix of the path: no leading "*" (an entry longer
	# than the path never matches)
	[ "$keep" = 1 ] || echo "src:$src"
done
