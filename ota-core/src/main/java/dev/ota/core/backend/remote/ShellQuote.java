package dev.ota.core.backend.remote;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * POSIX shell quoting for command lines that a remote shell parses (SSH and {@code tsh} send one
 * command string). Single quotes keep every byte literal except {@code '} itself, which is closed,
 * escaped and reopened — the one form that is safe for any value.
 */
public final class ShellQuote {

    private ShellQuote() {}

    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** {@code sh -c '<script>' ota 'arg1' 'arg2'...}: the script sees the arguments as {@code $1...}. */
    public static String shCommand(String shellFlags, String script, List<String> args) {
        StringBuilder b = new StringBuilder("sh ").append(shellFlags).append(' ').append(quote(script)).append(" ota");
        for (String a : args) {
            b.append(' ').append(quote(a));
        }
        return b.toString();
    }

    /** {@code export K='v'} lines for a script prefix (names are checked by the contract validator). */
    public static String exports(Map<String, String> env) {
        return env.entrySet().stream()
                .map(e -> "export " + e.getKey() + "=" + quote(e.getValue()) + "\n")
                .collect(Collectors.joining());
    }
}
