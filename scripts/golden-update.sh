#!/usr/bin/env bash
# golden-update.sh NAME... | --all — rewrite the named golden outputs from the current build
# and show what changed. Review the diff before committing: goldens are user-visible results.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VOIPDIAG:-build/voipdiag}
export TZ=UTC LC_ALL=C NO_COLOR=1
[ $# -gt 0 ] || { echo "usage: $0 NAME... | --all" >&2; exit 2; }
while read -r name want args; do
  case "$name" in ''|'#'*) continue ;; esac
  if [ "$1" != "--all" ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
  set +e
  # shellcheck disable=SC2086
  "$bin" analyze $args >"tests/golden/$name.out" 2>"tests/golden/$name.err"
  got=$?
  set -e
  [ -s "tests/golden/$name.err" ] || rm -f "tests/golden/$name.err"
  [ "$got" = "$want" ] || echo "WARNING $name: exit $got, LIST expects $want"
  echo "updated $name"
done < tests/golden/LIST
git --no-pager diff --stat -- tests/golden/ || true
