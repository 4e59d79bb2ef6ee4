#!/usr/bin/env bash
# check-layers.sh — data flows one way: dissectors never include analyzer headers; trackers
# never include checks or reports; reports never include trackers' internals beyond result.h.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
if grep -rnE '#include *"[^"]*analyzer/' dissectors/; then
  echo "layers: dissectors/ must not include analyzer/ headers"; bad=1
fi
if grep -rnE '#include *"[^"]*(check|report)/' analyzer/track analyzer/capture analyzer/core; then
  echo "layers: track/, capture/ and core/ must not include check/ or report/ headers"; bad=1
fi
if grep -rnE '#include *"[^"]*report/' analyzer/check; then
  echo "layers: check/ must not include report/ headers"; bad=1
fi
if grep -rnE '\b(printf|puts|exit)\s*\(' dissectors/ analyzer/track analyzer/core analyzer/capture analyzer/check analyzer/pipeline.c | grep -v snprintf | grep -v '^\s*/\?\*'; then
  echo "layers: only main.c (and report writers) print or exit"; bad=1
fi
[ $bad -eq 0 ] && echo "layers: ok"
exit $bad
