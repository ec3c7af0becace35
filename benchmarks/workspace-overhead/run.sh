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
#   extension     `mvn -q -o validate` in with/
#   disabled      `mvn -q -o validate -Dota.disable=true` in with/ (extension loaded, does nothing)
#   none          `mvn -q -o validate` in without/ (no core extension at all)
# and the script prints the ratios of the medians. Last, `runs` more builds in with/ with the
# extension's debug logger on give the median of its own line
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
    -n disabled "cd $out/with && $MVN -q -o validate -Dota.disable=true" \
    -n none "cd $out/without && $MVN -q -o validate"

median() { awk -F, -v n="$1" '$1 == n { print $4 }' "$out/hyperfine.csv"; }
ext=$(median extension); dis=$(median disabled); none=$(median none)
awk -v e="$ext" -v d="$dis" -v n="$none" 'BEGIN {
    printf "median: extension %.3f s, disabled %.3f s, none %.3f s\n", e, d, n
    printf "extension / disabled = %.3f (+%.1f%%; target <= 5%%)\n", e / d, (e / d - 1) * 100
    printf "extension / none     = %.3f (+%.1f%%)\n", e / n, (e / n - 1) * 100
    printf "disabled / none      = %.3f (+%.1f%%: Maven loading a core extension at all)\n", d / n, (d / n - 1) * 100
}'

echo "== the extension's own time (debug line), $runs builds"
for _ in $(seq "$runs"); do
    (cd "$out/with" && $MVN -B -o -Dorg.slf4j.simpleLogger.log.dev.ota=debug validate) \
        | sed -n 's/.*workspace loaded and resolved in \([0-9]*\) ms (validate \([0-9]*\) ms.*json \([0-9]*\) ms).*/\1 \2 \3/p'
done | sort -n | awk '{ t[NR] = $1; v[NR] = $2; j[NR] = $3 } END {
    m = int((NR + 1) / 2)
    printf "load+resolve: median %d ms (min %d, max %d) over %d builds; target <= 30 ms\n", t[m], t[1], t[NR], NR
    printf "  of the median build: validate %d ms, workspace.json %d ms\n", v[m], j[m]
}'
