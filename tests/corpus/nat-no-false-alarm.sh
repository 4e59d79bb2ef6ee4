#!/usr/bin/env bash
# nat-no-false-alarm.sh VOIPDIAG — every capture in captures/ and the shared corpus must draw no
# nat.* finding of severity fail, unless tests/corpus/nat-exceptions.tsv lists it with a reason
# (FILE<TAB>FINDING<TAB>reason). Exit 0 clean, 1 false alarms, 77 nothing to check.
set -uo pipefail
bin=${1:?usage: $0 VOIPDIAG}
src=${VOIPDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
corpus=${VOIPDIAG_CORPUS:-$src/../shared/corpus}
exc=$src/tests/corpus/nat-exceptions.tsv
command -v jq > /dev/null || { echo "nat-no-false-alarm: jq missing (scripts/setup.sh installs it)"; exit 77; }
bad=0 n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  out=$("$bin" analyze --json "$f" 2>/dev/null) || [ $? -eq 4 ] || continue
  # jq, not python3: a pyenv shim costs 0.35 s a start, 220 captures
  names=$(printf '%s' "$out" |
    jq -r '.findings // [] | .[] | select((.name | startswith("nat.")) and .severity == "fail") | .name' |
    sort -u)
  for name in $names; do
    base=$(basename "$f")
    if grep -qP "^\Q$base\E\t\Q$name\E\t" "$exc" 2>/dev/null; then continue; fi
    echo "FALSE ALARM? $f: $name"
    bad=1
  done
done < <(find "$src/captures" "$corpus" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' -o -name '*.pcap.gz' \) -print0 2>/dev/null | sort -z)
[ "$n" -gt 0 ] || exit 77
echo "$n captures checked"
exit $bad
