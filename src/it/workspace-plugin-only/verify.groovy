import groovy.json.JsonSlurper

// workspace-plugin-only: the example reactor without .mvn/extensions.xml (see prebuild.groovy).
def script = basedir.toPath().toAbsolutePath()
while (!java.nio.file.Files.exists(script.resolve('src/it/shared-workspace/checks.groovy'))) {
    script = script.parent
}
def checks = evaluate(script.resolve('src/it/shared-workspace/checks.groovy').toFile())

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS') : 'the build failed'
assert !new File(basedir, '.mvn/extensions.xml').exists()
// no extension: no workspace line, no workspace.json
assert !log.contains('ota: workspace shop') : 'the extension ran'
assert !new File(basedir, 'target/ota/workspace.json').exists() : 'workspace.json written without the extension'

// ota:activate found ota.workspace.yaml above storefront's contract and started both producers in
// their own repos, catalog (orders' own producer) first
def lines = ['[catalog] starting `serve`', '[catalog] storefront:it.catalog → `serve`: started_ready',
             '[catalog] orders:serve.catalog → `serve`: reused_ready', '[orders] starting `serve`',
             '[orders] storefront:it.orders → `serve`: started_ready']
def at = lines.collect { log.indexOf(it) }
assert !at.contains(-1) && at == at.toSorted() : "activation: ${[lines, at].transpose()}"
assert new File(basedir, 'catalog/.ota/state/logs/serve.log').text.contains('catalog listening on http://127.0.0.1:18121/')
assert new File(basedir, 'orders/.ota/state/logs/serve.log').text.contains('(catalog at http://127.0.0.1:18121/)') :
        'orders was not handed OTA_TARGET_CATALOG'

def tests = checks.failsafe()
assert tests == [completed: 2, failures: 0, errors: 0, skipped: 0] : "failsafe: ${tests}"
assert log.contains('ShopIT: orders http://127.0.0.1:18122/ ordered [Green tea, Blue mug]')

def stopped = (log =~ /stopped `serve` \(pid (\d+), repo (\w+)\)/).collect { [it[1] as long, it[2]] }
assert stopped*.getAt(1) == ['orders', 'catalog'] : "stops: ${stopped}"
stopped.each { assert checks.dead(it[0]) : "pid ${it[0]} (${it[1]}) still runs" }
def files = checks.receipts()
assert files.collect { (it.name =~ /Z-(.*)\.json$/)[0][1] } == ['activate-it', 'deactivate'] : "receipts: ${files*.name}"
def deactivate = new JsonSlurper().parse(files[1])
assert deactivate.ok == true && deactivate.status == 'DEACTIVATED'

checks.nothingLeft()
assert !log.contains('Exception in thread') && !log.contains('NoClassDefFoundError')
return true
