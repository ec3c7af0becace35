def log = new File(basedir, 'build.log').text

// the unknown key, reported where it stands, with a "did you mean" hint
assert log =~ /ota\.yaml:9:\d+: error: .*lifecycel.*did you mean `lifecycle`/ : 'unknown key `lifecycel` not reported with file:line and hint'
// the target that declares both shapes
assert log =~ /ota\.yaml:(19|20|21):\d+: error: tasks\.sandbox\.targets\.api.*exactly one of `service` or `url`/ : 'service+url target not reported'
// both errors together, under the INVALID headline
assert log.contains('INVALID ota.yaml: 2 error(s)') : 'missing the INVALID headline'
assert log.contains('BUILD FAILURE')

// a message for the user, not a stack trace
assert !log.contains('at dev.ota') : 'stack trace in the log'
assert !log.contains('Exception in thread') : 'stack trace in the log'
assert !log.contains('UnsupportedOperationException')

return true
