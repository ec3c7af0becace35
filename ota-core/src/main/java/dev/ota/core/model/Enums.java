package dev.ota.core.model;

import java.util.List;

/** The contract's closed vocabularies, spelled exactly as in YAML. */
public final class Enums {
    public static final List<String> BACKENDS = List.of("native", "container", "remote");
    public static final List<String> LIFECYCLES = List.of("persistent", "ephemeral");
    public static final List<String> FULFILLMENT = List.of("none", "run");
    public static final List<String> SCOPES = List.of("local", "remote");
    public static final List<String> OPERATING_SYSTEMS = List.of("linux", "macos", "windows");
    public static final List<String> TOOLCHAINS = List.of("rust", "node", "java", "python", "go", "ruby", "dotnet");
    public static final List<String> BUILTIN_REMOTE_PROVIDERS = List.of("ssh", "tsh", "kubectl", "daytona");
    public static final List<String> EXTENSION_KINDS = List.of("check_provider", "export_provider", "backend_provider");
    public static final List<String> PROTOCOLS = List.of("http", "https", "tcp");
    public static final List<String> BIND_PORT_MODES = List.of("fixed", "discover", "auto");
    public static final List<String> HOST_PORT_MODES = List.of("fixed", "auto");
    public static final List<String> READINESS_KINDS = List.of("http", "tcp");
    public static final List<String> HTTP_METHODS = List.of("GET", "HEAD");
    public static final List<String> ADDRESS_VIEWS = List.of("topology", "host", "internal");
    public static final List<String> ACTIVATION_MODES =
            List.of("manual", "ensure_started", "restart_ready", "ensure_running", "ensure_ready");
    public static final List<String> ACQUISITION_PROVIDERS = List.of("corepack", "command");
    public static final List<String> SHELLS = List.of("sh", "bash", "zsh", "pwsh", "cmd");
    public static final List<String> RUNTIME_KINDS = List.of("service");

    private Enums() {}
}
