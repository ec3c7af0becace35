package dev.ota.core.backend.nativeproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void parsesCommandNamesWithSpacesAndParentheses() {
        String line = "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194304 208 0 0 0 0 0 0 0 20 0 1 0 271116 2990080 397"
                + " 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        ProcStat s = ProcStat.parse(line);
        assertThat(s).isEqualTo(new ProcStat(4242, "my (odd) cmd", 'S', 1, 4242, 4242, 271116));
        assertThat(s.leadsGroup()).isTrue();
        assertThat(s.exited()).isFalse();
        assertThat(ProcStat.parse(line.replace(") S ", ") Z ")).exited()).isTrue();
    }

    @Test
    void readsThisJvm() {
        assumeTrue(ProcStat.procAvailable());
        long pid = ProcessHandle.current().pid();
        ProcStat self = ProcStat.read(pid).orElseThrow();
        assertThat(self.pid()).isEqualTo(pid);
        assertThat(self.startTime()).isPositive();
        assertThat(ProcStat.running(pid, self.startTime())).isTrue();
        assertThat(ProcStat.running(pid, self.startTime() + 1)).isFalse();
        assertThat(ProcStat.read(0)).isEmpty();
        assertThat(ProcStat.all()).anyMatch(p -> p.pid() == pid);
    }
}
