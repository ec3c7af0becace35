package dev.ota.core.backend.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ota.core.activate.Live;
import dev.ota.core.activate.TargetActivation;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.RunService;
import dev.ota.core.receipt.FailureClass;
import dev.ota.core.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Activation, runs, status and clean of container tasks, end to end against the real engine. */
class ContainerRunServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private int apiPort;
    private int sandboxPort;
    private String owner;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private RunService.Options options;

    @BeforeEach
    void setUp() throws Exception {
        DockerTestSupport.engine();
        owner = StateStore.forRepo(dir).ownershipId();
        apiPort = Live.freePort();
        sandboxPort = Live.freePort();
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/health"), "ok\n");
        options = new RunService.Options(dir.resolve("target/ota"), "container test", null, log::add, log::add);
    }

    @AfterEach
    void tearDown() {
        new RunService().clean(new PlanRequest(dir.resolve("ota.yaml"), "ota.yaml", null, Map.of(), Map.of()), options);
        DockerTestSupport.removeContainersOf(owner);
    }

    /** dev (API) and sandbox share `workbench`; `use` targets dev from the host with {@code mode}. */
    private void contract(String image, String devRun, String mode) throws Exception {
        String text = """
                version: 1
                project:
                  name: container-test
                execution:
                  default_context: host
                  contexts:
                    host:
                      backend: native
                    app:
                      backend: container
                      lifecycle: persistent
                      container:
                        image: %1$s
                    once:
                      backend: container
                      lifecycle: ephemeral
                      container:
                        image: %1$s
                  shared_backends:
                    workbench:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      context: app
                tasks:
                  dev:
                    context: app
                    run: %2$s
                    runtime:
                      kind: service
                      backend_binding: workbench
                      listeners:
                        http:
                          protocol: http
                          bind: { address: 0.0.0.0, port: { mode: fixed, value: 8080 } }
                          project: { host: { address: 127.0.0.1, port: { mode: fixed, value: %3$d } } }
                      readiness: { kind: http, listener: http, path: /health, interval: 100ms, retries: 40 }
                  sandbox:
                    context: app
                    run: wget -q -O www/sandbox.txt "$OTA_TARGET_API/health" && exec httpd -f -p 0.0.0.0:8081 -h www
                    runtime:
                      kind: service
                      backend_binding: workbench
                      listeners:
                        http:
                          protocol: http
                          bind: { address: 0.0.0.0, port: { mode: fixed, value: 8081 } }
                          project: { host: { address: 127.0.0.1, port: { mode: fixed, value: %5$d } } }
                      readiness: { kind: http, listener: http, path: /sandbox.txt, body: { contains: ok }, interval: 100ms, retries: 40 }
                    targets:
                      api:
                        service: { task: dev, listener: http, address_view: topology }
                        activation: { mode: %4$s }
                  front:
                    run: "true"
                    targets:
                      sandbox:
                        service: { task: sandbox, listener: http, address_view: host }
                        activation: { mode: ensure_ready }
                  use:
                    run: test -n "$OTA_TARGET_API"
                    targets:
                      api:
                        service: { task: dev, listener: http, address_view: host }
                        activation: { mode: %4$s }
                  oneshot:
                    context: once
                    run: echo "ephemeral in $(pwd) with $GREETING in $OTA_WORKSPACE"; exit 4
                    env: { GREETING: hi }
                  hello:
                    run: echo hello
                  chain:
                    run: "true"
                    depends_on: [hello, oneshot]
                  ephemeral_producer:
                    context: once
                    run: httpd -f -p 8080
                    runtime:
                      kind: service
                      listeners:
                        http:
                          protocol: http
                          bind: { address: 0.0.0.0, port: { mode: fixed, value: 8080 } }
                          project: { host: { address: 127.0.0.1, port: { mode: fixed, value: %5$d } } }
                  use_ephemeral:
                    run: "true"
                    targets:
                      api:
                        service: { task: ephemeral_producer, listener: http, address_view: host }
                        activation: { mode: ensure_ready }
                """.formatted(image, devRun, apiPort, mode, sandboxPort);
        Files.writeString(dir.resolve("ota.yaml"), text, StandardCharsets.UTF_8);
    }

    private static String httpd() {
        return "exec httpd -f -p 0.0.0.0:8080 -h www";
    }

    private PlanRequest request(String task) {
        return new PlanRequest(dir.resolve("ota.yaml"), "ota.yaml", task, Map.of(), Map.of());
    }

    private static JsonNode receipt(RunService.Result r) throws Exception {
        return JSON.readTree(r.receiptFile().toFile());
    }

    @Test
    void sharedBackendIsCreatedThenReusedAndBothViewsResolve() throws Exception {
        contract(DockerTestSupport.IMAGE, httpd(), "ensure_ready");
        RunService service = new RunService();
        RunService.Result first = service.activate(request("front"), options);
        assertThat(first.ok()).as(first.message() + "\n" + String.join("\n", log)).isTrue();
        // sandbox fetched dev's /health through the in-container address before it served it
        assertThat(Files.readString(dir.resolve("www/sandbox.txt"))).isEqualTo("ok\n");
        assertThat(first.targets()).containsEntry("sandbox", "http://127.0.0.1:" + sandboxPort);
        JsonNode r1 = receipt(first);
        assertThat(r1.at("/backend_units/0/reuse").asText()).isEqualTo("created");
        assertThat(r1.at("/backend_units/0/unit").asText()).isEqualTo("shared_backend:workbench");
        assertThat(r1.at("/backend_units/0/container").asText())
                .isEqualTo(ContainerBoundary.nameFor(owner, "shared_backend:workbench"));
        assertThat(r1.at("/steps/0/target_resolutions/0/effective_url").asText()).isEqualTo("http://127.0.0.1:8080");
        assertThat(r1.at("/steps/0/target_resolutions/0/activation/status").asText()).isEqualTo("started_ready");
        assertThat(r1.at("/steps/0/target_resolutions/0/activation/probe/last").asText()).contains("in container");
        assertThat(r1.at("/steps/1/target_resolutions/0/activation/status").asText()).isEqualTo("started_ready");
        assertThat(r1.at("/steps/0/shared_local_backend/name").asText()).isEqualTo("workbench");
        assertThat(r1.at("/steps/0/shared_local_backend/reuse").asText()).isEqualTo("created");
        assertThat(r1.at("/steps/0/shared_local_backend/effective_identity").asText()).startsWith("container-test/workbench@");
        assertThat(r1.at("/steps/0/shared_local_backend/environment/effective_image").asText()).isEqualTo(DockerTestSupport.IMAGE);

        log.clear();
        RunService.Result host = service.activate(request("use"), options);
        assertThat(host.ok()).as(host.message()).isTrue();
        assertThat(host.targets()).containsEntry("api", "http://127.0.0.1:" + apiPort);
        JsonNode r2 = receipt(host);
        assertThat(r2.at("/backend_units/0/reuse").asText()).isEqualTo("reused");
        assertThat(r2.at("/backend_units/0/container_id").asText()).isEqualTo(r1.at("/backend_units/0/container_id").asText());
        assertThat(r2.at("/steps/0/target_resolutions/0/activation/status").asText()).isEqualTo("reused_ready");
        assertThat(r2.at("/steps/0/shared_local_backend/reuse").asText()).isEqualTo("reused");
        assertThat(r2.at("/steps/0/target_resolutions/0/activation/probe/last").asText()).doesNotContain("in container");
        assertThat(DockerTestSupport.containersOf(owner)).hasSize(1);

        List<RunService.ServiceStatus> status = service.status(dir.resolve("ota.yaml"));
        assertThat(status).hasSize(2).allSatisfy(s -> {
            assertThat(s.alive()).isTrue();
            assertThat(s.record().backend()).startsWith("container:");
        });
        assertThat(service.containers(dir.resolve("ota.yaml"))).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("running"));
    }

    @Test
    void evidenceWordsOfEveryModeOnAContainerProducer() throws Exception {
        RunService service = new RunService();
        contract(DockerTestSupport.IMAGE, httpd(), "manual");
        RunService.Result manual = service.activate(request("use"), options);
        assertThat(manual.ok()).isTrue();
        assertThat(manual.activations()).isEmpty();
        assertThat(DockerTestSupport.containersOf(owner)).isEmpty();

        contract(DockerTestSupport.IMAGE, httpd(), "ensure_started");
        assertThat(statusOf(service.activate(request("use"), options))).isEqualTo("started_started");
        awaitReady();
        assertThat(statusOf(service.activate(request("use"), options))).isEqualTo("reused_started");

        contract(DockerTestSupport.IMAGE, httpd(), "ensure_running");
        assertThat(statusOf(service.activate(request("use"), options))).isEqualTo("reused_running");

        contract(DockerTestSupport.IMAGE, httpd(), "restart_ready");
        long pidBefore = StateStore.forRepo(dir).read("dev").orElseThrow().pid();
        RunService.Result restarted = service.activate(request("use"), options);
        assertThat(statusOf(restarted)).isEqualTo("restarted_ready");
        assertThat(StateStore.forRepo(dir).read("dev").orElseThrow().pid()).isNotEqualTo(pidBefore);

        contract(DockerTestSupport.IMAGE, httpd(), "ensure_ready");
        assertThat(statusOf(service.activate(request("use"), options))).isEqualTo("reused_ready");
        service.clean(request(null), options);
        contract(DockerTestSupport.IMAGE, httpd(), "ensure_running");
        assertThat(statusOf(service.activate(request("use"), options))).isEqualTo("started_running");
    }

    private static String statusOf(RunService.Result r) {
        assertThat(r.ok()).as(r.message()).isTrue();
        return r.activations().get(0).status();
    }

    private void awaitReady() throws Exception {
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", apiPort)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
    }

    @Test
    void producerThatExitsNonZeroFailsWithItsExitCodeAndLogTail() throws Exception {
        contract(DockerTestSupport.IMAGE, "echo 'cannot bind - config missing' >&2; exit 9", "ensure_ready");
        RunService.Result r = new RunService().activate(request("use"), options);
        assertThat(r.failureClass()).isEqualTo(FailureClass.ACTIVATION);
        assertThat(r.message()).contains("producer `dev` exited with code 9 before it was ready")
                .contains("| cannot bind - config missing");
        // the failed run removed what it started; the persistent container stays
        assertThat(StateStore.forRepo(dir).read("dev")).isEmpty();
        assertThat(DockerTestSupport.containersOf(owner)).singleElement()
                .satisfies(c -> assertThat(c.getState()).isEqualTo("running"));
    }

    @Test
    void ephemeralContainerProducerFailsClearly() throws Exception {
        contract(DockerTestSupport.IMAGE, httpd(), "ensure_ready");
        RunService.Result r = new RunService().activate(request("use_ephemeral"), options);
        assertThat(r.failureClass()).isEqualTo(FailureClass.ACTIVATION);
        assertThat(r.message()).contains("ephemeral container context `once`").contains("lifecycle: persistent");
        assertThat(DockerTestSupport.containersOf(owner)).isEmpty();
    }

    @Test
    void ephemeralContextRunsOneContainerPerInvocationAndRemovesIt() throws Exception {
        contract(DockerTestSupport.IMAGE, httpd(), "ensure_ready");
        // an ephemeral container left by a build that died (its owner pid is gone) is reclaimed first
        String orphan = DockerTestSupport.client().createContainerCmd(DockerTestSupport.IMAGE).withCmd("sleep", "1000")
                .withLabels(Map.of(ContainerBoundary.LABEL_MANAGED, "true", ContainerBoundary.LABEL_REPO, owner,
                        ContainerBoundary.LABEL_LIFECYCLE, "ephemeral", ContainerBoundary.LABEL_OWNER_PID, "999999999"))
                .exec().getId();
        RunService.Result r = new RunService().run(request("oneshot"), options);
        assertThat(r.failureClass()).isEqualTo(FailureClass.TASK);
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(log).contains("ephemeral in /workspace with hi in /workspace")
                .anyMatch(l -> l.startsWith("removing orphaned ephemeral container " + orphan.substring(0, 12)));
        assertThat(DockerTestSupport.containersOf(owner)).isEmpty();
        JsonNode receipt = receipt(r);
        assertThat(receipt.at("/backend_units/0/lifecycle").asText()).isEqualTo("ephemeral");
    }

    @Test
    void interruptingAnEphemeralRunRemovesItsContainer() throws Exception {
        contract(DockerTestSupport.IMAGE, httpd(), "ensure_ready");
        Files.writeString(dir.resolve("ota.yaml"), Files.readString(dir.resolve("ota.yaml"))
                .replace("run: echo \"ephemeral in $(pwd) with $GREETING in $OTA_WORKSPACE\"; exit 4", "run: echo started; sleep 1000"));
        CountDownLatch started = new CountDownLatch(1);
        RunService.Options watching = new RunService.Options(dir.resolve("target/ota"), "t", null, log::add, line -> {
            log.add(line);
            started.countDown();
        });
        List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());
        Thread t = new Thread(() -> {
            try {
                new RunService().run(request("oneshot"), watching);
            } catch (Throwable e) {
                thrown.add(e);
            }
        });
        t.start();
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        t.interrupt();
        t.join(60_000);
        assertThat(thrown).singleElement().isInstanceOf(InterruptedException.class);
        assertThat(DockerTestSupport.containersOf(owner)).isEmpty();
    }

    @Test
    void twoBuildsActivatingTheSameBackendAtOnceShareOneContainerAndOneProducer() throws Exception {
        contract(DockerTestSupport.IMAGE, httpd(), "ensure_ready");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RunService.Result>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return new RunService().activate(request("use"), options);
                }));
            }
            go.countDown();
            List<String> words = new ArrayList<>();
            for (Future<RunService.Result> f : results) {
                RunService.Result r = f.get(3, TimeUnit.MINUTES);
                assertThat(r.ok()).as(r.message()).isTrue();
                words.add(r.activations().get(0).status());
            }
            assertThat(words).containsExactlyInAnyOrder("started_ready", "reused_ready");
            assertThat(DockerTestSupport.containersOf(owner)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cleanRemovesCurrentAndDriftedContainers() throws Exception {
        contract(DockerTestSupport.IMAGE, httpd(), "ensure_ready");
        RunService service = new RunService();
        assertThat(service.activate(request("use"), options).ok()).isTrue();
        // the contract drifts: another host port means another shape; the old container is now "drifted"
        apiPort = Live.freePort();
        contract(DockerTestSupport.IMAGE, httpd(), "manual");
        RunService.Result cleaned = service.clean(request(null), options);
        assertThat(cleaned.ok()).as(cleaned.message()).isTrue();
        assertThat(log).anyMatch(l -> l.startsWith("removed drifted persistent container "));
        assertThat(receipt(cleaned).at("/backend_units/0/reuse").asText()).isEqualTo("removed");
        assertThat(DockerTestSupport.containersOf(owner)).isEmpty();
        assertThat(StateStore.forRepo(dir).list()).isEmpty();
    }

    @Test
    void deactivateStopsTheProducerAndKeepsTheSharedContainer() throws Exception {
        contract(DockerTestSupport.IMAGE, httpd(), "ensure_ready");
        RunService service = new RunService();
        RunService.Result activated = service.activate(request("use"), options);
        List<TargetActivation> started = activated.started();
        assertThat(started).hasSize(1);
        RunService.Result deactivated = service.deactivate(request("use"), started, options);
        assertThat(deactivated.ok()).as(deactivated.message()).isTrue();
        assertThat(StateStore.forRepo(dir).read("dev")).isEmpty();
        assertThat(DockerTestSupport.containersOf(owner)).singleElement()
                .satisfies(c -> assertThat(c.getState()).isEqualTo("running"));
        assertThat(DockerTestSupport.processes(DockerTestSupport.containersOf(owner).get(0).getId(),
                "httpd -f -p 0.0.0.0:8080 -h www")).isZero();
    }

    @Test
    void missingImageAndUnreachableEngineAreActivationFailuresNamingTheFix() throws Exception {
        contract(DockerTestSupport.UNPULLABLE_IMAGE, httpd(), "ensure_ready");
        RunService.Result missing = new RunService().activate(request("use"), options);
        assertThat(missing.failureClass()).isEqualTo(FailureClass.ACTIVATION);
        assertThat(missing.message()).contains("is not present locally and could not be pulled");

        contract(DockerTestSupport.IMAGE, httpd(), "ensure_ready");
        RunService nowhere = new RunService(RunService.defaultBackends(Map.of("DOCKER_HOST",
                "unix://" + dir.resolve("none.sock"))), new dev.ota.core.probe.ReadinessWaiter());
        RunService.Result down = nowhere.activate(request("use"), options);
        assertThat(down.failureClass()).isEqualTo(FailureClass.ACTIVATION);
        assertThat(down.message()).contains("Docker engine not reachable at unix://" + dir.resolve("none.sock"))
                .contains("start it or set DOCKER_HOST");
        // validate and plan never need the engine
        assertThat(dev.ota.core.engine.OtaEngine.prepare(request("use")).plan().ok()).isTrue();
    }

    private void edit(String from, String to) throws Exception {
        String text = Files.readString(dir.resolve("ota.yaml"));
        assertThat(text).contains(from);
        Files.writeString(dir.resolve("ota.yaml"), text.replace(from, to));
    }

    @Test
    void anEngineOtherThanDockerIsRefusedInsteadOfSilentlyUsingDocker() throws Exception {
        contract(DockerTestSupport.IMAGE, httpd(), "ensure_ready");
        String once = "lifecycle: ephemeral\n      container:\n        image: " + DockerTestSupport.IMAGE;
        edit(once, once + "\n        engines: [podman]");
        RunService.Result r = new RunService().run(request("oneshot"), options);
        assertThat(r.failureClass()).isEqualTo(FailureClass.TASK);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.message()).contains("`oneshot` could not be run").contains("list [podman]; ota-maven drives the Docker engine only");
        assertThat(DockerTestSupport.containersOf(owner)).isEmpty();
    }

    @Test
    void aTaskWhoseContainerCannotBeMadeFailsAsATaskWithExitCodeOne() throws Exception {
        contract(DockerTestSupport.UNPULLABLE_IMAGE, httpd(), "ensure_ready");
        RunService.Result r = new RunService().run(request("oneshot"), options);
        assertThat(r.failureClass()).isEqualTo(FailureClass.TASK);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.message()).contains("`oneshot` could not be run").contains("could not be pulled");
        assertThat(receipt(r).at("/status").asText()).isEqualTo("TASK FAILED");
        assertThat(receipt(r).at("/next_steps/0").asText()).contains("body never ran");

        RunService.Result chain = new RunService().run(request("chain"), options);
        assertThat(chain.exitCode()).isEqualTo(1);
        assertThat(chain.message()).contains("`oneshot` (a dependency of `chain`) could not be run");
        JsonNode steps = receipt(chain).at("/steps");
        assertThat(steps.get(0).at("/task").asText()).isEqualTo("hello");
        assertThat(steps.get(0).at("/status").asText()).isEqualTo("DONE");
    }

    @Test
    void cleanLeavesEphemeralContainersOfRunningBuildsAlone() throws Exception {
        contract(DockerTestSupport.IMAGE, httpd(), "ensure_ready");
        String live = DockerTestSupport.client().createContainerCmd(DockerTestSupport.IMAGE).withCmd("sleep", "1000")
                .withLabels(Map.of(ContainerBoundary.LABEL_MANAGED, "true", ContainerBoundary.LABEL_REPO, owner,
                        ContainerBoundary.LABEL_LIFECYCLE, "ephemeral",
                        ContainerBoundary.LABEL_OWNER_PID, Long.toString(ProcessHandle.current().pid())))
                .exec().getId();
        String orphan = DockerTestSupport.client().createContainerCmd(DockerTestSupport.IMAGE).withCmd("sleep", "1000")
                .withLabels(Map.of(ContainerBoundary.LABEL_MANAGED, "true", ContainerBoundary.LABEL_REPO, owner,
                        ContainerBoundary.LABEL_LIFECYCLE, "ephemeral", ContainerBoundary.LABEL_OWNER_PID, "999999999"))
                .exec().getId();
        RunService.Result cleaned = new RunService().clean(request(null), options);
        assertThat(cleaned.ok()).as(cleaned.message()).isTrue();
        assertThat(DockerTestSupport.containersOf(owner)).extracting(c -> c.getId()).containsExactly(live)
                .doesNotContain(orphan);
    }

    @Test
    void aNativeCallerOfAContainerProducerIsProbedThroughThePublicationItUses() throws Exception {
        // dev listens on the container's own loopback: sibling containers reach it, the published port does not
        contract(DockerTestSupport.IMAGE, "exec httpd -f -p 127.0.0.1:8080 -h www", "ensure_ready");
        edit("readiness: { kind: http, listener: http, path: /health, interval: 100ms, retries: 40 }",
                "readiness: { kind: http, listener: http, path: /health, interval: 100ms, retries: 10 }");
        RunService.Result r = new RunService().activate(request("use"), options);
        assertThat(r.failureClass()).as("ready inside the container, but not where `use` connects").isEqualTo(FailureClass.ACTIVATION);
        assertThat(r.message()).contains("did not become ready").contains("127.0.0.1:" + apiPort);
    }
}
