#!/usr/bin/env bash
# Usage: scripts/check_bundle.sh FRONTEND_DIR BUNDLE [GZIP_BUDGET_BYTES]
# Rebuild a front-end bundle from its source (npm run check) and fail if the committed BUNDLE differs: the app
# serves the committed file and needs no Node. Prints the size, and fails over the gzipped budget if given.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
frontend="$root/$1" bundle="$root/$2" budget="${3:-}"
cd "$frontend"
npm ci --silent --no-audit --no-fund
out=$(mktemp --suffix=.js)
trap 'rm -f "$out"' EXIT
BUNDLE_CHECK_OUT="$out" npm run --silent check >/dev/null 2>&1
if ! cmp -s "$out" "$bundle"; then
  echo "$2 is not built from $1/src: run 'cd $1 && npm run build'." >&2
  exit 1
fi
size=$(gzip -9 -c "$bundle" | wc -c)
echo "$2: $(wc -c < "$bundle") bytes, ${size} bytes gzipped${budget:+ (budget $budget)}"
if [ -n "$budget" ] && [ "$size" -gt "$budget" ]; then
  echo "$2 is over its gzipped budget of $budget bytes." >&2
  exit 1
fi
