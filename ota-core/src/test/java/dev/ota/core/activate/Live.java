package dev.ota.core.activate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.backend.nativeproc.ProcStat;
import dev.ota.core.backend.nativeproc.Procs;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Test support for real producers and consumers: free loopback ports, contracts in a temp dir,
 * the {@code HealthServer} test producer (compiled once), and /proc scans for leftovers by marker.
 */
public final class Live {

    private static Path healthClasses;

    private Live() {}

    /** A port that was free on 127.0.0.1 a moment ago. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The directory holding the compiled test programs {@code HealthServer} and {@code HttpGet}
     * (compiled on first use, next to the test resources, so each start skips source compilation).
     */
    public static synchronized Path healthServerClasses() {
        if (healthClasses == null) {
            Path server = Procs.resource("activate/HealthServer.java");
            Path get = Procs.resource("activate/HttpGet.java");
            Path out = server.getParent().resolve("bin");
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null) {
                throw new IllegalStateException("tests need a JDK (javax.tools compiler) to build HealthServer");
            }
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = javac.run(null, null, err, "-d", out.toString(), server.toString(), get.toString());
            if (rc != 0) {
                throw new IllegalStateException("cannot compile the test programs: " + err.toString(StandardCharsets.UTF_8));
            }
            healthClasses = out;
        }
        return healthClasses;
    }

    /** The shell text that GETs {@code url} with {@code HttpGet} (prints {@code <status> <body>}). */
    public static String httpGet(String url) {
        return "exec " + Procs.java() + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m -cp " + healthServerClasses()
                + " HttpGet " + url;
    }

    /**
     * The shell text that runs {@code HealthServer} on {@code port}, answering 503 on /health for the
     * first {@code unhealthy} requests; {@code marker} ends up in the process's command line.
     */
    public static String healthServer(int port, long unhealthy, String marker) {
        return "exec " + Procs.java() + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m -cp "
                + healthServerClasses() + " HealthServer " + port + " " + unhealthy + " " + marker;
    }

    /** A YAML single-quoted scalar. */
    public static String yaml(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** Writes {@code dir/ota.yaml}: a native default context and the given {@code tasks:} body (indented by 2). */
    public static Path contract(Path dir, String tasks) {
        String text = """
                version: 1
                project:
                  name: live-test
                execution:
                  default_context: host
                  contexts:
                    host:
                      backend: native
                tasks:
                """ + tasks;
        Path file = dir.resolve("ota.yaml");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Loads, validates and plans; fails the test with the diagnostics when the plan is not ok. */
    public static OtaEngine.Prepared prepare(Path contract, String task, Map<String, String> inputs) {
        OtaEngine.Prepared p = OtaEngine.prepare(new PlanRequest(contract, null, task, inputs, Map.of()));
        assertThat(p.outcome().ok())
                .as(() -> "plan of " + task + " is ok: " + p.outcome().diagnostics().stream()
                        .map(Object::toString).collect(Collectors.joining("\n")))
                .isTrue();
        return p;
    }

    /** Live (not zombie) processes whose command line contains {@code marker}. */
    public static List<ProcStat> processesWith(String marker) {
        List<ProcStat> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String cmdline;
                try {
                    cmdline = new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                if (cmdline.contains(marker)) {
                    ProcStat.read(Long.parseLong(name)).filter(s -> !s.exited()).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Fails when a process with the marker is alive (after SIGKILLing it, and its group, so the next
     * test starts clean).
     */
    public static void assertNoneLeft(String marker) {
        List<ProcStat> left = processesWith(marker);
        if (left.isEmpty()) {
            return;
        }
        try (Procs reaper = new Procs()) {
            left.forEach(s -> reaper.trackTree(s.pid()));
        }
        throw new AssertionError("processes left running: " + left);
    }

    /** Whether any process of the session, group or descendants of {@code pid} still runs. */
    public static boolean treeGone(long pid) {
        return Procs.tree(pid).isEmpty();
    }

    /** GET {@code http://127.0.0.1:<port><path>}: status and body, or -1 when nothing answers. */
    public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
