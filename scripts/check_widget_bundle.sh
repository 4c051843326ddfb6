#!/usr/bin/env bash
# Rebuild the widget from its source and fail if the committed bundle differs (the app serves the committed
# file and needs no Node). Prints the bundle's gzipped size (the budget is 15 KB).
exec "$(dirname "$0")/check_bundle.sh" widget/frontend widget/static/widget/shopbot.js 15360
