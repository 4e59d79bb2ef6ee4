#!/usr/bin/env bash
# test.sh — the whole test suite: release build + ctest, the same under ASan+UBSan, then a
# bounded libFuzzer run of every fuzz target. Installs missing packages first (scripts/setup.sh).
#   FUZZ_SECONDS=N   seconds per fuzz target (default 20; 0 skips fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC LC_ALL=C

need_setup=0
for cmd in cmake pkg-config clang jq tshark editcap chromium; do
  command -v "$cmd" >/dev/null || need_setup=1
done
pkg-config --exists libpcap sofia-sip-ua libndpi cmocka json-c zlib inih sqlite3 libpq libmicrohttpd 2>/dev/null || need_setup=1
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || need_setup=1
[ $need_setup -eq 0 ] || bash scripts/setup.sh --no-build

jobs=$(nproc)
passed=0; failed=0
suite_start=$SECONDS
step() {  # step NAME COMMAND...: run, count, never stop the suite early; print its seconds
  local name=$1 t0=$SECONDS; shift
  echo "=== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "*** $name FAILED"; fi
  echo "=== $name: $((SECONDS - t0)) s"
}

build() {  # build DIR CMAKE-ARGS...
  local dir=$1; shift
  cmake -S . -B "$dir" "$@" >/dev/null && cmake --build "$dir" -j"$jobs" 2>&1 | grep -Ev '^\[ *[0-9]+%\]' || return "${PIPESTATUS[0]}"
}

step "build (release)" build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
step "ctest (release)" ctest --test-dir build --output-on-failure -j"$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
step "build (asan+ubsan)" build build-asan -DVOIPDIAG_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
step "ctest (asan+ubsan)" ctest --test-dir build-asan --output-on-failure -j"$jobs"

FUZZ_SECONDS=${FUZZ_SECONDS:-20}
if [ "$FUZZ_SECONDS" -gt 0 ]; then
  build_fuzz() { CC=clang build build-fuzz -DVOIPDIAG_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo; }
  step "build (libFuzzer)" build_fuzz
  for f in build-fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    name=$(basename "$f")
    seeds=tests/fuzz/corpus/${name#fuzz_}
    mkdir -p "build-fuzz/corpus-$name"
    args=("build-fuzz/corpus-$name")
    [ -d "$seeds" ] && args+=("$seeds")
    step "fuzz $name (${FUZZ_SECONDS}s)" "$f" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 \
      -print_final_stats=1 "${args[@]}"
  done
fi

echo
echo "$passed passed, $failed failed ($((SECONDS - suite_start)) s)"
[ "$failed" -eq 0 ]
