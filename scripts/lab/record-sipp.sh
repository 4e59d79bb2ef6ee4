#!/usr/bin/env bash
# record-sipp.sh — record real SIPp (sip-tester 3.6.1) exchanges for captures/ (issue 3), between
# two network namespaces this script creates and removes:
#
#   phone 192.0.2.10 (veth p0) ──────── (veth s0) server 198.51.100.10
#
# usage: scripts/lab/record-sipp.sh OUTDIR     (root; needs sipp, tcpdump, editcap, ip)
# Writes, each captured on the phone's veth (Ethernet, snaplen 262144):
#   sipp-call-udp.pcap  uac-audio.xml → `sipp -sn uas -rtp_echo`: INVITE/100/180/200/ACK, ~3 s of
#                       PCMA from the phone echoed back by the server, BYE/200
#   sipp-register.pcap  register-uac.xml → register-uas.xml: REGISTER/401/REGISTER/200
#   sipp-call-tcp.pcap  `sipp -sn uac -t t1` → `sipp -sn uas -t t1`: one call over one TCP
#                       connection (no media)
# Nothing leaves the machine: documentation addresses on a veth pair between two namespaces;
# every namespace and process is removed on exit (also on error or ^C).
set -euo pipefail
out=${1:?usage: $0 OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tag=vds$$
P=$tag-phone S=$tag-srv
PHONE=192.0.2.10 SERVER=198.51.100.10
pids=()
work=$(mktemp -d)

cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for n in $P $S; do ip netns del "$n" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

nsx() { local n=$1; shift; ip netns exec "$n" "$@"; }

for n in $P $S; do ip netns add "$n"; nsx "$n" ip link set lo up; done
ip link add p0 netns $P type veth peer name s0 netns $S
for pair in "$P p0 $PHONE $SERVER" "$S s0 $SERVER $PHONE"; do
    set -- $pair
    nsx "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
    nsx "$1" ethtool -K "$2" tx off rx off >/dev/null 2>&1 || true # real checksums
    nsx "$1" ip addr add "$3/32" dev "$2"
    nsx "$1" ip link set "$2" up
    nsx "$1" ip route add "$4/32" dev "$2"
done

# The first ~3 s of SIPp's own PCMA sample: the call stays small.
editcap -r /usr/share/sip-tester/g711a.pcap "$work/g711a-3s.pcap" 1-100 >/dev/null
cp "$here"/sipp/*.xml "$work/"

# Start tcpdump on the phone's veth into FILE and wait until it listens.
capture_start() {
    ip netns exec $P tcpdump -i p0 -s 262144 -U -w "$work/$1" "$2" > "$work/tcpdump.log" 2>&1 &
    cap_pid=$!
    pids+=("$cap_pid")
    for _ in $(seq 50); do
        grep -q "listening on" "$work/tcpdump.log" && return 0
        sleep 0.1
    done
    echo "record-sipp: tcpdump did not start" >&2
    exit 1
}

# Let the last packets reach tcpdump, stop it and move FILE to OUTDIR.
capture_stop() {
    sleep 0.5
    kill -TERM "$cap_pid" # a background job ignores SIGINT; tcpdump flushes on SIGTERM too
    wait "$cap_pid" 2>/dev/null || true
    mv "$work/$1" "$out/$1"
    echo "wrote $out/$1 ($(stat -c %s "$out/$1") bytes)"
}

# Run server scenario (args) in the server namespace, the client in the phone's; both -m 1.
run_pair() {
    local srv=$1 cli=$2
    (cd "$work" && exec ip netns exec $S sipp $srv -i $SERVER -p 5060 -m 1 -nostdin \
        -timeout 30s -trace_err > "$work/uas.log" 2>&1) &
    local spid=$!
    pids+=("$spid")
    sleep 0.5
    (cd "$work" && exec ip netns exec $P sipp $cli $SERVER:5060 -i $PHONE -p 5060 -m 1 -nostdin \
        -timeout 30s -timeout_error -trace_err > "$work/uac.log" 2>&1) ||
        { tail -5 "$work/uas.log" "$work/uac.log" "$work"/*_errors.log >&2 2>/dev/null || true
          echo "record-sipp: client failed" >&2; exit 1; }
    wait "$spid" || true
}

capture_start sipp-call-udp.pcap "host $SERVER"
run_pair "-sn uas -rtp_echo -mp 6000" "-sf uac-audio.xml -s 200 -mp 6100"
capture_stop sipp-call-udp.pcap

capture_start sipp-register.pcap "host $SERVER"
run_pair "-sf register-uas.xml -set phone $PHONE" "-sf register-uac.xml -s 100 -au 100 -ap secret"
capture_stop sipp-register.pcap

capture_start sipp-call-tcp.pcap "host $SERVER"
run_pair "-sn uas -t t1" "-sn uac -t t1 -s 200 -d 1000"
capture_stop sipp-call-tcp.pcap
