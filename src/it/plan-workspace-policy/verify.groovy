import groovy.json.JsonSlurper

assert !new File(basedir, 'pom.xml').exists() : 'this case must run without a pom.xml'

def log = new File(basedir, 'build.log').text

// 1. repo api has neither OTA_POLICY nor a .ota/org-policy.yaml: workspace.policy governs it
def api = new JsonSlurper().parse(new File(basedir, 'repos/api/target/ota/plan.json'))
assert api.ok == true
assert api.policy.source == 'workspace policy'
assert api.policy.path.replace('\\', '/').endsWith('/policy/org-policy.yaml')
assert log =~ /org policy: .*policy.org-policy\.yaml \(workspace policy\)/ : 'the plan text does not name the workspace policy'

// 2. the same policy denies repo box's docker.io image: the plan is refused, naming the policy
def box = new JsonSlurper().parse(new File(basedir, 'repos/box/target/ota/plan.json'))
assert box.ok == false
assert box.policy.source == 'workspace policy'
assert box.errors.any { it.code == 'OTA_POLICY_REFUSED' && it.message.contains('denies registry `docker.io`') }
assert log.contains('BUILD FAILURE')
assert !log.contains('at dev.ota') : 'stack trace in the log'

return true
