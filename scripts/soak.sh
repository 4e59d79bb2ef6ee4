#!/usr/bin/env bash
# soak.sh [VOIPDIAG] [CAPTURE] [HOURS] — bounded memory over a long run, time-compressed: replay
# CAPTURE (untagged Ethernet pcap) in a loop into `voipdiag analyze -` through a pipe, each loop
# shifted in packet time (a day of packet time by default) and given its own IPv4 source
# addresses (fresh flows every loop, checksums fixed), while RSS is sampled every half second.
# Prints "elapsed_s packets_written rss_kib" lines, then the first/peak/last RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/voipdiag}; cap=${2:-captures/icmp-unreachable.pcap}; hours=${3:-24}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkfifo "$tmp/fifo"
python3 - "$cap" "$hours" >"$tmp/fifo" 2>"$tmp/gen.err" <<'PY' &
import struct, sys
cap, hours = sys.argv[1], float(sys.argv[2])
d = open(cap, "rb").read()
hdr, recs, off = d[:24], [], 24
magic = struct.unpack("<I", hdr[:4])[0]
assert magic == 0xa1b2c3d4, "little-endian microsecond pcap expected"
while off + 16 <= len(d):
    s, us, incl, orig = struct.unpack("<IIII", d[off:off + 16])
    recs.append((s * 1000000 + us, orig, bytearray(d[off + 16:off + 16 + incl])))
    off += 16 + incl
t0 = recs[0][0]
span = max(recs[-1][0] - t0, 1) + 1000000          # one loop + 1 s of quiet
loops = int(hours * 3600e6 // span)
out = sys.stdout.buffer
out.write(hdr)
def csum(b):
    s = sum(struct.unpack("!10H", bytes(b)))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
for i in range(loops):
    for ts, orig, pkt in recs:
        p = bytearray(pkt)
        if len(p) >= 34 and p[12:14] == b"\x08\x00" and p[14] == 0x45:
            p[28:30] = struct.pack("!H", (i * 7) & 0xffff)   # low 16 bits of the source
            p[24:26] = b"\0\0"
            p[24:26] = struct.pack("!H", csum(p[14:34]))
        t = ts - t0 + i * span + t0
        out.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(p), orig) + p)
sys.stderr.write("loops %d packets %d simulated_hours %.1f\n" % (loops, loops * len(recs), loops * span / 3.6e9))
PY
gen=$!
"$bin" analyze --json -o "$tmp/report.json" - <"$tmp/fifo" 2>"$tmp/vd.err" &
vd=$!
start=$SECONDS
echo "# elapsed_s rss_kib"
while kill -0 "$vd" 2>/dev/null; do
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$vd/status" 2>/dev/null || true)
  [ -n "$rss" ] && echo "$((SECONDS - start)) $rss" | tee -a "$tmp/rss"
  sleep 0.5
done
wait "$gen" || true
wait "$vd" || true
cat "$tmp/gen.err"
jq -r '"analysed \(.packets) packets, \(.duration_s / 3600 | floor) h of packet time"' "$tmp/report.json"
awk 'NR == 1 {f = $2} {if ($2 > p) p = $2; l = $2} END {printf "RSS KiB: first %d, peak %d, last %d\n", f, p, l}' "$tmp/rss"
