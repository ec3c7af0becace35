package dev.ota.core.backend.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The part of an OpenSSH client config ota-maven honours for one host alias: {@code HostName},
 * {@code User}, {@code Port} and {@code IdentityFile}, with OpenSSH's rules — {@code Host}
 * patterns ({@code *}, {@code ?}, {@code !negated}), the first value obtained wins, identity files
 * accumulate. {@code Match} blocks are skipped (never applied).
 */
public final class SshConfigFile {

    /** What the config says for one alias; null fields are unset. */
    public record HostSettings(String hostName, String user, Integer port, List<String> identityFiles) {}

    private record Entry(String key, String value, int line) {}

    private record Block(List<String> patterns, boolean match, List<Entry> entries) {}

    private final Path file;
    private final List<Block> blocks;

    private SshConfigFile(Path file, List<Block> blocks) {
        this.file = file;
        this.blocks = blocks;
    }

    public Path file() {
        return file;
    }

    /** An empty config when the file does not exist; an error names the file when it cannot be read. */
    public static SshConfigFile read(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return new SshConfigFile(file, List.of());
        }
        List<Block> blocks = new ArrayList<>();
        Block current = new Block(List.of("*"), false, new ArrayList<>());
        blocks.add(current);
        int n = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] kv = line.split("\\s*=\\s*|\\s+", 2);
            String key = kv[0].toLowerCase(Locale.ROOT);
            String value = kv.length > 1 ? unquote(kv[1].strip()) : "";
            if (key.equals("host")) {
                current = new Block(List.of(value.split("\\s+")), false, new ArrayList<>());
                blocks.add(current);
            } else if (key.equals("match")) {
                current = new Block(List.of(), true, new ArrayList<>());
                blocks.add(current);
            } else {
                current.entries().add(new Entry(key, value, n));
            }
        }
        return new SshConfigFile(file, blocks);
    }

    /** The settings for {@code alias} (the host as the target names it). */
    public HostSettings lookup(String alias) {
        String hostName = null;
        String user = null;
        Integer port = null;
        List<String> identities = new ArrayList<>();
        for (Block b : blocks) {
            if (b.match() || !matches(b.patterns(), alias)) {
                continue;
            }
            for (Entry e : b.entries()) {
                switch (e.key()) {
                    case "hostname" -> hostName = hostName != null ? hostName : e.value().replace("%h", alias);
                    case "user" -> user = user != null ? user : e.value();
                    case "port" -> {
                        if (port == null) {
                            try {
                                port = Integer.parseInt(e.value());
                            } catch (NumberFormatException ex) {
                                throw new IllegalArgumentException(file + " line " + e.line() + ": Port `" + e.value()
                                        + "` is not a number");
                            }
                        }
                    }
                    case "identityfile" -> identities.add(e.value());
                    default -> {
                        // other keywords do not change how ota-maven connects
                    }
                }
            }
        }
        return new HostSettings(hostName, user, port, List.copyOf(identities));
    }

    static boolean matches(List<String> patterns, String host) {
        boolean matched = false;
        for (String p : patterns) {
            boolean negated = p.startsWith("!");
            String glob = negated ? p.substring(1) : p;
            if (glob(glob).matcher(host).matches()) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
