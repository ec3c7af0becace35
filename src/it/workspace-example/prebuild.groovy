// workspace-example: examples/workspace as shipped, core extension registered in .mvn/extensions.xml.
def script = basedir.toPath().toAbsolutePath()
while (script != null && !java.nio.file.Files.exists(script.resolve('src/it/shared-workspace/copy-example.groovy'))) {
    script = script.parent
}
assert script != null
evaluate(script.resolve('src/it/shared-workspace/copy-example.groovy').toFile())
assert new File(basedir, '.mvn/extensions.xml').isFile()
return true
