#!/usr/bin/env bash
# The analytics dashboard's charts (Chart.js): the committed bundle must equal a rebuild of its source.
exec "$(dirname "$0")/check_bundle.sh" analytics/frontend analytics/static/analytics/dashboard.js
