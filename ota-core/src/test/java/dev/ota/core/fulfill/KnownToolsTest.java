package dev.ota.core.fulfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.semver4j.Semver;

class KnownToolsTest {

    private final KnownTools tools = KnownTools.defaults();

    /** name, what the version command printed (first lines), the printed version, its comparable form ("" = none). */
    static Stream<Arguments> outputs() {
        return Stream.of(
                Arguments.of("java", "openjdk version \"17.0.12\" 2024-07-16\nOpenJDK Runtime Environment Temurin-17.0.12+7 (build 17.0.12+7)",
                        "17.0.12", "17.0.12"),
                Arguments.of("java", "openjdk version \"21\" 2023-09-19\nOpenJDK Runtime Environment (build 21+35-2513)", "21", "21.0.0"),
                Arguments.of("java", "java version \"1.8.0_412\"\nJava(TM) SE Runtime Environment (build 1.8.0_412-b08)", "1.8.0_412", "8.0.412"),
                Arguments.of("java", "Picked up JAVA_TOOL_OPTIONS: -Xmx512m -Dfile.encoding=UTF-8\nopenjdk version \"11.0.2\" 2019-01-15",
                        "11.0.2", "11.0.2"),
                Arguments.of("java", "openjdk version \"23-ea\" 2024-09-17", "23-ea", "23.0.0"),
                Arguments.of("maven", "\u001B[1mApache Maven 3.8.7\u001B[m\nMaven home: /usr/share/maven", "3.8.7", "3.8.7"),
                Arguments.of("maven", "Apache Maven 3.9.9 (8e8579a9e76f7d015ee5ec7bfcdc97d260186937)", "3.9.9", "3.9.9"),
                Arguments.of("gradle", "\n------------------------------------------------------------\nGradle 8.5\n"
                        + "------------------------------------------------------------", "8.5", "8.5.0"),
                Arguments.of("node", "v24.1.0", "24.1.0", "24.1.0"),
                Arguments.of("nodejs", "v20.11.1", "20.11.1", "20.11.1"),
                Arguments.of("python", "Python 3.11.2", "3.11.2", "3.11.2"),
                Arguments.of("python", "Python 2.7.18", "2.7.18", "2.7.18"),
                Arguments.of("go", "go version go1.24.2 linux/amd64", "1.24.2", "1.24.2"),
                Arguments.of("go", "go version go1.22 darwin/arm64", "1.22", "1.22.0"),
                Arguments.of("git", "git version 2.39.5", "2.39.5", "2.39.5"),
                Arguments.of("curl", "curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 OpenSSL/3.0.15", "7.88.1", "7.88.1"),
                Arguments.of("jq", "jq-1.6", "1.6", "1.6.0"),
                Arguments.of("jq", "jq-1.7.1", "1.7.1", "1.7.1"),
                Arguments.of("npm", "10.8.2", "10.8.2", "10.8.2"),
                Arguments.of("pnpm", "9.1.0", "9.1.0", "9.1.0"),
                Arguments.of("docker", "Docker version 24.0.7, build afdd53b", "24.0.7", "24.0.7"),
                Arguments.of("kubectl", "Client Version: v1.29.3\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3", "1.29.3", "1.29.3"),
                Arguments.of("kubectl", "Client Version: version.Info{Major:\"1\", Minor:\"21\", GitVersion:\"v1.21.0\", GitCommit:\"cb303e6\"}",
                        "1.21.0", "1.21.0"),
                Arguments.of("helm", "v3.14.0+g3fc9f4b", "3.14.0", "3.14.0"),
                Arguments.of("bash", "GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)", "5.2.15", "5.2.15"),
                Arguments.of("ssh", "OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL 3.0.15 3 Sep 2024", "9.2", "9.2.0"),
                Arguments.of("perl", "\nThis is perl 5, version 36, subversion 0 (v5.36.0) built for x86_64-linux-gnu-thread-multi", "5.36.0", "5.36.0"),
                Arguments.of("terraform", "Terraform v1.7.3\non linux_amd64", "1.7.3", "1.7.3"),
                // busybox wget has no --version: usage text whose first line names no version
                Arguments.of("wget", "wget: unrecognized option '--version'\nBusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.",
                        "", ""),
                Arguments.of("java", "Error: could not find libjava.so\nError: Could not find Java SE Runtime Environment.", "", ""),
                // tools ota does not know: first version-looking token of the first non-blank line
                Arguments.of("yq", "yq (https://github.com/mikefarah/yq/) version v4.40.5", "4.40.5", "4.40.5"),
                Arguments.of("protoc", "\nlibprotoc 25.1", "25.1", "25.1.0"),
                Arguments.of("rg", "ripgrep 14.1.0\n\nfeatures:+pcre2", "14.1.0", "14.1.0"),
                Arguments.of("mytool", "mytool: unknown option --version\nusage: mytool [-v] (needs libfoo 2.0)", "", ""),
                Arguments.of("gcc", "gcc (Debian 12.2.0-14) 12.2.0", "12.2.0", "12.2.0"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("outputs")
    void readsTheVersionFromOddOutputs(String name, String output, String printed, String comparable) {
        KnownTools.Tool tool = tools.lookup(name);
        Optional<String> version = tool.extractVersion(List.of(output.split("\n", -1)));
        assertThat(version.orElse("")).isEqualTo(printed);
        assertThat(version.map(tool.scheme()).flatMap(VersionMatch::coerce).map(Semver::getVersion).orElse(""))
                .isEqualTo(comparable);
    }

    @Test
    void knownNamesMapToTheirExecutableAndVersionCommand() {
        assertThat(tools.lookup("maven").executables()).containsExactly("mvn");
        assertThat(tools.lookup("maven").versionCommand()).isEqualTo("mvn --version");
        assertThat(tools.lookup("java").versionCommand()).isEqualTo("java -version");
        assertThat(tools.lookup("go").versionCommand()).isEqualTo("go version");
        assertThat(tools.lookup("python").executables()).containsExactly("python3", "python");
        assertThat(tools.lookup("kubectl").versionArgs()).containsExactly("version", "--client");
        assertThat(tools.lookup("sh").readsVersion()).isFalse();
    }

    @Test
    void unknownNamesAreTheirOwnExecutableAskedForVersion() {
        KnownTools.Tool t = tools.lookup("definitely-not-installed-xyz");
        assertThat(tools.isKnown("definitely-not-installed-xyz")).isFalse();
        assertThat(t.executables()).containsExactly("definitely-not-installed-xyz");
        assertThat(t.versionArgs()).containsExactly("--version");
        assertThat(t.versionPattern()).isNull();
    }

    @Test
    void theTableIsExtendedWithoutChangingTheDefaults() {
        KnownTools extended = tools.with(new KnownTools.Tool("sbt", List.of("sbt"), List.of("--script-version"),
                Pattern.compile("(\\d+\\.\\d+\\.\\d+)"), null));
        assertThat(extended.lookup("sbt").versionCommand()).isEqualTo("sbt --script-version");
        assertThat(extended.lookup("java")).isSameAs(tools.lookup("java"));
        assertThat(tools.isKnown("sbt")).isFalse();
    }
}
