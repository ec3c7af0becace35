package dev.ota.maven.plugin;

import dev.ota.core.activate.TargetActivation;
import dev.ota.core.engine.RunService;
import dev.ota.core.engine.StartedProducers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.maven.execution.MavenSession;

/**
 * What {@code ota:activate} started in this build, per contract, so that {@code ota:deactivate}
 * (or the shutdown hook of a failed build) stops exactly that. Kept in the build's repository
 * session data, so it is per build and visible to every module's goals.
 */
final class ActivationRegistry {

    private static final String KEY = ActivationRegistry.class.getName();

    /**
     * The same registry as JSON text by contract, under a key the core extension knows: its
     * {@code afterSessionEnd} lives in another class realm and can only share JDK types.
     */
    static final String LEDGER_KEY = "dev.ota.started-producers";

    /** Set by the core extension when it takes over stopping leftovers at the end of the session. */
    static final String EXTENSION_KEY = "dev.ota.extension.active";

    /**
     * Where this registry publishes its end-of-session action for the core extension, as a
     * {@code BiConsumer<Boolean, Consumer<String>>} (JDK types only: the extension lives in another
     * class realm and carries no container client): {@code accept(buildFailed, log)} takes every
     * producer still registered and stops them when the build failed, or reports that they keep
     * running when it succeeded, logging each line to {@code log}.
     */
    static final String SESSION_END_KEY = "dev.ota.started-producers.session-end";

    private ActivationRegistry() {}

    @SuppressWarnings("unchecked")
    private static Map<String, List<TargetActivation>> map(MavenSession session) {
        var data = session.getRepositorySession().getData();
        Object existing = data.get(KEY);
        if (existing == null) {
            data.set(KEY, new ConcurrentHashMap<String, List<TargetActivation>>());
            existing = data.get(KEY);
        }
        return (Map<String, List<TargetActivation>>) existing;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> ledger(MavenSession session) {
        var data = session.getRepositorySession().getData();
        data.set(LEDGER_KEY, null, new ConcurrentHashMap<String, String>()); // only when absent (Maven 3.8 API)
        return (Map<String, String>) data.get(LEDGER_KEY);
    }

    /** Publishes {@link #SESSION_END_KEY} for this session (once). */
    static void publishSessionEnd(MavenSession session, Map<String, String> environment) {
        BiConsumer<Boolean, Consumer<String>> atEnd = (failed, log) -> sessionEnd(session, failed, log, environment);
        session.getRepositorySession().getData().set(SESSION_END_KEY, null, atEnd);
    }

    /** Takes every registered producer: stops them after a failed build, else says they keep running. */
    static void sessionEnd(MavenSession session, boolean failed, Consumer<String> log, Map<String, String> environment) {
        List<StartedProducers.Entry> left = new ArrayList<>();
        for (String contract : new ArrayList<>(map(session).keySet())) {
            left.addAll(StartedProducers.fromJson(StartedProducers.toJson(take(session, contract))));
        }
        if (left.isEmpty()) {
            return;
        }
        if (!failed) {
            log.accept("ota:activate leaves " + left.size() + " producer(s) running (no ota:deactivate in this build): "
                    + StartedProducers.describe(left) + "; `mvn ota:clean` in " + StartedProducers.repos(left) + " stops them");
            return;
        }
        log.accept("the build failed before ota:deactivate; stopping " + left.size() + " producer(s) ota:activate started");
        List<String> problems = StartedProducers.stop(left, RunService.defaultBackends(environment), log);
        problems.forEach(p -> log.accept("could not stop " + p));
    }

    static void add(MavenSession session, String contract, List<TargetActivation> started) {
        List<TargetActivation> all = map(session).compute(contract, (k, v) -> {
            List<TargetActivation> merged = v == null ? new ArrayList<>() : new ArrayList<>(v);
            merged.addAll(started);
            return merged;
        });
        ledger(session).put(contract, StartedProducers.toJson(all));
    }

    /**
     * Removes and returns what was started for the contract. Whoever removes the ledger entry owns
     * the stop: when the core extension's {@code afterSessionEnd} took it first (it stopped a failed
     * build's producers, or left a successful build's running), this returns nothing, so the JVM
     * shutdown hook neither stops them a second time nor stops what a successful build leaves up.
     */
    static List<TargetActivation> take(MavenSession session, String contract) {
        List<TargetActivation> started = map(session).remove(contract);
        String ledgerEntry = ledger(session).remove(contract);
        if (ledgerEntry == null || started == null) {
            return List.of();
        }
        return started;
    }

    /** Whether the ota core extension runs in this session (it then stops leftovers itself). */
    static boolean extensionActive(MavenSession session) {
        return Boolean.TRUE.equals(session.getRepositorySession().getData().get(EXTENSION_KEY));
    }

    static boolean registered(MavenSession session, String contract) {
        return map(session).containsKey(contract);
    }
}
