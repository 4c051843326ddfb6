#!/usr/bin/env bash
# Set up and serve the demo: SQLite, in-memory channel layer, eager Celery, a seeded demo store.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh
export DEMO=1
export PORT=${PORT:-8000}
export PUBLIC_URL=${PUBLIC_URL:-http://localhost:$PORT}
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py seed_demo
cat <<MSG

  Shopbot demo is running.
    Demo shop:  $PUBLIC_URL/demo/demo/   (a storefront with the chat widget; try "Browse as")
    Dashboard:  $PUBLIC_URL/login/   (owner@demo.shopbot.local, agent@demo.shopbot.local; password above)
    API docs:   $PUBLIC_URL/api/v1/docs/
    Health:     $PUBLIC_URL/healthz
  Emails (invitations, password resets) are printed here. Stop with Ctrl+C.

MSG
exec .venv/bin/uvicorn botplatform.asgi:application --host 127.0.0.1 --port "$PORT" --no-access-log
