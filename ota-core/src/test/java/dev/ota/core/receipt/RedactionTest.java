package dev.ota.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.receipt.ReceiptStep.Activation;
import dev.ota.core.receipt.ReceiptStep.ExecutionRelation;
import dev.ota.core.receipt.ReceiptStep.TargetResolution;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactionTest {

    static final String TOKEN = "s3cr3t-t0ken";
    static final String OVERRIDE = "https://user:pa55w0rd@staging.internal:8443";

    @Test
    void secretEnvAndInputValuesBecomeStars() {
        Redaction r = Redaction.of(Set.of("API_TOKEN", "base_url"));
        Map<String, String> env = r.map(Map.of("API_TOKEN", TOKEN, "OTA_INPUT_BASE_URL", OVERRIDE, "PLAIN", "x"));
        assertThat(env).containsExactly(Map.entry("API_TOKEN", "***"), Map.entry("OTA_INPUT_BASE_URL", "***"),
                Map.entry("PLAIN", "x"));
        assertThat(r.isSecret("base_url")).isTrue();
        assertThat(r.isSecret("OTA_INPUT_BASE_URL")).as("an input name covers its env variable").isTrue();
        assertThat(r.isSecret("PLAIN")).isFalse();
        assertThat(r.value("PLAIN", "x")).isEqualTo("x");
    }

    @Test
    void effectiveUrlFromASecretInputIsMasked() {
        Redaction r = Redaction.of(Set.of("base_url"));
        TargetResolution override = new TargetResolution("api", "base_url", TargetResolution.EXPLICIT_OVERRIDE,
                new Activation("ensure_ready", ActivationStatus.SKIPPED_EXPLICIT_OVERRIDE), Receipts.devRef(), OVERRIDE);
        TargetResolution literal = new TargetResolution("api", "base_url",
                TargetResolution.COMPATIBILITY_LITERAL_DEFAULT, new Activation("manual", ActivationStatus.MANUAL),
                Receipts.devRef(), "http://default:1");
        TargetResolution binding = Receipts.api(new Activation("manual", ActivationStatus.MANUAL));
        assertThat(r.targetResolution(override).effectiveUrl()).isEqualTo("***");
        assertThat(r.targetResolution(literal).effectiveUrl()).isEqualTo("***");
        assertThat(r.targetResolution(binding).effectiveUrl()).as("a binding is not a secret").isEqualTo(Receipts.URL);
        assertThat(Redaction.none().targetResolution(override).effectiveUrl()).isEqualTo(OVERRIDE);
    }

    @Test
    void builderMasksSecretsEverywhereInTheReceipt() {
        TestClock clock = new TestClock(Receipts.START);
        ReceiptBuilder b = ReceiptBuilder.start(Goal.RUN, "sandbox", clock)
                .contract("ota.yaml", Receipts.IDENTITY)
                .redaction(Redaction.of(Set.of("API_TOKEN", "base_url")))
                .inputs(Map.of("base_url", OVERRIDE, "mode", "smoke"))
                .env(Map.of("API_TOKEN", TOKEN, "OTA_INPUT_BASE_URL", OVERRIDE, "OTA_TARGET_API", OVERRIDE,
                        "OTA_INPUT_MODE", "smoke"));
        b.activation("dev", "sandbox")
                .detail("started with token " + TOKEN)
                .logTail(List.of("auth " + TOKEN + " ok", "calling " + OVERRIDE + "/health"))
                .finish(ReceiptStep.READY);
        b.task("sandbox", ExecutionRelation.REQUESTED, null)
                .targetResolution(new TargetResolution("api", "base_url", TargetResolution.EXPLICIT_OVERRIDE,
                        new Activation("ensure_ready", ActivationStatus.SKIPPED_EXPLICIT_OVERRIDE), Receipts.devRef(),
                        OVERRIDE))
                .exitCode(2).finish(ReceiptStep.TASK_FAILED);
        b.warn("token " + TOKEN + " expires soon").nextStep("retry with a fresh token than " + TOKEN);
        Receipt receipt = b.taskFailed("sandbox", 2, "TASK FAILED: sandbox could not reach " + OVERRIDE);

        String json = ReceiptJson.toJson(receipt);
        assertThat(json).doesNotContain(TOKEN).doesNotContain(OVERRIDE).doesNotContain("pa55w0rd");
        assertThat(receipt.inputs()).containsEntry("base_url", "***").containsEntry("mode", "smoke");
        assertThat(receipt.env()).containsEntry("API_TOKEN", "***").containsEntry("OTA_INPUT_BASE_URL", "***")
                .as("the OTA_TARGET_ copy of a secret override").containsEntry("OTA_TARGET_API", "***")
                .containsEntry("OTA_INPUT_MODE", "smoke");
        assertThat(receipt.step(2).targetResolutions().get(0).effectiveUrl()).isEqualTo("***");
        assertThat(receipt.step(1).detail()).isEqualTo("started with token ***");
        assertThat(receipt.step(1).logTail()).containsExactly("auth *** ok", "calling ***/health");
        assertThat(receipt.error()).isEqualTo("TASK FAILED: sandbox could not reach ***");
        assertThat(receipt.findings()).extracting(Receipt.Finding::message).contains("token *** expires soon");
        assertThat(receipt.nextSteps()).containsExactly("retry with a fresh token than ***");
        SchemaSupport.assertValid(SchemaSupport.tree(receipt));
    }

    @Test
    void probeObservationsAreScrubbed() {
        TestClock clock = new TestClock(Receipts.START);
        ReceiptBuilder b = ReceiptBuilder.start(Goal.ACTIVATE, "it", clock).contract("ota.yaml", Receipts.IDENTITY)
                .redaction(Redaction.of(Set.of("API_TOKEN")).withValues(Set.of(TOKEN)));
        b.task("it", ExecutionRelation.REQUESTED, null)
                .targetResolution(Receipts.api(new Activation("ensure_ready", ActivationStatus.FAILED, "dev", null,
                        new ReceiptStep.ProbeEvidence("http", "dev.http", Receipts.HEALTH + "?token=" + TOKEN, 3,
                                300, "HTTP 401 for token " + TOKEN,
                                "exhausted", null, 3, 100L, 1000L, 0L))))
                .finish(ReceiptStep.NOT_RUN);
        Receipt r = b.fail(FailureClass.ACTIVATION, "ACTIVATION FAILED");
        ReceiptStep.ProbeEvidence probe = r.step(1).targetResolutions().get(0).activation().probe();
        assertThat(probe.last()).isEqualTo("HTTP 401 for token ***");
        assertThat(probe.endpoint()).isEqualTo(Receipts.HEALTH + "?token=***");
    }

    @Test
    void shortSecretsAreMaskedAsValuesButNotSearchedInText() {
        Redaction r = Redaction.of(Set.of("PIN")).withValues(Set.of("42"));
        assertThat(r.map(Map.of("PIN", "42", "OTHER", "42", "PORT", "8042"))).containsEntry("PIN", "***")
                .containsEntry("OTHER", "***").containsEntry("PORT", "8042");
        assertThat(r.text("listening on 8042")).isEqualTo("listening on 8042");
    }

    @Test
    void longerSecretsAreMaskedFirst() {
        Redaction r = Redaction.none().withValues(Set.of("abcd", "abcdefgh"));
        assertThat(r.text("x abcdefgh y abcd")).isEqualTo("x *** y ***");
    }

    @Test
    void applyIsIdempotentAndNoneChangesNothing() {
        Receipt plain = Receipts.success();
        assertThat(Redaction.none().apply(plain)).isSameAs(plain);
        Redaction r = Redaction.of(Set.of("APP_MODE"));
        Receipt once = r.apply(plain);
        assertThat(once.env()).containsEntry("APP_MODE", "***");
        assertThat(r.apply(once)).isEqualTo(once);
    }
}
