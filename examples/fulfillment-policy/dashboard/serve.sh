#!/bin/sh
# Reads the API through the address ota-maven handed over (inside the shared container).
set -eu
api=$1
mkdir -p dashboard/www
report=$(busybox wget -q -O - "$api/report.json")
printf '<html><body>dashboard: api at %s reports %s</body></html>\n' "$api" "$report" > dashboard/www/index.html
exec busybox httpd -f -p 0.0.0.0:8081 -h dashboard/www
