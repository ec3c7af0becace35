package dev.ota.core.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.model.Contract;
import dev.ota.core.yaml.YamlLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken contract files: each yields exactly one clear diagnostic and never throws. */
class BadInputTest {

    @TempDir
    Path dir;

    private record Result(Optional<Contract> contract, List<Diagnostic> diagnostics) {
        List<Diagnostic> errors() {
            return diagnostics.stream().filter(Diagnostic::isError).toList();
        }

        /** The only error, after checking it has the expected code, a message and a fix. */
        Diagnostic single(String code) {
            assertThat(errors()).as("errors: %s", errors()).hasSize(1);
            Diagnostic d = errors().get(0);
            assertThat(d.code()).isEqualTo(code);
            assertThat(d.message()).isNotBlank();
            assertThat(d.fix()).isNotBlank();
            assertThat(d.location().file()).isEqualTo("ota.yaml");
            return d;
        }
    }

    private Result loadFile(Path file) {
        Diagnostics diags = new Diagnostics();
        Optional<Contract> contract = assertDoesNotThrow(() -> ContractLoader.load(file, "ota.yaml", diags));
        return new Result(contract, diags.sorted());
    }

    private Result load(String yaml) throws IOException {
        return loadBytes(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private Result loadBytes(byte[] bytes) throws IOException {
        Path file = dir.resolve("ota.yaml");
        Files.write(file, bytes);
        return loadFile(file);
    }

    private static final String HEAD = "version: 1\nproject: { name: demo }\n";

    @Test
    void validMinimalContractHasNoDiagnostics() throws IOException {
        Result r = load(HEAD + "tasks:\n  build: { run: mvn verify }\n");
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.contract()).isPresent();
        assertThat(r.contract().get().task("build")).isNotNull();
    }

    @Test
    void malformedYamlReportsLineAndColumn() throws IOException {
        Result r = load("version: 1\nproject:\n  name: a: b\n");
        Diagnostic d = r.single("OTA_YAML_SYNTAX");
        assertThat(d.location().line()).isEqualTo(3);
        assertThat(d.location().column()).isEqualTo(10);
        assertThat(d.message()).contains("malformed YAML").contains("mapping values are not allowed");
        assertThat(r.contract()).isEmpty();
    }

    @Test
    void unclosedFlowMappingIsSyntaxErrorOnItsLine() throws IOException {
        Result r = load("version: 1\nproject: { name: demo\ntasks: {}\n");
        Diagnostic d = r.single("OTA_YAML_SYNTAX");
        assertThat(d.location().line()).isGreaterThanOrEqualTo(2);
        assertThat(d.location().column()).isPositive();
    }

    @Test
    void wrongScalarTypeNamesExpectedAndActual() throws IOException {
        Result r = load("version: one\nproject: { name: demo }\n");
        Diagnostic d = r.single("OTA_TYPE");
        assertThat(d.path()).isEqualTo("version");
        assertThat(d.location().line()).isEqualTo(1);
        assertThat(d.message()).contains("whole number").contains("`one`");
    }

    @Test
    void listWhereMappingExpected() throws IOException {
        Result r = load(HEAD + "tasks: [build, test]\n");
        Diagnostic d = r.single("OTA_TYPE");
        assertThat(d.path()).isEqualTo("tasks");
        assertThat(d.message()).contains("a mapping").contains("a list");
    }

    @Test
    void scalarWhereListExpected() throws IOException {
        Result r = load(HEAD + "tasks:\n  build: { run: x, depends_on: setup }\n  setup: { run: y }\n");
        Diagnostic d = r.single("OTA_TYPE");
        assertThat(d.path()).isEqualTo("tasks.build.depends_on");
        assertThat(d.message()).contains("list").contains("`setup`");
    }

    @Test
    void booleanWhereStringExpected() throws IOException {
        Result r = load("version: 1\nproject: { name: true }\n");
        Diagnostic d = r.single("OTA_TYPE");
        assertThat(d.path()).isEqualTo("project.name");
        assertThat(d.message()).contains("boolean");
    }

    @Test
    void unknownKeyHasDidYouMean() throws IOException {
        Result r = load(HEAD + "tasks:\n  build:\n    run: x\n    dependz_on: [setup]\n  setup: { run: y }\n");
        Diagnostic d = r.single("OTA_UNKNOWN_KEY");
        assertThat(d.path()).isEqualTo("tasks.build.dependz_on");
        assertThat(d.location().line()).isEqualTo(6);
        assertThat(d.message()).contains("`dependz_on`").contains("tasks.<task>");
        assertThat(d.fix()).contains("did you mean `depends_on`?");
    }

    @Test
    void unknownKeyWithoutNearMatchListsAllowedKeys() throws IOException {
        Result r = load(HEAD + "execution:\n  contexts:\n    c:\n      backend: native\n      zzzzzzzzzz: 1\n");
        Diagnostic d = r.single("OTA_UNKNOWN_KEY");
        assertThat(d.fix()).contains("allowed keys here").contains("`backend`");
    }

    @Test
    void notImplementedReferenceKeyIsOnlyAWarning() throws IOException {
        Result r = load(HEAD + "checks: {}\ntasks:\n  build: { run: x }\n");
        assertThat(r.errors()).isEmpty();
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly("OTA_FIELD_NOT_SUPPORTED");
        assertThat(r.diagnostics().get(0).message()).contains("not supported by ota-maven yet");
    }

    @Test
    void wrongEnumValueListsAllowedValues() throws IOException {
        Result r = load(HEAD + "execution:\n  contexts:\n    c:\n      backend: nativ\n");
        Diagnostic d = r.single("OTA_ENUM");
        assertThat(d.path()).isEqualTo("execution.contexts.c.backend");
        assertThat(d.message()).contains("`nativ`").contains("`native`").contains("`container`").contains("`remote`");
        assertThat(d.fix()).contains("did you mean `native`?");
    }

    @Test
    void wrongEnumValueWithoutNearMatch() throws IOException {
        Result r = load(HEAD + "tasks:\n  t:\n    run: x\n    targets:\n      api:\n        url: http://x\n"
                + "        activation: { mode: whenever }\n");
        Diagnostic d = r.single("OTA_ENUM");
        assertThat(d.message()).contains("`whenever`").contains("`manual`").contains("`ensure_ready`");
        assertThat(d.fix()).contains("use one of");
    }

    @Test
    void duplicateKeyNamesFirstLine() throws IOException {
        Result r = load(HEAD + "tasks:\n  build: { run: x }\n  test: { run: y }\n  build: { run: z }\n");
        Diagnostic d = r.single("OTA_YAML_DUPLICATE_KEY");
        assertThat(d.location().line()).isEqualTo(6);
        assertThat(d.path()).isEqualTo("tasks.build");
        assertThat(d.message()).contains("`build`").contains("line 4");
    }

    @Test
    void duplicateKeyInFlowMapping() throws IOException {
        Result r = load(HEAD + "tasks:\n  build: { run: x, run: y }\n");
        Diagnostic d = r.single("OTA_YAML_DUPLICATE_KEY");
        assertThat(d.message()).contains("`run`").contains("line 4");
    }

    @Test
    void emptyFile() throws IOException {
        Result r = load("");
        Diagnostic d = r.single("OTA_YAML_EMPTY");
        assertThat(d.message()).contains("empty");
        assertThat(d.fix()).contains("version: 1");
    }

    @Test
    void commentOnlyFileIsEmpty() throws IOException {
        Result r = load("# nothing here yet\n\n");
        r.single("OTA_YAML_EMPTY");
    }

    @Test
    void rootIsAList() throws IOException {
        Result r = load("- version: 1\n- project: demo\n");
        Diagnostic d = r.single("OTA_YAML_ROOT");
        assertThat(d.message()).contains("mapping").contains("a list");
        assertThat(d.location().line()).isEqualTo(1);
    }

    @Test
    void rootIsAScalar() throws IOException {
        Result r = load("just text\n");
        Diagnostic d = r.single("OTA_YAML_ROOT");
        assertThat(d.message()).contains("the string `just text`");
    }

    @Test
    void fileLargerThanFourMegabytes() throws IOException {
        Path file = dir.resolve("ota.yaml");
        byte[] line = "# padding padding padding padding padding padding padding padding\n".getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(HEAD.getBytes(StandardCharsets.UTF_8));
            long written = HEAD.length();
            while (written <= YamlLimits.MAX_FILE_BYTES) {
                out.write(line);
                written += line.length;
            }
        }
        assertThat(Files.size(file)).isGreaterThan(4L * 1024 * 1024);
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> loadFile(file));
        Diagnostic d = r.single("OTA_FILE_TOO_LARGE");
        assertThat(d.message()).contains("bytes").contains("at most");
        assertThat(r.contract()).isEmpty();
    }

    @Test
    void billionLaughsIsRefusedQuickly() throws IOException {
        // 12 levels, each referring to the previous one 10 times: 10^12 nodes if expanded.
        StringBuilder yaml = new StringBuilder(HEAD);
        yaml.append("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= 12; level++) {
            String prev = "*l" + (level - 1);
            yaml.append("l").append(level).append(": &l").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, prev))).append("]\n");
        }
        yaml.append("tasks:\n  t: { run: x, depends_on: *l12 }\n");
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> load(yaml.toString()));
        Diagnostic d = r.single("OTA_YAML_LIMIT");
        assertThat(d.message()).containsIgnoringCase("aliases");
        assertThat(d.fix()).contains(String.valueOf(YamlLimits.MAX_ALIASES));
        assertThat(r.contract()).isEmpty();
    }

    @Test
    void mergeKeyBombStaysWithinAliasLimitAndStillLoadsQuickly() throws IOException {
        // 9 levels of `<<: [*prev x10]` = 90 aliases (under the limit) but 10^9 merges if expanded naively.
        StringBuilder yaml = new StringBuilder(HEAD);
        yaml.append("metadata:\n  m0: &m0 { lol: 1 }\n");
        for (int level = 1; level <= 9; level++) {
            String prev = "*m" + (level - 1);
            yaml.append("  m").append(level).append(": &m").append(level).append(" { <<: [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, prev))).append("] }\n");
        }
        yaml.append("tasks:\n  t:\n    <<: *m9\n    run: x\n");
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> load(yaml.toString()));
        Diagnostic d = r.single("OTA_UNKNOWN_KEY");
        assertThat(d.message()).contains("`lol`");
    }

    @Test
    void recursiveMergeKeyDoesNotOverflow() throws IOException {
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> load(HEAD + "tasks:\n  t: &t\n    run: x\n    <<: *t\n"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.contract().get().task("t").body().display()).isEqualTo("x");
    }

    @Test
    void mergeKeysStillApplyExplicitKeysFirst() throws IOException {
        Result r = load(HEAD + "metadata:\n  base: &base { run: from-base, description: shared }\n"
                + "tasks:\n  t:\n    <<: [*base, *base]\n    run: own\n");
        assertThat(r.errors()).isEmpty();
        assertThat(r.contract().get().task("t").body().display()).isEqualTo("own");
        assertThat(r.contract().get().task("t").description()).isEqualTo("shared");
    }

    @Test
    void tooDeepNesting() throws IOException {
        int depth = YamlLimits.MAX_NESTING_DEPTH + 20;
        String yaml = HEAD + "metadata: " + "[".repeat(depth) + "]".repeat(depth) + "\n";
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> load(yaml));
        Diagnostic d = r.single("OTA_YAML_LIMIT");
        assertThat(d.message()).containsIgnoringCase("nesting");
        assertThat(d.fix()).contains(String.valueOf(YamlLimits.MAX_NESTING_DEPTH));
    }

    @Test
    void tooDeepBlockNesting() throws IOException {
        StringBuilder yaml = new StringBuilder(HEAD).append("metadata:\n");
        for (int i = 1; i <= YamlLimits.MAX_NESTING_DEPTH + 10; i++) {
            yaml.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        yaml.append("  ".repeat(YamlLimits.MAX_NESTING_DEPTH + 11)).append("leaf: 1\n");
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> load(yaml.toString()));
        Diagnostic d = r.single("OTA_YAML_LIMIT");
        assertThat(d.message()).containsIgnoringCase("nesting");
    }

    @Test
    void nonUtf8BytesReportLine() throws IOException {
        byte[] head = (HEAD + "tasks:\n  build: { run: \"caf").getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\" }\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xE9; // Latin-1 é
        System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);
        Result r = loadBytes(bytes);
        Diagnostic d = r.single("OTA_YAML_ENCODING");
        assertThat(d.location().line()).isEqualTo(4);
        assertThat(d.location().column()).isEqualTo("  build: { run: \"caf".length() + 1);
        assertThat(d.message()).contains("UTF-8").contains("0xE9");
        assertThat(d.fix()).contains("UTF-8");
    }

    @Test
    void utf8ByteOrderMarkIsAccepted() throws IOException {
        byte[] body = (HEAD + "tasks:\n  build: { run: x }\n").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        Result r = loadBytes(bytes);
        assertThat(r.diagnostics()).isEmpty();
    }

    @Test
    void missingFile() {
        Result r = loadFile(dir.resolve("nope/ota.yaml"));
        Diagnostic d = r.single("OTA_FILE_MISSING");
        assertThat(d.message()).contains("does not exist");
        assertThat(d.location().line()).isZero();
        assertThat(r.contract()).isEmpty();
    }

    @Test
    void directoryInsteadOfFile() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("ota.yaml"));
        Result r = loadFile(sub);
        Diagnostic d = r.single("OTA_FILE_IS_DIRECTORY");
        assertThat(d.message()).contains("directory");
        assertThat(d.fix()).contains("ota.yaml");
        assertThat(r.contract()).isEmpty();
    }

    @Test
    void portOutOfRange() throws IOException {
        Result r = load(HEAD + "tasks:\n  api:\n    run: x\n    runtime:\n      kind: service\n"
                + "      listeners:\n        http: { http: 70000 }\n");
        Diagnostic d = r.single("OTA_RANGE");
        assertThat(d.message()).contains("70000");
    }

    @Test
    void badDuration() throws IOException {
        Result r = load(HEAD + "tasks:\n  api:\n    run: x\n    runtime:\n      kind: service\n"
                + "      readiness: { kind: tcp, listener: http, timeout: soon }\n"
                + "      listeners:\n        http: { http: 8080 }\n");
        Diagnostic d = r.single("OTA_DURATION");
        assertThat(d.message()).contains("`soon`");
    }

    @Test
    void missingRequiredKey() throws IOException {
        Result r = load("project: { name: demo }\n");
        Diagnostic d = r.single("OTA_REQUIRED");
        assertThat(d.path()).isEqualTo("version");
        assertThat(d.fix()).contains("version: 1");
    }

    @Test
    void everyProblemInOneFileIsReportedTogether() throws IOException {
        Result r = load("version: x\nproject: { name: demo, nme: y }\nexecution: { preferred: docker }\n");
        assertThat(r.errors()).extracting(Diagnostic::code)
                .containsExactly("OTA_TYPE", "OTA_UNKNOWN_KEY", "OTA_ENUM");
        assertThat(r.errors()).allSatisfy(d -> assertThat(d.fix()).isNotBlank());
    }
}
