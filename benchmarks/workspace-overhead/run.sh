#!/usr/bin/env bash
# The core extension's overhead on `mvn -q -o validate` of a generated 30-repo workspace reactor
# (docs/performance.md, "Workspace extension overhead"). From the repository root, after
# `mvn install -DskipTests` (the extension and the plugin must be in the local repository):
#
#   benchmarks/workspace-overhead/run.sh [runs] [per-round]     (defaults: 15 runs, 3 per round)
#
# Environment: MVN (default `mvn`; e.g. MVN="mvn -Dmaven.repo.local=/some/repo"), REPOS (default 30).
# Needs hyperfine (`apt-get install hyperfine`) and Java 17. Takes about 5 minutes. Before each
# round it waits (up to 2 minutes) until no other Maven, Surefire or JMH JVM runs on the machine.
#
# It generates (Generate.java) the same reactor twice under target/: `with/` registers the extension
# in .mvn/extensions.xml, `without/` does not. hyperfine then times, side by side, in rounds of
# `per-round` runs of each command (one warmup each), so that a change in the machine's load
# between rounds weighs on all four alike:
#   extension     `mvn -q -o validate` in with/: the workspace is unchanged between runs, so (after
#                 the warmup) the extension reuses its cached resolution (docs/workspace.md)
#   uncached      the same with -Dota.workspace.cache=false: it validates the workspace every time
#   disabled      the same with -Dota.disable=true: the extension is loaded but does nothing
#   none          `mvn -q -o validate` in without/: no core extension at all
# and the script prints the medians over all rounds and their ratios. Last, `runs` builds in with/
# with the extension's debug logger on, cached and uncached, give the medians of its own line
# "ota: workspace loaded and resolved in N ms".
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-15}
per=${2:-3}
MVN=${MVN:-mvn}
REPOS=${REPOS:-30}
command -v hyperfine >/dev/null || { echo "hyperfine not found: apt-get install hyperfine" >&2; exit 2; }

out=target
rm -rf "$out"
java Generate.java "$out/with" --repos="$REPOS"
java Generate.java "$out/without" --repos="$REPOS" --no-extension
# one build each first: fails fast if the extension is not installed, and fills Maven's caches
(cd "$out/with" && $MVN -B -q -o validate)
(cd "$out/without" && $MVN -B -q -o validate)

echo "== $($MVN -B -v | head -1); $(java -version 2>&1 | head -1); $(nproc) CPUs"
wait_idle() {
    for _ in $(seq 24); do
        pgrep -f 'plexus.classworlds.launcher|surefire|org.openjdk.jmh' >/dev/null || return 0
        sleep 5
    done
    echo "(another build is still running; measuring anyway)"
}
rounds=$(( (runs + per - 1) / per ))
for round in $(seq "$rounds"); do
    wait_idle
    echo "== round $round of $rounds (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    hyperfine --style basic --warmup 1 --runs "$per" --export-json "$out/round-$round.json" \
        -n extension "cd $out/with && $MVN -q -o validate" \
        -n uncached "cd $out/with && $MVN -q -o validate -Dota.workspace.cache=false" \
        -n disabled "cd $out/with && $MVN -q -o validate -Dota.disable=true" \
        -n none "cd $out/without && $MVN -q -o validate" | grep -E '^(Benchmark|  Time)'
done
# every run's time, "command seconds", from the rounds' JSON
awk '/"command":/ { gsub(/[",]/, "", $2); c = $2 } /"times": \[/ { t = 1; next } t && /\]/ { t = 0 }
     t { gsub(/,/, "", $1); print c, $1 }' "$out"/round-*.json > "$out/times.txt"
median() { awk -v n="$1" '$1 == n { print $2 }' "$out/times.txt" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
count() { awk -v n="$1" '$1 == n' "$out/times.txt" | wc -l; }
echo "== $(count extension) runs of each command"
awk -v e="$(median extension)" -v u="$(median uncached)" -v d="$(median disabled)" -v n="$(median none)" 'BEGIN {
    printf "median: extension %.3f s, uncached %.3f s, disabled %.3f s, none %.3f s\n", e, u, d, n
    printf "extension / disabled = %.3f (%+.1f%%; target <= +5%%)\n", e / d, (e / d - 1) * 100
    printf "uncached  / disabled = %.3f (%+.1f%%)\n", u / d, (u / d - 1) * 100
    printf "extension / none     = %.3f (%+.1f%%)\n", e / n, (e / n - 1) * 100
    printf "disabled  / none     = %.3f (%+.1f%%: Maven loading a core extension at all)\n", d / n, (d / n - 1) * 100
}'

own() { # $1: extra Maven options; prints the median of the debug line over `runs` builds
    for _ in $(seq "$runs"); do
        wait_idle >/dev/null
        (cd "$out/with" && $MVN -B -o -Dorg.slf4j.simpleLogger.log.dev.ota=debug $1 validate) \
            | sed -n 's/.*workspace loaded and resolved in \([0-9]*\) ms (\(.*\))$/\1 \2/p'
    done | sort -n | awk '{ t[NR] = $1; line[NR] = $0 } END {
        m = int((NR + 1) / 2)
        printf "median %d ms (min %d, max %d) over %d builds; target <= 30 ms\n  median build: %s\n", t[m], t[1], t[NR], NR, line[m]
    }'
}
echo "== the extension's own time (debug line), unchanged workspace (cache)"
own ""
echo "== the extension's own time (debug line), -Dota.workspace.cache=false"
own "-Dota.workspace.cache=false"
