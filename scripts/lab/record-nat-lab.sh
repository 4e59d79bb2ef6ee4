#!/usr/bin/env bash
# record-nat-lab.sh — record the NAT keep-alive lab captures (issue 5): a real SIPp phone behind
# a real nftables NAT firewall, a registrar in the "cloud" that sends NAT keep-alives and calls
# in, and tcpdump on both sides of the firewall. Everything lives in network namespaces this
# script creates and removes; only documentation / private ranges are used.
#
#   phone 192.168.1.10 ─ p0 ═ f0 ─ fw 192.168.1.1 | 198.51.100.2 ─ f1 ═ c0 ─ cloud 198.51.100.1
#   (LAN capture on p0)                     (WAN capture on f1)       registrar 203.0.113.10
#
# usage: scripts/lab/record-nat-lab.sh OUTDIR [SCENARIO...]      (root; needs sipp, tcpdump,
#        nft, python3). Default: all four. Writes OUTDIR/nat-lab-SCENARIO-lan.pcap and -wan.pcap.
#  healthy  conntrack UDP time-out 6 s, cloud keep-alive every 2 s, REGISTER every 10 s, an
#           incoming INVITE at +15 s answered 486 by the phone; 30 s       → NAT PASS
#  short    time-out 2 s vs keep-alive 3 s: inbound keep-alives dropped once the binding
#           expired, the INVITE at +8 s lost, each re-REGISTER gets a new NAT port (fully-random
#           masquerade) — rebinding; 30 s                                  → NAT FAIL
#  drop     time-out 30 s, keep-alive 2 s, the firewall drops inbound 4-byte UDP payloads
#           (the CRLFCRLF keep-alives); the INVITE at +15 s gets through; 30 s → NAT FAIL
#  real     real scale: time-out 120 s, keep-alive 30 s, REGISTER every 45 s, INVITE at +50 s;
#           100 s                                                         → NAT PASS
# Nothing leaves the machine; namespaces, processes and temporary files go on exit.
set -euo pipefail
out=${1:?usage: $0 OUTDIR [healthy|short|drop|real]...}
shift
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
scen=("$@")
[ ${#scen[@]} -gt 0 ] || scen=(healthy short drop real)
tag=vdn$$
P=$tag-phone F=$tag-fw C=$tag-cloud
pids=()
work=$(mktemp -d)

stop_all() {
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
}
teardown() {
    for n in $P $F $C; do ip netns del "$n" 2>/dev/null || true; done
}
cleanup() {
    stop_all
    teardown
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

nsx() { local n=$1; shift; ip netns exec "$n" "$@"; }

# $1 UDP conntrack time-out (s), $2 extra forward rules (before the established accept)
setup() {
    local timeout=$1 extra=$2
    for n in $P $F $C; do ip netns add "$n"; nsx "$n" ip link set lo up; done
    ip link add p0 netns $P type veth peer name f0 netns $F
    ip link add f1 netns $F type veth peer name c0 netns $C
    for pair in "$P p0" "$F f0" "$F f1" "$C c0"; do
        # shellcheck disable=SC2086
        set -- $pair
        nsx "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
        nsx "$1" ethtool -K "$2" tx off rx off >/dev/null 2>&1 || true
        nsx "$1" ip link set "$2" up
    done
    for n in $P $F $C; do nsx "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
    nsx $P ip addr add 192.168.1.10/24 dev p0
    nsx $P ip route add default via 192.168.1.1
    nsx $F ip addr add 192.168.1.1/24 dev f0
    nsx $F ip addr add 198.51.100.2/24 dev f1
    nsx $F ip route add 203.0.113.0/24 via 198.51.100.1
    nsx $F sysctl -qw net.ipv4.ip_forward=1
    nsx $C ip addr add 198.51.100.1/24 dev c0
    nsx $C ip addr add 203.0.113.10/32 dev lo
    nsx $F sysctl -qw net.netfilter.nf_conntrack_udp_timeout="$timeout"
    nsx $F sysctl -qw net.netfilter.nf_conntrack_udp_timeout_stream="$timeout"
    nsx $F nft -f - <<NFT
table ip lab {
  chain nat_post { type nat hook postrouting priority srcnat; policy accept;
    oifname "f1" masquerade fully-random
  }
  chain filter_fwd { type filter hook forward priority filter; policy drop;
$extra
    ct state established,related accept
    iifname "f0" oifname "f1" accept
  }
  chain filter_in { type filter hook input priority filter; policy accept;
    iifname "f1" meta l4proto udp drop
  }
}
NFT
}

# $1 name, $2 time-out, $3 keep-alive, $4 first keep-alive, $5 refresh (s), $6 INVITE at,
# $7 duration (s), $8 extra forward rules
run() {
    local name=$1 lan=$out/nat-lab-$1-lan.pcap wan=$out/nat-lab-$1-wan.pcap
    setup "$2" "$8"
    nsx $P tcpdump -Z root -i p0 -U -s 0 -w "$lan" udp >"$work/td-lan.log" 2>&1 & pids+=($!)
    nsx $F tcpdump -Z root -i f1 -U -s 0 -w "$wan" udp >"$work/td-wan.log" 2>&1 & pids+=($!)
    sleep 1
    nsx $C python3 "$here/nat/cloud.py" --bind 203.0.113.10:5060 --ka "$3" --ka-offset "$4" \
        --invite-at "$6" --duration "$(($7 + 1))" --log "$work/cloud-$name.log" & pids+=($!)
    sleep 0.5
    # The phone: REGISTER, then refresh every $5 s; answers an incoming INVITE (-oocsf). Stopped
    # by this script after $7 s (no BYE on the way out: -default_behaviors all,-bye).
    (cd "$work" && exec ip netns exec $P sipp 203.0.113.10:5060 -sf "$here/nat/phone-register.xml" \
        -oocsf "$here/nat/phone-answer.xml" -i 192.168.1.10 -p 5060 -s 100 -m 1 -l 1 \
        -d "$(($5 * 1000))" -default_behaviors all,-bye -nostdin -trace_err \
        >"$work/sipp-$name.log" 2>&1) & pids+=($!)
    sleep "$7"
    nsx $F nft list ruleset >"$work/nft-$name.txt" 2>&1 || true
    stop_all
    teardown
    echo "$name: LAN $(tcpdump -r "$lan" 2>/dev/null | wc -l) frames, WAN" \
        "$(tcpdump -r "$wan" 2>/dev/null | wc -l) frames → $lan, $wan"
    sed 's/^/  cloud: /' "$work/cloud-$name.log"
    grep -h 'counter packets [1-9]' "$work/nft-$name.txt" | sed 's/^ */  nft: /' || true
}

for s in "${scen[@]}"; do
    case $s in
    healthy) run healthy 6 2 1 10 15 30 "" ;;
    short) run short 2 3 1.5 10 8 30 "" ;;
    drop) run drop 30 2 1 10 15 30 '    iifname "f1" udp length 12 counter drop' ;;
    real) run real 120 30 5 45 50 100 "" ;;
    *) echo "unknown scenario $s (healthy|short|drop|real)" >&2; exit 2 ;;
    esac
done
