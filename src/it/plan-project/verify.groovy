import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def planFile = new File(basedir, 'target/ota/plan.json')

assert planFile.isFile() : "plan.json not written to ${planFile}"
assert log.contains('Wrote ' + planFile.canonicalPath) || log.contains('Wrote ' + planFile.absolutePath) : 'missing the "Wrote <path>" line'
assert log.contains('BUILD SUCCESS')

def plan = new JsonSlurper().parse(planFile)
assert plan.ok == true
assert plan.schema : 'plan.json carries no schema'
assert plan.tasks instanceof Map && plan.tasks.keySet().containsAll(['dev', 'sandbox'])

def api = plan.tasks.sandbox.target_resolutions.find { it.target == 'api' }
assert api : 'no target resolution for sandbox.api'
// native caller, no shared binding: topology falls back to the fixed project.host of the shorthand
assert api.effective_url == 'http://127.0.0.1:8080/' : "effective_url was ${api.effective_url}"
assert api.source == 'target_binding'
assert api.override_input == 'base_url'
assert api.service_ref.task == 'dev'
assert api.service_ref.listener == 'http'
assert api.service_ref.address_view == 'topology'
assert !plan.errors : "unexpected errors: ${plan.errors}"

return true
