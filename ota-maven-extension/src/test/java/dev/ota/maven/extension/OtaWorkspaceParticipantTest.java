package dev.ota.maven.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.maven.MavenExecutionException;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The participant against a copy of examples/workspace, with a hand-made session (no Maven run). */
class OtaWorkspaceParticipantTest {

    static final Path EXAMPLE = Path.of("..", "examples", "workspace");

    @TempDir
    Path root;

    MavenProject aggregator;
    MavenProject catalog;
    MavenProject orders;
    MavenProject storefront;

    @BeforeEach
    void copyExample() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLE)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = EXAMPLE.relativize(p);
                if (rel.toString().contains("target") || rel.toString().contains(".ota")) {
                    continue;
                }
                Path dest = root.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        aggregator = project(root, "shop-workspace");
        catalog = project(root.resolve("catalog"), "catalog");
        orders = project(root.resolve("orders"), "orders");
        storefront = project(root.resolve("storefront"), "storefront");
    }

    static MavenProject project(Path dir, String artifactId) {
        Model model = new Model();
        model.setGroupId("dev.ota.examples.shop");
        model.setArtifactId(artifactId);
        model.setVersion("1.0-SNAPSHOT");
        model.setPackaging("pom");
        MavenProject project = new MavenProject(model);
        project.setFile(dir.resolve("pom.xml").toFile());
        return project;
    }

    MavenSession session(Properties user) {
        DefaultMavenExecutionRequest request = new DefaultMavenExecutionRequest();
        request.setMultiModuleProjectDirectory(root.toFile());
        request.setBaseDirectory(root.toFile());
        request.setUserProperties(user);
        request.setSystemProperties(new Properties());
        @SuppressWarnings("deprecation")
        MavenSession session = new MavenSession(null, new DefaultRepositorySystemSession(), request,
                new DefaultMavenExecutionResult());
        session.setProjects(List.of(catalog, orders, storefront, aggregator));
        return session;
    }

    static Map<String, String> targets(MavenProject project) {
        Map<String, String> out = new java.util.TreeMap<>();
        project.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("ota.target.")) {
                out.put(k.toString(), v.toString());
            }
        });
        return out;
    }

    @Test
    void resolvesEveryRepoTargetIntoTheProjectsOfItsRepo() throws Exception {
        MavenSession session = session(new Properties());
        new OtaWorkspaceParticipant().afterProjectsRead(session);

        assertThat(targets(storefront)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ota.target.it.catalog", "http://127.0.0.1:18121/", "ota.target.catalog", "http://127.0.0.1:18121/",
                "ota.target.it.orders", "http://127.0.0.1:18122/", "ota.target.orders", "http://127.0.0.1:18122/"));
        assertThat(targets(orders)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ota.target.serve.catalog", "http://127.0.0.1:18121/", "ota.target.catalog", "http://127.0.0.1:18121/"));
        assertThat(targets(catalog)).isEmpty();
        assertThat(targets(aggregator)).as("the aggregator lies in no repo").isEmpty();

        String json = Files.readString(root.resolve("target/ota/workspace.json"));
        assertThat(json).contains("\"schema\" : \"ota-maven/workspace@1\"", "\"ok\" : true",
                "\"projects\" : [ \"dev.ota.examples.shop:storefront:pom:1.0-SNAPSHOT\" ]",
                "\"effective_url\" : \"http://127.0.0.1:18122/\"");
        assertThat(json).doesNotContain(root.toString());
        assertThat(session.getRepositorySession().getData().get(SessionEndCleanup.EXTENSION_KEY)).isEqualTo(Boolean.TRUE);
    }

    @Test
    void aValueGivenWithMinusDIsLeftAlone() throws Exception {
        Properties user = new Properties();
        user.setProperty("ota.target.catalog", "http://127.0.0.1:9999/");
        new OtaWorkspaceParticipant().afterProjectsRead(session(user));
        assertThat(targets(storefront)).doesNotContainKey("ota.target.catalog")
                .containsEntry("ota.target.it.catalog", "http://127.0.0.1:18121/");
    }

    @Test
    void aSecondParticipantInTheSameSessionChangesNothing() throws Exception {
        MavenSession session = session(new Properties());
        new OtaWorkspaceParticipant().afterProjectsRead(session);
        storefront.getProperties().remove("ota.target.orders");
        Files.delete(root.resolve("target/ota/workspace.json"));
        // e.g. declared both in .mvn/extensions.xml and as a build extension
        new OtaWorkspaceParticipant().afterProjectsRead(session);
        assertThat(storefront.getProperties()).doesNotContainKey("ota.target.orders");
        assertThat(root.resolve("target/ota/workspace.json")).doesNotExist();
    }

    @Test
    void disabledItDoesNothingAndLeavesTheSessionEndToThePlugin() throws Exception {
        Properties user = new Properties();
        user.setProperty("ota.disable", "true");
        MavenSession session = session(user);
        OtaWorkspaceParticipant participant = new OtaWorkspaceParticipant();
        participant.afterSessionStart(session);
        participant.afterProjectsRead(session);
        assertThat(targets(storefront)).isEmpty();
        assertThat(root.resolve("target")).doesNotExist();
        assertThat(session.getRepositorySession().getData().get(SessionEndCleanup.EXTENSION_KEY)).isNull();
    }

    @Test
    void aBrokenWorkspaceFailsTheBuildWithFileLineAndFix() throws Exception {
        Files.writeString(root.resolve("ota.workspace.yaml"), """
                version: 1
                workspace:
                  name: shop
                repos:
                  catalog:
                    path: catalog
                    depends_on: [storefront]
                  orders:
                    path: orders
                    depends_on: [catalog]
                  storefront:
                    path: storefront
                    depends_on: [catalog, orders]
                """);
        assertThatThrownBy(() -> new OtaWorkspaceParticipant().afterProjectsRead(session(new Properties())))
                .isInstanceOf(MavenExecutionException.class)
                .hasMessageStartingWith("INVALID ota.workspace.yaml: 2 error(s)")
                .hasMessageContaining("ota.workspace.yaml:7:")
                .hasMessageContaining("repos depend on each other in a cycle: catalog -> storefront -> catalog")
                .hasMessageContaining("repos depend on each other in a cycle: catalog -> storefront -> orders -> catalog")
                .hasMessageContaining("Fix: remove one `depends_on` entry");
        assertThat(targets(storefront)).isEmpty();
    }

    @Test
    void anExplicitWorkspaceThatIsNotThereFails() {
        Properties user = new Properties();
        user.setProperty("ota.workspace", "elsewhere/ota.workspace.yaml");
        assertThatThrownBy(() -> new OtaWorkspaceParticipant().afterProjectsRead(session(user)))
                .isInstanceOf(MavenExecutionException.class)
                .hasMessageContaining("-Dota.workspace=elsewhere/ota.workspace.yaml names no file");
    }

    @Test
    void anExplicitWorkspaceDirectoryNamesItsFile() throws Exception {
        Path moved = root.resolve("ws");
        Files.createDirectories(moved);
        Files.writeString(moved.resolve("ota.workspace.yaml"), Files.readString(root.resolve("ota.workspace.yaml"))
                .replace("path: catalog", "path: ../catalog").replace("path: orders", "path: ../orders")
                .replace("path: storefront", "path: ../storefront"));
        Files.delete(root.resolve("ota.workspace.yaml"));
        Properties user = new Properties();
        user.setProperty("ota.workspace", "ws");
        new OtaWorkspaceParticipant().afterProjectsRead(session(user));
        assertThat(targets(storefront)).containsEntry("ota.target.orders", "http://127.0.0.1:18122/");
    }

    @Test
    void withoutAWorkspaceFileItIsANoOp() throws Exception {
        Files.delete(root.resolve("ota.workspace.yaml"));
        new OtaWorkspaceParticipant().afterProjectsRead(session(new Properties()));
        assertThat(targets(storefront)).isEmpty();
        assertThat(root.resolve("target")).doesNotExist();
    }

    @Test
    void atTheEndOfTheSessionThePluginsActionRunsWithTheBuildsResult() throws Exception {
        for (boolean failed : new boolean[] {false, true}) {
            MavenSession session = session(new Properties());
            if (failed) {
                session.getResult().addException(new IllegalStateException("a test failed"));
            }
            Map<String, String> ledger = new ConcurrentHashMap<>();
            ledger.put("storefront/ota.yaml", "[{\"producer\":\"serve\"}]");
            List<Object> calls = new java.util.ArrayList<>();
            java.util.function.BiConsumer<Boolean, java.util.function.Consumer<String>> action = (f, log) -> {
                calls.add(f);
                log.accept("stopped `serve` (pid 1, repo catalog)");
            };
            session.getRepositorySession().getData().set(SessionEndCleanup.LEDGER_KEY, ledger);
            session.getRepositorySession().getData().set(SessionEndCleanup.SESSION_END_KEY, action);
            new OtaWorkspaceParticipant().afterSessionEnd(session);
            assertThat(calls).containsExactly(failed);
        }
    }

    @Test
    void nothingActivatedNothingCalled() throws Exception {
        MavenSession session = session(new Properties());
        List<Object> calls = new java.util.ArrayList<>();
        java.util.function.BiConsumer<Boolean, java.util.function.Consumer<String>> action = (f, log) -> calls.add(f);
        session.getRepositorySession().getData().set(SessionEndCleanup.SESSION_END_KEY, action);
        session.getRepositorySession().getData().set(SessionEndCleanup.LEDGER_KEY, new ConcurrentHashMap<String, String>());
        new OtaWorkspaceParticipant().afterSessionEnd(session);
        assertThat(calls).isEmpty();
    }

    // ---- the cache of an unchanged workspace -----------------------------------------------------

    Path cacheFile() {
        return root.resolve("target/ota").resolve(ResolutionCache.FILE_NAME);
    }

    /** Makes the cached entry say something validation would not, so a hit shows. */
    void tamperCache() throws IOException {
        String text = Files.readString(cacheFile());
        assertThat(text).contains("\tota.target.orders\thttp://127.0.0.1:18122/");
        Files.writeString(cacheFile(), text.replace("\tota.target.orders\thttp://127.0.0.1:18122/",
                "\tota.target.orders\thttp://cached:1/"));
    }

    @Test
    void anUnchangedWorkspaceIsResolvedFromTheCacheOfTheLastBuild() throws Exception {
        new OtaWorkspaceParticipant("test-jars").afterProjectsRead(session(new Properties()));
        assertThat(cacheFile()).exists();
        tamperCache();

        copyExampleProjects();
        new OtaWorkspaceParticipant("test-jars").afterProjectsRead(session(new Properties()));
        assertThat(targets(storefront)).containsEntry("ota.target.orders", "http://cached:1/")
                .containsEntry("ota.target.catalog", "http://127.0.0.1:18121/");
        assertThat(Files.readString(root.resolve("target/ota/workspace.json")))
                .contains("\"projects\" : [ \"dev.ota.examples.shop:orders:pom:1.0-SNAPSHOT\" ]");
    }

    @Test
    void aCacheHitRewritesWorkspaceJsonForAnotherSelectionOfProjects() throws Exception {
        new OtaWorkspaceParticipant("test-jars").afterProjectsRead(session(new Properties()));
        String all = Files.readString(root.resolve("target/ota/workspace.json"));
        copyExampleProjects();
        MavenSession onlyStorefront = session(new Properties());
        onlyStorefront.setProjects(List.of(storefront)); // e.g. mvn -pl storefront
        new OtaWorkspaceParticipant("test-jars").afterProjectsRead(onlyStorefront);
        String some = Files.readString(root.resolve("target/ota/workspace.json"));
        assertThat(some).contains("\"projects\" : [ ]", "\"projects\" : [ \"dev.ota.examples.shop:storefront:pom:1.0-SNAPSHOT\" ]");
        assertThat(some.replace("\"projects\" : [ ]", "")).isNotEqualTo(all);
        // and it is a valid document like the one validation wrote
        assertThat(some.lines().count()).isEqualTo(all.lines().count());
    }

    @Test
    void anyChangedInputValidatesAgain() throws Exception {
        new OtaWorkspaceParticipant("test-jars").afterProjectsRead(session(new Properties()));
        tamperCache();
        Files.writeString(root.resolve("orders/ota.yaml"), Files.readString(root.resolve("orders/ota.yaml")).replace("18122", "18124"));
        copyExampleProjects();
        new OtaWorkspaceParticipant("test-jars").afterProjectsRead(session(new Properties()));
        assertThat(targets(storefront)).containsEntry("ota.target.orders", "http://127.0.0.1:18124/");
    }

    @Test
    void aPolicyFileThatAppearsAboveARepoValidatesAgain() throws Exception {
        new OtaWorkspaceParticipant("test-jars").afterProjectsRead(session(new Properties()));
        tamperCache();
        Files.createDirectories(root.resolve("orders/.ota"));
        Files.writeString(root.resolve("orders/.ota/org-policy.yaml"), "policies: {}\n");
        copyExampleProjects();
        new OtaWorkspaceParticipant("test-jars").afterProjectsRead(session(new Properties()));
        assertThat(targets(storefront)).containsEntry("ota.target.orders", "http://127.0.0.1:18122/");
    }

    /** Declares {@code workspace.policy: policy/org-policy.yaml} in the example's workspace file. */
    void declareWorkspacePolicy() throws IOException {
        Path file = root.resolve("ota.workspace.yaml");
        Files.writeString(file, Files.readString(file).replace("  name: shop\n", "  name: shop\n  policy: policy/org-policy.yaml\n"));
    }

    @Test
    void aChangedWorkspacePolicyFileValidatesAgain() throws Exception {
        declareWorkspacePolicy();
        Files.createDirectories(root.resolve("policy"));
        Files.writeString(root.resolve("policy/org-policy.yaml"), "policies: {}\n");
        new OtaWorkspaceParticipant("test-jars").afterProjectsRead(session(new Properties()));
        assertThat(Files.readString(root.resolve("target/ota/workspace.json")))
                .contains("\"policy\" : \"policy/org-policy.yaml\"");
        tamperCache();
        Files.writeString(root.resolve("policy/org-policy.yaml"), "policies:\n  strict_versions: false\n");
        copyExampleProjects();
        new OtaWorkspaceParticipant("test-jars").afterProjectsRead(session(new Properties()));
        assertThat(targets(storefront)).containsEntry("ota.target.orders", "http://127.0.0.1:18122/");
    }

    @Test
    void aMissingWorkspacePolicyFailsTheBuildOnceWithFileLineAndFix() throws Exception {
        declareWorkspacePolicy();
        assertThatThrownBy(() -> new OtaWorkspaceParticipant().afterProjectsRead(session(new Properties())))
                .isInstanceOf(MavenExecutionException.class)
                .hasMessageStartingWith("INVALID ota.workspace.yaml: 1 error(s)")
                .hasMessageContaining("ota.workspace.yaml:9:11: error: workspace.policy: ")
                .hasMessageContaining("the org policy file `policy/org-policy.yaml` (resolved to ")
                .hasMessageContaining("Fix: create the policy file there");
        assertThat(targets(storefront)).isEmpty();
    }

    @Test
    void otherJarsOrTheSwitchBypassTheCache() throws Exception {
        new OtaWorkspaceParticipant("test-jars").afterProjectsRead(session(new Properties()));
        tamperCache();
        copyExampleProjects();
        new OtaWorkspaceParticipant("other-jars").afterProjectsRead(session(new Properties()));
        assertThat(targets(storefront)).containsEntry("ota.target.orders", "http://127.0.0.1:18122/");

        tamperCache();
        copyExampleProjects();
        Properties off = new Properties();
        off.setProperty("ota.workspace.cache", "false");
        new OtaWorkspaceParticipant("other-jars").afterProjectsRead(session(off));
        assertThat(targets(storefront)).containsEntry("ota.target.orders", "http://127.0.0.1:18122/");
    }

    @Test
    void outsideJarsNothingIsCached() throws Exception {
        new OtaWorkspaceParticipant().afterProjectsRead(session(new Properties())); // classes directories
        assertThat(root.resolve("target/ota/workspace.json")).exists();
        assertThat(cacheFile()).doesNotExist();
    }

    @Test
    void whatACleanRemovedIsWrittenAgainAtTheEndOfTheSession() throws Exception {
        MavenSession session = session(new Properties());
        session.getRequest().setGoals(List.of("clean", "verify"));
        OtaWorkspaceParticipant participant = new OtaWorkspaceParticipant("test-jars");
        participant.afterProjectsRead(session);
        String json = Files.readString(root.resolve("target/ota/workspace.json"));
        deleteTree(root.resolve("target"));
        participant.afterSessionEnd(session);
        assertThat(Files.readString(root.resolve("target/ota/workspace.json"))).isEqualTo(json);
        assertThat(cacheFile()).exists();

        MavenSession cleanOnly = session(new Properties());
        cleanOnly.getRequest().setGoals(List.of("clean"));
        participant.afterProjectsRead(cleanOnly);
        deleteTree(root.resolve("target"));
        participant.afterSessionEnd(cleanOnly);
        assertThat(root.resolve("target")).as("`mvn clean` means gone").doesNotExist();
    }

    /** A new session needs fresh projects (their properties are what the test reads). */
    void copyExampleProjects() {
        aggregator = project(root, "shop-workspace");
        catalog = project(root.resolve("catalog"), "catalog");
        orders = project(root.resolve("orders"), "orders");
        storefront = project(root.resolve("storefront"), "storefront");
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
