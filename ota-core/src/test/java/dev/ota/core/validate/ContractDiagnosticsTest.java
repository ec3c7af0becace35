package dev.ota.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.engine.ValidationOutcome;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Cross-cutting behaviour of validation: every error reported together in file order, unknown
 * keys with "did you mean", enums and types, unsupported-field warnings, requirement conflicts.
 */
class ContractDiagnosticsTest extends RuleTestSupport {

    @Nested
    @DisplayName("all errors together, in file order")
    class FileOrder {
        @Test
        @DisplayName("three errors in different places are reported together, sorted by line")
        void threeErrors() {
            // validator groups run tasks before execution... the output must still be in file order
            ValidationOutcome outcome = validateRaw("""
                    version: 1
                    project:
                      name: demo
                    tasks:
                      it:
                        run: ./it
                        depends_on: [nope]
                      api:
                        run: ./api
                        runtime:
                          kind: service
                          listeners:
                            http: { http: 8080 }
                          readiness:
                            kind: tcp
                            listener: http
                            retries: 0
                    execution:
                      default_context: missing
                      contexts:
                        host:
                          backend: native
                    """);
            List<Diagnostic> errors = outcome.errors();
            assertThat(errors).as(render(outcome.diagnostics())).hasSize(3);
            assertThat(errors).extracting(Diagnostic::code)
                    .containsExactly("OTA_DEPENDS_ON", "OTA_READINESS_RETRIES", "OTA_DEFAULT_CONTEXT");
            assertThat(errors).extracting(Diagnostic::path)
                    .containsExactly("tasks.it.depends_on", "tasks.api.runtime.readiness.retries", "execution.default_context");
            assertThat(errors).extracting(d -> d.location().line()).containsExactly(7, 17, 19);
            assertThat(errors.get(0).render()).startsWith("ota.yaml:7:");
            assertThat(outcome.ok()).isFalse();
        }

        @Test
        @DisplayName("errors reported by the loader and by the validator interleave by line")
        void loaderAndValidator() {
            ValidationOutcome outcome = validate("""
                    execution:
                      lifecycel: persistent
                      default_context: host
                      contexts:
                        host:
                          backend: native
                          lifecycle: persistent
                    tasks:
                      a:
                        run: ./a
                        inputs:
                          BadName:
                            description: x
                    """);
            assertThat(outcome.errors()).extracting(Diagnostic::code)
                    .containsExactly("OTA_UNKNOWN_KEY", "OTA_NATIVE_CONTEXT_FIELD", "OTA_INPUT_NAME");
            assertThat(outcome.errors()).extracting(d -> d.location().line()).isSorted();
        }
    }

    @Nested
    @DisplayName("unknown keys")
    class UnknownKeys {
        @Test
        @DisplayName("a misspelt key is an error whose fix says `did you mean`")
        void didYouMean() {
            Diagnostic d = rejects(validate("""
                    execution:
                      lifecycel: persistent
                    tasks:
                      a:
                        run: ./a
                    """), "OTA_UNKNOWN_KEY", "execution.lifecycel", "unknown key `lifecycel` in `execution`",
                    "did you mean `lifecycle`?");
            assertThat(d.location().line()).isEqualTo(5);
            accepts(validate("""
                    execution:
                      lifecycle: persistent
                    tasks:
                      a:
                        run: ./a
                    """), "OTA_UNKNOWN_KEY");
        }

        @Test
        @DisplayName("misspelt keys deeper in the tree name the generic place and suggest the right key")
        void nested() {
            rejects(validate("""
                    tasks:
                      a:
                        run: ./a
                        runtime:
                          kind: service
                          listeners:
                            http: { http: 8080 }
                          readyness:
                            kind: tcp
                            listener: http
                    """), "OTA_UNKNOWN_KEY", "tasks.a.runtime.readyness", "in `tasks.<task>.runtime`",
                    "did you mean `readiness`?");
            rejects(validate("""
                    tasks:
                      a:
                        run: ./a
                        dependson: [b]
                      b:
                        run: ./b
                    """), "OTA_UNKNOWN_KEY", "tasks.a.dependson", "unknown key `dependson`", "did you mean `depends_on`?");
        }

        @Test
        @DisplayName("an unrelated key lists the allowed keys instead")
        void noSuggestion() {
            rejects(validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                          zzzzzzzzzz: 1
                    tasks:
                      a:
                        run: ./a
                    """), "OTA_UNKNOWN_KEY", "execution.contexts.host.zzzzzzzzzz",
                    "unknown key `zzzzzzzzzz` in `execution.contexts.<context>`", "allowed keys here:");
        }
    }

    @Nested
    @DisplayName("enum values and types")
    class EnumsAndTypes {
        @Test
        @DisplayName("a wrong enum value lists the allowed values")
        void enumValue() {
            Diagnostic d = rejects(validate("""
                    execution:
                      contexts:
                        box:
                          backend: kontainer
                    tasks:
                      a:
                        run: ./a
                    """), "OTA_ENUM", "execution.contexts.box.backend",
                    "`kontainer` is not an allowed value for `backend`; allowed: `native`, `container`, `remote`",
                    "did you mean `container`?");
            assertThat(d.location().line()).isEqualTo(7);
        }

        @Test
        @DisplayName("a far-off enum value lists the allowed values in the fix")
        void enumNoHint() {
            rejects(validate("""
                    tasks:
                      a:
                        run: ./a
                      it:
                        run: ./it
                        targets:
                          a:
                            url: http://localhost:1
                            activation:
                              mode: whenever
                    """), "OTA_ENUM", "tasks.it.targets.a.activation.mode",
                    "allowed: `manual`, `ensure_started`, `restart_ready`, `ensure_running`, `ensure_ready`",
                    "`ensure_started`");
            rejects(validate("""
                    execution:
                      lifecycle: forever
                    tasks:
                      a:
                        run: ./a
                    """), "OTA_ENUM", "execution.lifecycle", "allowed: `persistent`, `ephemeral`", "`persistent`, `ephemeral`");
        }

        @Test
        @DisplayName("wrong types are reported with what was expected")
        void types() {
            rejects(validate("""
                    tasks:
                      a:
                        run: ./a
                        runtime:
                          kind: service
                          listeners:
                            http: { http: 8080 }
                          readiness:
                            kind: tcp
                            listener: http
                            retries: many
                    """), "OTA_TYPE", "tasks.a.runtime.readiness.retries", "expected a whole number, but the value is",
                    "a whole number");
            rejects(validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                          only_on: linux
                    tasks:
                      a:
                        run: ./a
                    """), "OTA_TYPE", "execution.contexts.host.only_on", "expected a list of strings", "a list of strings");
            rejects(validate("""
                    tasks:
                      a:
                        run: ./a
                        depends_on:
                          b: c
                    """), "OTA_TYPE", "tasks.a.depends_on", "expected a list of strings, but the value is a mapping",
                    "a list of strings");
            rejects(validate("""
                    tasks:
                      a:
                        run: ./a
                        runtime:
                          kind: service
                          listeners:
                            http: { http: 70000 }
                    """), "OTA_RANGE", "tasks.a.runtime.listeners.http.http", "port 70000 is outside 1–65535",
                    "between 1 and 65535");
        }
    }

    @Nested
    @DisplayName("known but unsupported reference fields")
    class Unsupported {
        @Test
        @DisplayName("each unsupported field is one warning, however many tasks use it")
        void oncePerField() {
            ValidationOutcome outcome = validate("""
                    services:
                      db:
                        manager:
                          kind: compose
                          name: shop
                          service: db
                    tasks:
                      a:
                        run: ./a
                        env_bindings:
                          DB_URL:
                            from_service:
                              service: db
                      b:
                        run: ./b
                        env_bindings:
                          DB_URL:
                            from_service:
                              service: db
                      c:
                        run: ./c
                        env_bindings:
                          DB_URL:
                            from_service:
                              service: db
                    """);
            assertThat(outcome.errors()).as(render(outcome.diagnostics())).isEmpty();
            List<Diagnostic> warnings = outcome.warnings();
            assertThat(warnings).as(render(warnings)).hasSize(2)
                    .allSatisfy(w -> {
                        assertThat(w.code()).isEqualTo("OTA_FIELD_NOT_SUPPORTED");
                        assertThat(w.message()).contains("not supported by ota-maven yet");
                        assertThat(w.fix()).isNotBlank().contains("ota CLI");
                    });
            Diagnostic services = warnings.stream().filter(w -> w.path().equals("services")).findFirst().orElseThrow();
            assertThat(services.message()).contains("`services`").doesNotContain("places");
            assertThat(services.location().line()).isEqualTo(4);
            Diagnostic bindings = warnings.stream().filter(w -> w.path().equals("tasks.a.env_bindings")).findFirst()
                    .orElseThrow(() -> new AssertionError(render(warnings)));
            assertThat(bindings.message()).contains("`tasks.<task>.env_bindings`").contains("3 places; first shown");
            assertThat(bindings.location().line()).isEqualTo(13);
        }

        @Test
        @DisplayName("without the unsupported fields there is no warning")
        void none() {
            ValidationOutcome outcome = validate("tasks:\n  a:\n    run: ./a\n");
            assertThat(outcome.diagnostics()).as(render(outcome.diagnostics())).isEmpty();
        }

        @Test
        @DisplayName("unsupported runtime fields (surfaces, readiness.signal_probes) also warn once each")
        void runtimeFields() {
            ValidationOutcome outcome = validate("""
                    tasks:
                      a:
                        run: ./a
                        runtime:
                          kind: service
                          surfaces: [web]
                          listeners:
                            http: { http: 8080 }
                          readiness:
                            kind: tcp
                            listener: http
                            signal_probes: [p1]
                      b:
                        run: ./b
                        runtime:
                          kind: service
                          surfaces: [web]
                          listeners:
                            http: { http: 8081 }
                    """);
            assertThat(outcome.errors()).as(render(outcome.diagnostics())).isEmpty();
            assertThat(outcome.warnings()).extracting(Diagnostic::path)
                    .containsExactlyInAnyOrder("tasks.a.runtime.surfaces", "tasks.a.runtime.readiness.signal_probes");
            assertThat(outcome.warnings()).allSatisfy(w -> assertThat(w.code()).isEqualTo("OTA_FIELD_NOT_SUPPORTED"));
        }
    }

    @Nested
    @DisplayName("product decisions §2: requirement-union conflicts")
    class RequirementUnion {
        static final String YAML = """
                execution:
                  default_context: host
                  contexts:
                    host:
                      backend: native
                      requirements:
                        runtimes:
                          java: "21"
                  shared_backends:
                    dev:
                      scope: local
                      backend: native
                      lifecycle: persistent
                tasks:
                  api:
                    run: ./api
                    requirements:
                      runtimes:
                        java: "%s"
                    runtime:
                      kind: service
                      backend_binding: dev
                      listeners:
                        http: { http: 8080 }
                """;

        @Test
        @DisplayName("`java: \"21\"` on the context and `java: \">=22\"` on a bound task conflict, naming both lines")
        void conflict() {
            Diagnostic d = rejects(validate(YAML.formatted(">=22")), "OTA_REQUIREMENT_CONFLICT",
                    "tasks.api.requirements.runtimes.java", "declares runtime `java` as `21` (context host, line 11)",
                    "make the two constraints agree");
            assertThat(d.message()).contains("`>=22` (task api, line 22)").contains("no version satisfies both")
                    .contains("execution.shared_backends.dev");
            assertThat(d.location().line()).isEqualTo(22);
        }

        @Test
        @DisplayName("compatible constraints (`21` and `>=21`) are accepted")
        void compatible() {
            accepts(validate(YAML.formatted(">=21")), "OTA_REQUIREMENT_CONFLICT");
        }

        @Test
        @DisplayName("the same constraints on an unbound task are not part of any union")
        void unbound() {
            accepts(validate(YAML.formatted(">=22").replace("      backend_binding: dev\n", "")),
                    "OTA_REQUIREMENT_CONFLICT");
        }

        @Test
        @DisplayName("an unparsable version constraint is rejected")
        void unparsable() {
            rejects(validate(YAML.formatted("twenty-one")), "OTA_VERSION_CONSTRAINT", "tasks.api.requirements.runtimes.java",
                    "version constraint `twenty-one` of runtime `java` cannot be parsed", "\">=21\"");
        }
    }

    @Nested
    @DisplayName("requirement declarations (digest §1.7)")
    class RequirementDeclarations {
        @Test
        @DisplayName("only_on, platforms, provider and distribution of a runtime are checked")
        void runtime() {
            String yaml = """
                    runtimes:
                      java:
                        version: "21"
                        only_on: [%s]
                        distribution: %s
                        platforms:
                          %s:
                            version: "21"
                    tasks:
                      a:
                        run: ./a
                    """;
            rejects(validate(yaml.formatted("linux, beos", "temurin", "linux")), "OTA_ONLY_ON", "runtimes.java.only_on",
                    "`beos` in `only_on` of runtime `java` is not an operating system", "`linux`, `macos` or `windows`");
            rejects(validate(yaml.formatted("linux", "temurin", "macos")), "OTA_PLATFORM", "runtimes.java.platforms",
                    "`platforms.macos` of runtime `java` is not listed in its `only_on`", "add `macos` to `only_on`");
            rejects(validate(yaml.formatted("linux", "\"\"", "linux")), "OTA_EMPTY", "runtimes.java.distribution",
                    "`distribution` of runtime `java` is empty", "temurin");
            accepts(validate(yaml.formatted("linux, macos", "temurin", "macos")), "OTA_PLATFORM");
        }

        @Test
        @DisplayName("tool acquisition: corepack needs package and version, command needs shell and run")
        void acquisition() {
            rejects(validate("""
                    tools:
                      pnpm:
                        version: "9"
                        acquisition:
                          provider: corepack
                          package: pnpm
                    tasks:
                      a:
                        run: ./a
                    """), "OTA_ACQUISITION", "tools.pnpm.acquisition", "`acquisition.provider: corepack` of tool `pnpm` requires `package` and `version`",
                    "package: <name>");
            rejects(validate("""
                    tools:
                      pnpm:
                        version: "9"
                        acquisition:
                          provider: command
                          shell: bash
                    tasks:
                      a:
                        run: ./a
                    """), "OTA_ACQUISITION", "tools.pnpm.acquisition", "`acquisition.provider: command` of tool `pnpm` requires `shell` and `run`",
                    "run: <command>");
            accepts(validate("""
                    tools:
                      pnpm:
                        version: "9"
                        acquisition:
                          provider: corepack
                          package: pnpm
                          version: 9.1.0
                    tasks:
                      a:
                        run: ./a
                    """), "OTA_ACQUISITION");
        }
    }
}
