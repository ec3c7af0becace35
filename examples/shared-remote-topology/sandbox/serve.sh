#!/bin/sh
# Reads the API's health through the address ota-maven handed over (the devbox's own loopback),
# then serves a page about it.
set -eu
api=$1
mkdir -p sandbox/www
health=$(busybox wget -q -O - "$api/health.txt")
printf '<html><body>sandbox: api at %s says %s</body></html>\n' "$api" "$health" > sandbox/www/index.html
exec busybox httpd -f -p 0.0.0.0:18181 -h sandbox/www
