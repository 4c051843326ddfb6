#!/usr/bin/env bash
# Rebuild the widget from its source and fail if the committed bundle differs (the app serves the committed
# file and needs no Node). Prints the bundle's gzipped size (the budget is 15 KB).
set -euo pipefail
cd "$(dirname "$0")/../widget/frontend"
npm ci --silent --no-audit --no-fund
out=$(mktemp --suffix=.js)
trap 'rm -f "$out"' EXIT
BUNDLE_CHECK_OUT="$out" npm run --silent check >/dev/null 2>&1
if ! cmp -s "$out" ../static/widget/shopbot.js; then
  echo "widget/static/widget/shopbot.js is not built from widget/frontend/src: run 'cd widget/frontend && npm run build'." >&2
  exit 1
fi
size=$(gzip -9 -c ../static/widget/shopbot.js | wc -c)
echo "widget bundle: $(wc -c < ../static/widget/shopbot.js) bytes, ${size} bytes gzipped (budget 15360)"
[ "$size" -le 15360 ] || { echo "The widget bundle is over its 15 KB gzipped budget." >&2; exit 1; }
