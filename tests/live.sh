#!/usr/bin/env bash
# live.sh VOIPDIAG — `voipdiag live` on one end of a veth pair (in a network namespace this test
# creates, no addresses: layer 2 only, nothing leaves it) while tcpreplay replays a capture into
# the other end: the findings streamed as JSON lines, and the final report's, equal those of
# `voipdiag analyze` on the same capture (names and counts; frame numbers may differ); the
# process runs as nobody once the interface is open; SIGHUP reopens the JSON lines file; a
# finding is streamed as soon as it is certain, while the capture still runs.
# 77 when not root or without tcpreplay / network namespaces.
set -uo pipefail
bin=$(realpath "$1")
cd "$(dirname "$0")/.."
cap=${LIVE_CAPTURE:-captures/icmp-unreachable.pcap}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root for a network namespace"; exit 77; }
command -v tcpreplay >/dev/null || { echo "SKIP: tcpreplay missing (scripts/setup.sh)"; exit 77; }
ns=vdlive$$
tmp=$(mktemp -d); chmod 755 "$tmp"; mkdir -m 1777 "$tmp/w"
pid=""
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$ns" || { echo "SKIP: cannot create a network namespace"; exit 77; }
nsx() { ip netns exec "$ns" "$@"; }
nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
nsx ip link add vdtx type veth peer name vdrx
nsx ip link set vdtx up; nsx ip link set vdrx up
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

"$bin" analyze --json "$cap" >"$tmp/file.json"
frames=$(jq .packets "$tmp/file.json")
# LeakSanitizer cannot stop a process that gave up root: leaks are checked by the file tests.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
ip netns exec "$ns" "$bin" live -i vdrx --promisc -c "$frames" --jsonl "$tmp/w/f.jsonl" --status 1 --json \
  -o "$tmp/w/live.json" 2>"$tmp/live.err" &
pid=$!
for _ in $(seq 50); do  # wait until the interface is open and root is gone
  uid=$(awk '/^Uid:/ {print $2 "," $3 "," $4}' "/proc/$pid/status" 2>/dev/null)
  [ "$uid" = "65534,65534,65534" ] && break
  sleep 0.1
done
[ "$uid" = "65534,65534,65534" ] && ok || bad "uid after open: '$uid' (expected nobody's 65534)"
grep -q "^CapEff:.*0000000000000000" "/proc/$pid/status" && ok || bad "capabilities kept"
mv "$tmp/w/f.jsonl" "$tmp/w/f.jsonl.1"  # rotate, then SIGHUP: new lines go to a new file
kill -HUP "$pid"; sleep 1.2
nsx tcpreplay -q -i vdtx "$cap" >"$tmp/replay.log" 2>&1 || bad "tcpreplay: $(cat "$tmp/replay.log")"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -INT "$pid" 2>/dev/null
wait "$pid"; st=$?; pid=""
[ "$st" = 0 ] && ok || bad "live exit status $st: $(tail -3 "$tmp/live.err")"
expect_same() {  # NAME A B
  [ "$2" = "$3" ] && ok || { bad "$1 differ"; diff <(echo "$2") <(echo "$3") | head -10; }
}
names() { jq -r "$1" "$2" | sort | uniq -c; }
want=$(names '.findings[].name' "$tmp/file.json")
expect_same "packets" "$(jq .packets "$tmp/w/live.json")" "$frames"
expect_same "final report findings" "$(names '.findings[].name' "$tmp/w/live.json")" "$want"
[ -s "$tmp/w/f.jsonl" ] && ok || bad "SIGHUP did not reopen the JSON lines file"
expect_same "streamed findings" "$(cat "$tmp/w/f.jsonl.1" "$tmp/w/f.jsonl" | jq -r .name | sort | uniq -c)" "$want"
grep -q "status: .*packets" "$tmp/live.err" && ok || bad "no status line on stderr"
grep -qE " (fail|warn|info) [a-z]+\." "$tmp/live.err" && ok || bad "no human finding lines"

# Findings stream as they become certain (packet time), not at SIGINT: a one-way call (BYE at
# 4.6 s) and, once 2 s of packet time went by after its end, more traffic. The rtp.one_way
# line must be in the JSON lines file while voipdiag is still running, once, and the final
# report must hold the same findings as `voipdiag analyze` of the call's capture (plus the
# later traffic's), nothing twice.
call=captures/rtp-one-way.pcap; later=${LIVE_LATER:-captures/req-ntp-pass.pcap}  # no SIP, no media, no findings
"$bin" analyze --json "$call" >"$tmp/call.json"
"$bin" analyze --json "$later" >"$tmp/later.json"
ip netns exec "$ns" "$bin" live -i vdrx --promisc --jsonl "$tmp/w/s.jsonl" --json \
  -o "$tmp/w/s.json" 2>"$tmp/s.err" &
pid=$!
for _ in $(seq 50); do [ -e "$tmp/w/s.jsonl" ] && break; sleep 0.1; done
sleep 0.5
t0=$(date +%s.%N)
nsx tcpreplay -q -i vdtx "$call" >"$tmp/replay2.log" 2>&1 || bad "tcpreplay: $(cat "$tmp/replay2.log")"
t1=$(date +%s.%N)
before=$(jq -r .name "$tmp/w/s.jsonl" 2>/dev/null | grep -c '^rtp.one_way$')
sleep 2.5   # the BYE's grace of packet time passes; the next frames settle the call
nsx tcpreplay -q -i vdtx "$later" >>"$tmp/replay2.log" 2>&1 &  # 4 frames over 2 s
rpid=$!
seen=""
for _ in $(seq 80); do
  kill -0 "$pid" 2>/dev/null || break
  grep -q '"name":"rtp.one_way"' "$tmp/w/s.jsonl" 2>/dev/null &&
    { seen=$(date +%s.%N); early=$(jq -r .name "$tmp/w/s.jsonl" | sort | tr '\n' ' '); break; }
  sleep 0.1
done
wait "$rpid" || bad "tcpreplay: $(cat "$tmp/replay2.log")"
kill -0 "$pid" 2>/dev/null && ok || bad "live exited before SIGINT"
[ -n "$seen" ] && ok || bad "rtp.one_way not streamed before the capture ended: $(cat "$tmp/w/s.jsonl" 2>/dev/null)"
[ "$before" = 0 ] && ok || bad "rtp.one_way streamed before the call was over"
[ -n "$seen" ] && echo "rtp.one_way streamed $(echo "$seen - $t1" | bc) s after the call's replay" \
  "ended (it took $(echo "$t1 - $t0" | bc) s; 2.5 s pause, then the first later frame settles it);" \
  "streamed while running: $early"
kill -INT "$pid" 2>/dev/null
wait "$pid"; st=$?; pid=""
[ "$st" = 0 ] && ok || bad "live exit status $st: $(tail -3 "$tmp/s.err")"
want=$(jq -r '.findings[].name' "$tmp/call.json" "$tmp/later.json" | sort | uniq -c)
expect_same "final report findings (streaming)" "$(names '.findings[].name' "$tmp/w/s.json")" "$want"
expect_same "streamed findings, each once" "$(jq -r .name "$tmp/w/s.jsonl" | sort | uniq -c)" "$want"

# A user that does not exist stops before capturing.
nsx "$bin" live -i vdrx --user no-such-user-vd -c 1 >/dev/null 2>"$tmp/u.err"
[ $? = 3 ] && grep -q "no user" "$tmp/u.err" && ok || bad "unknown --user: $(cat "$tmp/u.err")"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
