#!/usr/bin/env bash
# record-rtp-lab.sh — record the RTP lab captures (issue 4): a real SIPp call through a real
# nftables NAT firewall, all inside network namespaces this script creates and removes.
#
#   phone 192.168.1.10 ── veth LAN ── fw 192.168.1.1 | 198.51.100.1 (masquerade) ── veth WAN ──
#   cloud 198.51.100.2, SIP/media server 203.0.113.10 on its loopback
#
# usage: scripts/lab/record-rtp-lab.sh OUTDIR [SCENARIO...]   (root; needs sipp, tcpdump,
#        editcap, nft, ip). SCENARIO is healthy, blocked or stopped (default: all three).
# The phone runs rtp/uac-audio.xml.in (INVITE with SDP 192.168.1.10:16000, PCMA played from
# SIPp's own g711a.pcap, BYE); the server runs `sipp -sn uas -rtp_echo -mp 20000`, which echoes
# every RTP packet back to where it came from (the NAT's address: symmetric RTP). No SIP ALG.
#   healthy  3 s of audio, nothing filtered                        → two_way
#   blocked  3 s of audio; the firewall rejects cloud → phone UDP 10000–60000 with ICMP port
#            unreachable                                              → one_way (+ ICMP on WAN)
#   stopped  7 s of audio; 3 s into it an nft drop rule for UDP 10000–60000 both ways imitates
#            a firewall session time-out, SIP goes on, BYE at ~10.5 s → media_stopped
# Writes rtp-lab-SCENARIO-lan.pcap (phone's veth) and rtp-lab-SCENARIO-wan.pcap (cloud's veth),
# both Ethernet, UDP and ICMP only. Nothing leaves the machine: documentation addresses on veth
# pairs between namespaces; every namespace and process is removed on exit (error or ^C too).
set -euo pipefail
out=${1:?usage: $0 OUTDIR [healthy|blocked|stopped]...}
shift
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(healthy blocked stopped)
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tag=vdr$$
P=$tag-phone F=$tag-fw C=$tag-cloud
PHONE=192.168.1.10 SERVER=203.0.113.10
pids=()
work=$(mktemp -d)

cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for n in $P $F $C; do ip netns del "$n" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

nsx() { local n=$1; shift; ip netns exec "$n" "$@"; }

for n in $P $F $C; do ip netns add "$n"; nsx "$n" ip link set lo up; done
ip link add p0 netns $P type veth peer name f0 netns $F
ip link add f1 netns $F type veth peer name c0 netns $C
for pair in "$P p0" "$F f0" "$F f1" "$C c0"; do
    set -- $pair
    nsx "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
    nsx "$1" ethtool -K "$2" tx off rx off >/dev/null 2>&1 || true # real checksums
    nsx "$1" ip link set "$2" up
done
nsx $P ip addr add $PHONE/24 dev p0
nsx $P ip route add default via 192.168.1.1
nsx $F ip addr add 192.168.1.1/24 dev f0
nsx $F ip addr add 198.51.100.1/24 dev f1
nsx $F sysctl -qw net.ipv4.ip_forward=1
nsx $F ip route add 203.0.113.0/24 via 198.51.100.2
nsx $C ip addr add 198.51.100.2/24 dev c0
nsx $C ip addr add $SERVER/32 dev lo
nsx $C ip route add default via 198.51.100.1

# Audio: the first ~3 s (100 packets, 30 ms each) or all 7 s of SIPp's PCMA sample.
editcap -r /usr/share/sip-tester/g711a.pcap "$work/g711a-3s.pcap" 1-100 >/dev/null
cp /usr/share/sip-tester/g711a.pcap "$work/g711a-7s.pcap"

# The firewall: masquerade on the WAN side, plus the scenario's forward rules ($1).
firewall() {
    nsx $F nft flush ruleset
    nsx $F nft -f - <<NFT
table ip lab {
  chain post { type nat hook postrouting priority srcnat; oifname "f1" masquerade; }
  chain filter { type filter hook forward priority 0; policy accept;
$1
  }
}
NFT
}

# tcpdump on namespace $1's interface $2 into $3; waits until it listens.
capture_start() {
    local log=$work/$3.log
    ip netns exec "$1" tcpdump -i "$2" -s 262144 -U -w "$work/$3" "udp or icmp" >"$log" 2>&1 &
    pids+=($!)
    cap_pids+=($!)
    for _ in $(seq 50); do
        grep -q "listening on" "$log" && return 0
        sleep 0.1
    done
    echo "record-rtp-lab: tcpdump did not start" >&2
    exit 1
}

run() { # $1 scenario, $2 audio file, $3 pause after ACK (ms), $4 forward rules, $5 late rule
    local name=rtp-lab-$1 late=${5:-}
    firewall "$4"
    sed -e "s/@AUDIO@/$2/" -e "s/@PAUSE_MS@/$3/" "$here/rtp/uac-audio.xml.in" >"$work/uac.xml"
    cap_pids=()
    capture_start $P p0 "$name-lan.pcap"
    capture_start $C c0 "$name-wan.pcap"
    (cd "$work" && exec ip netns exec $C sipp -sn uas -rtp_echo -mp 20000 -i $SERVER -p 5060 \
        -m 1 -nostdin -timeout 30s -trace_err >"$work/uas.log" 2>&1) &
    local spid=$!
    pids+=("$spid")
    sleep 0.5
    (cd "$work" && exec ip netns exec $P sipp -sf uac.xml $SERVER:5060 -s 200 -i $PHONE \
        -p 5060 -mp 16000 -m 1 -nostdin -timeout 30s -timeout_error -trace_err \
        >"$work/uac.log" 2>&1) &
    local cpid=$!
    if [ -n "$late" ]; then
        sleep 3.3 # INVITE/200/ACK take ~0.3 s: the rule lands ~3 s into the audio
        nsx $F nft add rule ip lab filter "$late"
        nsx $F conntrack -F 2>/dev/null || true
    fi
    wait "$cpid" || { tail -5 "$work"/*.log >&2; echo "record-rtp-lab: $1: UAC failed" >&2; exit 1; }
    wait "$spid" || true
    sleep 0.5
    for p in "${cap_pids[@]}"; do kill -TERM "$p"; wait "$p" 2>/dev/null || true; done
    for f in "$name-lan.pcap" "$name-wan.pcap"; do
        mv "$work/$f" "$out/$f"
        echo "wrote $out/$f ($(stat -c %s "$out/$f") bytes)"
    done
}

for s in "${scenarios[@]}"; do
    case $s in
    healthy) run healthy g711a-3s.pcap 3500 "" ;;
    blocked)
        run blocked g711a-3s.pcap 3500 \
            "    iifname \"f1\" udp dport 10000-60000 reject with icmp type port-unreachable"
        ;;
    stopped)
        run stopped g711a-7s.pcap 10000 "" \
            "udp sport 10000-60000 udp dport 10000-60000 drop"
        ;;
    *) echo "record-rtp-lab: unknown scenario $s" >&2; exit 2 ;;
    esac
done
