#!/usr/bin/env bash
# Rebuild the flow builder from flows/frontend and fail if the committed bundle (flows/static/flows/builder.js
# and builder.css) differs: the app serves the committed files and needs no Node.
set -euo pipefail
cd "$(dirname "$0")/../flows/frontend"
npm ci --silent --no-audit --no-fund
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
BUNDLE_CHECK_OUT="$out" npm run --silent check >/dev/null 2>&1
for name in builder.js builder.css; do
  if ! cmp -s "$out/$name" "../static/flows/$name"; then
    echo "flows/static/flows/$name is not built from flows/frontend/src: run 'cd flows/frontend && npm run build'." >&2
    exit 1
  fi
done
echo "flow builder bundle: $(wc -c < ../static/flows/builder.js) bytes, $(gzip -9 -c ../static/flows/builder.js | wc -c) bytes gzipped"
