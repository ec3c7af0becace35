package dev.ota.maven.extension;

import dev.ota.core.engine.RunService;
import dev.ota.core.engine.StartedProducers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.slf4j.Logger;

/**
 * At the end of a session: what {@code ota:activate} started and no {@code ota:deactivate}
 * stopped. A failed build stops it; a successful build without {@code ota:deactivate} leaves it
 * running on purpose (as {@code ota:run} does), and says so.
 */
final class SessionEndCleanup {

    /** Shared with the plugin (ActivationRegistry): contract path → JSON of started producers. */
    static final String LEDGER_KEY = "dev.ota.started-producers";

    /** Tells the plugin that this extension stops leftovers, so it does not register its own listener. */
    static final String EXTENSION_KEY = "dev.ota.extension.active";

    private SessionEndCleanup() {}

    static void announce(MavenSession session) {
        if (session.getRepositorySession() != null) {
            session.getRepositorySession().getData().set(EXTENSION_KEY, Boolean.TRUE);
        }
    }

    static void run(MavenSession session, Logger log) {
        if (session.getRepositorySession() == null) {
            return;
        }
        Object data = session.getRepositorySession().getData().get(LEDGER_KEY);
        if (!(data instanceof Map<?, ?> ledger) || ledger.isEmpty()) {
            return;
        }
        List<StartedProducers.Entry> left = new ArrayList<>();
        for (Object json : new ArrayList<>(ledger.values())) {
            left.addAll(StartedProducers.fromJson(String.valueOf(json)));
        }
        ledger.clear();
        if (left.isEmpty()) {
            return;
        }
        boolean failed = session.getResult() != null && session.getResult().hasExceptions();
        if (!failed) {
            log.info("ota: ota:activate leaves {} producer(s) running (no ota:deactivate in this build): {}; `mvn ota:clean`"
                    + " in {} stops them", left.size(), where(left), repos(left));
            return;
        }
        log.warn("ota: the build failed before ota:deactivate; stopping {} producer(s) ota:activate started", left.size());
        List<String> problems = StartedProducers.stop(left, RunService.defaultBackends(System.getenv()),
                line -> log.warn("ota: {}", line));
        problems.forEach(p -> log.warn("ota: could not stop {}", p));
    }

    /** {@code `serve` (pid 12, repo catalog)}, one per producer. */
    private static String where(List<StartedProducers.Entry> left) {
        List<String> out = new ArrayList<>();
        for (StartedProducers.Entry e : left) {
            out.add("`" + e.producer() + "` (pid " + e.handle().pid() + (e.repo() == null ? "" : ", repo " + e.repo().getFileName()) + ")");
        }
        return String.join(", ", out);
    }

    /** The repo directories that hold their records: where {@code ota:clean} finds them. */
    private static String repos(List<StartedProducers.Entry> left) {
        Set<String> out = new LinkedHashSet<>();
        for (StartedProducers.Entry e : left) {
            out.add(e.repo() == null ? "the consumer's repo" : e.repo().getFileName().toString());
        }
        return out.size() == 1 ? "repo " + out.iterator().next() : "repos " + String.join(", ", out);
    }
}
