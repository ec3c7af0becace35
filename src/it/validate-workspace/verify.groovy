assert !new File(basedir, 'pom.xml').exists() : 'this case must run without a pom.xml'

def log = new File(basedir, 'build.log').text

assert log.contains('BUILD SUCCESS')
// one summary line for the whole workspace: repos, tasks of every repo contract, cross-repo targets, warnings
assert log.contains('ota.workspace.yaml is valid: 3 repos, 3 tasks, 1 cross-repo target, 1 warning') : 'workspace summary line missing'
// the cross-repo target resolved to the producer's fixed project.host
assert log =~ /web:e2e -> api = api:dev\.http http:\/\/127\.0\.0\.1:18080\// : 'cross-repo resolution not shown'
// a field ota-maven does not act on: one warning, with file:line:column
assert log =~ /ota\.workspace\.yaml:4:3: warning: workspace\.git_base: .*not supported by ota-maven yet/ : 'git_base warning missing'

// nothing was written or started: validation is read-only
assert !new File(basedir, 'target').exists() : 'ota:validate must not write anything'
assert !log.contains('at dev.ota') : 'stack trace in the log'

return true
