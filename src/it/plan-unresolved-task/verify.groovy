import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def planFile = new File(basedir, 'target/ota/plan.json')

assert log.contains('UNRESOLVED target(s) of task sandbox: api') : 'missing the UNRESOLVED headline'
assert log.contains('Fix:') : 'the failure does not say what to do'
assert log.contains('-Dota.input.base_url=') : 'the failure does not offer the override input'
assert log.contains('BUILD FAILURE')
assert !log.contains('INVALID ') : 'an unresolved target is not an invalid contract'
assert !log.contains('at dev.ota') && !log.contains('Exception in thread') : 'stack trace in the log'

// written before the build failed
assert planFile.isFile() : "plan.json not written (${planFile})"
def plan = new JsonSlurper().parse(planFile)
assert plan.ok == false
assert plan.requested_task == 'sandbox'
assert plan.errors.any { it.code == 'OTA_TARGET_UNRESOLVED' }
def api = plan.tasks.sandbox.target_resolutions.find { it.target == 'api' }
assert api && api.effective_url == null

return true
