def log = new File(basedir, 'build.log').text

assert log.contains('ota.yaml is valid: 2 tasks, 0 warnings') : 'expected the "is valid" summary line'
assert log.contains('BUILD SUCCESS')
assert !log.contains('[ERROR]')

return true
