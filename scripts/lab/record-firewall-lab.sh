#!/usr/bin/env bash
# record-firewall-lab.sh — record the firewall-requirement lab captures (issue 7) with real
# peers behind a real nftables firewall, all inside network namespaces this script creates.
#
#   phone (10.0.0.10) ── veth ── fw (10.0.0.1 | 203.0.113.1) ── veth ── cloud (203.0.113.2,
#   provider hosts 198.51.100.80 / 198.51.100.59 / 192.0.2.123 on its loopback)
#
# usage: scripts/lab/record-firewall-lab.sh OUTDIR [SCENARIO...]
#        (root; needs curl, openssl, ncat, ntpdig, tcpdump, nft, python3). Records on the
#        phone's link and writes OUTDIR/fw-lab-SCENARIO.pcap; read them with
#        --profile scripts/profiles/lab.ini (its blocks are the documentation ranges above).
#
# In every scenario the phone does, in this order: HTTP GET to 198.51.100.80:80, HTTPS GET to
# 198.51.100.80:443 (SNI provisioning.example.com), one NTP query to 192.0.2.123:123, a TCP
# connection to 198.51.100.59:5938 (ncat, 64 bytes back), and in `remote-icmp` also
# TeamViewer-framed traffic to 198.51.100.59:443 (scripts/lab/firewall/tv-client.py).
#
#   open          nothing filtered
#   http-drop     tcp dport 80 drop                            (SYN retransmissions only)
#   https-reset   tcp dport 443 reject with tcp reset          (RST forged from the server)
#   ntp-drop      udp dport 123 drop                           (requests unanswered)
#   remote-icmp   tcp dport 5938 reject with icmp admin-prohibited (3/13 from the firewall);
#                 TeamViewer-like traffic on 443 works         (REMOTE degraded)
#   blocks-reject everything to 192.0.2.0/24 and 198.51.100.0/24 rejected: TCP with a reset,
#                 the rest with icmp admin-prohibited           (IPBLOCKS fail)
#
# Nothing leaves the machine: only namespace-local addresses. Every server runs in its own
# process group; on exit (normal, error, INT, TERM) the groups are killed, anything still
# inside the lab namespaces is killed, and the namespaces are deleted.
set -euo pipefail
out=${1:?usage: $0 OUTDIR [SCENARIO...]}
shift
scenarios=("$@")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
tag=vdl$$
P=$tag-phone F=$tag-fw C=$tag-cloud
pgids=()    # process groups of the background servers (each leader's pid)
work=""

cleanup() {
    local rc=$? p n
    trap - EXIT INT TERM
    for p in "${pgids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
    # anything left inside our namespaces is ours too (a server's child, a stuck client)
    for n in $P $F $C; do
        ip netns pids "$n" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    done
    for p in "${pgids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for n in $P $F $C; do ip netns del "$n" 2>/dev/null || true; done
    [ -z "$work" ] || rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

nsx() { local n=$1; shift; ip netns exec "$n" "$@"; }

# Start "$@" in namespace $1 in the background as the leader of a new process group, and
# remember the group. setsid does not fork here (a background job of a non-interactive shell
# is not a group leader), and ip netns exec execs, so $! is the server's own pid — unlike a
# backgrounded shell function, whose $! is a subshell that kill would leave the server behind.
serve() {
    local n=$1; shift
    setsid ip netns exec "$n" "$@" >/dev/null 2>&1 </dev/null &
    pgids+=($!)
}

for n in $P $F $C; do ip netns add "$n"; nsx "$n" ip link set lo up; done
ip link add p0 netns $P type veth peer name f0 netns $F
ip link add f1 netns $F type veth peer name c0 netns $C
for n in $P $F $C; do
    nsx "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
for pair in "$P p0" "$F f0" "$F f1" "$C c0"; do
    read -r n dev <<<"$pair"
    nsx "$n" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
    nsx "$n" ethtool -K "$dev" tx off rx off >/dev/null 2>&1 || true
    nsx "$n" ip link set "$dev" up
done
nsx $P ip addr add 10.0.0.10/24 dev p0
nsx $P ip route add default via 10.0.0.1
nsx $F ip addr add 10.0.0.1/24 dev f0
nsx $F ip addr add 203.0.113.1/24 dev f1
nsx $F sysctl -qw net.ipv4.ip_forward=1
nsx $F ip route add 198.51.100.0/24 via 203.0.113.2
nsx $F ip route add 192.0.2.0/24 via 203.0.113.2
nsx $C ip addr add 203.0.113.2/24 dev c0
for a in 198.51.100.80 198.51.100.59 192.0.2.123; do nsx $C ip addr add $a/32 dev lo; done
nsx $C ip route add 10.0.0.0/24 via 203.0.113.1

# Real peers in the cloud: HTTP, TLS, a minimal NTP responder, ncat on 5938, and a
# TeamViewer-shaped responder on 198.51.100.59:443 (the fallback port).
work=$(mktemp -d)
printf '<html><body>provisioning</body></html>\n' >"$work/index.html"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/k.pem" -out "$work/c.pem" -days 2 \
    -subj "/CN=provisioning.example.com" >/dev/null 2>&1
serve $C python3 -m http.server --bind 198.51.100.80 --directory "$work" 80
serve $C openssl s_server -quiet -accept 198.51.100.80:443 -cert "$work/c.pem" \
    -key "$work/k.pem" -www
serve $C python3 "$here/firewall/ntp-server.py" 192.0.2.123
serve $C ncat -lk 198.51.100.59 5938 -c 'head -c 64 /dev/zero'
serve $C python3 "$here/firewall/tv-server.py" 198.51.100.59 443
sleep 1

rules() { # $1 = rule lines for the forward chain, or "" for none ("fwd" is an nft keyword)
    nsx $F nft flush ruleset
    [ -n "$1" ] || return 0
    nsx $F nft -f - <<NFT
table ip lab {
  chain forward { type filter hook forward priority 0; policy accept;
$1
  }
}
NFT
}

run() { # $1 scenario, $2 rules, $3 = "tv" to add TeamViewer-like traffic on 443
    local name=fw-lab-$1 pcap=$out/fw-lab-$1.pcap td
    rules "$2"
    nsx $P ip neigh flush dev p0
    ip netns exec $P tcpdump -i p0 -U -s 0 -w "$pcap" >/dev/null 2>&1 &
    td=$!
    sleep 1
    nsx $P curl -s -o /dev/null --connect-timeout 4 -H 'Host: provisioning.example.com' \
        http://198.51.100.80/ || true
    nsx $P curl -s -k -o /dev/null --connect-timeout 4 \
        --resolve provisioning.example.com:443:198.51.100.80 \
        https://provisioning.example.com/ || true
    nsx $P ntpdig -t 2 192.0.2.123 >/dev/null 2>&1 || true
    nsx $P timeout 6 ncat -w 4 198.51.100.59 5938 </dev/null >/dev/null 2>&1 || true
    if [ "${3:-}" = tv ]; then
        nsx $P python3 "$here/firewall/tv-client.py" 198.51.100.59 443 || true
    fi
    sleep 1
    kill -TERM "$td"
    wait "$td" 2>/dev/null || true
    echo "$name: $(tcpdump -r "$pcap" 2>/dev/null | wc -l) frames, $(stat -c %s "$pcap") bytes → $pcap"
}

scenario() {
    case $1 in
    open) run open "" ;;
    http-drop) run http-drop "    tcp dport 80 drop" ;;
    https-reset) run https-reset "    tcp dport 443 reject with tcp reset" ;;
    ntp-drop) run ntp-drop "    udp dport 123 drop" ;;
    remote-icmp) run remote-icmp \
        "    tcp dport 5938 reject with icmp type admin-prohibited" tv ;;
    blocks-reject) run blocks-reject \
        "    ip daddr { 192.0.2.0/24, 198.51.100.0/24 } meta l4proto tcp reject with tcp reset
    ip daddr { 192.0.2.0/24, 198.51.100.0/24 } reject with icmp type admin-prohibited" ;;
    *) echo "$0: unknown scenario '$1'" >&2; return 2 ;;
    esac
}

[ ${#scenarios[@]} -gt 0 ] ||
    scenarios=(open http-drop https-reset ntp-drop remote-icmp blocks-reject)
for s in "${scenarios[@]}"; do scenario "$s"; done
