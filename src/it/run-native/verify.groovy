import groovy.json.JsonSlurper

// run-native: started_ready, reused_ready, skipped_explicit_override, status, clean (port 18101)
final int PORT = 18101
final String URL = "http://127.0.0.1:${PORT}/".toString()

def log = new File(basedir, 'build.log').text
def receiptsDir = new File(basedir, 'target/ota/receipts')
assert receiptsDir.isDirectory() : "no receipts under ${receiptsDir}"

// latest.json is replaced by every goal; the timestamped names sort in the order they were written
def receiptFiles = (receiptsDir.listFiles() as List).findAll { it.name ==~ /\d{8}T\d{6}\.\d{3}Z-.*\.json/ }.sort { it.name }
def names = receiptFiles*.name
def runFiles = receiptFiles.findAll { it.name.endsWith('-run-sandbox.json') }
def cleanFiles = receiptFiles.findAll { it.name.endsWith('-clean.json') }
assert runFiles.size() == 3 : "expected 3 run receipts, found ${names}"
assert cleanFiles.size() == 1 : "expected 1 clean receipt, found ${names}"
assert names.last() == cleanFiles[0].name : "clean ran last, but the receipts are ${names}"

def slurper = new JsonSlurper()
def runs = runFiles.collect { slurper.parse(it) }
def latest = slurper.parse(new File(receiptsDir, 'latest.json'))
assert latest.goal == 'clean' : 'latest.json is the receipt of the last goal (clean)'

def apiResolution = { receipt ->
    def found = receipt.steps.collectMany { it.target_resolutions ?: [] }.findAll { it.target == 'api' }
    assert found.size() == 1 : "expected one resolution of api in ${receipt}"
    found[0]
}

// every run receipt: the common shape
runs.eachWithIndex { r, i ->
    def where = "run receipt #${i + 1} (${runFiles[i].name})"
    assert r.schema == 'ota-maven/receipt@1' : where
    assert r.ok == true : where
    assert r.status == 'READY' : where
    assert r.failure_class == null : where
    assert r.goal == 'run' : where
    assert r.task == 'sandbox' : where
    assert r.exit_code == 0 : where
    assert r.backend == 'native' : where
    assert r.contract_identity?.project?.name == 'it-run-native' : where
    assert r.env?.OTA_TARGET_API == URL : "${where}: OTA_TARGET_API was ${r.env?.OTA_TARGET_API}"
    def requested = r.steps.findAll { it.execution_relation == 'requested' }
    assert requested.size() == 1 : "${where}: one requested step expected, steps ${r.steps*.label}"
    assert requested[0].task == 'sandbox' : where
    assert requested[0].exit_code == 0 : where
    assert requested[0].status == 'DONE' : where
    assert r.steps*.order == (1..r.steps.size()).toList() : "${where}: step orders ${r.steps*.order}"
    r.steps.each { s -> assert s.timings?.started_at && s.timings.elapsed_ms >= 0 : "${where}: step ${s.label} has no timings" }
    assert r.summary.step_count == r.steps.size() : where
    assert r.maven?.artifact_id == 'ota-maven-plugin' : where
}

// 1: started_ready, with the readiness probe's evidence
def first = runs[0]
def act1 = first.steps.findAll { it.execution_relation == 'activation' }
assert act1.size() == 1 : "run 1: one activation step expected, steps ${first.steps*.label}"
assert act1[0].task == 'dev' && act1[0].execution_parent == 'sandbox'
def api1 = apiResolution(first)
assert api1.source == 'target_binding'
assert api1.effective_url == URL
assert api1.service_ref.task == 'dev' && api1.service_ref.listener == 'http'
assert api1.activation.mode == 'ensure_ready'
assert api1.activation.status == 'started_ready' : "run 1 was ${api1.activation.status}"
assert api1.activation.producer == 'dev'
def probe = api1.activation.probe
assert probe : 'run 1: a started producer is waited for; no probe evidence in the receipt'
assert probe.kind == 'http'
assert probe.result == 'ready'
assert probe.attempts >= 1 : "probe attempts ${probe.attempts}"
assert probe.elapsed_ms >= 0
assert probe.endpoint.contains("127.0.0.1:${PORT}/health")
assert act1[0].order < first.steps.find { it.execution_relation == 'requested' }.order : 'activation comes before the task'

// 2: reused_ready, no new start
def second = runs[1]
def api2 = apiResolution(second)
assert api2.activation.status == 'reused_ready' : "run 2 was ${api2.activation.status}"
assert api2.source == 'target_binding'
assert api2.activation.reuse?.owned == true : "run 2 reused a process ota started: ${api2.activation.reuse}"

// 3: the explicit override wins; nothing is activated
def third = runs[2]
def api3 = apiResolution(third)
assert api3.activation.status == 'skipped_explicit_override' : "run 3 was ${api3.activation.status}"
assert api3.source == 'explicit_override'
assert api3.override_input == 'base_url'
assert api3.effective_url == URL
assert !third.steps.any { it.execution_relation == 'activation' } : "run 3 activated something: ${third.steps*.label}"

// the sandbox reached dev each time
assert log.count("| sandbox: GET http://127.0.0.1:${PORT}/health -> 200") == 3 : 'the sandbox did not get 200 three times'
assert log.count('BUILD SUCCESS') == 5 : 'not every invocation succeeded'
assert log.count('ota:run of `sandbox` succeeded') == 3 : 'ota:run did not report success three times'
assert log.count('starting `dev`') == 1 : 'dev was started more than once'

// 4: status lists dev as running with its URL
def statusLines = log.readLines().findAll { it.contains('[INFO]') && it =~ /\bdev\b/ && it.contains('running') }
assert statusLines.any { it.contains(URL) } : "ota:status did not list dev as running with ${URL}"

// 5: clean stopped it
def clean = slurper.parse(cleanFiles[0])
assert clean.ok == true && clean.status == 'CLEANED' : "clean receipt: ${clean.status}"
def teardown = clean.steps.find { it.task == 'dev' }
assert teardown?.status == 'STOPPED' : "clean did not stop dev: ${clean.steps}"
def statusPid = (statusLines.find { it.contains(URL) } =~ /\bdev\s+native\s+(\d+)\s+running/)[0][1] as long
assert log.contains("stopped `dev` (pid ${statusPid})") : "clean did not stop the pid status listed (${statusPid})"
assert api2.activation.reuse?.pid == statusPid : "run 2 reused pid ${api2.activation.reuse?.pid}, status listed ${statusPid}"

// nothing left: no record, no listener, no process
def services = new File(basedir, '.ota/state/services')
assert services.isDirectory() : 'the state directory was never written'
assert services.list().length == 0 : "records left behind: ${services.list()}"

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
assert portFree() : "port ${PORT} still accepts connections after ota:clean"
def leftovers = ProcessHandle.allProcesses().filter { p -> p.info().commandLine().map { it.contains('DevApi.java') && it.contains("${PORT}") }.orElse(false) }.toList()
assert leftovers.isEmpty() : "producer processes left: ${leftovers*.pid()}"

assert !log.contains('Exception in thread') && !log.contains('\tat dev.ota') : 'stack trace in the log'
return true
