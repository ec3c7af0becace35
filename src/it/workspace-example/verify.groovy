import groovy.json.JsonSlurper

// workspace-example: the example reactor in core-extension mode (see invoker.properties).
def script = basedir.toPath().toAbsolutePath()
while (!java.nio.file.Files.exists(script.resolve('src/it/shared-workspace/checks.groovy'))) {
    script = script.parent
}
def checks = evaluate(script.resolve('src/it/shared-workspace/checks.groovy').toFile())

def fullLog = new File(basedir, 'build.log').text
// build.log holds both invocations, each starting with the Maven version: verify, then validate
def runs = fullLog.split(/(?=Apache Maven \d+\.\d+\.\d+)/).findAll { it.startsWith('Apache Maven') }
assert runs.size() == 2 : "expected 2 invocations, found ${runs.size()}"
def log = runs[0]
assert log.contains('BUILD SUCCESS') : 'the build failed'

// the extension resolved the workspace before any mojo ran, and said so
def headline = 'ota: workspace shop (3 repos, 3 cross-repo targets): 6 target properties for 3 project(s)'
assert log.contains(headline) : 'the extension did not report the workspace'
assert log.indexOf(headline) < log.indexOf('--- ') : 'the extension ran after a mojo'
assert log =~ /\[DEBUG\] ota: workspace loaded and resolved in \d+ ms \(validate \d+ ms, properties \d+ ms, workspace\.json \d+ ms\)/
// the properties it set on storefront's project (debug)
assert log =~ /\[DEBUG\] ota: dev\.ota\.examples\.shop:storefront:jar:1\.0-SNAPSHOT: ota\.target\.it\.catalog=http:\/\/127\.0\.0\.1:18121\/, ota\.target\.it\.orders=http:\/\/127\.0\.0\.1:18122\/, ota\.target\.catalog=http:\/\/127\.0\.0\.1:18121\/, ota\.target\.orders=http:\/\/127\.0\.0\.1:18122\//
assert log =~ /\[DEBUG\] ota: dev\.ota\.examples\.shop:orders:pom:1\.0-SNAPSHOT: ota\.target\.serve\.catalog=http:\/\/127\.0\.0\.1:18121\/, ota\.target\.catalog=http:\/\/127\.0\.0\.1:18121\//

// workspace.json at the reactor root: repos in depends_on order, their projects, every cross-repo target
def ws = new JsonSlurper().parse(new File(basedir, 'target/ota/workspace.json'))
assert ws.schema == 'ota-maven/workspace@1' && ws.ok == true
assert ws.workspace.name == 'shop' && ws.workspace.file == 'ota.workspace.yaml'
assert ws.errors == [] && ws.warnings == []
assert ws.repos*.name == ['catalog', 'orders', 'storefront']
assert ws.repos*.projects == [['dev.ota.examples.shop:catalog:pom:1.0-SNAPSHOT'], ['dev.ota.examples.shop:orders:pom:1.0-SNAPSHOT'],
        ['dev.ota.examples.shop:storefront:jar:1.0-SNAPSHOT']]
assert ws.repos.find { it.name == 'storefront' }.depends_on == ['catalog', 'orders']
def targets = ws.cross_repo_targets.collect { "${it.consumer_repo}:${it.consumer_task}.${it.target} -> ${it.producer_repo}:${it.producer_task} ${it.effective_url}".toString() }
assert targets == ['orders:serve.catalog -> catalog:serve http://127.0.0.1:18121/',
                   'storefront:it.catalog -> catalog:serve http://127.0.0.1:18121/',
                   'storefront:it.orders -> orders:serve http://127.0.0.1:18122/'] : targets
assert ws.cross_repo_targets.every { it.address_view == 'host' && it.activation_mode == 'ensure_ready' && !it.error }
assert !new File(basedir, 'target/ota/workspace.json').text.contains(basedir.canonicalPath) : 'machine paths in workspace.json'

// goals in lifecycle order; catalog (orders' own producer) came up before orders
def order = [':activate (activate-shop) @ storefront', ':integration-test (storefront-its) @ storefront',
             ':deactivate (deactivate-shop) @ storefront', ':verify (storefront-its) @ storefront']
def positions = order.collect { log.indexOf(it) }
assert !positions.contains(-1) && positions == positions.toSorted() : "goals: ${[order, positions].transpose()}"
def lines = ['[catalog] starting `serve`', '[catalog] storefront:it.catalog → `serve`: started_ready',
             '[catalog] orders:serve.catalog → `serve`: reused_ready', '[orders] starting `serve`',
             '[orders] storefront:it.orders → `serve`: started_ready']
def at = lines.collect { log.indexOf(it) }
assert !at.contains(-1) && at == at.toSorted() : "activation: ${[lines, at].transpose()}"
assert log.contains('ota.target.catalog = http://127.0.0.1:18121/') && log.contains('ota.target.orders = http://127.0.0.1:18122/')

// the tests passed, against both services; orders answered with what it read from catalog
def tests = checks.failsafe()
assert tests == [completed: 2, failures: 0, errors: 0, skipped: 0] : "failsafe: ${tests}"
assert log.contains('ShopIT: catalog http://127.0.0.1:18121/ lists [Green tea, Blue mug]')
assert log.contains('ShopIT: orders http://127.0.0.1:18122/ ordered [Green tea, Blue mug]')

// ota:deactivate stopped both, newest first, each in its own repo; nothing for the session end
def stopped = (log =~ /stopped `serve` \(pid (\d+), repo (\w+)\)/).collect { [it[1] as long, it[2]] }
assert stopped*.getAt(1) == ['orders', 'catalog'] : "stops: ${stopped}"
stopped.each { assert checks.dead(it[0]) : "pid ${it[0]} (${it[1]}) still runs" }
assert !log.contains('build failed before ota:deactivate') && !log.contains('running (no ota:deactivate') : 'something was left for the session end'

def files = checks.receipts()
assert files.collect { (it.name =~ /Z-(.*)\.json$/)[0][1] } == ['activate-it', 'deactivate'] : "receipts: ${files*.name}"
def slurper = new JsonSlurper()
def activate = slurper.parse(files[0])
assert activate.ok == true && activate.status == 'READY'
def resolutions = activate.steps.collectMany { it.target_resolutions ?: [] }
assert resolutions.collect { "${it.target}:${it.service_ref?.repo}:${it.activation?.status}".toString() }.sort() ==
        ['catalog:catalog:started_ready', 'orders:orders:started_ready']
def deactivate = slurper.parse(files[1])
assert deactivate.ok == true && deactivate.status == 'DEACTIVATED'
assert deactivate.steps.findAll { it.task == 'serve' }*.status == ['STOPPED', 'STOPPED']

checks.nothingLeft()
assert !log.contains('Exception in thread') && !log.contains('NoClassDefFoundError')

// the second build: same workspace, same jars: resolved from target/ota/workspace-cache.txt
def second = runs[1]
assert second.contains('BUILD SUCCESS')
assert second.contains(headline)
assert second =~ /\[DEBUG\] ota: workspace loaded and resolved in \d+ ms \(unchanged since the last build, checked in \d+ ms, properties \d+ ms, workspace\.json \d+ ms\)/
assert second =~ /\[DEBUG\] ota: dev\.ota\.examples\.shop:storefront:jar:1\.0-SNAPSHOT: ota\.target\.it\.catalog=http:\/\/127\.0\.0\.1:18121\//
assert new File(basedir, 'target/ota/workspace-cache.txt').readLines()[0] == 'ota-maven-extension workspace cache 1'
return true
