#!/usr/bin/env bash
# The core extension's overhead on `mvn -q -o validate` of a generated 30-repo workspace reactor
# (docs/performance.md, "Workspace extension overhead"). From the repository root, after
# `mvn install -DskipTests` (the extension and the plugin must be in the local repository):
#
#   benchmarks/workspace-overhead/run.sh [runs] [warmup]        (defaults: 15 runs, 3 warmup)
#
# Environment: MVN (default `mvn`; e.g. MVN="mvn -Dmaven.repo.local=/some/repo"), REPOS (default 30).
# Needs hyperfine (`apt-get install hyperfine`) and Java 17. Takes about 3 minutes; run it on an
# otherwise idle machine (`pgrep -fa 'maven|surefire|invoker|jmh'` should print nothing).
#
# It generates (Generate.java) the same reactor twice under target/: `with/` registers the extension
# in .mvn/extensions.xml, `without/` does not. hyperfine then times, side by side:
#   extension     `mvn -q -o validate` in with/: the workspace is unchanged between runs, so (after
#                 the warmup) the extension reuses its cached resolution (docs/workspace.md)
#   uncached      the same with -Dota.workspace.cache=false: it validates the workspace every time
#   disabled      the same with -Dota.disable=true: the extension is loaded but does nothing
#   none          `mvn -q -o validate` in without/: no core extension at all
# and the script prints the ratios of the medians. Last, `runs` builds in with/ with the extension's
# debug logger on, cached and uncached, give the medians of its own line
# "ota: workspace loaded and resolved in N ms".
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-15}
warmup=${2:-3}
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

echo "== $($MVN -v | head -1); $(java -version 2>&1 | head -1); $(nproc) CPUs"
hyperfine --style basic --warmup "$warmup" --runs "$runs" --export-csv "$out/hyperfine.csv" \
    -n extension "cd $out/with && $MVN -q -o validate" \
    -n uncached "cd $out/with && $MVN -q -o validate -Dota.workspace.cache=false" \
    -n disabled "cd $out/with && $MVN -q -o validate -Dota.disable=true" \
    -n none "cd $out/without && $MVN -q -o validate"

median() { awk -F, -v n="$1" '$1 == n { print $4 }' "$out/hyperfine.csv"; }
awk -v e="$(median extension)" -v u="$(median uncached)" -v d="$(median disabled)" -v n="$(median none)" 'BEGIN {
    printf "median: extension %.3f s, uncached %.3f s, disabled %.3f s, none %.3f s\n", e, u, d, n
    printf "extension / disabled = %.3f (%+.1f%%; target <= +5%%)\n", e / d, (e / d - 1) * 100
    printf "uncached  / disabled = %.3f (%+.1f%%)\n", u / d, (u / d - 1) * 100
    printf "extension / none     = %.3f (%+.1f%%)\n", e / n, (e / n - 1) * 100
    printf "disabled  / none     = %.3f (%+.1f%%: Maven loading a core extension at all)\n", d / n, (d / n - 1) * 100
}'

own() { # $1: extra Maven options; prints the median of the debug line over `runs` builds
    for _ in $(seq "$runs"); do
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
