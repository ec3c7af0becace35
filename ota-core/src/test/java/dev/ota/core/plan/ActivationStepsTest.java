package dev.ota.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.engine.PlanOutcome;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The activation steps a run of a requested task performs, and their order. */
class ActivationStepsTest {

    @TempDir
    Path dir;

    PlanFixture fx;

    @BeforeEach
    void setUp() {
        fx = new PlanFixture(dir);
    }

    static String service(String name, int port, String targets) {
        return """
                  %s:
                    run: ./%s
                    runtime:
                      kind: service
                      listeners:
                        http: { http: %d }
                %s""".formatted(name, name, port, targets);
    }

    static String target(String name, String producer, String mode) {
        return """
                    targets:
                      %s:
                        service: { task: %s, address_view: host }
                        activation: { mode: %s }
                """.formatted(name, producer, mode);
    }

    static final String HEAD = """
            version: 1
            project: { name: demo }
            execution:
              default_context: host
              contexts:
                host: { backend: native }
            tasks:
            """;

    @Test
    void everyConsumerTargetGetsItsOwnStepAndSharedProducersComeFirst() {
        // app → a, app → b, a → b: b must be up before a; app.b has its own step (its own evidence).
        String yaml = HEAD + service("b", 18401, "")
                + service("a", 18402, target("b", "b", "ensure_running"))
                + """
                  app:
                    run: ./app
                    targets:
                      a:
                        service: { task: a, address_view: host }
                        activation: { mode: ensure_ready }
                      b:
                        service: { task: b, address_view: host }
                        activation: { mode: ensure_started }
                """;
        PlanOutcome plan = fx.plan(yaml, "app");
        assertThat(plan.errors()).isEmpty();
        assertThat(plan.plan().activationSteps())
                .extracting(s -> s.consumer() + "." + s.target() + "→" + s.producer() + ":" + s.mode())
                .containsExactly("a.b→b:ensure_running", "app.a→a:ensure_ready", "app.b→b:ensure_started");
    }

    @Test
    void targetsOfTheDependsOnChainAreActivatedToo() {
        String yaml = HEAD + service("db", 18403, "") + """
                  migrate:
                    run: ./migrate
                    targets:
                      db:
                        service: { task: db, address_view: host }
                        activation: { mode: ensure_ready }
                  test:
                    run: ./test
                    depends_on: [migrate]
                """;
        PlanOutcome plan = fx.plan(yaml, "test");
        assertThat(plan.errors()).isEmpty();
        assertThat(plan.plan().activationSteps()).singleElement()
                .satisfies(s -> {
                    assertThat(s.consumer()).isEqualTo("migrate");
                    assertThat(s.producer()).isEqualTo("db");
                });
        assertThat(plan.plan().tasks()).containsKeys("test", "migrate", "db");
    }
}
