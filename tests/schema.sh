#!/usr/bin/env bash
# schema.sh VOIPDIAG — validate the JSON report of every capture in captures/ (one at a time, and
# the two-point pairs merged), and of the public corpus when present (../shared/corpus), against
# scripts/voipdiag-report.schema.json (Draft 2020-12) with python3-jsonschema.
# Exit 0 all valid, 1 some invalid, 77 python3-jsonschema missing (scripts/setup.sh installs it).
set -uo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
schema=$root/scripts/voipdiag-report.schema.json
corpus=${VOIPDIAG_CORPUS:-$root/../shared/corpus}

# Debian's python3-jsonschema lives under /usr/bin/python3; a pyenv python3 may shadow it.
py=""
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import jsonschema; jsonschema.Draft202012Validator' 2>/dev/null; then py=$p; break; fi
done
[ -n "$py" ] || { echo "schema: python3-jsonschema missing, skipped"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
run() {  # run NAME ARGS...: write the JSON report of ARGS to $tmp/NAME.json
  n=$((n + 1))
  "$bin" analyze --json "$@" >"$tmp/$n.json" 2>/dev/null
  local rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 4 ]; then
    echo "FAIL $*: exit $rc"; rm -f "$tmp/$n.json"; return 1
  fi
  echo "$*" >"$tmp/$n.name"
}
bad=0
cd "$root"
for f in captures/*.pcap captures/*.pcapng captures/*.gz; do
  [ -f "$f" ] && { run "$f" || bad=1; }
done
run captures/alg-pair-lan.pcap captures/alg-pair-wan.pcap || bad=1
run captures/merge-lan.pcap captures/merge-wan.pcap || bad=1
if [ -f "$corpus/MANIFEST.tsv" ]; then
  while IFS=$'\t' read -r file _; do
    case $file in ''|\#*) continue ;; esac
    [ -f "$corpus/$file" ] && { run "$corpus/$file" || bad=1; }
  done <"$corpus/MANIFEST.tsv"
fi

"$py" - "$schema" "$tmp" <<'PY' || bad=1
import glob, json, os, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
files = sorted(glob.glob(os.path.join(sys.argv[2], "*.json")))
bad = 0
for f in files:
    name = open(f[:-5] + ".name").read().strip()
    errs = sorted(v.iter_errors(json.load(open(f))), key=lambda e: list(e.path))
    for e in errs[:5]:
        print("INVALID %s: %s: %s" % (name, "/".join(map(str, e.path)), e.message[:200]))
    bad += bool(errs)
print("schema: %d reports, %d invalid" % (len(files), bad))
sys.exit(1 if bad else 0)
PY
exit $bad
