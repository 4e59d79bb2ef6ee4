#!/usr/bin/env bash
# run.sh VOIPDIAG — analyse every public capture of ../shared/corpus (MANIFEST.tsv): each must
# exit 0 (or 4 for a capture listed in tests/corpus/expected-errors.tsv with its reason), and
# the packet count must equal tshark's (the MANIFEST's packets column, from capinfos).
# Skips (exit 77) when the corpus is absent.
set -uo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
corpus=${VOIPDIAG_CORPUS:-$here/../../../shared/corpus}
[ -f "$corpus/MANIFEST.tsv" ] || { echo "corpus: $corpus absent, skipped"; exit 77; }
command -v jq >/dev/null || { echo "corpus: jq missing"; exit 1; }
expected_errors=$here/expected-errors.tsv
pass=0; fail=0
while IFS=$'\t' read -r file _repo _path _lic _size _link packets _rest; do
  [ "$file" = "file" ] && continue
  want_exit=$(awk -F'\t' -v f="$file" '$1 == f { print $2 }' "$expected_errors" 2>/dev/null)
  want_exit=${want_exit:-0}
  json=$("$bin" analyze --json "$corpus/$file" 2>/tmp/corpus-err.$$)
  rc=$?
  if [ "$rc" != "$want_exit" ]; then
    echo "FAIL $file: exit $rc (expected $want_exit): $(head -c 300 /tmp/corpus-err.$$)"
    fail=$((fail + 1)); continue
  fi
  got=$(printf '%s' "$json" | jq -r '.packets')
  if [ "$got" != "$packets" ]; then
    echo "FAIL $file: $got packets, tshark counts $packets"
    fail=$((fail + 1)); continue
  fi
  pass=$((pass + 1))
done < "$corpus/MANIFEST.tsv"
rm -f /tmp/corpus-err.$$
echo "corpus: $pass passed, $fail failed"
[ $fail -eq 0 ]
