#!/usr/bin/env bash
# bench.sh — how fast voipdiag reads a ≥ 1 GB RTP-heavy capture, next to the bare libpcap read
# loop (the physical limit) and tshark.
#
# usage: scripts/bench.sh [--size MB] [--quick] [--no-tshark] [--regen]
#   --size MB    benchmark file size (default 1100: over 1 GB)
#   --quick      one run per tool instead of best of 3, and no tshark
#   --no-tshark  skip the (slow) tshark run
#   --regen      write the cached benchmark file again (after capgen changed)
#
# Builds capgen, bare_read and voipdiag into build/ (or $VOIPDIAG_BUILD) when needed (a
# voipdiag that does not build or fails is reported as n/a), writes the benchmark file once into
# ${XDG_CACHE_HOME:-$HOME/.cache}/voipdiag/ and reuses it, warms the page cache, then times each
# tool under /usr/bin/time -f '%e %M' (peak RSS; the wall time is taken around it to the
# millisecond, since %e has only 10 ms steps). Target: voipdiag ≤ 2.0 × bare_read.
# Exit 0 after a complete run (whether or not the target is met), 2 on a usage error,
# 1 when the tools or the benchmark file cannot be made.
set -euo pipefail
export LC_ALL=C # decimal points in $EPOCHREALTIME and awk

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${VOIPDIAG_BUILD:-$ROOT/build}  # another build directory: VOIPDIAG_BUILD=…
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/voipdiag
TARGET_RATIO=2.0

size_mb=1100
runs=3
tshark_on=1
regen=0

usage() {
    sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//' >&2
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
    cmake --build "$BUILD" --target capgen bare_read -j"$(nproc)" > "$WORK/build.log" 2>&1 ||
        { tail -30 "$WORK/build.log" >&2; echo "bench: cannot build capgen/bare_read" >&2; exit 1; }
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

# Run a command N times under /usr/bin/time; sets WALL (best wall s) and RSS_KB (peak over
# runs), and OUT (the first run's stdout file). Returns 1 when a run fails; ok_status lists
# the exit statuses that count as success.
measure() {
    local n=$1 ok_status=$2 i rc t0 t1 w e m
    shift 2
    WALL="" RSS_KB=0 OUT=$WORK/out.$RANDOM
    for ((i = 1; i <= n; i++)); do
        rc=0
        t0=$EPOCHREALTIME
        if [ "$i" -eq 1 ]; then
            /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" > "$OUT" 2> "$WORK/err" || rc=$?
        else
            /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" > /dev/null 2> "$WORK/err" || rc=$?
        fi
        t1=$EPOCHREALTIME
        [[ " $ok_status " == *" $rc "* ]] || { LAST_ERR="exit $rc: $(tail -1 "$WORK/err")"; return 1; }
        read -r e m < <(tail -1 "$WORK/time")
        w=$(awk -v a="$t0" -v b="$t1" -v e="$e" 'BEGIN { w = b - a; printf "%.3f", (w > 0 ? w : e) }')
        if [ -z "$WALL" ] || awk -v a="$w" -v b="$WALL" 'BEGIN { exit !(a < b) }'; then
            WALL=$w
        fi
        if [ "$m" -gt "$RSS_KB" ]; then
            RSS_KB=$m
        fi
    done
    return 0
}

# One line of the table: tool, wall s, Mpkt/s, peak RSS MB (or n/a and why).
row() {
    local tool=$1 wall=$2 rss=$3 why=${4:-}
    if [ -z "$wall" ]; then
        printf '%-10s %9s   %s\n' "$tool" "n/a" "$why"
        return
    fi
    awk -v t="$tool" -v w="$wall" -v p="$PACKETS" -v r="$rss" 'BEGIN {
        printf "%-10s %9.3f %9.2f %12.1f\n", t, w, (w > 0 ? p / w / 1e6 : 0), r / 1024 }'
}

# Ratio a/b with two decimals, or n/a.
ratio() {
    if [ -z "$1" ] || [ -z "$2" ]; then echo "n/a"; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}

# Time bare_read, voipdiag and (optionally) tshark on FILE and print the table.
run_tools() {
    local file=$1 label=$2 bare_wall bare_rss vd_wall="" vd_rss=0 vd_why=""
    local ts_wall="" ts_rss=0 ts_why=""
    warm_cache "$file"
    measure "$runs" "0" "$BUILD/bare_read" "$file" || { echo "bench: bare_read: $LAST_ERR" >&2; exit 1; }
    bare_wall=$WALL bare_rss=$RSS_KB
    read -r _ PACKETS _ < "$OUT"

    if [ $voipdiag_built -eq 0 ] || [ ! -x "$BUILD/voipdiag" ]; then
        vd_why="(does not build yet: $BUILD/voipdiag)"
    elif ! measure "$runs" "0 4" "$BUILD/voipdiag" analyze "$file" --json; then
        vd_why="(fails: $LAST_ERR)"
    elif command -v jq > /dev/null && ! jq -e 'type == "object"' "$OUT" > /dev/null 2>&1; then
        vd_why="(no JSON report on stdout)"
    else
        vd_wall=$WALL vd_rss=$RSS_KB
    fi

    if [ $tshark_on -eq 0 ]; then
        ts_why="(skipped)"
    elif measure 1 "0" tshark -q -r "$file" -z rtp,streams; then
        ts_wall=$WALL ts_rss=$RSS_KB
    else
        ts_why="(fails: $LAST_ERR)"
    fi

    echo
    echo "== $label: $file"
    echo "   $(stat -c %s "$file") bytes, $PACKETS packets; best of $runs run(s), warm cache"
    printf '%-10s %9s %9s %12s\n' tool "wall s" "Mpkt/s" "peak RSS MB"
    row bare_read "$bare_wall" "$bare_rss"
    row voipdiag "$vd_wall" "$vd_rss" "$vd_why"
    row tshark "$ts_wall" "$ts_rss" "$ts_why"
    local vb tv met
    vb=$(ratio "$vd_wall" "$bare_wall")
    tv=$(ratio "$ts_wall" "$vd_wall")
    echo "voipdiag/bare:   $vb (target ≤ $TARGET_RATIO)"
    echo "tshark/voipdiag: $tv"
    if [ "$vb" = "n/a" ]; then
        met="no (voipdiag n/a)"
    elif awk -v r="$vb" -v t="$TARGET_RATIO" 'BEGIN { exit !(r <= t) }'; then
        met=yes
    else
        met=no
    fi
    echo "target met: $met"
}

# Section: the RTP-heavy capture (500 concurrent G.711 calls). Later sections (SIP-heavy …)
# follow the same shape: bench_file KIND SIZE, then run_tools.
section_rtp() {
    local file
    file=$(bench_file rtp "$size_mb")
    run_tools "$file" "RTP-heavy (${size_mb} MB)"
}

main() {
    parse_args "$@"
    command -v /usr/bin/time > /dev/null || { echo "bench: needs /usr/bin/time" >&2; exit 1; }
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
    build_tools
    section_rtp
}

main "$@"
