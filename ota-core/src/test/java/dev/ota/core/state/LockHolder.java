package dev.ota.core.state;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Run in a separate JVM by {@link StateStoreTest}. {@code hold <stateDir> <identity>}: takes the
 * lock, prints {@code locked}, waits until stdin closes, releases and prints {@code released}.
 * {@code try <stateDir> <identity>}: prints {@code free} or {@code busy}.
 */
public final class LockHolder {

    public static void main(String[] args) throws Exception {
        StateStore store = new StateStore(Path.of(args[1]));
        if (args[0].equals("try")) {
            Optional<StateStore.Lock> lock = store.tryLock(args[2]);
            System.out.println(lock.isPresent() ? "free" : "busy");
            lock.ifPresent(StateStore.Lock::close);
            return;
        }
        try (StateStore.Lock lock = store.lock(args[2])) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our stdin
            }
        }
        System.out.println("released");
    }
}
