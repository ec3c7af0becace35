package dev.ota.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ota.core.activate.Live;
import dev.ota.core.activate.TargetActivation;
import dev.ota.core.diagnostics.Diagnostics;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ota:run / ota:activate of a consumer whose targets are services of other repos of a workspace. */
class RepoProducerActivationTest {

    @TempDir
    Path root;

    private final String marker = "repo-activation-" + UUID.randomUUID();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private int catalogPort;
    private int ordersPort;
    private RunService.Options options;

    @BeforeEach
    void workspace() throws Exception {
        catalogPort = Live.freePort();
        ordersPort = Live.freePort();
        write("ota.workspace.yaml", """
                version: 1
                workspace: { name: shop }
                repos:
                  catalog: { path: catalog }
                  orders: { path: orders, depends_on: [catalog] }
                  storefront: { path: storefront, depends_on: [catalog, orders] }
                """);
        write("catalog/ota.yaml", contract("catalog", """
                  api:
                    run: %s
                    runtime:
                      kind: service
                      listeners:
                        http: { http: %d }
                      readiness: { kind: http, listener: http, path: /health, interval: 100ms, retries: 100 }
                """.formatted(Live.yaml(Live.healthServer(catalogPort, 1, marker)), catalogPort)));
        write("orders/ota.yaml", contract("orders", """
                  api:
                    run: %s
                    runtime:
                      kind: service
                      listeners:
                        http: { http: %d }
                      readiness: { kind: http, listener: http, path: /health, interval: 100ms, retries: 100 }
                    targets:
                      catalog:
                        service: { repo: catalog, task: api, address_view: host }
                        activation: { mode: ensure_ready }
                """.formatted(Live.yaml("test -n \"$OTA_TARGET_CATALOG\" && " + Live.healthServer(ordersPort, 1, marker)),
                ordersPort)));
        write("storefront/ota.yaml", contract("storefront", """
                  it:
                    run: echo "catalog=$OTA_TARGET_CATALOG orders=$OTA_TARGET_ORDERS"
                    targets:
                      catalog:
                        service: { repo: catalog, task: api, address_view: host }
                        activation: { mode: ensure_ready }
                      orders:
                        service: { repo: orders, task: api, address_view: host }
                        activation: { mode: ensure_ready }
                """));
        options = new RunService.Options(root.resolve("storefront/target/ota"), "workspace test", null, log::add, log::add);
    }

    @AfterEach
    void cleanUp() {
        for (String repo : List.of("catalog", "orders", "storefront")) {
            new RunService().clean(PlanRequest.of(root.resolve(repo).resolve("ota.yaml")), options);
        }
        Live.assertNoneLeft(marker);
    }

    private static String contract(String project, String tasks) {
        return """
                version: 1
                project: { name: %s }
                execution:
                  default_context: host
                  contexts:
                    host: { backend: native }
                tasks:
                """.formatted(project) + tasks;
    }

    private void write(String path, String text) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private PlanRequest request(String task) {
        Path contract = root.resolve("storefront/ota.yaml");
        WorkspaceContext ws = WorkspaceContext.discover(contract, null, new Diagnostics()).orElseThrow();
        return new PlanRequest(contract, "storefront/ota.yaml", task, Map.of(), Map.of(), ws);
    }

    @Test
    void producersOfOtherReposStartInWorkspaceOrderInTheirOwnReposAndAreReusedNextTime() throws Exception {
        RunService service = new RunService();
        RunService.Result first = service.run(request("it"), options);
        assertThat(first.ok()).as(first.message() + "\n" + String.join("\n", log)).isTrue();
        assertThat(log).contains("catalog=http://127.0.0.1:" + catalogPort + "/ orders=http://127.0.0.1:" + ordersPort + "/");
        // catalog before orders (orders needs it), each recorded in its own repo
        int catalogStart = indexOf("[catalog] starting `api`");
        int ordersStart = indexOf("[orders] starting `api`");
        assertThat(catalogStart).isNotNegative().isLessThan(ordersStart);
        assertThat(StateStore.forRepo(root.resolve("catalog")).read("api")).isPresent();
        assertThat(StateStore.forRepo(root.resolve("orders")).read("api")).isPresent();
        assertThat(StateStore.forRepo(root.resolve("storefront")).list()).isEmpty();
        JsonNode receipt = new ObjectMapper().readTree(first.receiptFile().toFile());
        List<String> words = new ArrayList<>();
        receipt.at("/steps").forEach(s -> s.path("target_resolutions").forEach(r -> words.add(
                r.path("target").asText() + ":" + r.at("/activation/status").asText() + ":" + r.at("/service_ref/repo").asText())));
        assertThat(words).contains("catalog:started_ready:catalog", "orders:started_ready:orders");

        log.clear();
        RunService.Result second = service.activate(request("it"), options);
        assertThat(second.ok()).as(second.message()).isTrue();
        assertThat(second.activations()).extracting(TargetActivation::status).containsOnly("reused_ready");
        assertThat(second.started()).isEmpty();
        assertThat(second.targets()).containsEntry("orders", "http://127.0.0.1:" + ordersPort + "/");
    }

    @Test
    void deactivateStopsWhatActivateStartedInEveryRepo() throws Exception {
        RunService service = new RunService();
        RunService.Result activated = service.activate(request("it"), options);
        assertThat(activated.ok()).as(activated.message()).isTrue();
        assertThat(activated.started()).extracting(a -> a.repo().getFileName().toString())
                .containsExactlyInAnyOrder("catalog", "orders");
        RunService.Result deactivated = service.deactivate(request("it"), activated.started(), options);
        assertThat(deactivated.ok()).as(deactivated.message()).isTrue();
        assertThat(StateStore.forRepo(root.resolve("catalog")).list()).isEmpty();
        assertThat(StateStore.forRepo(root.resolve("orders")).list()).isEmpty();
        Live.assertNoneLeft(marker);
    }

    @Test
    void aProducerThatFailsRollsBackWhatTheRunStartedInOtherRepos() throws Exception {
        write("orders/ota.yaml", Files.readString(root.resolve("orders/ota.yaml"))
                .replace("retries: 100", "retries: 5").replace("test -n", "exit 3; test -n"));
        RunService.Result r = new RunService().activate(request("it"), options);
        assertThat(r.failureClass()).isEqualTo(FailureClass.ACTIVATION);
        assertThat(r.message()).contains("producer `api` exited with code 3");
        assertThat(StateStore.forRepo(root.resolve("catalog")).list()).as("catalog was stopped again").isEmpty();
        Live.assertNoneLeft(marker);
    }

    private int indexOf(String prefix) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
