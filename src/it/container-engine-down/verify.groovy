import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('ota.yaml is valid: 2 tasks') : 'validate ran without an engine'
assert new File(basedir, 'target/ota/plan.json').isFile() : 'plan ran without an engine'
assert log.contains('Docker engine not reachable at unix:///nonexistent/docker.sock: ')
assert log.contains('; start it or set DOCKER_HOST')
def receipt = new JsonSlurper().parse(new File(basedir, 'target/ota/receipts/latest.json'))
assert receipt.failure_class == 'activation'
assert receipt.error.contains('Docker engine not reachable')
assert !log.contains('at com.github.dockerjava') : 'no stack trace'
return true
