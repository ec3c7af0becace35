package dev.ota.core.backend.remote;

import dev.ota.core.model.RemoteSettings;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One remote boundary as the contract declares it: provider, target, cwd and the SSH-only hints.
 * It is also written into the handle of every workload started there ({@link #handleBackend()}),
 * so that status, clean and deactivate can reach the workload without the contract.
 */
public record RemoteEndpoint(String provider, String target, String cwd, String sshConfigFile, String sshIdentityFile) {

    public static final String PREFIX = "remote:";
    public static final List<String> BUILT_IN = List.of("ssh", "tsh", "kubectl", "daytona");

    public RemoteEndpoint {
        cwd = cwd == null || cwd.isBlank() ? null : cwd;
        sshConfigFile = sshConfigFile == null || sshConfigFile.isBlank() ? null : sshConfigFile;
        sshIdentityFile = sshIdentityFile == null || sshIdentityFile.isBlank() ? null : sshIdentityFile;
    }

    public static RemoteEndpoint of(RemoteSettings settings) {
        return new RemoteEndpoint(settings.provider(), settings.target(), settings.cwd(), settings.sshConfigFile(),
                settings.sshIdentityFile());
    }

    public boolean builtIn() {
        return BUILT_IN.contains(provider);
    }

    /** {@code ssh:dev@devbox} — how messages and receipts name the boundary. */
    public String display() {
        return provider + ":" + target;
    }

    /** {@code remote:ssh:dev%40devbox;cwd=%2Fworkspace%2Fapp}: every field, URL-encoded. */
    public String handleBackend() {
        StringBuilder b = new StringBuilder(PREFIX).append(enc(provider)).append(':').append(enc(target));
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("cwd", cwd);
        extra.put("config", sshConfigFile);
        extra.put("identity", sshIdentityFile);
        extra.forEach((k, v) -> {
            if (v != null) {
                b.append(';').append(k).append('=').append(enc(v));
            }
        });
        return b.toString();
    }

    /** Whether a workload handle's backend names a remote boundary. */
    public static boolean handles(String handleBackend) {
        return handleBackend != null && handleBackend.startsWith(PREFIX);
    }

    /** The endpoint written by {@link #handleBackend()}. */
    public static RemoteEndpoint fromHandle(String handleBackend) {
        if (!handles(handleBackend)) {
            throw new IllegalArgumentException("not a remote workload handle: " + handleBackend);
        }
        String[] parts = handleBackend.substring(PREFIX.length()).split(";");
        String[] head = parts[0].split(":", 2);
        if (head.length != 2) {
            throw new IllegalArgumentException("malformed remote workload handle: " + handleBackend);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                extra.put(parts[i].substring(0, eq), dec(parts[i].substring(eq + 1)));
            }
        }
        return new RemoteEndpoint(dec(head[0]), dec(head[1]), extra.get("cwd"), extra.get("config"), extra.get("identity"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
