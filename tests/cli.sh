#!/usr/bin/env bash
# cli.sh VOIPDIAG — the command line's promises: exit statuses, error sentences, gzip and stdin
# inputs giving the same analysis as the plain file, filters, output files.
set -uo pipefail
bin=$1
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
check() {  # check NAME EXPECTED-EXIT STDERR-PATTERN -- ARGS...
  local name=$1 want=$2 pat=$3; shift 4
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL $name: exit $got, expected $want ($(head -c 300 "$tmp/err"))"; fail=$((fail + 1)); return
  fi
  if [ -n "$pat" ] && ! grep -qE "$pat" "$tmp/err"; then
    echo "FAIL $name: stderr lacks /$pat/: $(head -c 300 "$tmp/err")"; fail=$((fail + 1)); return
  fi
  pass=$((pass + 1))
}
same() {  # same NAME FILE-A FILE-B: two JSON reports agree except for the captures' names
  if diff <(jq 'del(.captures[].file, .captures[].gzip)' "$2") <(jq 'del(.captures[].file, .captures[].gzip)' "$3") >/dev/null; then
    pass=$((pass + 1))
  else
    echo "FAIL $1: reports differ"; fail=$((fail + 1))
  fi
}

cap=captures/tcp-reassembly.pcap
check no-args 2 "missing command" --
check help 0 "" -- --help
grep -q "exit status" "$tmp/out" && pass=$((pass + 1)) || { echo "FAIL help: no exit status text"; fail=$((fail + 1)); }
check version 0 "" -- --version
check unknown-command 2 "unknown command" -- frobnicate
check no-files 2 "at least one capture" -- analyze
check bad-option 2 "" -- analyze --no-such-option $cap
check bad-max-flows 2 "max-flows" -- analyze --max-flows abc $cap
check live-no-iface 2 "needs -i" -- live
check missing-file 3 "cannot open capture .*No such file" -- analyze "$tmp/none.pcap"
check directory 3 "" -- analyze captures
check not-a-capture 3 "not a pcap or pcapng capture" -- analyze README.md
: >"$tmp/empty.pcap"
check empty-file 3 "" -- analyze "$tmp/empty.pcap"
check bad-filter 3 "filter" -- analyze -f "udp and and" $cap
check truncated 4 "ends inside frame" -- analyze captures/truncated.pcap
grep -q "capture.truncated" "$tmp/out" && pass=$((pass + 1)) || { echo "FAIL truncated: no report"; fail=$((fail + 1)); }

# gzip and stdin give the same analysis as the plain file
"$bin" analyze --json $cap >"$tmp/plain.json"
gzip -c $cap >"$tmp/c.pcap.gz"
check gzip 0 "" -- analyze --json -o "$tmp/gz.json" "$tmp/c.pcap.gz"
same gzip-same "$tmp/plain.json" "$tmp/gz.json"
jq -e '.captures[0].gzip == true' "$tmp/gz.json" >/dev/null && pass=$((pass + 1)) || { echo "FAIL gzip flag"; fail=$((fail + 1)); }
"$bin" analyze --json - <$cap >"$tmp/stdin.json" 2>"$tmp/err"
same stdin-same "$tmp/plain.json" "$tmp/stdin.json"
"$bin" analyze --json - <"$tmp/c.pcap.gz" >"$tmp/stdin-gz.json" 2>"$tmp/err"
same stdin-gzip-same "$tmp/plain.json" "$tmp/stdin-gz.json"
if command -v editcap >/dev/null; then
  editcap -F pcapng $cap "$tmp/c.pcapng"
  "$bin" analyze --json "$tmp/c.pcapng" >"$tmp/ng.json"
  same pcapng-same "$tmp/plain.json" "$tmp/ng.json"
fi

# a filter keeps the file's own frame numbers
"$bin" analyze --json -f "tcp port 443" $cap >"$tmp/f.json"
first=$(jq '[.flows.list[] | .first_frame] | min' "$tmp/f.json")
want=$(tshark -r $cap -Y "tcp.port == 443" -T fields -e frame.number 2>/dev/null | head -1)
if [ -z "$want" ] || [ "$first" = "$want" ]; then pass=$((pass + 1)); else echo "FAIL filter frames: $first vs tshark $want"; fail=$((fail + 1)); fi

# merged inputs: both files' frames, one timeline
"$bin" analyze --json captures/merge-lan.pcap captures/merge-wan.pcap >"$tmp/m.json"
n=$(jq '.packets == (.captures | map(.packets) | add) and (.captures | length) == 2' "$tmp/m.json")
[ "$n" = true ] && pass=$((pass + 1)) || { echo "FAIL merge counts"; fail=$((fail + 1)); }

# NO_COLOR and a pipe give no escape codes; --color always does
"$bin" analyze --color always $cap | grep -q $'\033\[' && pass=$((pass + 1)) || { echo "FAIL color always"; fail=$((fail + 1)); }
"$bin" analyze $cap | grep -q $'\033\[' && { echo "FAIL colour on a pipe"; fail=$((fail + 1)); } || pass=$((pass + 1))

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
