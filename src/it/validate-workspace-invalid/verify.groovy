assert !new File(basedir, 'pom.xml').exists() : 'this case must run without a pom.xml'

def log = new File(basedir, 'build.log').text

// the dependency cycle, named hop by hop, where its first edge is declared
assert log =~ /ota\.workspace\.yaml:7:\d+: error: repos\.api\.depends_on\[0\]: repos depend on each other in a cycle: api -> web -> api/ : 'cycle not reported with file:line'
// the unknown dependency, at its list entry
assert log =~ /ota\.workspace\.yaml:10:\d+: error: repos\.web\.depends_on\[1\]: repo `web` depends on `auth`, which is not a repo of this workspace/ : 'unknown depends_on not reported with file:line'
// the repo directory that is not there
assert log =~ /ota\.workspace\.yaml:12:\d+: error: repos\.billing\.path: repo `billing`: directory `repos\/billing` does not exist/ : 'missing path not reported with file:line'
// a repo contract's cross-repo target is reported in that contract's own file
assert log =~ /repos\/web\/ota\.yaml:9:\d+: error: tasks\.e2e\.targets\.api\.service\.task: .*references unknown `service\.task: serve` in workspace repo `api`/ : 'cross-repo target error not reported in the repo contract'
// every error carries its fix
assert log =~ /repos\.billing\.path: .* Fix: check out the repo at `repos\/billing`/

assert log.contains('INVALID ota.workspace.yaml: 4 error(s)') : 'missing the INVALID headline'
assert log.contains('BUILD FAILURE')
assert !log.contains('at dev.ota') : 'stack trace in the log'
assert !log.contains('Exception in thread') : 'stack trace in the log'

return true
