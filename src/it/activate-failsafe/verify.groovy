import groovy.json.JsonSlurper

// activate-failsafe: ota:activate starts dev (port 18103) before real Failsafe tests that reach it
// through the promoted system property and through ${ota.target.api}; ota:deactivate stops it.
final int PORT = 18103
final String URL = "http://127.0.0.1:${PORT}/".toString()

def fullLog = new File(basedir, 'build.log').text
// build.log holds both invocations: the build (verify), then ota:clean
def cleanAt = fullLog.indexOf(':clean (default-cli) @')
assert cleanAt > 0 : 'ota:clean did not run'
def log = fullLog.substring(0, cleanAt)
assert log.contains('BUILD SUCCESS') : 'the build failed'

// the goals ran in lifecycle order
// (Maven 3.8 prints `maven-failsafe-plugin:3.5.2:verify`, 3.9 `failsafe:3.5.2:verify`)
def order = [':activate (activate-api) @', ':integration-test (default) @', ':deactivate (deactivate-api) @', ':verify (default) @']
def positions = order.collect { log.indexOf(it) }
assert !positions.contains(-1) : "missing goals in the log: ${[order, positions].transpose().findAll { it[1] < 0 }*.getAt(0)}"
assert positions == positions.toSorted() : "goals ran out of order: ${positions}"

// the tests ran, passed, and reached the API
def summary = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new File(basedir, 'target/failsafe-reports/failsafe-summary.xml')).documentElement
def count = { String name -> summary.getElementsByTagName(name).item(0).textContent.trim() as int }
assert count('completed') == 2 : "failsafe ran ${count('completed')} tests"
assert count('failures') == 0 && count('errors') == 0 && count('skipped') == 0 : 'not every test passed'
def evidence = new File(basedir, 'target/it-evidence.txt').readLines()
assert evidence.sort() == ["ApiExpressionIT GET ${URL}health -> 200", "ApiIT GET ${URL}health -> 200"]*.toString()

// exported targets
def props = new Properties()
new File(basedir, 'target/ota/targets.properties').withInputStream { props.load(it) }
assert props.getProperty('ota.target.api') == URL : "targets.properties: ${props}"
assert props.getProperty('ota.target.it.api') == URL
assert log.contains("ota.target.api = ${URL}") : 'activate does not log the exported property'

// receipts: activate started dev and waited for it; deactivate stopped it
def receiptsDir = new File(basedir, 'target/ota/receipts')
def files = (receiptsDir.listFiles() as List).findAll { it.name ==~ /\d{8}T\d{6}\.\d{3}Z-.*\.json/ }.sort { it.name }
def kinds = files.collect { (it.name =~ /Z-(.*)\.json$/)[0][1] }
assert kinds.size() == 3 && kinds[0] == 'activate-it' && kinds[1].startsWith('deactivate') && kinds[2] == 'clean' : "receipts: ${files*.name}"
def slurper = new JsonSlurper()
def activate = slurper.parse(files[0])
assert activate.schema == 'ota-maven/receipt@1'
assert activate.goal == 'activate' && activate.task == 'it'
assert activate.ok == true && activate.status == 'READY' && activate.exit_code == 0
def api = activate.steps.collectMany { it.target_resolutions ?: [] }.find { it.target == 'api' }
assert api : "no resolution of api: ${activate.steps}"
assert api.activation.mode == 'ensure_ready'
assert api.activation.status == 'started_ready' : "activate: ${api.activation.status}"
assert api.activation.probe?.result == 'ready' && api.activation.probe.attempts >= 1
assert api.effective_url == URL
assert !activate.steps.any { it.execution_relation == 'requested' } : 'activate ran the task body'

def deactivate = slurper.parse(files[1])
assert deactivate.goal == 'deactivate'
assert deactivate.ok == true && deactivate.status == 'DEACTIVATED' : "deactivate: ${deactivate.status} ${deactivate.error}"
assert deactivate.steps.find { it.task == 'dev' }?.status == 'STOPPED' : "deactivate steps: ${deactivate.steps}"
assert !log.contains('build ended before ota:deactivate') : 'ota:deactivate left something for the end of the session'
def stoppedPid = (log =~ /stopped `dev` \(pid (\d+)\)/)
assert stoppedPid.find() : 'ota:deactivate did not log the stop'
assert !ProcessHandle.of(stoppedPid.group(1) as long).map { it.isAlive() }.orElse(false) : 'dev still runs'

// the clean afterwards found nothing to stop
def clean = slurper.parse(files[2])
assert clean.ok == true && clean.status == 'CLEANED'
assert !clean.steps.any { it.status == 'STOPPED' } : "dev was still running after the build: ${clean.steps}"
assert fullLog.count('BUILD SUCCESS') == 2

// nothing left: no record, no listener, no process
def services = new File(basedir, '.ota/state/services')
assert services.isDirectory() && services.list().length == 0 : "records left behind: ${services.list()}"
def portFree = {
    for (int i = 0; i < 50; i++) {
        def socket = new Socket()
        try {
            socket.connect(new InetSocketAddress('127.0.0.1', PORT), 500)
        } catch (ConnectException refused) {
            return true
        } finally {
            socket.close()
        }
        Thread.sleep(100)
    }
    return false
}
assert portFree() : "port ${PORT} still accepts connections after the build"
def leftovers = ProcessHandle.allProcesses().filter { p -> p.info().commandLine().map { it.contains('DevApi.java') && it.contains("${PORT}") }.orElse(false) }.toList()
assert leftovers.isEmpty() : "producer processes left: ${leftovers*.pid()}"
return true
