package dev.ota.core.receipt;

import dev.ota.core.resolve.EnvNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Masks secrets in receipts: the values of env variables and task inputs declared {@code secret}
 * become {@value #MASK}. A secret input name {@code token} also covers its env variable
 * {@code OTA_INPUT_TOKEN}. {@link #apply(Receipt)} additionally
 * <ul>
 *   <li>masks {@code effective_url} values that came from a secret input (explicit override or the
 *       input's literal default),</li>
 *   <li>masks any env or input entry whose value equals a secret value, e.g. the
 *       {@code OTA_TARGET_*} copy of a secret override, and</li>
 *   <li>replaces occurrences of secret values (at least {@value #MIN_SCRUB_LENGTH} characters)
 *       in free text: error, details, log tails, probe observations, findings, next steps.</li>
 * </ul>
 * Immutable.
 */
public final class Redaction {

    public static final String MASK = "***";
    /** Shorter secret values are masked where they are a whole value, but not searched for in text. */
    public static final int MIN_SCRUB_LENGTH = 4;

    private static final Redaction NONE = new Redaction(Set.of(), Set.of());

    private final Set<String> names;
    private final Set<String> values;

    private Redaction(Set<String> names, Set<String> values) {
        this.names = names;
        this.values = values;
    }

    public static Redaction none() {
        return NONE;
    }

    /** Secret env variable and input names (as declared; input names also cover {@code OTA_INPUT_<NAME>}). */
    public static Redaction of(Collection<String> secretNames) {
        Set<String> all = new LinkedHashSet<>();
        for (String name : secretNames) {
            if (name != null && !name.isEmpty()) {
                all.add(name);
                all.add(EnvNames.input(name));
            }
        }
        return new Redaction(Set.copyOf(all), Set.of());
    }

    /** A copy that also masks these literal values wherever they appear. */
    public Redaction withValues(Collection<String> secretValues) {
        Set<String> all = new LinkedHashSet<>(values);
        for (String v : secretValues) {
            if (v != null && !v.isEmpty() && !MASK.equals(v)) {
                all.add(v);
            }
        }
        return new Redaction(names, Set.copyOf(all));
    }

    public boolean isEmpty() {
        return names.isEmpty() && values.isEmpty();
    }

    /** Whether a name (env variable or input) is declared secret. */
    public boolean isSecret(String name) {
        return name != null && names.contains(name);
    }

    /** {@value #MASK} when the name is secret or the value is a known secret value, else the value. */
    public String value(String name, String value) {
        if (value == null) {
            return null;
        }
        return isSecret(name) || values.contains(value) ? MASK : value;
    }

    /** A sorted copy of an env or input map with secret values masked. */
    public Map<String, String> map(Map<String, String> map) {
        Map<String, String> out = new TreeMap<>();
        if (map != null) {
            map.forEach((k, v) -> out.put(k, value(k, v)));
        }
        return out;
    }

    /** Free text with every known secret value (long enough to search for) replaced by {@value #MASK}. */
    public String text(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : scrubOrder()) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    /** A target resolution whose {@code effective_url} is masked when it came from a secret input. */
    public ReceiptStep.TargetResolution targetResolution(ReceiptStep.TargetResolution r) {
        if (r.fromInput() && isSecret(r.overrideInput())) {
            return r.withEffectiveUrl(MASK);
        }
        String url = values.contains(r.effectiveUrl()) ? MASK : text(r.effectiveUrl());
        return url.equals(r.effectiveUrl()) ? r : r.withEffectiveUrl(url);
    }

    /** The receipt with every secret masked (see the class comment). */
    public Receipt apply(Receipt receipt) {
        Redaction r = withValues(secretValues(receipt));
        if (r.isEmpty()) {
            return receipt;
        }
        List<ReceiptStep> steps = new ArrayList<>();
        for (ReceiptStep s : receipt.steps()) {
            steps.add(r.step(s));
        }
        List<Receipt.Finding> findings = new ArrayList<>();
        for (Receipt.Finding f : receipt.findings()) {
            findings.add(new Receipt.Finding(f.severity(), r.text(f.message()), f.step()));
        }
        return new Receipt(receipt.schema(), receipt.ok(), receipt.status(), receipt.failureClass(), receipt.goal(),
                receipt.task(), receipt.path(), receipt.scope(), receipt.contract(), receipt.contractIdentity(),
                receipt.backend(), receipt.context(), receipt.lifecycle(), receipt.image(), receipt.target(),
                receipt.provider(), receipt.cwd(),
                receipt.backendUnits(), receipt.startedAt(), receipt.finishedAt(),
                receipt.durationMs(), receipt.exitCode(), r.text(receipt.error()), receipt.failedTask(),
                r.map(receipt.inputs()), r.map(receipt.env()), receipt.policy(), steps, findings, receipt.summary(),
                receipt.nextSteps().stream().map(r::text).toList(), receipt.maven());
    }

    private ReceiptStep step(ReceiptStep s) {
        List<ReceiptStep.TargetResolution> resolutions = new ArrayList<>();
        for (ReceiptStep.TargetResolution t : s.targetResolutions()) {
            ReceiptStep.TargetResolution masked = targetResolution(t);
            ReceiptStep.Activation a = masked.activation();
            if (a != null && a.probe() != null) {
                masked = masked.withActivation(new ReceiptStep.Activation(a.mode(), a.status(), a.producer(),
                        a.reuse(), a.probe().withText(this::text)));
            }
            resolutions.add(masked);
        }
        return new ReceiptStep(s.order(), s.label(), s.stageFamily(), s.status(), s.task(), s.executionRelation(),
                s.executionParent(), s.exitCode(), text(s.detail()), resolutions, s.sharedLocalBackend(),
                s.backendFulfillment(), s.logFile(), s.logTail().stream().map(this::text).toList(), s.timings());
    }

    /** Values of secret names found in the receipt itself (before masking). */
    private List<String> secretValues(Receipt receipt) {
        List<String> found = new ArrayList<>();
        collect(receipt.inputs(), found);
        collect(receipt.env(), found);
        for (ReceiptStep s : receipt.steps()) {
            for (ReceiptStep.TargetResolution t : s.targetResolutions()) {
                if (t.fromInput() && isSecret(t.overrideInput())) {
                    found.add(t.effectiveUrl());
                }
            }
        }
        return found;
    }

    private void collect(Map<String, String> map, List<String> into) {
        map.forEach((k, v) -> {
            if (isSecret(k)) {
                into.add(v);
            }
        });
    }

    /** Longest first, so a secret that contains another is masked whole. */
    private List<String> scrubOrder() {
        return values.stream()
                .filter(v -> v.length() >= MIN_SCRUB_LENGTH)
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .toList();
    }
}
