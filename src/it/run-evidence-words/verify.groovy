import groovy.json.JsonSlurper

// run-evidence-words: each evidence word of the non-manual modes appears in a receipt (port 18102)
final int PORT = 18102
final String URL = "http://127.0.0.1:${PORT}/".toString()

def log = new File(basedir, 'build.log').text
def receiptsDir = new File(basedir, 'target/ota/receipts')
assert receiptsDir.isDirectory() : "no receipts under ${receiptsDir}"

// the timestamped names sort in the order the goals ran (latest.json only holds the last one)
def files = (receiptsDir.listFiles() as List).findAll { it.name ==~ /\d{8}T\d{6}\.\d{3}Z-.*\.json/ }.sort { it.name }
def expectedNames = ['run-kick', 'run-kick', 'run-reach', 'run-bounce', 'clean', 'run-reach', 'clean']
assert files.collect { (it.name =~ /Z-(.*)\.json$/)[0][1] } == expectedNames : "receipts: ${files*.name}"

def slurper = new JsonSlurper()
def receipts = files.collect { slurper.parse(it) }

def activation = { receipt ->
    def resolutions = receipt.steps.collectMany { it.target_resolutions ?: [] }.findAll { it.target == 'api' }
    assert resolutions.size() == 1 : "one resolution of api expected in ${receipt.task}: ${receipt.steps}"
    assert resolutions[0].source == 'target_binding'
    assert resolutions[0].effective_url == URL
    assert resolutions[0].service_ref?.task == 'dev'
    resolutions[0].activation
}

// [receipt index, mode, evidence word]
def expected = [
    [0, 'ensure_started', 'started_started'],
    [1, 'ensure_started', 'reused_started'],
    [2, 'ensure_running', 'reused_running'],
    [3, 'restart_ready', 'restarted_ready'],
    [5, 'ensure_running', 'started_running'],
]
def seen = [:]
expected.each { idx, mode, word ->
    def r = receipts[idx]
    def where = "${files[idx].name}"
    assert r.schema == 'ota-maven/receipt@1' : where
    assert r.ok == true && r.status == 'READY' && r.exit_code == 0 : "${where}: ${r.status} ${r.error}"
    def a = activation(r)
    assert a.mode == mode : "${where}: mode ${a.mode}"
    assert a.producer == 'dev' : where
    seen[a.status] = where
    assert a.status == word : "${where}: expected ${word}, found ${a.status}"
    def act = r.steps.find { it.execution_relation == 'activation' }
    assert act && act.task == 'dev' && act.status == word.toUpperCase().replace('_', ' ') : "${where}: activation step ${act}"
    def requested = r.steps.find { it.execution_relation == 'requested' }
    assert requested && requested.exit_code == 0 : "${where}: requested step ${requested}"
}
['started_started', 'reused_started', 'started_running', 'reused_running', 'restarted_ready'].each { word ->
    assert seen.containsKey(word) : "no receipt shows ${word}; seen ${seen}"
}

// what each word promises
def started = activation(receipts[0])
assert started.probe == null : 'ensure_started waits for nothing, yet a probe ran'
def reusedStarted = activation(receipts[1])
assert reusedStarted.reuse?.owned == true : "reused_started: ${reusedStarted.reuse}"
def oldPid = reusedStarted.reuse?.pid
assert oldPid instanceof Number && oldPid > 0
def restarted = activation(receipts[3])
assert restarted.reuse?.owned == true
assert restarted.reuse?.pid instanceof Number && restarted.reuse.pid != oldPid : "restarted_ready kept pid ${oldPid}"
assert restarted.probe?.kind == 'http' && restarted.probe.result == 'ready' && restarted.probe.attempts >= 1 : "restarted_ready probe: ${restarted.probe}"
assert log.contains("restarting `dev` (pid ${oldPid})") : "no 'restarting `dev` (pid ${oldPid})' line in the log"
def startedRunning = activation(receipts[5])
assert startedRunning.probe?.kind == 'tcp' || startedRunning.probe?.result == 'ready' : "started_running probe: ${startedRunning.probe}"
assert startedRunning.probe?.attempts >= 1

// the consumers that call dev got 200 (reach twice, bounce once)
assert log.count("| sandbox: GET http://127.0.0.1:${PORT}/health -> 200") == 3 : 'reach and bounce did not all get 200'
assert log.count('| kick ran') == 2 : 'kick did not run twice'
assert log.count('BUILD SUCCESS') == 7 : 'not every invocation succeeded'

// both cleans stopped a running dev
receipts.findAll { it.goal == 'clean' }.each { c ->
    assert c.ok == true && c.status == 'CLEANED'
    assert c.steps.find { it.task == 'dev' }?.status == 'STOPPED' : "clean did not stop dev: ${c.steps}"
}

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
assert portFree() : "port ${PORT} still accepts connections after ota:clean"
def leftovers = ProcessHandle.allProcesses().filter { p -> p.info().commandLine().map { it.contains('DevApi.java') && it.contains("${PORT}") }.orElse(false) }.toList()
assert leftovers.isEmpty() : "producer processes left: ${leftovers*.pid()}"
assert !log.contains('Exception in thread') && !log.contains('\tat dev.ota') : 'stack trace in the log'
return true
