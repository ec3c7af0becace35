package dev.ota.maven.plugin;

import dev.ota.core.activate.TargetActivation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.maven.execution.MavenSession;

/**
 * What {@code ota:activate} started in this build, per contract, so that {@code ota:deactivate}
 * (or the shutdown hook of a failed build) stops exactly that. Kept in the build's repository
 * session data, so it is per build and visible to every module's goals.
 */
final class ActivationRegistry {

    private static final String KEY = ActivationRegistry.class.getName();

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

    static void add(MavenSession session, String contract, List<TargetActivation> started) {
        map(session).compute(contract, (k, v) -> {
            List<TargetActivation> all = v == null ? new ArrayList<>() : new ArrayList<>(v);
            all.addAll(started);
            return all;
        });
    }

    /** Removes and returns what was started for the contract. */
    static List<TargetActivation> take(MavenSession session, String contract) {
        List<TargetActivation> started = map(session).remove(contract);
        return started == null ? List.of() : started;
    }

    static boolean registered(MavenSession session, String contract) {
        return map(session).containsKey(contract);
    }
}
