#!/usr/bin/env bash
# sip-oracle.sh VOIPDIAG — for every public capture of ../shared/corpus whose tshark oracle file
# has a "SIP Statistics" section (tshark -z sip,stat, RFC 3261 messages), voipdiag's contract
# counts must equal tshark's: sip.messages, sip.requests {method: n}, sip.responses {code: n}.
# A difference where voipdiag is right is listed in tests/sip-oracle-exceptions.tsv (file, the
# expected voipdiag line, reason). Prints the agreement figure; skips (77) without the corpus.
set -uo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
corpus=${VOIPDIAG_CORPUS:-$here/../../../shared/corpus}
exceptions=$here/../sip-oracle-exceptions.tsv
[ -d "$corpus" ] || { echo "sip-oracle: $corpus absent, skipped"; exit 77; }
command -v jq >/dev/null || { echo "sip-oracle: jq missing"; exit 1; }
pass=0; fail=0; excepted=0; total=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# tshark's section as one canonical line: "messages=N REQ:INVITE=2 … RSP:200=4 …" (sorted).
tshark_line() {
  awk '
    /^SIP Statistics/ { in_sip = 1; next }
    in_sip && /^Number of SIP messages:/ { msgs = $NF }
    in_sip && /^\* SIP Status Codes/ { part = "rsp"; next }
    in_sip && /^\* List of SIP Request methods/ { part = "req"; next }
    in_sip && /^\* Average setup time/ { part = "" }
    in_sip && /^=+$/ && msgs != "" { in_sip = 0 }
    in_sip && part == "rsp" && /^  SIP [0-9][0-9][0-9] / { n = $(NF - 1); a["RSP:" $2] += n }
    in_sip && part == "req" && /: *[0-9]+ Packets/ { sub(/^ +/, ""); split($0, f, / *: */);
                                                  n = f[2]; sub(/ Packets/, "", n); a["REQ:" f[1]] += n }
    END { if (msgs == "") exit 1; printf "messages=%s", msgs;
          for (k in a) if (a[k] > 0) printf " %s=%s", k, a[k];
          printf "\n" }' "$1"
}

voipdiag_line() {
  jq -r '.sip as $s | if $s == null then "messages=0" else
    "messages=\($s.messages)" +
    ([($s.requests | to_entries[] | "REQ:\(.key)=\(.value)"),
      ($s.responses | to_entries[] | "RSP:\(.key)=\(.value)")] | sort | map(" " + .) | join(""))
    end' "$1"
}

while IFS= read -r -d '' oracle; do
  sip_section=$(grep -c '^SIP Statistics' "$oracle")
  [ "$sip_section" -gt 0 ] || continue
  want=$(tshark_line "$oracle") || continue
  [ "$want" = "messages=0" ] && continue
  cap=${oracle%.tshark.txt}
  rel=${cap#"$corpus"/}
  [ -f "$cap" ] || continue
  total=$((total + 1))
  "$bin" analyze --json "$cap" > "$tmp/out.json" 2>/dev/null
  got=$(voipdiag_line "$tmp/out.json")
  # one canonical order for both sides
  want=$(printf '%s' "$want" | tr ' ' '\n' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
  got=$(printf '%s' "$got" | tr ' ' '\n' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
  if [ "$want" = "$got" ]; then
    pass=$((pass + 1)); continue
  fi
  exp=$(awk -F'\t' -v f="$rel" '$1 == f { print $2 }' "$exceptions" 2>/dev/null)
  if [ -n "$exp" ] && [ "$exp" = "$got" ]; then
    excepted=$((excepted + 1)); continue
  fi
  echo "DIFF $rel"
  echo "  tshark:   $want"
  echo "  voipdiag: $got"
  [ -n "$exp" ] && echo "  excepted: $exp"
  fail=$((fail + 1))
done < <(find "$corpus" -name '*.tshark.txt' -print0 | sort -z)
echo "sip-oracle: $total captures with SIP, $pass equal to tshark, $excepted reviewed exceptions, $fail differ"
[ $fail -eq 0 ]
