// workspace-invalid: one failed build per broken workspace file (see invoker.properties), each
// stopped by the core extension before any mojo, naming the file, line and column, and the fix.
def log = new File(basedir, 'build.log').text
// build.log holds the invocations in order, each starting with the Maven version (showVersion)
def runs = log.split(/(?=Apache Maven \d+\.\d+\.\d+)/).findAll { it.startsWith('Apache Maven') }
assert runs.size() == 5 : "expected 5 invocations in build.log, found ${runs.size()}"

def expected = [
    /\[ERROR\] bad\/cycle\.yaml:8:18: error: repos\.api\.depends_on\[0\]: repos depend on each other in a cycle: api -> web -> api; .* Fix: remove one `depends_on` entry of the cycle/,
    /\[ERROR\] bad\/unknown-dependency\.yaml:10:23: error: repos\.web\.depends_on\[1\]: repo `web` depends on `auth`, which is not a repo of this workspace; .* Fix: declare `repos\.auth`, or remove it from `repos\.web\.depends_on`\./,
    /\[ERROR\] bad\/missing-path\.yaml:12:11: error: repos\.billing\.path: repo `billing`: directory `\.\.\/billing` does not exist .* Fix: check out the repo at `\.\.\/billing`/,
    /\[ERROR\] bad\/duplicate-path\.yaml:12:11: error: repos\.gateway\.path: repos `api` and `gateway` use the same directory .* Fix: point `repos\.gateway\.path` at its own directory/,
    /\[ERROR\] bad\/required-on-optional\.yaml:11:18: error: repos\.web\.depends_on\[0\]: required repo `web` depends on optional repo `api`; .* Fix: mark `api` required, make `web` `required: false`, or drop the dependency\./,
]
def files = ['cycle', 'unknown-dependency', 'missing-path', 'duplicate-path', 'required-on-optional']
runs.eachWithIndex { String run, int i ->
    def name = "bad/${files[i]}.yaml"
    assert run.contains("[ERROR] INVALID ${name}: 1 error(s)") : "run ${i + 1}: no INVALID headline for ${name}"
    assert run =~ expected[i] : "run ${i + 1}: the error of ${name} is missing or changed"
    assert run.contains('BUILD FAILURE') || run.contains('MavenExecutionException') : "run ${i + 1} did not fail"
    assert !run.contains('--- ') : "run ${i + 1}: a mojo ran before the extension failed the build"
    assert !run.contains(':help (must-not-run)') : "run ${i + 1}: ota:help ran"
    assert !run.contains('\tat dev.ota') && !run.contains('Exception in thread') : "run ${i + 1}: stack trace"
}
return true
