#!/usr/bin/env bash
# batch.sh VOIPDIAG [--postgres] — `voipdiag batch` on a directory mixing good, truncated,
# corrupt, gzipped and non-capture files: every good one analysed, every bad one reported,
# summary (text, CSV, JSON) correct, exit status = worst verdict, a second run skips all (index
# and output), --force analyses again, --query is read-only.
# --postgres: the same index in a PostgreSQL server this test starts on loopback (initdb as an
# unprivileged user into a temp dir), two batches in parallel against it; 77 without postgres.
set -uo pipefail
bin=$(realpath "$1"); mode=${2:-sqlite}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); chmod 755 "$tmp"
pgbin=""; pgdata=""; pguser=nobody
cleanup() {
  if [ -n "$pgdata" ] && [ -f "$pgdata/postmaster.pid" ]; then
    runuser -u "$pguser" -- "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
expect() { [ "$2" = "$3" ] && ok || bad "$1: got '$2', expected '$3'"; }

# The inputs: good captures (one twice under an unsafe name), a truncated one, a corrupt one,
# a gzipped one with a misleading name, a non-capture and a nested directory.
in=$tmp/in; mkdir -p "$in/sub"
cp captures/icmp-unreachable.pcap captures/tcp-reassembly.pcap "$in/"
cp captures/hostile.pcap "$in/sub/icmp-unreachable.pcap"        # same base name: disambiguated
head -c 2000 captures/ipfrag.pcap >"$in/cut.pcap"
printf '\xd4\xc3\xb2\xa1 not really a capture' >"$in/corrupt.pcap"
gzip -c captures/tunnels.pcap >"$in/tunnels.bin"              # recognised by content
echo "call notes" >"$in/notes.txt"
n_in=7

if [ "$mode" = "--postgres" ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ] || [ "$(id -u)" != 0 ]; then
    echo "SKIP: postgres binaries absent or not root (scripts/setup.sh installs them)"; exit 77
  fi
  pgdata=$tmp/pg; sock=$tmp/pgsock; mkdir -p "$pgdata" "$sock"; chown "$pguser" "$pgdata" "$sock"
  port=$(( 20000 + RANDOM % 20000 ))
  runuser -u "$pguser" -- "$pgbin/initdb" -D "$pgdata" -U vd -A trust >"$tmp/initdb.log" 2>&1 ||
    { cat "$tmp/initdb.log"; bad "initdb"; exit 1; }
  runuser -u "$pguser" -- "$pgbin/pg_ctl" -D "$pgdata" -l "$sock/pg.log" -w -t 60 \
    -o "-k $sock -p $port -c listen_addresses=127.0.0.1" start >/dev/null ||
    { cat "$sock/pg.log"; bad "pg_ctl start"; exit 1; }
  db="postgresql://vd@127.0.0.1:$port/postgres"
  psql() { "$pgbin/psql" -X -At "$db" -c "$1"; }
  # Two batches in parallel, overlapping on one capture, into the same database.
  mkdir -p "$tmp/a" "$tmp/b"
  cp "$in/icmp-unreachable.pcap" "$in/cut.pcap" "$tmp/a/"
  cp "$in/icmp-unreachable.pcap" "$in/tcp-reassembly.pcap" "$in/tunnels.bin" "$tmp/b/"
  "$bin" batch -j2 --db "$db" --out "$tmp/outa" "$tmp/a" >"$tmp/a.out" 2>&1 & pa=$!
  "$bin" batch -j2 --db "$db" --out "$tmp/outb" "$tmp/b" >"$tmp/b.out" 2>&1 & pb=$!
  wait $pa; sa=$?; wait $pb; sb=$?
  expect "pg batch a exit (FAIL)" "$sa" 6
  expect "pg batch b exit (FAIL)" "$sb" 6
  expect "pg schema version" "$(psql 'SELECT MAX(version) FROM schema_version')" 1
  expect "pg captures rows (4 distinct contents)" "$(psql 'SELECT COUNT(*) FROM captures')" 4
  expect "pg verdict rows" "$(psql 'SELECT COUNT(*) FROM verdicts')" 36
  expect "pg icmp FAILs RTP" "$(psql "SELECT v.verdict FROM verdicts v JOIN captures c ON c.id = v.capture_id WHERE c.name = 'icmp-unreachable.pcap' AND v.requirement = 'RTP'")" FAIL
  [ "$(psql "SELECT COUNT(*) FROM findings")" -gt 5 ] && ok || bad "pg findings rows"
  # Both again, in parallel: everything skipped, nothing rewritten.
  before=$(psql "SELECT string_agg(id::text || analysed_at, '|' ORDER BY id) FROM captures")
  "$bin" batch -j2 --db "$db" --out "$tmp/outa" "$tmp/a" >"$tmp/a2.out" 2>&1 & pa=$!
  "$bin" batch -j2 --db "$db" --out "$tmp/outb" "$tmp/b" >"$tmp/b2.out" 2>&1 & pb=$!
  wait $pa; wait $pb
  grep -q "0 analysed, 2 skipped" "$tmp/a2.out" && ok || bad "pg rerun a skips: $(tail -1 "$tmp/a2.out")"
  grep -q "0 analysed, 3 skipped" "$tmp/b2.out" && ok || bad "pg rerun b skips: $(tail -1 "$tmp/b2.out")"
  expect "pg rows untouched by the rerun" "$(psql "SELECT string_agg(id::text || analysed_at, '|' ORDER BY id) FROM captures")" "$before"
  out=$("$bin" batch --db "$db" --query failing --since 1d 2>&1)
  echo "$out" | grep -q "^RTP	1$" && ok || bad "pg named query failing: $out"
  "$bin" batch --db "$db" --query "DELETE FROM captures" >/dev/null 2>&1
  expect "pg --query refuses writes" "$(psql 'SELECT COUNT(*) FROM captures')" 4
  runuser -u "$pguser" -- "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null || bad "pg stop"
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]; exit
fi

out=$tmp/out
"$bin" batch -j 3 --out "$out" "$in" >"$tmp/run1.out" 2>"$tmp/run1.err"
expect "exit status (unreadable inputs are worst)" $? 3
for f in icmp-unreachable.pcap icmp-unreachable.pcap-2 tcp-reassembly.pcap tunnels.bin cut.pcap; do
  [ -s "$out/$f.json" ] && jq -e '.schema_version == 1' "$out/$f.json" >/dev/null && ok || bad "report $f.json"
  [ -s "$out/$f.txt" ] && ok || bad "report $f.txt"
done
[ ! -e "$out/notes.txt.json" ] && [ ! -e "$out/corrupt.pcap.json" ] && ok || bad "reports for bad inputs"
ls -A "$out" | grep -q '^\.' && bad "outcome files left behind" || ok
grep -q "not a capture" "$tmp/run1.err" && ok || bad "non-capture not reported on stderr"
grep -q "capture .*corrupt.pcap" "$tmp/run1.err" && ok || bad "corrupt file not reported"
sj=$out/summary.json
expect "summary rows" "$(jq '.captures | length' "$sj")" $n_in
expect "summary exit status" "$(jq '.exit_status' "$sj")" 3
expect "summary order" "$(jq -r '[.captures[].status] | join(",")' "$sj")" \
  "UNREADABLE,UNREADABLE,FAIL,WARN,WARN,WARN,CUT_SHORT"
expect "tunnels gz analysed" "$(jq '.captures[] | select(.capture == "tunnels.bin") | .packets' "$sj")" \
  "$(jq .packets "$out/tunnels.bin.json")"
expect "icmp failing" "$(jq -r '.captures[] | select(.capture == "icmp-unreachable.pcap") | .failing' "$sj")" \
  "$(jq -r '[.requirements[] | select(.verdict == "FAIL") | .id] | join(",")' "$out/icmp-unreachable.pcap.json")"
expect "cut short error" "$(jq -r '.captures[] | select(.capture == "cut.pcap") | .error | test("ends inside frame")' "$sj")" true
expect "csv lines" "$(wc -l <"$out/summary.csv")" $((n_in + 1))
grep -q "^FAIL,\"icmp-unreachable.pcap\"" "$out/summary.csv" && ok || bad "csv FAIL row"
grep -q "7 captures: 1 FAIL, 3 WARN, 0 PASS, 1 cut short, 2 unreadable; 7 analysed, 0 skipped" \
  "$tmp/run1.out" && ok || bad "text summary: $(tail -1 "$tmp/run1.out")"
db=$out/voipdiag.db
q() { sqlite3 "$db" "$1"; }
expect "schema version" "$(q 'SELECT MAX(version) FROM schema_version')" 1
expect "indexed captures" "$(q 'SELECT COUNT(*) FROM captures')" $n_in
expect "verdict rows" "$(q 'SELECT COUNT(*) FROM verdicts')" 45
expect "findings of icmp" "$(q "SELECT COUNT(*) FROM findings f JOIN captures c ON c.id = f.capture_id WHERE c.name = 'icmp-unreachable.pcap'")" \
  "$(jq '.findings | length' "$out/icmp-unreachable.pcap.json")"
stamp=$(q 'SELECT group_concat(id || analysed_at) FROM captures')

# Second run: everything skipped (same content, tool and profile), same summary and status.
sleep 1
"$bin" batch -j 3 --out "$out" "$in" >"$tmp/run2.out" 2>/dev/null
expect "second run exit" $? 3
grep -q "7 analysed\|0 analysed, 7 skipped" "$tmp/run2.out" && grep -q "0 analysed, 7 skipped" "$tmp/run2.out" && ok ||
  bad "second run did not skip: $(tail -1 "$tmp/run2.out")"
expect "index untouched" "$(q 'SELECT group_concat(id || analysed_at) FROM captures')" "$stamp"
expect "skipped flags" "$(jq '[.captures[] | select(.skipped)] | length' "$sj")" $n_in
expect "second summary order" "$(jq -r '[.captures[].status] | join(",")' "$sj")" \
  "UNREADABLE,UNREADABLE,FAIL,WARN,WARN,WARN,CUT_SHORT"
# A changed profile is a different analysis: analysed again.
cp scripts/profiles/default.ini "$tmp/p.ini" 2>/dev/null && echo "; changed" >>"$tmp/p.ini" &&
  "$bin" batch --profile "$tmp/p.ini" --out "$out" "$in/tcp-reassembly.pcap" >"$tmp/run3.out" 2>&1
grep -q "1 analysed, 0 skipped" "$tmp/run3.out" && ok || bad "new profile not re-analysed: $(tail -3 "$tmp/run3.out")"
"$bin" batch --force --out "$out" "$in/icmp-unreachable.pcap" >"$tmp/run4.out" 2>&1
expect "--force exit (FAIL)" $? 6
grep -q "1 analysed, 0 skipped" "$tmp/run4.out" && ok || bad "--force did not re-analyse"
# Only good captures: worst verdict decides.
"$bin" batch --out "$tmp/out5" "$in/tcp-reassembly.pcap" >/dev/null 2>&1
expect "WARN exit" $? 5
# Queries: named, SQL, and writes refused.
"$bin" batch --out "$out" --query failing --since 7d >"$tmp/q1" 2>&1
grep -q "^HTTPS	1$" "$tmp/q1" && ok || bad "named query: $(cat "$tmp/q1")"
"$bin" batch --out "$out" --query "SELECT COUNT(*) AS n FROM captures WHERE status = 'UNREADABLE'" >"$tmp/q2"
expect "SQL query" "$(tail -1 "$tmp/q2")" 2
"$bin" batch --out "$out" --query "DELETE FROM captures" >/dev/null 2>&1
expect "write query refused" $? 3
expect "rows after refused write" "$(q 'SELECT COUNT(*) FROM captures')" $((n_in + 1))
"$bin" batch --out "$out" --query no-such-query >/dev/null 2>&1
expect "unknown named query" $? 3
"$bin" batch >/dev/null 2>&1
expect "batch without inputs" $? 2

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
