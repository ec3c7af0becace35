#!/usr/bin/env bash
# Container backend vs fabric8's docker-maven-plugin (d-m-p), the same workload on each side:
# image ota-test/busybox:1, busybox httpd serving /health, ready once GET /health answers 200.
#
#   baseline   mvn validate                                   Maven start-up alone
#   dmp        mvn docker:start docker:stop                   d-m-p as configured in pom.xml (stopMode
#                                                             graceful: docker stop, 10 s engine grace)
#   dmp-kill   mvn docker:start docker:stop -Dbench.dmp.stopMode=kill
#                                                             d-m-p stopping with SIGKILL at once
#   ota-cold   mvn ota:activate ota:deactivate -Dota.task=client, after `ota:clean` (untimed):
#              creates the persistent container, starts `web` in it, waits, stops `web`
#   ota-warm   the same, after an untimed `ota:activate` (container and `web` already up):
#              reuses both; deactivate stops nothing, since this build started nothing
#
# Every timed command is one whole `mvn -B -q -o` invocation in this directory. Results (hyperfine
# JSON and CSV, and summary.txt) go to target/results/. Needs a Docker engine, the ota-maven plugin
# installed in the local repository (`mvn install -DskipTests` at the repository root) and, once,
# network access to Maven Central to resolve docker-maven-plugin. Report: docs/performance.md,
# "Container backend vs docker-maven-plugin".
#
# Environment: RUNS (default 10), WARMUP (default 1), SERIES (default
# "baseline dmp dmp-kill ota-cold ota-warm"). The summary also uses what an earlier run left for
# the series not named, so on a busy machine the series can be measured one at a time, each in a
# quiet moment. Plugin versions are properties in pom.xml. Where others install ota-maven-plugin
# snapshots meanwhile, give the run its own local repository:
# MAVEN_OPTS=-Dmaven.repo.local=<a copy of ~/.m2/repository with this checkout installed>.
set -euo pipefail

cd "$(dirname "$0")"
RUNS="${RUNS:-10}"
WARMUP="${WARMUP:-1}"
SERIES="${SERIES:-baseline dmp dmp-kill ota-cold ota-warm}"
OUT=target/results
MVN="mvn -B -q -o"
DMP_LABEL="dmp.coordinates=dev.ota.benchmarks:container-vs-dmp:0.1.0-SNAPSHOT"

if ! command -v hyperfine >/dev/null 2>&1; then
  echo "== installing hyperfine"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q hyperfine >/dev/null
fi

if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  echo "no Docker engine answers (docker version failed)." >&2
  echo "Start one from the repository root with: .ci/docker-engine.sh start" >&2
  exit 1
fi
../../.ci/test-image.sh
if pgrep -f 'plexus-classworlds|surefire' >/dev/null; then
  echo "warning: other Maven or test JVMs are running; the figures will be noisy" >&2
fi

# Leaves nothing behind: the benchmark's ota containers (this directory's ota:clean) and any
# container d-m-p left after an interrupted run (found by the label d-m-p puts on it).
cleanup() {
  $MVN ota:clean >/dev/null 2>&1 || echo "warning: ota:clean failed; run 'mvn ota:clean' in $PWD" >&2
  docker ps -aq --filter "label=$DMP_LABEL" | xargs -r docker rm -f >/dev/null || true
}
trap cleanup EXIT

echo "== checking the contract (ota:validate) and resolving docker-maven-plugin (docker:stop, online)"
if ! $MVN ota:validate; then
  echo "ota:validate failed: is ota-maven-plugin installed? ('mvn install -DskipTests' at the repository root)" >&2
  exit 1
fi
mvn -B -q docker:stop
cleanup
mkdir -p "$OUT"
for s in $SERIES; do rm -f "$OUT/$s.json" "$OUT/$s.csv"; done

ACTIVATE="$MVN ota:activate ota:deactivate -Dota.task=client"
series() { # name, prepare command (or ""), timed command
  local name=$1 prepare=$2 command=$3
  local opts=(--style basic --warmup "$WARMUP" --runs "$RUNS" --command-name "$name"
    --export-json "$OUT/$name.json" --export-csv "$OUT/$name.csv")
  [ -z "$prepare" ] || opts+=(--prepare "$prepare >$OUT/prepare.log 2>&1")
  echo
  echo "== $name"
  if ! hyperfine "${opts[@]}" "$command"; then
    echo "series $name failed; once more with its output:" >&2
    if [ -n "$prepare" ] && ! $prepare; then
      echo "(the prepare command failed: $prepare)" >&2
    else
      $command || true
    fi
    exit 1
  fi
}
for s in $SERIES; do
  case "$s" in
    baseline) series baseline "" "$MVN validate" ;;
    dmp)      series dmp "" "$MVN docker:start docker:stop" ;;
    dmp-kill) series dmp-kill "" "$MVN docker:start docker:stop -Dbench.dmp.stopMode=kill" ;;
    ota-cold) series ota-cold "$MVN ota:clean" "$ACTIVATE" ;;
    ota-warm) series ota-warm "$MVN ota:activate -Dota.task=client" "$ACTIVATE" ;;
    *) echo "unknown series: $s" >&2; exit 2 ;;
  esac
done

# Summary: medians (s), then ratios of whole invocations (raw) and with the baseline median
# subtracted from both sides (net: goal time only).
median() { [ -f "$OUT/$1.csv" ] && awk -F, 'NR == 2 { print $4 }' "$OUT/$1.csv" || echo ""; }
{
  echo "$(date -u +%FT%TZ); nproc $(nproc); docker $(docker version --format '{{.Server.Version}}'),"\
    "storage driver $(docker info --format '{{.Driver}}'); $(mvn -B -v | grep -o 'Apache Maven [0-9.]*\|Java version: [0-9.]*' | paste -sd, -)"
  echo "runs per series: $RUNS (warmup $WARMUP); medians of whole mvn invocations"
  echo
  printf '%-10s %9s %9s %9s %9s %9s %9s\n' series "median s" "net s" "mean s" "sd s" "min s" "max s"
  base=$(median baseline)
  for s in baseline dmp dmp-kill ota-cold ota-warm; do
    [ -f "$OUT/$s.csv" ] || continue
    awk -F, -v s="$s" -v base="${base:-}" 'NR == 2 {
      net = base == "" ? "-" : sprintf("%.3f", $4 - base)
      printf "%-10s %9.3f %9s %9.3f %9.3f %9.3f %9.3f\n", s, $4, net, $2, $3, $7, $8 }' "$OUT/$s.csv"
  done
  echo
  printf '%-22s %8s %8s   %s\n' ratio raw net target
  ratio() { # label numerator denominator target
    local a b; a=$(median "$2"); b=$(median "$3")
    [ -n "$a" ] && [ -n "$b" ] || return 0
    awk -v a="$a" -v b="$b" -v base="${base:-}" -v l="$1" -v t="$4" 'BEGIN {
      net = (base == "" || b - base <= 0) ? "-" : sprintf("%.2f", (a - base) / (b - base));
      printf "%-22s %8.2f %8s   %s\n", l, a / b, net, t }'
  }
  ratio "ota-cold / dmp" ota-cold dmp "<= 1.2"
  ratio "ota-cold / dmp-kill" ota-cold dmp-kill "<= 1.2"
  ratio "dmp / ota-warm" dmp ota-warm ">= 5"
  ratio "dmp-kill / ota-warm" dmp-kill ota-warm ">= 5"
  ratio "ota-cold / ota-warm" ota-cold ota-warm "(reported)"
} | tee "$OUT/summary.txt"
