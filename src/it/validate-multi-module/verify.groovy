def log = new File(basedir, 'build.log').text

assert log.contains('ota.yaml is valid: 1 task, 0 warnings') : 'the module with a contract was not validated'
def skips = log.readLines().findAll { it.contains('Skipping ota:validate: no ota.yaml in') }
assert skips.size() == 2 : "expected the parent and without-contract to skip, got ${skips}"
assert skips.any { it.contains('without-contract') }
assert log.contains('BUILD SUCCESS')

return true
