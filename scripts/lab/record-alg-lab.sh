#!/usr/bin/env bash
# record-alg-lab.sh — record the SIP ALG lab captures (issue 6): a real SIPp phone behind a real
# nftables NAT firewall running the Linux kernel's own SIP ALG (nf_conntrack_sip + nf_nat_sip,
# attached with an nftables `ct helper`), a registrar and a callee in the "cloud", and tcpdump on
# both sides of the firewall plus `tcpdump -i any` inside it. Everything lives in network
# namespaces this script creates and removes; only documentation / private ranges are used.
#
#   phone 192.168.1.10 ─ p0 ═ f0 ─ fw 192.168.1.1 | 198.51.100.2 ─ f1 ═ c0 ─ cloud 198.51.100.1
#   (LAN capture on p0)     (-i any in the fw: SLL2)   (WAN capture on f1)  registrar 203.0.113.5
#                                                                           callee    203.0.113.6
# The NAT is pinned (snat to 198.51.100.2:40001) so the mapping is known and port rewrites show.
#
# usage: scripts/lab/record-alg-lab.sh OUTDIR [alg|noalg]...   (root; needs sipp, tcpdump, nft)
#  alg    SIP helper attached to udp dport 5060: the ALG rewrites   → OUTDIR/alg-lab-{lan,wan,any}.pcap
#  noalg  the same NAT without the helper (must-not-fire control)  → OUTDIR/noalg-lab-{lan,wan}.pcap
# Each: the phone REGISTERs (200 with received=/rport=), then calls the callee: INVITE with SDP,
# 100, 180, 200 with SDP, ACK, 1 s of PCMA from the phone echoed back by the callee (symmetric
# RTP), BYE, 200. Default: both scenarios.
# Nothing leaves the machine; namespaces, processes and temporary files go on exit.
set -euo pipefail
out=${1:?usage: $0 OUTDIR [alg|noalg]...}
shift
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)/alg
scen=("$@")
[ ${#scen[@]} -gt 0 ] || scen=(alg noalg)
tag=vda$$
P=$tag-phone F=$tag-fw C=$tag-cloud
NAT=198.51.100.2 NATPORT=40001
pids=()
work=$(mktemp -d)
editcap -r /usr/share/sip-tester/g711a.pcap "$work/g711a-1s.pcap" 1-50 >/dev/null

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

# $1: "helper" to attach the kernel SIP ALG, anything else for plain NAT.
setup() {
    local helper=$1 attach=""
    for n in $P $F $C; do ip netns add "$n"; nsx "$n" ip link set lo up; done
    ip link add p0 netns $P type veth peer name f0 netns $F
    ip link add f1 netns $F type veth peer name c0 netns $C
    for n in $P $F $C; do nsx "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
    for pair in "$P p0" "$F f0" "$F f1" "$C c0"; do
        # shellcheck disable=SC2086
        set -- $pair
        nsx "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
        nsx "$1" ethtool -K "$2" tx off rx off >/dev/null 2>&1 || true
        nsx "$1" ip link set "$2" up
    done
    nsx $P ip addr add 192.168.1.10/24 dev p0
    nsx $P ip route add default via 192.168.1.1
    nsx $F ip addr add 192.168.1.1/24 dev f0
    nsx $F ip addr add $NAT/24 dev f1
    nsx $F ip route add 203.0.113.0/24 via 198.51.100.1
    nsx $F sysctl -qw net.ipv4.ip_forward=1
    nsx $C ip addr add 198.51.100.1/24 dev c0
    nsx $C ip addr add 203.0.113.5/32 dev lo
    nsx $C ip addr add 203.0.113.6/32 dev lo
    [ "$helper" = helper ] && attach='udp dport 5060 ct helper set "sip-5060"'
    nsx $F nft -f - <<NFT
table ip lab {
  ct helper sip-5060 { type "sip" protocol udp; }
  chain pre { type filter hook prerouting priority filter; policy accept;
    $attach
  }
  chain nat_post { type nat hook postrouting priority srcnat; policy accept;
    oifname "f1" ip saddr 192.168.1.10 udp sport 5060 snat ip to $NAT:$NATPORT
    oifname "f1" masquerade
  }
  chain filter_fwd { type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "f0" oifname "f1" accept
  }
}
NFT
}

# Start tcpdump in namespace $1 on interface $2 into file $3 and wait until it listens.
capture() {
    nsx "$1" tcpdump -Z root -i "$2" -U -s 0 -w "$3" udp >"$work/td-$(basename "$3").log" 2>&1 &
    pids+=($!)
    for _ in $(seq 50); do
        grep -q 'listening on' "$work/td-$(basename "$3").log" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "tcpdump on $2 did not start" >&2
    return 1
}

# $1 scenario name (file prefix), $2 "helper" or "none", $3 also capture -i any (1/0)
run() {
    local name=$1 lan=$out/$1-lab-lan.pcap wan=$out/$1-lab-wan.pcap any=$out/$1-lab-any.pcap
    setup "$2"
    capture $P p0 "$lan"
    capture $F f1 "$wan"
    [ "$3" = 1 ] && capture $F any "$any"
    sleep 0.5
    (cd "$work" && exec ip netns exec $C sipp -sf "$here/registrar.xml" -i 203.0.113.5 -p 5060 \
        -set nat $NAT -set natport $NATPORT -m 1 -nostdin -trace_err \
        -error_file "$work/reg-$name.err" >"$work/reg-$name.log" 2>&1) & pids+=($!)
    (cd "$work" && exec ip netns exec $C sipp -sf "$here/callee.xml" -i 203.0.113.6 -p 5060 \
        -set nat $NAT -set natport $NATPORT -s 200 -mp 30000 -rtp_echo -m 1 -nostdin -trace_err \
        -error_file "$work/callee-$name.err" >"$work/callee-$name.log" 2>&1) & pids+=($!)
    sleep 0.5
    local rc=0
    (cd "$work" && exec ip netns exec $P sipp 203.0.113.5:5060 -sf "$here/phone-register.xml" \
        -i 192.168.1.10 -p 5060 -s 100 -m 1 -timeout 10s -nostdin -trace_err \
        -error_file "$work/phone-reg-$name.err" >"$work/phone-reg-$name.log" 2>&1) || rc=1
    sleep 0.5
    (cd "$work" && exec ip netns exec $P sipp 203.0.113.6:5060 -sf "$here/phone-call.xml" \
        -i 192.168.1.10 -p 5060 -s 200 -mp 16384 -m 1 -timeout 10s -nostdin -trace_err \
        -error_file "$work/phone-call-$name.err" >"$work/phone-call-$name.log" 2>&1) || rc=1
    sleep 1
    nsx $F conntrack -L -p udp >"$work/ct-$name.txt" 2>&1 || true
    stop_all
    teardown
    [ $rc = 0 ] || { echo "$name: a SIPp phone run failed:" >&2; cat "$work"/*.err >&2 || true; }
    echo "$name: LAN $(tcpdump -r "$lan" 2>/dev/null | wc -l) frames, WAN" \
        "$(tcpdump -r "$wan" 2>/dev/null | wc -l) frames → $lan, $wan"
    [ "$3" = 1 ] && echo "$name: any $(tcpdump -r "$any" 2>/dev/null | wc -l) frames → $any"
    sed 's/^/  conntrack: /' "$work/ct-$name.txt"
    return $rc
}

for s in "${scen[@]}"; do
    case $s in
    alg) run alg helper 1 ;;
    noalg) run noalg none 0 ;;
    *) echo "unknown scenario $s (alg|noalg)" >&2; exit 2 ;;
    esac
done
