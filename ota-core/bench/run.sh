#!/usr/bin/env sh
# Runs the ota-core JMH benchmarks (ota-core/src/jmh/java) through the `bench` Maven profile.
# Usage: ota-core/bench/run.sh [extra Maven options], e.g.
#   ota-core/bench/run.sh -Djmh.args="PlanBenchmark -prof gc"
# Takes about a minute; the JSON result is written to ota-core/target/jmh-result.json.
set -eu
cd "$(dirname "$0")/../.."
exec mvn -B -ntp -Pbench -pl ota-core test-compile exec:exec "$@"
