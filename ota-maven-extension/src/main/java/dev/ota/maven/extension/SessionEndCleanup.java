package dev.ota.maven.extension;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.maven.execution.MavenSession;
import org.slf4j.Logger;

/**
 * At the end of a session: what {@code ota:activate} started and no {@code ota:deactivate}
 * stopped. A failed build stops it; a successful build without {@code ota:deactivate} leaves it
 * running on purpose (as {@code ota:run} does), and says so.
 *
 * <p>The plugin does the work: {@code ota:activate} publishes its end-of-session action in the
 * build's repository session data as a {@code BiConsumer<Boolean, Consumer<String>>} (JDK types:
 * the plugin lives in another class realm, which Maven keeps open until after this runs). So the
 * extension carries no process or container client of its own, and loads nothing for a build that
 * activated nothing.
 */
final class SessionEndCleanup {

    /** Shared with the plugin (ActivationRegistry): contract path → JSON of started producers. */
    static final String LEDGER_KEY = "dev.ota.started-producers";

    /** Shared with the plugin: its end-of-session action. */
    static final String SESSION_END_KEY = "dev.ota.started-producers.session-end";

    /** Tells the plugin that this extension ends the session, so it does not register its own listener. */
    static final String EXTENSION_KEY = "dev.ota.extension.active";

    private SessionEndCleanup() {}

    static void announce(MavenSession session) {
        if (session.getRepositorySession() != null) {
            session.getRepositorySession().getData().set(EXTENSION_KEY, Boolean.TRUE);
        }
    }

    @SuppressWarnings("unchecked")
    static void run(MavenSession session, Logger log) {
        if (session.getRepositorySession() == null) {
            return;
        }
        var data = session.getRepositorySession().getData();
        if (!(data.get(LEDGER_KEY) instanceof Map<?, ?> ledger) || ledger.isEmpty()) {
            return; // nothing was activated, or everything was deactivated
        }
        boolean failed = session.getResult() != null && session.getResult().hasExceptions();
        Object atEnd = data.get(SESSION_END_KEY);
        if (!(atEnd instanceof BiConsumer<?, ?> action)) {
            log.warn("ota: ota:activate left producers registered ({}) but published no way to stop them (an older"
                    + " ota-maven-plugin?); `mvn ota:clean` in their repos stops them", ledger.keySet());
            return;
        }
        Consumer<String> lines = failed ? line -> log.warn("ota: {}", line) : line -> log.info("ota: {}", line);
        try {
            ((BiConsumer<Boolean, Consumer<String>>) action).accept(failed, lines);
        } catch (RuntimeException | LinkageError e) {
            log.warn("ota: could not stop the producers ota:activate started: {}; `mvn ota:clean` in their repos stops them",
                    e.toString());
        }
    }
}
