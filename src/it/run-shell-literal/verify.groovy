import groovy.json.JsonSlurper

// run-shell-literal: values with shell metacharacters reach the task as literals (port 18107)
final int PORT = 18107
final String MSG = "'; touch pwned; '"
def cli = new Properties()
new File(basedir, 'cli.properties').withInputStream { cli.load(it) }
final String CLI = cli.getProperty('ota.input.cli')
assert CLI.contains('$(touch pwned-subst)')

def log = new File(basedir, 'build.log').text
assert log.count('BUILD SUCCESS') == 2 : 'an invocation failed'

def pwned = basedir.list().findAll { it.startsWith('pwned') }
assert pwned.isEmpty() : "an input value was executed by a shell: ${pwned}"

def got = new File(basedir, 'got.txt')
assert got.isFile() : 'the task did not run'
assert got.text == MSG : "the task saw <${got.text}> instead of <${MSG}>"
def gotCli = new File(basedir, 'got-cli.txt')
assert gotCli.text == CLI : "the task saw <${gotCli.text}> instead of <${CLI}>"

def receiptsDir = new File(basedir, 'target/ota/receipts')
def files = (receiptsDir.listFiles() as List).findAll { it.name ==~ /\d{8}T\d{6}\.\d{3}Z-.*\.json/ }.sort { it.name }
assert files.collect { (it.name =~ /Z-(.*)\.json$/)[0][1] } == ['run-echo', 'clean'] : "receipts: ${files*.name}"
def r = new JsonSlurper().parse(files[0])
assert r.ok == true && r.status == 'READY' && r.exit_code == 0
assert r.inputs?.msg == MSG : "receipt inputs: ${r.inputs}"
assert r.inputs?.cli == CLI : "receipt inputs: ${r.inputs}"
assert r.env?.OTA_INPUT_MSG == MSG

// nothing left: no record, no listener
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
return true
