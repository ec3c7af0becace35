#!/usr/bin/env sh
# Runs the ota-core benchmarks (ota-core/src/jmh/java) through the `bench` Maven profile.
# Figures, method and machine: docs/performance.md.
#
# Usage:
#   ota-core/bench/run.sh [extra Maven options]
#       JMH. The default runs every benchmark of dev.ota.core.bench (about 4 minutes); pick some with
#       -Djmh.args, e.g. -Djmh.args="PlanBenchmark -prof gc" (about a minute) or
#       -Djmh.args=ActivationReuseBenchmark.activate. The JSON result goes to ota-core/target/jmh-result.json.
#   ota-core/bench/run.sh overhead [runs] [extra Maven options]
#       The activation-overhead harness (not JMH): `runs` (default 20) full RunService.run calls in
#       this JVM, then `runs` more each in a fresh JVM; prints per-run figures and
#       median/p90/min/max, and writes ota-core/target/overhead-result.csv. About a minute.
#       Options: -Doverhead.jvm=same|fresh|both, -Doverhead.producerDelay=<ms>.
#   ota-core/bench/run.sh cold-reuse [runs] [extra Maven options]
#       Reuse cost as the first activation of a fresh JVM (not JMH), `runs` (default 10) times.
#   ota-core/bench/run.sh remote-reuse [runs] [extra Maven options]
#       Reuse of a ready remote producer (RunService.activate over SSH, reused_ready) against a fresh
#       `ssh host true`, `runs` (default 30) times after 3 warm-ups (-DremoteReuse.warmup=N), against a
#       real sshd in a network namespace of its own (SshTestHost): needs root, iproute2, openssh-server
#       and busybox. Prints a table; writes ota-core/target/remote-reuse-result.json and .csv. About 3 minutes.
#
# They start real processes on loopback ports and should run on an otherwise idle machine:
# check first that `pgrep -fa 'maven|surefire|invoker|jmh'` shows no other build.
#
# Without Maven, after `mvn -Pbench -pl ota-core test-compile` and
#   mvn -q -Pbench -pl ota-core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
# (from the repository root):
#   java -cp "ota-core/target/test-classes:ota-core/target/classes:$(cat ota-core/target/bench.classpath)" \
#        dev.ota.core.bench.ActivationOverheadHarness 20 [csv-file] [--jvm=same|fresh|both] [--producer-delay=<ms>]
# (add -Doverhead.verbose=true before the class name to print every readiness attempt), and likewise
# dev.ota.core.bench.ColdReuseHarness 10, dev.ota.core.bench.RemoteReuseHarness 30 [json-file] [--warmup=3],
# or org.openjdk.jmh.Main ActivationReuseBenchmark.
set -eu
cd "$(dirname "$0")/../.."
case "${1:-}" in
    overhead|cold-reuse|remote-reuse)
        what=$1
        shift
        runs=
        case "${1:-}" in
            ''|-*) ;;
            *) runs=$1; shift ;;
        esac
        if [ "$what" = overhead ]; then
            exec mvn -B -ntp -Pbench -pl ota-core test-compile exec:exec@overhead ${runs:+-Doverhead.runs="$runs"} "$@"
        fi
        if [ "$what" = remote-reuse ]; then
            exec mvn -B -ntp -Pbench -pl ota-core test-compile exec:exec@remote-reuse ${runs:+-DremoteReuse.runs="$runs"} "$@"
        fi
        exec mvn -B -ntp -Pbench -pl ota-core test-compile exec:exec@cold-reuse ${runs:+-DcoldReuse.runs="$runs"} "$@"
        ;;
esac
exec mvn -B -ntp -Pbench -pl ota-core test-compile exec:exec "$@"
