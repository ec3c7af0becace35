// Shared by the workspace-* ITs (src/it/workspace-*/)' verify.groovy: what must hold after any build of the example,
// passed or failed. Evaluated with `basedir` bound; returns a map of helpers.
import java.nio.file.*

final List<Integer> PORTS = [18121, 18122]

def portFree = { int port ->
    for (int i = 0; i < 50; i++) {
        def socket = new Socket()
        try {
            socket.connect(new InetSocketAddress('127.0.0.1', port), 500)
        } catch (ConnectException refused) {
            return true
        } finally {
            socket.close()
        }
        Thread.sleep(100)
    }
    return false
}

def nothingLeft = {
    // no record in any repo's state, no listener, no producer process of this copy
    ['catalog', 'orders', 'storefront'].each { repo ->
        def services = new File(basedir, "${repo}/.ota/state/services")
        assert !services.exists() || services.list().length == 0 : "records left in ${repo}: ${services.list()}"
    }
    PORTS.each { assert portFree(it) : "port ${it} still accepts connections after the build" }
    def leftovers = ProcessHandle.allProcesses().filter { p ->
        p.info().commandLine().map { it.contains('src/Catalog.java 18121') || it.contains('src/Orders.java 18122') }.orElse(false)
    }.toList()
    assert leftovers.isEmpty() : "producer processes left: ${leftovers*.pid()}"
}

def dead = { long pid -> !ProcessHandle.of(pid).map { it.isAlive() }.orElse(false) }

def failsafe = { ->
    def summary = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new File(basedir, 'storefront/target/failsafe-reports/failsafe-summary.xml')).documentElement
    def count = { String name -> summary.getElementsByTagName(name).item(0).textContent.trim() as int }
    [completed: count('completed'), failures: count('failures'), errors: count('errors'), skipped: count('skipped')]
}

def receipts = { ->
    def dir = new File(basedir, 'storefront/target/ota/receipts')
    (dir.listFiles() as List ?: []).findAll { it.name ==~ /\d{8}T\d{6}\.\d{3}Z-.*\.json/ }.sort { it.name }
}

return [portFree: portFree, nothingLeft: nothingLeft, dead: dead, failsafe: failsafe, receipts: receipts]
