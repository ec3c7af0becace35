// workspace-failing-it: examples/workspace plus one failing integration test, and Failsafe's verify
// bound to integration-test, so the build fails between ota:activate and ota:deactivate: only the
// core extension's afterSessionEnd can stop the producers.
def script = basedir.toPath().toAbsolutePath()
while (script != null && !java.nio.file.Files.exists(script.resolve('src/it/shared-workspace/copy-example.groovy'))) {
    script = script.parent
}
assert script != null
evaluate(script.resolve('src/it/shared-workspace/copy-example.groovy').toFile())

def pom = new File(basedir, 'storefront/pom.xml')
def marker = '<id>storefront-its</id>'
assert pom.text.contains(marker)
pom.text = pom.text.replace(marker, marker + '\n            <phase>integration-test</phase>')
new File(basedir, 'storefront/src/test/java/example/storefront/BrokenIT.java').text = '''\
package example.storefront;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

class BrokenIT {

    @Test
    void failsOnPurpose() {
        fail("fails on purpose: the build must end before ota:deactivate");
    }
}
'''
return true
