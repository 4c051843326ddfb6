#!/usr/bin/env bash
# Set up and run the whole test suite against the real local PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh
scripts/services.sh
echo "==> widget bundle"
scripts/check_widget_bundle.sh
echo "==> flow builder bundle"
scripts/check_builder_bundle.sh
echo "==> analytics bundle"
scripts/check_analytics_bundle.sh
echo "==> ruff"
.venv/bin/ruff check .
echo "==> pytest"
exec .venv/bin/python -m pytest "$@"
