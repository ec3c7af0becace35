package dev.ota.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.WorkloadSpec;
import dev.ota.core.backend.nativeproc.NativeBackend;
import dev.ota.core.backend.nativeproc.ProcStat;
import dev.ota.core.backend.nativeproc.Procs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class StateStoreTest {

    @TempDir
    Path repo;

    StateStore store;
    Procs procs;
    final List<Process> jvms = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = StateStore.forRepo(repo);
        procs = new Procs();
    }

    @AfterEach
    void tearDown() {
        jvms.forEach(Process::destroyForcibly);
        procs.close();
    }

    static ServiceRecord record(String task, long pid, long startTime, List<String> urls) {
        return new ServiceRecord(task, "proj/" + task, "native", pid, startTime, "f".repeat(64), "build-1",
                Instant.parse("2025-01-02T03:04:05.123456Z"), "/repo/.ota/state/logs/" + task + ".log", urls);
    }

    // ---- records --------------------------------------------------------------------------------

    @Test
    void layoutUnderDotOtaState() {
        Path root = repo.resolve(".ota/state").toAbsolutePath().normalize();
        assertThat(store.root()).isEqualTo(root);
        assertThat(store.recordFile("dev")).isEqualTo(root.resolve("services/dev.json"));
        assertThat(store.logFile("dev")).isEqualTo(root.resolve("logs/dev.log"));
        assertThat(store.lockFile("dev")).isEqualTo(root.resolve("locks/dev.lock"));
    }

    @Test
    void roundTripBeforeAndAfterTheStart() throws IOException {
        ServiceRecord pending = ServiceRecord.starting("dev", "proj/dev", "native", "ab".repeat(32), "build-1",
                store.logFile("dev"));
        store.write(pending);
        assertThat(store.read("dev")).contains(pending);
        assertThat(pending.started()).isFalse();

        ServiceRecord started = pending.withProcess(new WorkloadHandle("native", 4242, 777, store.logFile("dev")))
                .withUrls(List.of("http://127.0.0.1:8080"));
        store.write(started);
        assertThat(store.read("dev")).contains(started);
        assertThat(started.started()).isTrue();
        assertThat(started.handle()).isEqualTo(new WorkloadHandle("native", 4242, 777, store.logFile("dev")));

        String json = Files.readString(store.recordFile("dev"));
        assertThat(json).contains("\"start_time\" : 777", "\"started_at\" : \"", "\"log_file\"", "\"urls\"");
        assertThat(store.list()).containsExactly(started);

        assertThat(store.delete("dev")).isTrue();
        assertThat(store.delete("dev")).isFalse();
        assertThat(store.read("dev")).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void listIsSortedAndIgnoresTempFilesAndReportsUnreadableOnes() throws IOException {
        store.write(record("web", 2, 2, List.of()));
        store.write(record("api", 1, 1, List.of()));
        Files.writeString(store.servicesDir().resolve(".api.json.123.tmp"), "{partial");
        Files.writeString(store.servicesDir().resolve("broken.json"), "{not json");

        assertThat(store.list()).extracting(ServiceRecord::task).containsExactly("api", "web");
        assertThat(store.unreadableRecords()).singleElement().asString().contains("broken.json");
        assertThatThrownBy(() -> store.read("broken")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("broken.json");
    }

    @Test
    void unknownFieldsFromANewerVersionAreIgnored() throws IOException {
        store.write(record("dev", 5, 6, List.of("u")));
        Path file = store.recordFile("dev");
        Files.writeString(file, Files.readString(file).replaceFirst("\\{", "{ \"future_field\" : [1, 2],"));
        assertThat(store.read("dev")).contains(record("dev", 5, 6, List.of("u")));
    }

    @Test
    void namesThatAreNotPlainGetDistinctSafeFilesInsideTheStore() {
        Set<Path> files = Stream.of("a/b", "a_b", "a:b", "../../etc/passwd", ".hidden", "proj/dev", "ü")
                .map(store::recordFile)
                .collect(Collectors.toSet());
        assertThat(files).hasSize(7).allSatisfy(f -> {
            assertThat(f.getParent()).isEqualTo(store.servicesDir());
            assertThat(f.getFileName().toString()).doesNotStartWith(".").matches("[A-Za-z0-9._-]+\\.json");
        });
        assertThat(StateStore.safeName("dev-1.api_x")).isEqualTo("dev-1.api_x");
    }

    @Test
    void writesAreAtomicForConcurrentReaders() throws Exception {
        store.write(record("dev", 1, 1, List.of("u0")));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> problem = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    ServiceRecord r = store.read("dev").orElseThrow();
                    if (r.urls().size() != r.pid()) {
                        throw new AssertionError("torn record: pid " + r.pid() + " with " + r.urls().size() + " urls");
                    }
                } catch (Throwable t) {
                    problem.compareAndSet(null, t);
                }
            }
        });
        reader.start();
        for (int i = 1; i <= 300; i++) {
            int n = 1 + (i * 37) % 200;
            List<String> urls = IntStream.range(0, n).mapToObj(k -> "http://127.0.0.1:" + (10000 + k) + "/x").toList();
            store.write(record("dev", n, i, urls));
        }
        done.set(true);
        reader.join();
        assertThat(problem.get()).isNull();
        try (Stream<Path> files = Files.list(store.servicesDir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("dev.json");
        }
    }

    // ---- locks ----------------------------------------------------------------------------------

    @Test
    void lockExcludesASecondHolderInTheSameJvmUntilReleased() throws Exception {
        StateStore other = new StateStore(repo.resolve(".ota/../.ota/state")); // same directory, other instance
        StateStore.Lock held = store.lock("proj/dev");
        assertThat(held.file()).isEqualTo(store.lockFile("proj/dev")).exists();
        assertThat(store.tryLock("proj/dev")).isEmpty();
        assertThat(other.tryLock("proj/dev")).isEmpty();
        assertThat(store.lockHolder("proj/dev")).hasValueSatisfying(
                h -> assertThat(h).startsWith("pid " + ProcessHandle.current().pid()));

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch trying = new CountDownLatch(1);
            Future<StateStore.Lock> second = pool.submit(() -> {
                trying.countDown();
                return other.lock("proj/dev");
            });
            trying.await();
            Thread.sleep(300);
            assertThat(second.isDone()).as("second holder must wait").isFalse();

            try (StateStore.Lock unrelated = store.tryLock("proj/web").orElseThrow()) {
                assertThat(unrelated.name()).isEqualTo("proj/web"); // other identities are independent
            }

            held.close();
            held.close(); // idempotent
            try (StateStore.Lock got = second.get(5, TimeUnit.SECONDS)) {
                assertThat(store.tryLock("proj/dev")).isEmpty();
            }
            try (StateStore.Lock again = store.tryLock("proj/dev").orElseThrow()) {
                assertThat(again.name()).isEqualTo("proj/dev");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWaiterCanBeInterruptedAndLeavesNothingHeld() throws Exception {
        StateStore.Lock held = store.lock("proj/dev");
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                store.lock("proj/dev").close();
                outcome.set(new AssertionError("acquired"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        waiter.start();
        Thread.sleep(200);
        waiter.interrupt();
        waiter.join(5000);
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        held.close();
        try (StateStore.Lock again = store.tryLock("proj/dev").orElseThrow()) {
            assertThat(again.name()).isEqualTo("proj/dev");
        }
    }

    @Test
    void lockExcludesAnotherJvm() throws Exception {
        Process holder = lockHolder("hold", "proj/dev");
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");

        assertThat(store.tryLock("proj/dev")).isEmpty();
        assertThat(store.lockHolder("proj/dev")).hasValueSatisfying(h -> assertThat(h).startsWith("pid " + holder.pid()));

        // a waiter blocked on the other process's file lock can be interrupted
        AtomicReference<Throwable> interrupted = new AtomicReference<>();
        Thread impatient = new Thread(() -> {
            try {
                store.lock("proj/dev").close();
                interrupted.set(new AssertionError("acquired"));
            } catch (Throwable t) {
                interrupted.set(t);
            }
        });
        impatient.start();
        Thread.sleep(200);
        impatient.interrupt();
        impatient.join(5000);
        assertThat(interrupted.get()).isInstanceOf(InterruptedException.class);

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<StateStore.Lock> waiter = pool.submit(() -> store.lock("proj/dev"));
            Thread.sleep(300);
            assertThat(waiter.isDone()).as("must wait for the other JVM").isFalse();

            holder.getOutputStream().close(); // let it release
            try (StateStore.Lock got = waiter.get(10, TimeUnit.SECONDS)) {
                assertThat(out.readLine()).isEqualTo("released");
                Process probe = lockHolder("try", "proj/dev");
                assertThat(new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8)).readLine())
                        .isEqualTo("busy");
            }
            Process probe = lockHolder("try", "proj/dev");
            assertThat(new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8)).readLine())
                    .isEqualTo("free");
        } finally {
            pool.shutdownNow();
        }
    }

    private Process lockHolder(String mode, String identity) throws IOException {
        String cp = Procs.classpath(StateStore.class, LockHolder.class, ObjectMapper.class, JsonParser.class,
                JsonInclude.class);
        Process p = new ProcessBuilder(Procs.java(), "-cp", cp, LockHolder.class.getName(), mode,
                store.root().toString(), identity)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        jvms.add(p);
        return p;
    }

    // ---- ownership ------------------------------------------------------------------------------

    @Test
    void ownershipIdIsCreatedOnceAndStable() throws Exception {
        Path file = store.root().resolve("ownership-id");
        assertThat(file).doesNotExist();
        String id = store.ownershipId();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(Files.readString(file).trim()).isEqualTo(id);
        assertThat(store.ownershipId()).isEqualTo(id);
        assertThat(StateStore.forRepo(repo).ownershipId()).isEqualTo(id);
        assertThat(StateStore.forRepo(Files.createDirectory(repo.resolve("other"))).ownershipId()).isNotEqualTo(id);
    }

    @Test
    void concurrentFirstUsesAgreeOnOneOwnershipId() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(pool.submit(() -> {
                    go.await();
                    return StateStore.forRepo(repo).ownershipId();
                }));
            }
            go.countDown();
            Set<String> distinct = Collections.newSetFromMap(new ConcurrentHashMap<>());
            for (Future<String> f : ids) {
                distinct.add(f.get(10, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- stale records --------------------------------------------------------------------------

    @Test
    void staleRecordsAreThoseWhoseProcessIsGoneOrNotTheSame() throws Exception {
        assumeTrue(ProcStat.procAvailable());
        NativeBackend backend = new NativeBackend(Duration.ofSeconds(2));
        WorkloadHandle live = procs.track(backend.startService(new WorkloadSpec("live", List.of("sleep", "300"), repo,
                Map.of(), store.logFile("live"))));
        WorkloadHandle dead = procs.track(backend.startService(new WorkloadSpec("dead", List.of("true"), repo,
                Map.of(), store.logFile("dead"))));
        Procs.await(() -> !backend.isAlive(dead), Duration.ofSeconds(10), "`true` to exit");

        store.write(record("live", live.pid(), live.startTime(), List.of()));
        store.write(record("dead", dead.pid(), dead.startTime(), List.of()));
        store.write(record("reused", live.pid(), live.startTime() - 1, List.of())); // pid now someone else's
        store.write(record("crashed-before-start", 0, 0, List.of()));
        store.write(record("starting-now", 0, 0, List.of()));
        ServiceRecord container = record("boxed", 999_999, 1, List.of());
        store.write(new ServiceRecord(container.task(), container.identity(), "container", 1, 1, "x", "o", null, null, null));

        try (StateStore.Lock inProgress = store.lock("proj/starting-now")) {
            assertThat(store.staleRecords(backend)).extracting(ServiceRecord::task)
                    .containsExactly("crashed-before-start", "dead", "reused");
        }
        assertThat(store.staleRecords(backend)).extracting(ServiceRecord::task)
                .containsExactly("crashed-before-start", "dead", "reused", "starting-now");

        // what ota:clean does with them: stop what is still ours, forget the rest
        for (ServiceRecord r : store.staleRecords(backend)) {
            try {
                backend.stop(r.handle(), Duration.ofSeconds(1));
            } catch (Exception e) {
                assertThat(r.task()).isEqualTo("reused"); // refused: not ours
            }
            store.delete(r.task());
        }
        assertThat(store.list()).extracting(ServiceRecord::task).containsExactly("boxed", "live");
        assertThat(backend.isAlive(live)).isTrue();
        assertThat(backend.stop(live, Duration.ofSeconds(5))).isTrue();
        assertThat(store.staleRecords(backend)).extracting(ServiceRecord::task).containsExactly("live");
        assertThat(Optional.of(store.read("boxed").orElseThrow().backend())).contains("container");
    }
}
