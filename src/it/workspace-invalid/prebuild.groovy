// workspace-invalid: registers the core extension (the version this build installs)
def mvn = new File(basedir, '.mvn')
mvn.mkdirs()
new File(mvn, 'extensions.xml').text = """\
<?xml version="1.0" encoding="UTF-8"?>
<extensions>
  <extension>
    <groupId>dev.ota</groupId>
    <artifactId>ota-maven-extension</artifactId>
    <version>${otaVersion}</version>
  </extension>
</extensions>
"""
return true
