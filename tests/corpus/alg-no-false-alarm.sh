#!/usr/bin/env bash
# alg-no-false-alarm.sh VOIPDIAG — every public capture of ../shared/corpus (MANIFEST.tsv) must
# raise no alg.* finding of severity fail (a SIP ALG "proof"), unless listed in
# tests/corpus/alg-exceptions.tsv (file, reason) because it really shows an ALG. Also prints the
# alg.* warnings seen, for review. Skips (exit 77) when the corpus is absent.
set -uo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
corpus=${VOIPDIAG_CORPUS:-$here/../../../shared/corpus}
[ -f "$corpus/MANIFEST.tsv" ] || { echo "alg corpus: $corpus absent, skipped"; exit 77; }
command -v jq >/dev/null || { echo "alg corpus: jq missing"; exit 1; }
exceptions=$here/alg-exceptions.tsv
pass=0; fail=0; warned=0
while IFS=$'\t' read -r file _rest; do
  [ "$file" = "file" ] && continue
  json=$("$bin" analyze --json "$corpus/$file" 2>/dev/null)
  fails=$(printf '%s' "$json" |
    jq -r '[.findings[]? | select((.code // .name // "") | startswith("alg.")) |
            select(.severity == "fail") | (.code // .name)] | unique | join(",")' 2>/dev/null)
  warns=$(printf '%s' "$json" |
    jq -r '[.findings[]? | select((.code // .name // "") | startswith("alg.")) |
            select(.severity == "warn") | (.code // .name)] | unique | join(",")' 2>/dev/null)
  [ -n "$warns" ] && { echo "note $file: alg warnings $warns"; warned=$((warned + 1)); }
  if [ -n "$fails" ] && ! awk -F'\t' -v f="$file" '$1 == f { found = 1 } END { exit !found }' \
      "$exceptions" 2>/dev/null; then
    echo "FAIL $file: $fails"
    fail=$((fail + 1)); continue
  fi
  pass=$((pass + 1))
done < "$corpus/MANIFEST.tsv"
echo "alg corpus: $pass passed, $fail failed, $warned with alg warnings"
[ "$fail" = 0 ]
