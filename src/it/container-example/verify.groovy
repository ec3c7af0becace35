import groovy.json.JsonSlurper

// container-example: the shipped shared-container example run twice; the second receipt says reused
def log = new File(basedir, 'build.log').text
def receiptsDir = new File(basedir, 'example/target/ota/receipts')
def files = (receiptsDir.listFiles() as List).findAll { it.name ==~ /\d{8}T\d{6}\.\d{3}Z-.*\.json/ }.sort { it.name }
assert files.collect { (it.name =~ /Z-(.*)\.json$/)[0][1] } == ['run-smoke', 'run-smoke', 'clean'] : "receipts: ${files*.name}"
def slurper = new JsonSlurper()
def (first, second, clean) = files.collect { slurper.parse(it) }

[first, second].each { r ->
    assert r.ok == true && r.status == 'READY' : "${r.status} ${r.error}"
    assert r.backend_units.size() == 1
    assert r.backend_units[0].unit == 'shared_backend:workbench'
    assert r.backend_units[0].image == 'ota-test/busybox:1'
    assert r.backend_units[0].container ==~ /ota-[0-9a-f]{16}/
    def requested = r.steps.find { it.execution_relation == 'requested' }
    assert requested.task == 'smoke' && requested.exit_code == 0
}
assert first.backend_units[0].reuse == 'created' : first.backend_units
assert second.backend_units[0].reuse == 'reused' : second.backend_units
assert second.backend_units[0].container_id == first.backend_units[0].container_id

def words = { r -> r.steps.collectMany { it.target_resolutions ?: [] }.collect { "${it.target}:${it.activation?.status}".toString() } }
assert words(first).containsAll(['api:started_ready', 'sandbox:started_ready']) : words(first)
assert words(second).every { it.endsWith('reused_ready') } : words(second)
// the sandbox reached the API through the in-container address; smoke through the published ports
def sandboxApi = first.steps.collectMany { it.target_resolutions ?: [] }.find { it.service_ref?.address_view == 'topology' }
assert sandboxApi.effective_url == 'http://127.0.0.1:8080'
assert log.contains('smoke: api http://127.0.0.1:18080 ok; sandbox http://127.0.0.1:18081 ok')

assert clean.ok == true
assert clean.backend_units.collect { it.reuse } == ['removed']
assert log.contains("removed persistent container ${first.backend_units[0].container}")
// status before clean listed the container and both workloads; after clean nothing is left
assert log =~ /${first.backend_units[0].container}\s+shared_backend:workbench\s+persistent\s+running/
assert log.contains('no ota-owned services recorded for example/ota.yaml')
def left = ['docker', 'ps', '-aq', '--filter', "name=${first.backend_units[0].container}"].execute().text.trim()
assert left.isEmpty() : "container still present: ${left}"
return true
