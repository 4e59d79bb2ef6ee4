#!/usr/bin/env bash
# run.sh VOIPDIAG — every line of tests/golden/LIST: run voipdiag, compare stdout with
# tests/golden/NAME.out, stderr with NAME.err (or nothing), and the exit status.
# A missing golden file fails. Update goldens on purpose with scripts/golden-update.sh NAME.
set -uo pipefail
bin=$1
cd "$(dirname "$0")/../.."
export TZ=UTC LC_ALL=C NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
while read -r name want args; do
  case "$name" in ''|'#'*) continue ;; esac
  # shellcheck disable=SC2086
  "$bin" analyze $args >"$tmp/out" 2>"$tmp/err"
  got=$?
  ok=1
  if [ ! -f "tests/golden/$name.out" ]; then
    echo "FAIL $name: missing golden file tests/golden/$name.out"; ok=0
  elif ! diff -u "tests/golden/$name.out" "$tmp/out" >"$tmp/diff"; then
    echo "FAIL $name: output differs (voipdiag analyze $args)"; head -60 "$tmp/diff"; ok=0
  fi
  if [ -f "tests/golden/$name.err" ]; then
    diff -u "tests/golden/$name.err" "$tmp/err" || { echo "FAIL $name: stderr differs"; ok=0; }
  elif [ -s "$tmp/err" ]; then
    echo "FAIL $name: unexpected stderr:"; head -20 "$tmp/err"; ok=0
  fi
  [ "$got" = "$want" ] || { echo "FAIL $name: exit $got, expected $want"; ok=0; }
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done < tests/golden/LIST
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
