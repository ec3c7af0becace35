// workspace-plugin-only: examples/workspace without .mvn/extensions.xml. The plugin alone finds the
// workspace upward from storefront's contract and starts the producers in their own repos.
def script = basedir.toPath().toAbsolutePath()
while (script != null && !java.nio.file.Files.exists(script.resolve('src/it/shared-workspace/copy-example.groovy'))) {
    script = script.parent
}
assert script != null
evaluate(script.resolve('src/it/shared-workspace/copy-example.groovy').toFile())
assert new File(basedir, '.mvn/extensions.xml').delete()
return true
