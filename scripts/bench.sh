#!/usr/bin/env bash
# bench.sh — how fast voipdiag reads a ≥ 1 GB RTP-heavy capture, next to the bare libpcap read
# loop (the physical limit) and tshark.
#
# usage: scripts/bench.sh [--size MB] [--sip-size MB] [--only rtp|sip] [--quick] [--no-tshark] [--regen]
#   --size MB    RTP benchmark file size (default 1100: over 1 GB)
#   --sip-size MB  SIP benchmark file size (default 200); --only runs one section
#   --quick      one run per tool instead of best of 3, and no tshark
#   --no-tshark  skip the (slow) tshark run
#   --regen      write the cached benchmark file again (after capgen changed)
#
# Builds capgen, bare_read and voipdiag into build/ (or $VOIPDIAG_BUILD) when needed (a
# voipdiag that does not build or fails is reported as n/a), writes the benchmark file once into
# ${XDG_CACHE_HOME:-$HOME/.cache}/voipdiag/ and reuses it, warms the page cache, then times each
# tool under /usr/bin/time -f '%e %M' (peak RSS; the wall time is taken around it to the
# millisecond, since %e has only 10 ms steps). Target: voipdiag ≤ 2.0 × bare_read (libpcap's
# defaults, as tcpdump -r); bare_1MiB is the same loop with voipdiag's 1 MiB stdio buffer, shown
# beside it (about half the read cost: far fewer read calls).
# SIP section: SIP messages/s of the whole pipeline (sip.messages / wall time) against the
# sofia-sip parser alone on the same messages (sip_ceiling) and tshark -z sip,stat; target
# pipeline ≥ 70 % of the ceiling and ≥ 150 000 msg/s.
# Exit 0 after a complete run (whether or not the target is met), 2 on a usage error,
# 1 when the tools or the benchmark file cannot be made.
set -euo pipefail
export LC_ALL=C # decimal points in $EPOCHREALTIME and awk

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${VOIPDIAG_BUILD:-$ROOT/build}  # another build directory: VOIPDIAG_BUILD=…
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/voipdiag
TARGET_RATIO=2.0       # issue 2: the whole analysis
TARGET_RATIO_RTP=1.5   # issue 4: with full RTP statistics on (always on)

size_mb=1100
sip_size_mb=200
only=""
runs=3
tshark_on=1
regen=0

usage() {
    sed -n '5,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit "${1:-2}"
}

parse_args() {
    while [ $# -gt 0 ]; do
        case $1 in
        --size)
            if [ $# -lt 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then
                usage
            fi
            size_mb=$2
            shift 2
            ;;
        --sip-size)
            if [ $# -lt 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then
                usage
            fi
            sip_size_mb=$2
            shift 2
            ;;
        --only)
            if [ $# -lt 2 ] || ! [[ $2 =~ ^(rtp|sip)$ ]]; then
                usage
            fi
            only=$2
            shift 2
            ;;
        --quick) runs=1; tshark_on=0; shift ;;
        --no-tshark) tshark_on=0; shift ;;
        --regen) regen=1; shift ;;
        -h | --help) usage 0 ;;
        *) usage ;;
        esac
    done
}

# Configure build/ if it is new, then build the tools; voipdiag may fail (it is being written).
build_tools() {
    if [ ! -f "$BUILD/CMakeCache.txt" ]; then
        cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$WORK/cmake.log" 2>&1 ||
            { cat "$WORK/cmake.log" >&2; echo "bench: cmake configure failed" >&2; exit 1; }
    fi
    cmake --build "$BUILD" --target capgen bare_read sip_ceiling -j"$(nproc)" > "$WORK/build.log" 2>&1 ||
        { tail -30 "$WORK/build.log" >&2; echo "bench: cannot build capgen/bare_read/sip_ceiling" >&2; exit 1; }
    voipdiag_built=1
    cmake --build "$BUILD" --target voipdiag -j"$(nproc)" > "$WORK/build-voipdiag.log" 2>&1 ||
        voipdiag_built=0
}

# Path of benchmark file KIND of SIZE MB, written by `capgen bench-KIND` unless cached.
bench_file() {
    local kind=$1 mb=$2 path
    path=$CACHE/bench-$kind-$mb.pcap
    if [ ! -s "$path" ] || [ $regen -eq 1 ]; then
        mkdir -p "$CACHE"
        echo "writing $path …" >&2
        "$BUILD/capgen" "bench-$kind" "$path.part" "$mb" >&2 || { rm -f "$path.part"; exit 1; }
        mv "$path.part" "$path"
        sync "$path" # no write-back competing with the timed runs
    fi
    printf '%s\n' "$path"
}

# Read FILE once so every tool starts from a warm page cache.
warm_cache() {
    cat "$1" > /dev/null
}

# Run a command N times under /usr/bin/time; sets WALL (best wall s), CPU (user + system s of
# that run: voipdiag reads ahead on a second thread, so CPU may exceed WALL), RSS_KB (peak over
# runs), and OUT (the first run's stdout file). Returns 1 when a run fails; ok_status lists
# the exit statuses that count as success.
measure() {
    local n=$1 ok_status=$2 i rc t0 t1 w e m u sy
    shift 2
    WALL="" CPU="" RSS_KB=0 OUT=$WORK/out.$RANDOM
    for ((i = 1; i <= n; i++)); do
        rc=0
        t0=$EPOCHREALTIME
        if [ "$i" -eq 1 ]; then
            /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" "$@" > "$OUT" 2> "$WORK/err" || rc=$?
        else
            /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" "$@" > /dev/null 2> "$WORK/err" || rc=$?
        fi
        t1=$EPOCHREALTIME
        [[ " $ok_status " == *" $rc "* ]] || { LAST_ERR="exit $rc: $(tail -1 "$WORK/err")"; return 1; }
        read -r e m u sy < <(tail -1 "$WORK/time")
        w=$(awk -v a="$t0" -v b="$t1" -v e="$e" 'BEGIN { w = b - a; printf "%.3f", (w > 0 ? w : e) }')
        if [ -z "$WALL" ] || awk -v a="$w" -v b="$WALL" 'BEGIN { exit !(a < b) }'; then
            WALL=$w
            CPU=$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%.2f", u + s }')
        fi
        if [ "$m" -gt "$RSS_KB" ]; then
            RSS_KB=$m
        fi
    done
    return 0
}

# One line of the table: tool, wall s, CPU s, Mpkt/s, peak RSS MB (or n/a and why).
row() {
    local tool=$1 wall=$2 rss=$3 why=${4:-} cpu=${5:-0}
    if [ -z "$wall" ]; then
        printf '%-10s %9s   %s\n' "$tool" "n/a" "$why"
        return
    fi
    awk -v t="$tool" -v w="$wall" -v c="$cpu" -v p="$PACKETS" -v r="$rss" 'BEGIN {
        printf "%-10s %9.3f %7.2f %9.2f %12.1f\n", t, w, c, (w > 0 ? p / w / 1e6 : 0), r / 1024 }'
}

# Ratio a/b with two decimals, or n/a.
ratio() {
    if [ -z "$1" ] || [ -z "$2" ]; then echo "n/a"; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}

# Time bare_read, voipdiag and (optionally) tshark on FILE and print the table.
run_tools() {
    local file=$1 label=$2 bare_wall bare_rss bare_cpu vd_wall="" vd_rss=0 vd_why="" vd_cpu=0
    local ts_wall="" ts_rss=0 ts_why="" ts_cpu=0
    warm_cache "$file"
    measure "$runs" "0" "$BUILD/bare_read" "$file" || { echo "bench: bare_read: $LAST_ERR" >&2; exit 1; }
    bare_wall=$WALL bare_rss=$RSS_KB bare_cpu=$CPU
    read -r _ PACKETS _ < "$OUT"
    # the same loop with voipdiag's 1 MiB stdio buffer (fewer read calls): shown, not the target
    local big_wall="" big_rss=0 big_cpu=0
    if measure "$runs" "0" "$BUILD/bare_read" "$file" 1048576; then
        big_wall=$WALL big_rss=$RSS_KB big_cpu=$CPU
    fi

    if [ $voipdiag_built -eq 0 ] || [ ! -x "$BUILD/voipdiag" ]; then
        vd_why="(does not build yet: $BUILD/voipdiag)"
    elif ! measure "$runs" "0 4" "$BUILD/voipdiag" analyze "$file" --json; then
        vd_why="(fails: $LAST_ERR)"
    elif command -v jq > /dev/null && ! jq -e 'type == "object"' "$OUT" > /dev/null 2>&1; then
        vd_why="(no JSON report on stdout)"
    else
        vd_wall=$WALL vd_rss=$RSS_KB vd_cpu=$CPU
    fi

    if [ $tshark_on -eq 0 ]; then
        ts_why="(skipped)"
    elif measure 1 "0" tshark -q -r "$file" -z rtp,streams; then
        ts_wall=$WALL ts_rss=$RSS_KB ts_cpu=$CPU
    else
        ts_why="(fails: $LAST_ERR)"
    fi

    echo
    echo "== $label: $file"
    echo "   $(stat -c %s "$file") bytes, $PACKETS packets; best of $runs run(s), warm cache"
    printf '%-10s %9s %7s %9s %12s\n' tool "wall s" "cpu s" "Mpkt/s" "peak RSS MB"
    row bare_read "$bare_wall" "$bare_rss" "" "$bare_cpu"
    row bare_1MiB "$big_wall" "$big_rss" "(fails)" "$big_cpu"
    row voipdiag "$vd_wall" "$vd_rss" "$vd_why" "$vd_cpu"
    row tshark "$ts_wall" "$ts_rss" "$ts_why" "$ts_cpu"
    local vb vc tv met t
    vb=$(ratio "$vd_wall" "$bare_wall")
    vc=$(ratio "$vd_cpu" "$bare_cpu")
    tv=$(ratio "$ts_wall" "$vd_wall")
    echo "voipdiag/bare:   $vb wall (targets ≤ $TARGET_RATIO, with RTP statistics ≤ $TARGET_RATIO_RTP); $vc CPU"
    echo "tshark/voipdiag: $tv"
    echo "voipdiag/bare_1MiB: $(ratio "$vd_wall" "$big_wall") wall (bare_read with voipdiag's 1 MiB stdio buffer; not the target's baseline)"
    for t in "$TARGET_RATIO" "$TARGET_RATIO_RTP"; do
        if [ "$vb" = "n/a" ]; then
            met="no (voipdiag n/a)"
        elif awk -v r="$vb" -v t="$t" 'BEGIN { exit !(r <= t) }'; then
            met=yes
        else
            met=no
        fi
        echo "target ≤ $t met: $met"
    done
}

# Section: the RTP-heavy capture (500 concurrent G.711 calls). Later sections (SIP-heavy …)
# follow the same shape: bench_file KIND SIZE, then run_tools.
section_rtp() {
    local file
    file=$(bench_file rtp "$size_mb")
    run_tools "$file" "RTP-heavy (${size_mb} MB)"
}

# Section: live throughput. tcpreplay replays a capture in a loop at rising packet rates (then
# --topspeed) into one end of a veth pair in a network namespace made here (layer 2 only, no
# addresses: nothing leaves it) while `voipdiag live` listens on the other end; reports each
# rate with pcap's kernel drops, and the highest rate with none. Needs root and tcpreplay
# (skipped otherwise, or with BENCH_LIVE=0).
section_live() {
    [ "${BENCH_LIVE:-1}" != 0 ] || return 0
    if [ "$(id -u)" != 0 ] || ! command -v tcpreplay > /dev/null || [ ! -x "$BUILD/voipdiag" ]; then
        echo "live throughput: skipped (needs root, tcpreplay and a built voipdiag)"
        return 0
    fi
    local ns=vdbench$$ cap=${BENCH_LIVE_CAPTURE:-captures/merge-lan.pcap} best=0 rate
    ip netns add "$ns" || return 0
    chmod 711 "$WORK" && mkdir -p -m 1777 "$WORK/live"  # written after the switch to nobody
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$ns" link add vdtx type veth peer name vdrx
    ip -n "$ns" link set vdtx up
    ip -n "$ns" link set vdrx up
    echo
    echo "live throughput ($cap looped into a veth pair, ${BENCH_LIVE_PACKETS:-200000} packets a step)"
    printf '%-10s %12s %12s %10s\n' "rate" "sent pps" "received" "drops"
    for rate in ${BENCH_LIVE_RATES:-20000 50000 100000 200000 400000} top; do
        local opt=(--pps="$rate") n=${BENCH_LIVE_PACKETS:-200000} pid
        [ "$rate" = top ] && opt=(--topspeed)
        ip netns exec "$ns" "$BUILD/voipdiag" live -i vdrx --promisc --user nobody --json \
            -o "$WORK/live/$rate.json" 2> "$WORK/live-$rate.err" &
        pid=$!
        sleep 1
        ip netns exec "$ns" tcpreplay -i vdtx "${opt[@]}" --limit="$n" --loop=0 "$cap" \
            > "$WORK/replay-$rate.log" 2>&1
        sleep 1
        kill -INT "$pid"; wait "$pid" || true
        local sent drops got
        sent=$(awk '/Rated:/ {for (i = 1; i <= NF; i++) if ($i ~ /pps/) print $(i - 1)}' "$WORK/replay-$rate.log" | head -1)
        got=$(jq -r '.packets' "$WORK/live/$rate.json" 2> /dev/null || echo n/a)
        drops=$(jq -r '(.live.dropped // 0) + (.live.if_dropped // 0)' "$WORK/live/$rate.json" 2> /dev/null || echo n/a)
        printf '%-10s %12s %12s %10s\n' "$rate" "${sent:-n/a}" "$got" "$drops"
        if [ "$drops" = 0 ] && [ "$got" = "$n" ] && [ -n "$sent" ]; then
            best=$(awk -v a="$best" -v b="$sent" 'BEGIN {print (b > a) ? b : a}')
        fi
    done
    ip netns del "$ns"
    echo "highest rate with zero kernel drops: ${best} pps"
}

# Section: the SIP-heavy capture (4000 phones registering with challenges, pinged, calling; a
# tenth over TCP). Pipeline msg/s per core = the JSON's sip.messages / voipdiag's CPU time
# (user + system: the reader thread's share counts, so two cores do not flatter it; the wall
# rate is printed beside it); ceiling =
# sip_ceiling's msg/s (sofia-sip alone, best of its own runs); tshark -z sip,stat for scale.
section_sip() {
    local file msgs vd_wall="" vd_cpu="" wall_rate vd_why="" ceil_rate ceil_line ts_wall="" ts_why="" rate pct met
    file=$(bench_file sip "$sip_size_mb")
    warm_cache "$file"
    if [ $voipdiag_built -eq 0 ] || [ ! -x "$BUILD/voipdiag" ]; then
        vd_why="(does not build yet)"
    elif ! measure "$runs" "0 4" "$BUILD/voipdiag" analyze "$file" --json; then
        vd_why="(fails: $LAST_ERR)"
    else
        vd_wall=$WALL vd_cpu=$CPU
        msgs=$(jq -r '.sip.messages // 0' "$OUT" 2>/dev/null || echo 0)
    fi
    ceil_line=$("$BUILD/sip_ceiling" "$file" "$runs") || { echo "bench: sip_ceiling failed" >&2; exit 1; }
    ceil_rate=$(awk '{ for (i = 1; i < NF; i++) if ($i == "msg/s") print $(i + 1) }' <<< "$ceil_line")
    if [ $tshark_on -eq 0 ]; then
        ts_why="(skipped)"
    elif measure 1 "0" tshark -q -r "$file" -z sip,stat; then
        ts_wall=$WALL
    else
        ts_why="(fails: $LAST_ERR)"
    fi
    echo
    echo "== SIP-heavy (${sip_size_mb} MB): $file"
    echo "   $(stat -c %s "$file") bytes; best of $runs run(s), warm cache"
    echo "   sofia-sip ceiling: $ceil_line"
    if [ -n "$vd_wall" ]; then
        rate=$(awk -v m="$msgs" -v w="$vd_cpu" 'BEGIN { printf "%.0f", (w > 0 ? m / w : 0) }')
        wall_rate=$(awk -v m="$msgs" -v w="$vd_wall" 'BEGIN { printf "%.0f", (w > 0 ? m / w : 0) }')
        pct=$(awk -v a="$rate" -v b="$ceil_rate" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
        printf 'voipdiag   %9.3f s wall %7.2f s CPU  %s SIP messages  %s msg/s per core (%s msg/s wall)\n' \
            "$vd_wall" "$vd_cpu" "$msgs" "$rate" "$wall_rate"
    else
        rate="" pct=""
        echo "voipdiag   n/a $vd_why"
    fi
    printf 'ceiling    %s msg/s\n' "$ceil_rate"
    if [ -n "$ts_wall" ]; then
        printf 'tshark     %9.3f s  (-z sip,stat)\n' "$ts_wall"
    else
        echo "tshark     n/a $ts_why"
    fi
    echo "pipeline/ceiling: ${pct:-n/a} % (target ≥ 70 %)"
    echo "pipeline msg/s per core: ${rate:-n/a} (target ≥ 150000)"
    if [ -n "$rate" ] && awk -v p="$pct" -v r="$rate" 'BEGIN { exit !(p >= 70 && r >= 150000) }'; then
        met=yes
    else
        met=no
    fi
    echo "target met: $met"
}

main() {
    parse_args "$@"
    command -v /usr/bin/time > /dev/null || { echo "bench: needs /usr/bin/time" >&2; exit 1; }
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
    build_tools
    [ "$only" = sip ] || section_rtp
    [ "$only" = sip ] || section_live
    [ "$only" = rtp ] || section_sip
}

main "$@"
