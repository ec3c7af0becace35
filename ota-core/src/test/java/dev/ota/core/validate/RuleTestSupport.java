package dev.ota.core.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.ValidationOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes a YAML string to {@code ota.yaml} in a temporary directory, validates it through
 * {@link OtaEngine#validate} and checks diagnostics by code, exact YAML path, message and fix.
 */
abstract class RuleTestSupport {

    /** The first three lines of every contract below. */
    static final String HEADER = "version: 1\nproject:\n  name: demo\n";

    @TempDir
    Path dir;

    /** Validates {@code HEADER + body}. */
    ValidationOutcome validate(String body) {
        return validateRaw(HEADER + body);
    }

    /** Validates exactly {@code yaml}. */
    ValidationOutcome validateRaw(String yaml) {
        Path file = dir.resolve("ota.yaml");
        try {
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return OtaEngine.validate(new PlanRequest(file, "ota.yaml", null, Map.of(), Map.of()));
    }

    /** Writes {@code .ota/org-policy.yaml} next to the contract. */
    void policy(String yaml) {
        try {
            Path policy = dir.resolve(".ota/org-policy.yaml");
            Files.createDirectories(policy.getParent());
            Files.writeString(policy, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String render(List<Diagnostic> diagnostics) {
        return diagnostics.isEmpty() ? "(none)"
                : diagnostics.stream().map(d -> d.code() + " @ " + d.render()).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    /**
     * Asserts one error with {@code code} at exactly {@code path}, whose message contains
     * {@code message} and whose fix is non-empty and contains {@code fix}; and that no error of
     * another code was reported (the contract is wrong in one way only).
     */
    static Diagnostic rejects(ValidationOutcome outcome, String code, String path, String message, String fix) {
        Diagnostic d = errorAt(outcome, code, path, message, fix);
        assertThat(outcome.errors()).as("only %s errors expected:%s", code, render(outcome.diagnostics()))
                .allSatisfy(e -> assertThat(e.code()).isEqualTo(code));
        return d;
    }

    /** Like {@link #rejects} but tolerates errors of other codes (a rule that needs a collateral error). */
    static Diagnostic errorAt(ValidationOutcome outcome, String code, String path, String message, String fix) {
        List<Diagnostic> withCode = outcome.errors().stream().filter(d -> d.code().equals(code)).toList();
        if (withCode.isEmpty()) {
            fail("expected an error " + code + " at `" + path + "`, got:" + render(outcome.diagnostics()));
        }
        Diagnostic d = withCode.stream().filter(x -> x.path().equals(path)).findFirst().orElse(null);
        if (d == null) {
            fail("expected " + code + " at path `" + path + "`, but it is at "
                    + withCode.stream().map(x -> "`" + x.path() + "`").toList() + ":" + render(outcome.diagnostics()));
        }
        assertThat(d.message()).as("message of %s", d.render()).contains(message);
        assertThat(d.fix()).as("fix of %s", d.render()).isNotBlank().contains(fix);
        assertThat(d.location().line()).as("line of %s", d.render()).isPositive();
        assertThat(d.location().file()).isEqualTo("ota.yaml");
        assertThat(d.render()).contains(path).contains(d.message()).contains("Fix: ");
        return d;
    }

    /** The accepting neighbour: no error at all (and so none with {@code code}). */
    static void accepts(ValidationOutcome outcome, String code) {
        assertThat(outcome.errors()).as("no %s (nor any other error) expected:%s", code, render(outcome.diagnostics()))
                .noneMatch(d -> d.code().equals(code))
                .isEmpty();
    }

    /** Weaker neighbour check: no error with {@code code}. */
    static void noError(ValidationOutcome outcome, String code) {
        assertThat(outcome.errors()).as("no %s expected:%s", code, render(outcome.diagnostics()))
                .noneMatch(d -> d.code().equals(code));
    }

    static long count(ValidationOutcome outcome, String code) {
        return outcome.errors().stream().filter(d -> d.code().equals(code)).count();
    }
}
