import groovy.json.JsonSlurper

// run-task-fails: the task exits 3 -> TASK FAILED with exit code 3; the dev this run started is
// stopped by the run itself (port 18105)
final int PORT = 18105

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE') : 'the run did not fail the build'
assert log.contains('TASK FAILED') : 'no TASK FAILED headline'
assert log.contains('exit code 3') : 'the failure does not name the exit code'
assert log.contains('task `fail` failed with exit code 3') : 'the failure does not name the task'
assert log.contains('| prep done') && log.contains('| fail is about to exit 3') : 'task output was not streamed'
assert log.indexOf('| prep done') < log.indexOf('| fail is about to exit 3') : 'depends_on did not run first'
assert log.contains('Next:') : 'the failure does not say what to do next'
assert !log.contains('Exception in thread') && !(log =~ /\n\s+at [a-z]+\.[\w.$]+\(/) : 'stack trace in the log'
assert !log.contains('ota-core failed while') : 'the task failure surfaced as an engine bug'

// the run stopped the producer it had started; status and clean find nothing
assert log =~ /stopping `dev` \(started by this run, pid \d+\)/ : 'the run did not stop dev'
assert log.contains('no ota-owned services recorded') : 'ota:status still lists a service'

def receiptsDir = new File(basedir, 'target/ota/receipts')
def files = (receiptsDir.listFiles() as List).findAll { it.name ==~ /\d{8}T\d{6}\.\d{3}Z-.*\.json/ }.sort { it.name }
assert files.collect { (it.name =~ /Z-(.*)\.json$/)[0][1] } == ['run-fail', 'clean'] : "receipts: ${files*.name}"
def slurper = new JsonSlurper()
def r = slurper.parse(files[0])
assert r.schema == 'ota-maven/receipt@1'
assert r.ok == false
assert r.status == 'TASK FAILED' : "status ${r.status}"
assert r.failure_class == 'task'
assert r.exit_code == 3 : "exit_code ${r.exit_code}"
assert r.failed_task == 'fail'
assert r.error?.contains('exit code 3')
assert r.next_steps && r.summary.error_count >= 1
def api = r.steps.collectMany { it.target_resolutions ?: [] }.find { it.target == 'api' }
assert api?.activation?.status == 'started_ready' : "activation: ${api?.activation}"
def prep = r.steps.find { it.task == 'prep' }
assert prep && prep.execution_relation == 'depends_on' && prep.execution_parent == 'fail' && prep.exit_code == 0 : "prep step: ${prep}"
def fail = r.steps.find { it.task == 'fail' && it.execution_relation == 'requested' }
assert fail && fail.exit_code == 3 && fail.status == 'FAILED' : "fail step: ${fail}"
assert prep.order < fail.order

def clean = slurper.parse(files[1])
assert clean.ok == true && clean.status == 'CLEANED'
assert !clean.steps.any { it.status == 'STOPPED' } : "clean had to stop something: ${clean.steps}"

// nothing left: no record, no listener, no process
def services = new File(basedir, '.ota/state/services')
assert !services.exists() || services.list().length == 0 : "records left behind: ${services.list()}"
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
assert portFree() : "port ${PORT} still accepts connections"
def leftovers = ProcessHandle.allProcesses().filter { p -> p.info().commandLine().map { it.contains('DevApi.java') && it.contains("${PORT}") }.orElse(false) }.toList()
assert leftovers.isEmpty() : "producer processes left: ${leftovers*.pid()}"
return true
