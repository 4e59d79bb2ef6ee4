#!/usr/bin/env bash
# check-captures.sh — captures/ holds exactly what `capgen scenarios` writes, byte for byte.
#
# usage: tests/check-captures.sh CAPGEN_BINARY [--tshark]
#
# Regenerates every scenario into a temporary directory and compares each file with cmp
# against captures/. Fails (exit 1), naming each file, when a generated file differs, when a
# scenario file is missing from captures/, or when captures/ holds a .pcap/.pcapng that no
# scenario writes and captures/README.md does not declare recorded (a line `recorded: FILE`).
# --tshark also asks tshark whether any checksum in the regenerated files is bad (hostile.pcap
# and the overlapping-fragment datagram of ipfrag.pcap are bad on purpose and skipped).
# Exit 0 when all agree, 1 on a mismatch, 2 on a usage error.
set -u

usage() {
    echo "usage: $0 CAPGEN_BINARY [--tshark]" >&2
    exit 2
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    usage
fi
capgen=$1
with_tshark=0
if [ $# -eq 2 ]; then
    [ "$2" = "--tshark" ] || usage
    with_tshark=1
fi
[ -x "$capgen" ] || { echo "check-captures: $capgen is not an executable" >&2; exit 2; }

src=${VOIPDIAG_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
captures=$src/captures
readme=$captures/README.md
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-captures.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# Files captures/README.md declares recorded (from real runs, not generated), one per line.
recorded() {
    [ -f "$readme" ] || return 0
    # shellcheck disable=SC2016 # the backquotes are literal Markdown
    sed -n 's/^recorded:[[:space:]]*`\{0,1\}\([^`[:space:]]*\)`\{0,1\}[[:space:]]*$/\1/p' "$readme"
}

# Regenerate and compare; report every problem, then fail once.
check_generated() {
    local f name bad=0
    if ! "$capgen" scenarios "$tmp/gen" > "$tmp/capgen.log" 2>&1; then
        echo "FAIL capgen scenarios failed:" >&2
        cat "$tmp/capgen.log" >&2
        return 1
    fi
    for f in "$tmp/gen"/*; do
        name=$(basename "$f")
        if [ ! -e "$captures/$name" ]; then
            echo "FAIL $name: generated but missing from captures/ (run: capgen scenarios captures/)"
            bad=1
        elif ! cmp -s "$f" "$captures/$name"; then
            echo "FAIL $name: captures/$name differs from what capgen writes now"
            cmp "$f" "$captures/$name" 2>&1 | sed 's/^/     /'
            bad=1
        fi
    done
    return $bad
}

# Every .pcap/.pcapng in captures/ must be generated or declared recorded.
check_strays() {
    local f name bad=0 rec
    rec=$(recorded)
    for f in "$captures"/*.pcap "$captures"/*.pcapng; do
        [ -e "$f" ] || continue
        name=$(basename "$f")
        [ -e "$tmp/gen/$name" ] && continue
        if printf '%s\n' "$rec" | grep -qxF -- "$name"; then
            continue
        fi
        echo "FAIL $name: in captures/ but no scenario writes it and README.md does not" \
            "declare it (add a line 'recorded: $name')"
        bad=1
    done
    for name in $rec; do
        [ -e "$captures/$name" ] || { echo "FAIL $name: declared recorded but missing"; bad=1; }
    done
    return $bad
}

# No bad IP/UDP/TCP/ICMP checksum in the regenerated files (tshark's status 0 is "Bad").
check_checksums() {
    local f name n bad=0
    local filter='(ip.checksum.status==0 || udp.checksum.status==0 || tcp.checksum.status==0
        || icmp.checksum.status==0 || icmpv6.checksum.status==0) && !ip.fragment.overlap.conflict'
    command -v tshark > /dev/null || { echo "SKIP checksums: no tshark"; return 0; }
    for f in "$tmp/gen"/*.pcap; do
        name=$(basename "$f")
        [ "$name" = hostile.pcap ] && continue
        n=$(tshark -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
            -o tcp.check_checksum:TRUE -r "$f" -Y "$filter" 2> /dev/null | wc -l)
        if [ "$n" -ne 0 ]; then
            echo "FAIL $name: $n frame(s) with a bad checksum"
            bad=1
        fi
    done
    return $bad
}

status=0
check_generated || status=1
check_strays || status=1
if [ $with_tshark -eq 1 ]; then
    check_checksums || status=1
fi
if [ $status -eq 0 ]; then
    generated=("$tmp/gen"/*)
    echo "captures: ${#generated[@]} generated files match captures/"
fi
exit $status
