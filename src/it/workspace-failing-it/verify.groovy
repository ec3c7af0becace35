// workspace-failing-it: a failing IT ends the build between ota:activate and ota:deactivate; the
// core extension's afterSessionEnd stops both producers in their own repos (see prebuild.groovy).
def script = basedir.toPath().toAbsolutePath()
while (!java.nio.file.Files.exists(script.resolve('src/it/shared-workspace/checks.groovy'))) {
    script = script.parent
}
def checks = evaluate(script.resolve('src/it/shared-workspace/checks.groovy').toFile())

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE') : 'the build did not fail'
assert log.contains('ota: workspace shop (3 repos, 3 cross-repo targets)') : 'the extension did not run'
assert log.contains(':activate (activate-shop) @ storefront') : 'ota:activate did not run'
assert !log.contains(':deactivate (deactivate-shop) @') : 'ota:deactivate ran; the build was meant to fail before it'
assert log.contains('There are test failures') : 'the build failed for another reason'
def tests = checks.failsafe()
assert tests == [completed: 3, failures: 1, errors: 0, skipped: 0] : "failsafe: ${tests}"
assert new File(basedir, 'storefront/target/failsafe-reports/TEST-example.storefront.ShopIT.xml').text.contains('failures="0"') :
        'ShopIT did not reach the services'

// the extension's afterSessionEnd stopped both, newest first, and said so; the plugin's own
// session-end stop stayed out of it (the extension announced itself), and so did its JVM shutdown hook
assert log.contains('[WARNING] ota: the build failed before ota:deactivate; stopping 2 producer(s) ota:activate started')
def stopped = (log =~ /\[WARNING\] ota: stopped `serve` \(pid (\d+), repo (\w+)\)/).collect { [it[1] as long, it[2]] }
assert stopped*.getAt(1) == ['orders', 'catalog'] : "stops: ${stopped}"
stopped.each { assert checks.dead(it[0]) : "pid ${it[0]} (${it[1]}) still runs" }
assert !log.contains('build ended before ota:deactivate') : 'the plugin stopped them too'
assert !log.contains('[ota] ') : 'the JVM shutdown hook found producers to stop'
assert !log.contains('Exception in thread') && !log.contains('NoClassDefFoundError') : 'a stop failed'

checks.nothingLeft()
return true
