import groovy.json.JsonSlurper

// activate-failing-build: a failing IT test ends the build between ota:activate and
// ota:deactivate; ota:activate must still stop dev when the session ends (port 18104). It used to
// rely on a JVM shutdown hook alone, which ran after Maven had closed the plugin's class realm and
// died with NoClassDefFoundError, leaving dev running.
final int PORT = 18104
final String URL = "http://127.0.0.1:${PORT}/".toString()

def fullLog = new File(basedir, 'build.log').text
// build.log holds both invocations: the failing build (verify), then ota:clean
def cleanAt = fullLog.indexOf(':clean (default-cli) @')
assert cleanAt > 0 : 'ota:clean did not run'
def log = fullLog.substring(0, cleanAt)
assert log.contains('BUILD FAILURE') : 'the build did not fail'
assert log.contains(':activate (activate-api) @') : 'ota:activate did not run'
assert !log.contains(':deactivate (deactivate-api) @') : 'ota:deactivate ran; the build was meant to fail before it'
assert log.contains('There are test failures') || log.contains('Tests run: 2, Failures: 1') : 'the build failed for another reason'

// the tests ran against the activated API; one failed on purpose
def summary = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new File(basedir, 'target/failsafe-reports/failsafe-summary.xml')).documentElement
def count = { String name -> summary.getElementsByTagName(name).item(0).textContent.trim() as int }
assert count('completed') == 2 && count('failures') == 1 && count('errors') == 0 : 'expected 2 tests, 1 deliberate failure'
assert new File(basedir, 'target/failsafe-reports/TEST-it.ApiIT.xml').text.contains('failures="0"') : 'ApiIT did not reach the API'

// the end of the session stopped what activate started, said so, before Maven's BUILD FAILURE
assert log.contains('build ended before ota:deactivate; stopping 1 producer(s) ota:activate started') : 'ota:activate did not report the stop'
def stopped = (log =~ /stopped `dev` \(pid (\d+)\)/)
assert stopped.find() : 'no "stopped `dev`" line'
assert log.indexOf('build ended before ota:deactivate') < log.indexOf('BUILD FAILURE') : 'the stop ran after the build result'
assert !log.contains('NoClassDefFoundError') && !log.contains('Exception in thread') : 'the stop failed'
long pid = stopped.group(1) as long
assert !ProcessHandle.of(pid).map { it.isAlive() }.orElse(false) : "dev (pid ${pid}) still runs"

def receiptsDir = new File(basedir, 'target/ota/receipts')
def files = (receiptsDir.listFiles() as List).findAll { it.name ==~ /\d{8}T\d{6}\.\d{3}Z-.*\.json/ }.sort { it.name }
def kinds = files.collect { (it.name =~ /Z-(.*)\.json$/)[0][1] }
assert kinds.size() == 3 && kinds[0] == 'activate-it' && kinds[1].startsWith('deactivate') && kinds[2] == 'clean' : "receipts: ${files*.name}"
def slurper = new JsonSlurper()
def activate = slurper.parse(files[0])
assert activate.ok == true && activate.status == 'READY'
def api = activate.steps.collectMany { it.target_resolutions ?: [] }.find { it.target == 'api' }
assert api?.activation?.status == 'started_ready' : "activate: ${api?.activation}"
assert api.effective_url == URL
def deactivate = slurper.parse(files[1])
assert deactivate.goal == 'deactivate'
assert deactivate.ok == true && deactivate.status == 'DEACTIVATED' : "deactivate receipt: ${deactivate.status} ${deactivate.error}"
assert deactivate.steps.find { it.task == 'dev' }?.status == 'STOPPED' : "deactivate receipt steps: ${deactivate.steps}"

// the clean afterwards found nothing to stop
def clean = slurper.parse(files[2])
assert clean.ok == true && clean.status == 'CLEANED'
assert !clean.steps.any { it.status == 'STOPPED' } : "dev was still running after the failed build: ${clean.steps}"
assert fullLog.substring(cleanAt).contains('BUILD SUCCESS') : 'ota:clean failed'

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
assert portFree() : "port ${PORT} still accepts connections after the failed build"
def leftovers = ProcessHandle.allProcesses().filter { p -> p.info().commandLine().map { it.contains('DevApi.java') && it.contains("${PORT}") }.orElse(false) }.toList()
assert leftovers.isEmpty() : "producer processes left: ${leftovers*.pid()}"
assert !log.contains('\tat dev.ota') : 'stack trace from ota in the log'
return true
