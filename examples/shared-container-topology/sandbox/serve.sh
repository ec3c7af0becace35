#!/bin/sh
# The sandbox helper: reads the API's status through the in-container address ota resolved
# (address_view: topology -> http://127.0.0.1:8080) and serves a page about it on :8081.
set -e
api="$1"
www=/tmp/sandbox-www
mkdir -p "$www"
status=$(wget -q -O - "$api/index.json")
printf '<html><body><h1>sandbox</h1><p>API %s says %s</p></body></html>\n' "$api" "$status" > "$www/index.html"
echo "sandbox: API at $api answered $status"
exec httpd -f -p 0.0.0.0:8081 -h "$www"
