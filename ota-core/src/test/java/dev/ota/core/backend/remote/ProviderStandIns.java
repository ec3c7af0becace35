package dev.ota.core.backend.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stand-in {@code tsh}, {@code kubectl} and {@code daytona} executables for tests: each records
 * its argv (one record per invocation, every argument length-prefixed so newlines, quotes and
 * {@code $()} survive exactly) and then runs the remote part on this machine the way the real tool
 * would: {@code tsh ssh <target> -- <cmd...>} joins the command words with spaces and hands the
 * string to {@code sh -c} (as ssh does: the remote shell parses it); {@code kubectl exec <target>
 * -- <argv...>} and {@code daytona exec <target> -- <argv...>} exec the argv directly. Exit code,
 * stdout and stderr pass through; the stand-in's pid is the pid the caller started (it execs).
 *
 * <p>Record format, per invocation: {@code PID <pid>\n}, {@code ARGC <n>\n}, then for each argument
 * (argv[0] first) {@code <byte length>\n<bytes>\n}, then {@code END\n}. A record is written to a
 * private file first and appended with one {@code cat}, so concurrent invocations do not interleave.
 */
final class ProviderStandIns {

    static final List<String> TOOLS = List.of("tsh", "kubectl", "daytona");

    /** One recorded run of a stand-in: its pid and its exact argv (argv[0] as it was invoked). */
    record Invocation(long pid, List<String> argv) {}

    private final Path dir;

    private ProviderStandIns(Path dir) {
        this.dir = dir;
    }

    /** Writes the three stand-ins into {@code dir} (created when missing); their logs go there too. */
    static ProviderStandIns create(Path dir) throws IOException {
        Files.createDirectories(dir);
        ProviderStandIns s = new ProviderStandIns(dir.toAbsolutePath());
        for (String tool : TOOLS) {
            Path exe = s.executable(tool);
            Files.writeString(exe, s.script(tool), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return s;
    }

    Path dir() {
        return dir;
    }

    Path executable(String tool) {
        return dir.resolve(tool);
    }

    Path log(String tool) {
        return dir.resolve(tool + ".argv");
    }

    /** The environment a CliShell gets: the stand-ins first on PATH, then this machine's PATH. */
    Map<String, String> environment(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", dir + ":" + System.getenv("PATH"));
        env.put("HOME", home.toString());
        return env;
    }

    /** Every recorded invocation of {@code tool}, oldest first. */
    List<Invocation> invocations(String tool) throws IOException {
        Path log = log(tool);
        if (!Files.exists(log)) {
            return List.of();
        }
        return parse(Files.readAllBytes(log));
    }

    /** The most recent invocation of {@code tool}. */
    Invocation last(String tool) throws IOException {
        List<Invocation> all = invocations(tool);
        if (all.isEmpty()) {
            throw new AssertionError("the `" + tool + "` stand-in was never run");
        }
        return all.get(all.size() - 1);
    }

    /** Forgets the recorded invocations of every tool. */
    void clear() throws IOException {
        for (String tool : TOOLS) {
            Files.deleteIfExists(log(tool));
        }
    }

    private String script(String tool) {
        String dispatch = switch (tool) {
            case "tsh" -> """
                    [ "$1" = ssh ] && [ "$3" = -- ] || { echo "tsh stand-in: expected 'ssh <target> -- <command>'" >&2; exit 255; }
                    shift 3
                    IFS=' '
                    exec sh -c "$*"
                    """;
            default -> """
                    [ "$1" = exec ] && [ "$3" = -- ] || { echo "%s stand-in: expected 'exec <target> -- <argv...>'" >&2; exit 255; }
                    shift 3
                    exec "$@"
                    """.formatted(tool);
        };
        return """
                #!/bin/sh
                # test stand-in for `%1$s`: records argv, then runs the remote part on this machine
                log=%2$s
                rec="$log.$$.rec"
                {
                  printf 'PID %%s\\n' "$$"
                  printf 'ARGC %%s\\n' "$(($# + 1))"
                  for a in "$0" "$@"; do
                    n=$(printf '%%s' "$a" | LC_ALL=C wc -c | tr -d ' ')
                    printf '%%s\\n%%s\\n' "$n" "$a"
                  done
                  printf 'END\\n'
                } > "$rec" || exit 254
                cat "$rec" >> "$log" || exit 254
                rm -f "$rec"
                %3$s""".formatted(tool, ShellQuote.quote(log(tool).toString()), dispatch);
    }

    static List<Invocation> parse(byte[] data) {
        List<Invocation> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < data.length) {
            String pidLine = line(data, pos);
            String argcLine = line(data, pos);
            if (!pidLine.startsWith("PID ") || !argcLine.startsWith("ARGC ")) {
                throw new AssertionError("malformed stand-in record at byte " + pos[0] + ": " + pidLine + " / " + argcLine);
            }
            int argc = Integer.parseInt(argcLine.substring(5));
            List<String> argv = new ArrayList<>();
            for (int i = 0; i < argc; i++) {
                int n = Integer.parseInt(line(data, pos));
                argv.add(new String(data, pos[0], n, StandardCharsets.UTF_8));
                pos[0] += n;
                if (data[pos[0]] != '\n') {
                    throw new AssertionError("malformed stand-in record: argument " + i + " is not followed by a newline");
                }
                pos[0]++;
            }
            if (!line(data, pos).equals("END")) {
                throw new AssertionError("malformed stand-in record: no END after " + argv);
            }
            out.add(new Invocation(Long.parseLong(pidLine.substring(4)), List.copyOf(argv)));
        }
        return out;
    }

    private static String line(byte[] data, int[] pos) {
        int start = pos[0];
        int end = start;
        while (end < data.length && data[end] != '\n') {
            end++;
        }
        if (end >= data.length) {
            throw new AssertionError("truncated stand-in record at byte " + start);
        }
        pos[0] = end + 1;
        return new String(data, start, end - start, StandardCharsets.UTF_8);
    }
}
