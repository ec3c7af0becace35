// Shared by the workspace-* ITs (src/it/workspace-*/)' prebuild.groovy: copies examples/workspace (without build output or
// ota state) into the IT's directory and pins it to what this build installs into the IT repository:
// the ota version in .mvn/extensions.xml and storefront's pom, and the JUnit and Failsafe versions.
// Evaluated with `basedir`, `otaVersion`, `itJunitVersion` and `itFailsafeVersion` bound; returns the
// repository root.
import java.nio.file.*

def root = basedir.toPath().toAbsolutePath()
while (root != null && !Files.exists(root.resolve('examples/workspace/ota.workspace.yaml'))) {
    root = root.parent
}
assert root != null : "no examples/workspace above ${basedir}"

def source = root.resolve('examples/workspace')
def target = basedir.toPath()
Files.walk(source).each { Path p ->
    def rel = source.relativize(p)
    if (rel.toString() && (0..<rel.nameCount).any { rel.getName(it).toString() in ['target', '.ota'] }) {
        return
    }
    def dest = target.resolve(rel.toString())
    if (Files.isDirectory(p)) {
        Files.createDirectories(dest)
    } else {
        Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING)
    }
}

def pin = { String file, Map<String, String> replacements ->
    def f = target.resolve(file).toFile()
    def text = f.text
    replacements.each { from, to ->
        assert text.contains(from) : "${file} no longer contains ${from}"
        text = text.replace(from, to)
    }
    f.text = text
}
pin('.mvn/extensions.xml', ['<version>0.1.0-SNAPSHOT</version>': "<version>${otaVersion}</version>".toString()])
pin('storefront/pom.xml', [
        '<ota.version>0.1.0-SNAPSHOT</ota.version>': "<ota.version>${otaVersion}</ota.version>".toString(),
        '<junit.version>5.14.1</junit.version>': "<junit.version>${itJunitVersion}</junit.version>".toString(),
        '<failsafe.version>3.5.2</failsafe.version>': "<failsafe.version>${itFailsafeVersion}</failsafe.version>".toString()])
return root
