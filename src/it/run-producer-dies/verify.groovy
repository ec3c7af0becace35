import groovy.json.JsonSlurper

// run-producer-dies: the producer exits 3 before it is ready -> ACTIVATION FAILED naming the
// producer, the exit code and its log tail; the consumer never runs; nothing is left (port 18106)
final int PORT = 18106
final String MARKER = 'it-marker: dev gives up before listening on 18106'

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE') : 'the run did not fail the build'
assert log.contains('ACTIVATION FAILED') : 'no ACTIVATION FAILED headline'
assert log.contains('`dev`') : 'the failure does not name the producer'
assert log.contains('code 3') : 'the failure does not give the exit code'
assert log.contains('exited with code 3 before it was ready') : 'the failure does not say the producer exited'
def errorLines = log.readLines().findAll { it.startsWith('[ERROR]') }
assert errorLines.any { it.contains(MARKER) } : 'the log tail (with the marker) is not in the build failure'
assert !log.contains('sandbox must not run') : 'the consumer ran although activation failed'
assert !log.contains('Exception in thread') && !(log =~ /\n\s+at [a-z]+\.[\w.$]+\(/) : 'stack trace in the log'
assert !log.contains('did not become ready') : 'ota waited out the readiness budget instead of noticing the exit'

def receiptsDir = new File(basedir, 'target/ota/receipts')
def files = (receiptsDir.listFiles() as List).findAll { it.name ==~ /\d{8}T\d{6}\.\d{3}Z-.*\.json/ }.sort { it.name }
assert files.collect { (it.name =~ /Z-(.*)\.json$/)[0][1] } == ['run-sandbox', 'clean'] : "receipts: ${files*.name}"
def slurper = new JsonSlurper()
def r = slurper.parse(files[0])
assert r.schema == 'ota-maven/receipt@1'
assert r.ok == false
assert r.status == 'ACTIVATION FAILED' : "status ${r.status}"
assert r.failure_class == 'activation'
assert r.exit_code == 1
assert r.error?.contains('dev')
assert r.next_steps
assert !r.steps.any { it.execution_relation == 'requested' } : "the consumer ran: ${r.steps}"
assert r.duration_ms < 20000 : "activation took ${r.duration_ms} ms; the exit was not noticed early"

def clean = slurper.parse(files[1])
assert clean.ok == true && clean.status == 'CLEANED'
assert !clean.steps.any { it.status == 'STOPPED' } : "clean had to stop something: ${clean.steps}"

// the producer's own log has the marker
assert new File(basedir, '.ota/state/logs/dev.log').text.contains(MARKER)

// nothing left: no record, no listener, no process
def services = new File(basedir, '.ota/state/services')
assert !services.exists() || services.list().length == 0 : "records left behind: ${services.list()}"
def socket = new Socket()
try {
    socket.connect(new InetSocketAddress('127.0.0.1', PORT), 500)
    assert false : "port ${PORT} accepts connections"
} catch (ConnectException refused) {
    // expected
} finally {
    socket.close()
}
def leftovers = ProcessHandle.allProcesses().filter { p -> p.info().commandLine().map { it.contains(MARKER) }.orElse(false) }.toList()
assert leftovers.isEmpty() : "producer processes left: ${leftovers*.pid()}"
return true
