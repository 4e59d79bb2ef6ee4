#!/usr/bin/env bash
# rtp-oracle.sh VOIPDIAG — RTP streams (RFC 3550) of `voipdiag analyze --json` against tshark 4.0.
#
# For every capture of ../shared/corpus with a *.tshark.txt oracle, the streams voipdiag lists
# in rtp.streams[] are compared with tshark's "rtp,streams" section run WITH its RTP heuristics
# (--enable-heuristic rtp_udp): voipdiag finds streams by SDP and by heuristics, so tshark's
# heuristic section — a superset of its SDP-only section — is the oracle. Streams are matched
# by src, src port, dst, dst port and SSRC; for each, packets, lost, max delta, max jitter and
# mean jitter must equal tshark's printed values. A stream on one side only, or a difference,
# fails unless tests/rtp-oracle-exceptions.tsv lists it (capture, src, sport, dst, dport, ssrc,
# reason). Prints one line per difference and the agreement figure; exit 0 when nothing
# unexcused differs, 1 otherwise, 77 when the corpus is absent.
set -uo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
corpus=${VOIPDIAG_CORPUS:-$here/../../../shared/corpus}
exceptions=$here/../rtp-oracle-exceptions.tsv
[ -d "$corpus" ] || { echo "rtp-oracle: $corpus absent, skipped"; exit 77; }
command -v jq > /dev/null || { echo "rtp-oracle: jq missing"; exit 1; }
export TZ=UTC LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# voipdiag's streams in the same form.
voipdiag_streams() {
    jq -r '.rtp.streams[]? |
        def ep: capture("^\\[?(?<a>.*?)\\]?:(?<p>[0-9]+)$");
        (.src | ep) as $s | (.dst | ep) as $d |
        [$s.a, $s.p, $d.a, $d.p, (.ssrc | ltrimstr("0x")), .packets, .lost,
         .max_delta_ms, .max_jitter_ms, .mean_jitter_ms] | map(tostring) | join(" ")' "$1"
}

excused() { # capture src sport dst dport ssrc
    awk -F'\t' -v c="$1" -v s="$2" -v sp="$3" -v d="$4" -v dp="$5" -v x="$6" '
        !/^#/ && index(c, $1) == 1 && $2 == s && $3 == sp && $4 == d && $5 == dp &&
        toupper($6) == "0X" x { found = 1 } END { exit !found }' "$exceptions"
}

total=0 equal=0 excepted=0 failed=0 extra=0
while IFS= read -r oracle; do
    rel=${oracle#"$corpus"/}
    cap=${oracle%.tshark.txt}
    rel=${rel%.tshark.txt}
    # tshark's heuristic section: Lost may carry a "(x%)" word, so columns count from the right
    awk '/^## /{ in_h = /enable-heuristic rtp_udp/; next }
         in_h && !/^=/ && !/Src IP addr/ && NF >= 17 {
             e = NF; if ($e == "X") e--
             print $3, $4, $5, $6, toupper(substr($7, 3)), $(e - 8), $(e - 7), $(e - 3), $e, $(e - 1)
         }' "$oracle" | sort > "$work/want"
    [ -f "$cap" ] || continue
    "$bin" analyze --json "$cap" > "$work/json" 2> "$work/err"
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 4 ]; then
        echo "FAIL $rel: voipdiag exit $rc: $(head -c 200 "$work/err")"
        failed=$((failed + 1))
        continue
    fi
    voipdiag_streams "$work/json" | sort > "$work/got"
    [ -s "$work/want" ] || [ -s "$work/got" ] || continue
    # join on the 5-tuple + SSRC key
    # ms figures at tshark's printed precision (JSON numbers lose trailing zeros in jq)
    key='{ printf "%s|%s|%s|%s|%s %s %s %.3f %.3f %.3f\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }'
    awk "$key" "$work/want" | sort > "$work/w"
    awk "$key" "$work/got" | sort > "$work/g"
    join -a1 -a2 -e MISSING -o 0,1.2,1.3,1.4,1.5,1.6,2.2,2.3,2.4,2.5,2.6 "$work/w" "$work/g" \
        > "$work/j"
    while read -r key wp wl wd wj wm gp gl gd gj gm; do
        IFS='|' read -r s sp d dp x <<< "$key"
        if [ "$wp" = MISSING ]; then
            kind="only in voipdiag ($gp packets)"
            extra=$((extra + 1))
        elif [ "$gp" = MISSING ]; then
            kind="only in tshark ($wp packets)"
            total=$((total + 1))
        else
            total=$((total + 1))
            if [ "$wp $wl $wd $wj $wm" = "$gp $gl $gd $gj $gm" ]; then
                equal=$((equal + 1))
                continue
            fi
            kind="differs: tshark pkts $wp lost $wl maxΔ $wd maxJ $wj meanJ $wm;"
            kind="$kind voipdiag $gp $gl $gd $gj $gm"
        fi
        if excused "$rel" "$s" "$sp" "$d" "$dp" "$x"; then
            excepted=$((excepted + 1))
            echo "excepted $rel $s:$sp > $d:$dp 0x$x: $kind"
        else
            failed=$((failed + 1))
            echo "FAIL $rel $s:$sp > $d:$dp 0x$x: $kind"
        fi
    done < "$work/j"
done < <(find "$corpus" -name '*.tshark.txt' | sort)
echo "rtp oracle: $equal/$total tshark streams equal, $excepted excepted, $extra only in voipdiag," \
    "$failed unexcused"
[ $failed -eq 0 ]
