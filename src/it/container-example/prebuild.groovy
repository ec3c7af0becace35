// Copies the shipped example next to this IT (so its state and receipts stay here) and makes sure
// the local test image exists (no registry is reachable: .ci/test-image.sh builds it).
import java.nio.file.*

def root = basedir.toPath().toAbsolutePath()
while (root != null && !Files.exists(root.resolve('.ci/test-image.sh'))) {
    root = root.parent
}
assert root != null : "no .ci/test-image.sh above ${basedir}"

def source = root.resolve('examples/shared-container-topology')
def target = basedir.toPath().resolve('example')
Files.walk(source).each { Path p ->
    def rel = source.relativize(p)
    if (rel.toString().startsWith('target') || rel.toString().startsWith('.ota')) {
        return
    }
    def dest = target.resolve(rel.toString())
    if (Files.isDirectory(p)) {
        Files.createDirectories(dest)
    } else {
        Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING)
    }
}

def image = ['bash', root.resolve('.ci/test-image.sh').toString()].execute()
image.waitForProcessOutput(System.out, System.err)
assert image.exitValue() == 0 : 'cannot build the test image ota-test/busybox:1'
return true
