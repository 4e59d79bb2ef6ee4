#!/usr/bin/env bash
# setup.sh — install every Debian package voipdiag's build, tests and benchmarks need
# (idempotent, non-interactive), then configure and build into build/.
#   bash scripts/setup.sh            install what is missing, then build
#   bash scripts/setup.sh --no-build install only
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config                     # toolchain
  libpcap-dev libsofia-sip-ua-dev libndpi-dev libcmocka-dev   # the design card's four
  libjson-c-dev zlib1g-dev libinih-dev                  # JSON reports, .gz captures, profiles
  clang libclang-rt-14-dev                              # libFuzzer targets, sanitizers
  tshark tcpdump tcpreplay sip-tester                   # oracle, benchmark, lab peers
  iproute2 nftables conntrack                           # network-namespace lab
  jq time python3                                       # test and benchmark scripts
  libsqlite3-dev sqlite3 libpq-dev postgresql           # batch index (SQLite, shared PostgreSQL)
  libmicrohttpd-dev                                     # live --metrics (Prometheus)
  python3-jsonschema chromium                           # report tests: JSON Schema, HTML render
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "${1:-}" = "--no-build" ] && exit 0
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
