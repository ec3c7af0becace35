package dev.ota.core.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ota.core.activate.ActivationEngine;
import dev.ota.core.activate.TargetActivation;
import dev.ota.core.backend.Backend;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.state.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@code ota:activate} started, as plain JSON text: the hand-off to whoever must stop it when
 * the build ends without {@code ota:deactivate} (the core extension's {@code afterSessionEnd},
 * which lives in another class realm and can share only JDK types with the plugin).
 */
public final class StartedProducers {

    /** One started producer: enough to stop it and forget its record, without the contract. */
    public record Entry(String producer, Path repo, WorkloadHandle handle, String consumer, String target, String url) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private StartedProducers() {}

    public static String toJson(List<TargetActivation> started) {
        ArrayNode array = JSON.createArrayNode();
        for (TargetActivation a : started) {
            if (a.handle() == null) {
                continue;
            }
            ObjectNode o = array.addObject();
            o.put("producer", a.producer());
            o.put("repo", a.repo() == null ? null : a.repo().toString());
            o.put("consumer", a.consumer());
            o.put("target", a.target());
            o.put("url", a.url());
            ObjectNode h = o.putObject("handle");
            h.put("backend", a.handle().backend());
            h.put("pid", a.handle().pid());
            h.put("start_time", a.handle().startTime());
            h.put("log_file", a.handle().logFile() == null ? null : a.handle().logFile().toString());
        }
        return array.toString();
    }

    public static List<Entry> fromJson(String text) {
        List<Entry> out = new ArrayList<>();
        try {
            for (JsonNode o : JSON.readTree(text)) {
                JsonNode h = o.path("handle");
                WorkloadHandle handle = new WorkloadHandle(h.path("backend").asText(), h.path("pid").asLong(),
                        h.path("start_time").asLong(), h.hasNonNull("log_file") ? Path.of(h.get("log_file").asText()) : null);
                out.add(new Entry(o.path("producer").asText(), o.hasNonNull("repo") ? Path.of(o.get("repo").asText()) : null,
                        handle, o.path("consumer").asText(null), o.path("target").asText(null), o.path("url").asText(null)));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a started-producers list: " + e.getOriginalMessage(), e);
        }
        return out;
    }

    /** {@code `serve` (pid 12, repo catalog)}, one per entry, comma-separated. */
    public static String describe(List<Entry> entries) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add("`" + e.producer() + "` (pid " + e.handle().pid() + (e.repo() == null ? "" : ", repo " + e.repo().getFileName())
                    + ")");
        }
        return String.join(", ", out);
    }

    /** {@code repo catalog} or {@code repos catalog, orders}: where {@code ota:clean} finds the entries' records. */
    public static String repos(List<Entry> entries) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Entry e : entries) {
            out.add(e.repo() == null ? "the consumer's repo" : e.repo().getFileName().toString());
        }
        return (out.size() == 1 ? "repo " : "repos ") + String.join(", ", out);
    }

    /**
     * Stops each entry's process tree (if it is still the process that was started) and removes its
     * record, newest first (the order {@code RunService.deactivate} stops in). Returns the problems;
     * each action is logged.
     */
    public static List<String> stop(List<Entry> entries, RunService.BackendProvider backends, Consumer<String> log) {
        List<String> problems = new ArrayList<>();
        List<Entry> newestFirst = new ArrayList<>(entries);
        java.util.Collections.reverse(newestFirst);
        for (Entry e : newestFirst) {
            Backend backend = backends.forHandle(e.handle());
            try {
                if (backend.isAlive(e.handle())) {
                    boolean gone = backend.stop(e.handle(), ActivationEngine.STOP_GRACE);
                    log.accept((gone ? "stopped `" : "could not stop `") + e.producer() + "` (pid " + e.handle().pid()
                            + (e.repo() == null ? "" : ", repo " + e.repo().getFileName()) + ")");
                    if (!gone) {
                        problems.add("`" + e.producer() + "` (pid " + e.handle().pid() + ")");
                        continue;
                    }
                } else {
                    log.accept("`" + e.producer() + "` (pid " + e.handle().pid() + ") had already stopped");
                }
                if (e.repo() != null) {
                    StateStore.forRepo(e.repo()).read(e.producer())
                            .filter(r -> r.pid() == e.handle().pid() && r.startTime() == e.handle().startTime())
                            .ifPresent(r -> StateStore.forRepo(e.repo()).delete(e.producer()));
                }
            } catch (BackendException | RuntimeException ex) {
                problems.add("`" + e.producer() + "`: " + ex.getMessage());
            }
        }
        return problems;
    }
}
