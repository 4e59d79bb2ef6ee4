#!/usr/bin/env bash
# html.sh VOIPDIAG — the HTML report (--html FILE):
#  (a) captures/sip-inject.pcap (HTML/JS in User-Agent, Call-ID, display names, reason phrases,
#      SDP o=/s=): the page has the CSP meta, no live <script, no onerror=/onload= attribute,
#      and no raw </style> outside the report's own stylesheet;
#  (b) headless Chromium renders the report of captures/sip-calls.pcap to a PNG and dumps the
#      DOM: the verdict table and an <svg> are there and the console shows no error.
# Exit 0 pass, 1 fail, 77 when chromium is not installed (scripts/setup.sh installs it).
set -uo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# (a) injection
"$bin" analyze "$root/captures/sip-inject.pcap" --html "$tmp/inject.html" >/dev/null 2>&1 ||
  bad "analyze --html sip-inject.pcap exited $?"
h=$tmp/inject.html
grep -q "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:\">" "$h" ||
  bad "no Content-Security-Policy meta"
grep -qi '<script' "$h" && bad "unescaped <script in the HTML"
grep -Eqi '<[^>]*[[:space:]"/]on[a-z]+=' "$h" && bad "an on*= event attribute inside a tag"
grep -qi '<img' "$h" && bad "unescaped <img in the HTML"
[ "$(grep -oi '</style' "$h" | wc -l)" -eq 1 ] || bad "</style appears outside the report's stylesheet"
grep -qi 'javascript:' "$h" && ! grep -q '@javascript:alert(1)' "$h" && bad "javascript: outside escaped text"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$h" || bad "the injected Call-ID is not shown escaped"
grep -q 'href=\|src=' "$h" && grep -E '<[a-z]+[^>]* (href|src)=' "$h" && bad "a fetching attribute"

# (b) a real browser
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "html: chromium not installed (scripts/setup.sh), browser part skipped"
  [ $fail -eq 0 ] && exit 77 || exit 1
fi
"$bin" analyze "$root/captures/sip-calls.pcap" --html "$tmp/calls.html" >/dev/null 2>&1 ||
  bad "analyze --html sip-calls.pcap exited $?"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --hide-scrollbars --enable-logging=stderr --v=0)
out=${HTML_PNG:-$tmp/calls.png}
timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$tmp/p1" --window-size=1280,2000 \
  --screenshot="$out" "file://$tmp/calls.html" >"$tmp/shot.log" 2>&1 || bad "chromium --screenshot failed"
[ -s "$out" ] && [ "$(head -c 8 "$out" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] ||
  bad "no PNG written"
timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$tmp/p2" --dump-dom \
  "file://$tmp/calls.html" >"$tmp/dom.html" 2>"$tmp/dom.log" || bad "chromium --dump-dom failed"
grep -q 'id="verdicts"' "$tmp/dom.html" || bad "the DOM has no verdict table"
grep -q '<svg' "$tmp/dom.html" || bad "the DOM has no <svg>"
# Console errors: an uncaught script error, a CSP refusal, a blocked or failed load.
if grep -E 'Uncaught|Refused to|CONSOLE.*(ERROR|error)|ERR_BLOCKED|Failed to load' \
     "$tmp/shot.log" "$tmp/dom.log"; then
  bad "console errors while rendering"
fi
[ $fail -eq 0 ] && echo "html: CSP and escaping hold; Chromium rendered $(wc -c <"$out") bytes of PNG"
exit $fail
