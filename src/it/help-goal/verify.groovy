def log = new File(basedir, 'build.log').text

assert log.contains('ota:plan') : 'help does not describe ota:plan'
['ota.file', 'ota.task', 'ota.planFile', 'ota.skip'].each { property ->
    assert log.contains("User property: ${property}") : "help does not list ${property}"
}
assert log.contains('BUILD SUCCESS')

return true
