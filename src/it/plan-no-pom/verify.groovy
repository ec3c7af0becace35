import groovy.json.JsonSlurper

assert !new File(basedir, 'pom.xml').exists() : 'this case must run without a pom.xml'

def log = new File(basedir, 'build.log').text
def planFile = new File(basedir, 'contract/target/ota/plan.json')

assert planFile.isFile() : "plan.json not written next to the contract (${planFile})"
assert !new File(basedir, 'target/ota/plan.json').exists() : 'plan.json must sit next to the contract, not in the current directory'
assert log.contains('BUILD SUCCESS')
assert log.contains('Wrote ')

def plan = new JsonSlurper().parse(planFile)
assert plan.ok == true
assert plan.requested_task == 'sandbox'

def api = plan.tasks.sandbox.target_resolutions.find { it.target == 'api' }
assert api : 'no target resolution for sandbox.api'
assert api.source == 'explicit_override'
assert api.override_input == 'base_url'
assert api.effective_url == 'http://127.0.0.1:9999'

// the plan is printed as a table: the task, its target and the overridden URL appear in the log
def infoLines = log.readLines().findAll { it.contains('[INFO]') }
assert infoLines.any { it.contains('sandbox') }
assert infoLines.any { it.contains('api') && it.contains('http://127.0.0.1:9999') } : 'the plan table does not show the target'

return true
