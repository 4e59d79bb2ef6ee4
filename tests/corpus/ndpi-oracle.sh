#!/usr/bin/env bash
# ndpi-oracle.sh VOIPDIAG — voipdiag's flow applications (nDPI 4.2 through track/dpi.c) against
# the classifications nDPI's own test suite expects (../shared/corpus/ntop__nDPI/*.pcap.out,
# written by a newer nDPI's ndpiReader).
#
# For every corpus capture whose .out file names a TeamViewer, NTP, TLS or HTTP flow, the
# capture is analysed with `voipdiag analyze --json` and every flow in scope — nDPI expects one
# of those four protocols (as master or application), or voipdiag says one of them — is matched
# by protocol and unordered endpoints with .flows.list[] (.src/.dst/.app) and the full names
# ("TLS.Google", "NTP") compared. A difference, or a flow on one side only, fails unless
# tests/ndpi-oracle-exceptions.tsv lists it (capture, proto, endpoint, endpoint, expected,
# voipdiag, reason; endpoints as the .out file prints them, in either order). An exception that
# no longer matches anything is reported (stale) and fails too, so the list stays true.
# Prints one line per difference and the agreement figure; exit 0 when nothing unexcused
# differs, 1 otherwise, 77 when the corpus is absent.
set -uo pipefail
bin=${1:?usage: $0 VOIPDIAG}
here=$(cd "$(dirname "$0")" && pwd)
corpus=${VOIPDIAG_CORPUS:-$here/../../../shared/corpus}
exceptions=$here/../ndpi-oracle-exceptions.tsv
[ -d "$corpus/ntop__nDPI" ] || { echo "ndpi-oracle: $corpus/ntop__nDPI absent, skipped"; exit 77; }
command -v python3 > /dev/null || { echo "ndpi-oracle: python3 missing"; exit 1; }
export TZ=UTC LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The captures in scope and voipdiag's JSON for each.
n=0
for out in "$corpus"/ntop__nDPI/*.out; do
    grep -qE '\[proto: [0-9.]+/([^]]*[./])?(TeamViewer|NTP|TLS|HTTP)([.][^]]*)?\]' "$out" ||
        continue
    cap=${out%.out}
    cap=${cap/__result__/__pcap__}
    [ -f "$cap" ] || { echo "MISSING capture for $(basename "$out")"; continue; }
    "$bin" analyze --json "$cap" > "$work/$(basename "$cap").json" 2> "$work/err" || {
        rc=$?
        # exit 4 = truncated capture: the flows decoded so far still count
        [ "$rc" = 4 ] || { echo "FAIL voipdiag exit $rc on $(basename "$cap")"; cat "$work/err"; }
    }
    printf '%s\t%s\n' "$out" "$work/$(basename "$cap").json" >> "$work/todo"
    n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "ndpi-oracle: no capture in scope"; exit 1; }

python3 - "$work/todo" "$exceptions" <<'PY'
import ipaddress, json, re, sys

SCOPE = {"TeamViewer", "NTP", "TLS", "HTTP"}
FLOW = re.compile(r"^\s*\d+\s+(\w+)\s+(\S+)\s+<?->\s+(\S+)\s+\[proto: [0-9.]+/([^\]]+)\]")

def ep(text):
    """An endpoint "a.b.c.d:p" / "[v6]:p" in one spelling: nDPI prints IPv6 without the
    RFC 5952 "::" compression voipdiag (inet_ntop) uses."""
    addr, _, port = text.rpartition(":")
    try:
        a = ipaddress.ip_address(addr.strip("[]"))
    except ValueError:
        return text
    return (f"[{a.compressed}]" if a.version == 6 else str(a)) + ":" + port

def in_scope(name):
    return bool(SCOPE & set(name.split(".")))

exc = {}
for line in open(sys.argv[2], encoding="utf-8"):
    if not line.strip() or line.startswith("#"):
        continue
    f = line.rstrip("\n").split("\t")
    if len(f) < 7 or not f[6].strip():
        print("BAD exception line (7 tab-separated fields, a reason): " + line.rstrip())
        sys.exit(1)
    exc[(f[0], f[1], frozenset((ep(f[2]), ep(f[3]))))] = [f[4], f[5], False]

total = equal = excused = failed = 0
for line in open(sys.argv[1]):
    out, js = line.rstrip("\n").split("\t")
    cap = out.rsplit("/", 1)[1][: -len(".out")].replace("__result__", "__pcap__")
    expected = {}
    for l in open(out, encoding="utf-8", errors="replace"):
        m = FLOW.match(l)
        if m:
            expected.setdefault((m[1], frozenset((ep(m[2]), ep(m[3])))), []).append(m[4])
    try:
        flows = json.load(open(js))["flows"]["list"]
    except (OSError, ValueError, KeyError):
        flows = []
    got = {}
    for f in flows:
        got.setdefault((f["proto"], frozenset((ep(f["src"]), ep(f["dst"])))), []).append(f["app"])
    for key in sorted(set(expected) | set(got), key=lambda k: (k[0], sorted(k[1]))):
        want, have = expected.get(key, []), got.get(key, [])
        if not any(in_scope(x) for x in want + have):
            continue
        # the same 5-tuple twice (a reused port): compare in order, the shorter side padded
        for i in range(max(len(want), len(have))):
            w = want[i] if i < len(want) else "(no flow)"
            h = have[i] if i < len(have) else "(no flow)"
            if not in_scope(w) and not in_scope(h):
                continue
            total += 1
            if w == h:
                equal += 1
                continue
            e = exc.get((cap, key[0], key[1]))
            a, b = sorted(key[1])
            if e and e[0] == w and e[1] == h:
                e[2] = True
                excused += 1
                continue
            failed += 1
            print(f"DIFF {cap} {key[0]} {a} <-> {b}: nDPI expects {w}, voipdiag says {h}")
for (cap, proto, eps), (w, h, used) in sorted(exc.items(), key=lambda x: (x[0][0], x[0][1], sorted(x[0][2]))):
    if not used:
        failed += 1
        a, b = sorted(eps)
        print(f"STALE exception {cap} {proto} {a} <-> {b} ({w} / {h}): matches nothing now")
pct = 100.0 * equal / total if total else 0.0
print(f"ndpi-oracle: {total} flows in scope, {equal} equal ({pct:.1f}%), {excused} excused "
      f"(nDPI 4.2 vs the newer nDPI), {failed} unexcused")
sys.exit(1 if failed else 0)
PY
