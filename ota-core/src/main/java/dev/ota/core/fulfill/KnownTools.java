package dev.ota.core.fulfill;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to find a runtime or tool and read its version: the executable(s) to look for on PATH, the
 * arguments that make it print its version, and where the version is in that output. Names the
 * table does not know are looked up as an executable of the same name and asked {@code --version}
 * ({@link Tool#unknown}). Extend it with {@link #with}.
 */
public final class KnownTools {

    /** A version-looking token: at least two dot-separated numbers ({@code 1.6}, {@code 3.8.7}). */
    static final Pattern VERSION_TOKEN = Pattern.compile("(\\d+(?:\\.\\d+)+)");

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    /**
     * One entry of the table.
     *
     * @param executables names looked up on PATH in order; the first found is the one used
     * @param versionArgs arguments that print the version; empty means presence is all that can be checked
     * @param versionPattern searched in every captured output line; group 1 is the version. {@code null}:
     *     the first version-looking token of the first non-blank line
     * @param scheme maps the printed version to the scheme constraints use (Java's {@code 1.8.0_412} is 8)
     */
    public record Tool(String name, List<String> executables, List<String> versionArgs, Pattern versionPattern,
            UnaryOperator<String> scheme) {

        public Tool {
            executables = List.copyOf(executables);
            versionArgs = List.copyOf(versionArgs);
            scheme = scheme == null ? UnaryOperator.identity() : scheme;
        }

        /** A tool ota knows nothing about: the executable of the same name, {@code --version}. */
        public static Tool unknown(String name) {
            return new Tool(name, List.of(name), List.of("--version"), null, null);
        }

        /** Whether this entry can tell a version at all. */
        public boolean readsVersion() {
            return !versionArgs.isEmpty();
        }

        /** The command shown in messages: {@code java -version}. */
        public String versionCommand() {
            return String.join(" ", executables.get(0), String.join(" ", versionArgs)).trim();
        }

        /**
         * The version in what the version command printed (stdout and stderr, first lines), as
         * the tool prints it ({@code 1.8.0_412}, {@code 21}, {@code 1.24.2}); empty when none is found.
         */
        public Optional<String> extractVersion(List<String> output) {
            List<String> lines = output.stream().map(KnownTools::clean).toList();
            if (versionPattern != null) {
                for (String line : lines) {
                    Matcher m = versionPattern.matcher(line);
                    if (m.find()) {
                        return Optional.of(m.group(1));
                    }
                }
            }
            // Only the first line: later lines of a tool that rejects --version are usage text,
            // where numbers are rarely its version.
            for (String line : lines) {
                if (!line.isBlank()) {
                    Matcher m = VERSION_TOKEN.matcher(line);
                    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
                }
            }
            return Optional.empty();
        }
    }

    private static final KnownTools DEFAULTS = new KnownTools(builtIn());

    private final Map<String, Tool> tools;

    private KnownTools(Map<String, Tool> tools) {
        this.tools = Collections.unmodifiableMap(tools);
    }

    /** The built-in table. */
    public static KnownTools defaults() {
        return DEFAULTS;
    }

    /** This table plus (or with a replaced) {@code tool}, under its name. */
    public KnownTools with(Tool tool) {
        Map<String, Tool> copy = new LinkedHashMap<>(tools);
        copy.put(tool.name(), tool);
        return new KnownTools(copy);
    }

    /** The entry for a requirement name, or {@link Tool#unknown} when the table has none. */
    public Tool lookup(String name) {
        Tool t = tools.get(name);
        return t != null ? t : Tool.unknown(name);
    }

    public boolean isKnown(String name) {
        return tools.containsKey(name);
    }

    public Map<String, Tool> entries() {
        return tools;
    }

    private static String clean(String line) {
        return ANSI.matcher(line).replaceAll("").replace("\r", "");
    }

    private static Map<String, Tool> builtIn() {
        Map<String, Tool> t = new LinkedHashMap<>();
        // runtimes
        add(t, "java", List.of("java"), List.of("-version"), "version \"([^\"]+)\"", VersionMatch::javaScheme); // stderr
        add(t, "node", List.of("node"), List.of("--version"), "v?(\\d+(?:\\.\\d+)+)", null, "nodejs");
        add(t, "python", List.of("python3", "python"), List.of("--version"), "Python (\\d+(?:\\.\\d+)*)", null, "python3");
        add(t, "go", List.of("go"), List.of("version"), "go(\\d+(?:\\.\\d+)*)", null, "golang");
        add(t, "rust", List.of("rustc"), List.of("--version"), "rustc (\\d+(?:\\.\\d+)*)", null, "rustc");
        add(t, "ruby", List.of("ruby"), List.of("--version"), "ruby (\\d+(?:\\.\\d+)*)", null);
        add(t, "php", List.of("php"), List.of("--version"), "PHP (\\d+(?:\\.\\d+)*)", null);
        add(t, "perl", List.of("perl"), List.of("--version"), "\\(v(\\d+(?:\\.\\d+)*)\\)", null);
        add(t, "deno", List.of("deno"), List.of("--version"), "deno (\\d+(?:\\.\\d+)*)", null);
        add(t, "bun", List.of("bun"), List.of("--version"), null, null);
        add(t, "dotnet", List.of("dotnet"), List.of("--version"), null, null);
        // build tools and package managers
        add(t, "maven", List.of("mvn"), List.of("--version"), "Apache Maven (\\d+(?:\\.\\d+)*)", null, "mvn");
        add(t, "gradle", List.of("gradle"), List.of("--version"), "Gradle (\\d+(?:\\.\\d+)*)", null); // after a banner line
        add(t, "npm", List.of("npm"), List.of("--version"), "^\\s*(\\d+(?:\\.\\d+)+)", null);
        add(t, "pnpm", List.of("pnpm"), List.of("--version"), "^\\s*(\\d+(?:\\.\\d+)+)", null);
        add(t, "yarn", List.of("yarn"), List.of("--version"), "^\\s*(\\d+(?:\\.\\d+)+)", null);
        add(t, "corepack", List.of("corepack"), List.of("--version"), "^\\s*(\\d+(?:\\.\\d+)+)", null);
        add(t, "pip", List.of("pip3", "pip"), List.of("--version"), "pip (\\d+(?:\\.\\d+)*)", null);
        add(t, "uv", List.of("uv"), List.of("--version"), "uv (\\d+(?:\\.\\d+)*)", null);
        add(t, "cargo", List.of("cargo"), List.of("--version"), "cargo (\\d+(?:\\.\\d+)*)", null);
        add(t, "make", List.of("make"), List.of("--version"), "Make (\\d+(?:\\.\\d+)*)", null);
        add(t, "cmake", List.of("cmake"), List.of("--version"), "cmake version (\\d+(?:\\.\\d+)*)", null);
        // everyday tools
        add(t, "git", List.of("git"), List.of("--version"), "git version (\\d+(?:\\.\\d+)*)", null);
        add(t, "curl", List.of("curl"), List.of("--version"), "curl (\\d+(?:\\.\\d+)*)", null);
        add(t, "wget", List.of("wget"), List.of("--version"), "Wget (\\d+(?:\\.\\d+)*)", null); // busybox wget has no version
        add(t, "jq", List.of("jq"), List.of("--version"), "jq-(\\d+(?:\\.\\d+)*)", null);
        add(t, "bash", List.of("bash"), List.of("--version"), "version (\\d+(?:\\.\\d+)*)", null);
        add(t, "sh", List.of("sh"), List.of(), null, null); // no portable way to ask a POSIX sh its version
        add(t, "ssh", List.of("ssh"), List.of("-V"), "OpenSSH_(\\d+(?:\\.\\d+)*)", null); // stderr
        add(t, "openssl", List.of("openssl"), List.of("version"), "SSL (\\d+(?:\\.\\d+)*)", null);
        add(t, "pwsh", List.of("pwsh"), List.of("--version"), "PowerShell (\\d+(?:\\.\\d+)*)", null);
        // containers and clusters
        add(t, "docker", List.of("docker"), List.of("--version"), "Docker version (\\d+(?:\\.\\d+)*)", null);
        add(t, "podman", List.of("podman"), List.of("--version"), "podman version (\\d+(?:\\.\\d+)*)", null);
        add(t, "kubectl", List.of("kubectl"), List.of("version", "--client"),
                "(?:Client Version: v|GitVersion:\"v)(\\d+(?:\\.\\d+)*)", null); // new and old (version.Info) formats
        add(t, "helm", List.of("helm"), List.of("version", "--short"), "v(\\d+(?:\\.\\d+)*)", null);
        add(t, "terraform", List.of("terraform"), List.of("--version"), "Terraform v(\\d+(?:\\.\\d+)*)", null);
        return t;
    }

    private static void add(Map<String, Tool> t, String name, List<String> executables, List<String> args, String regex,
            UnaryOperator<String> scheme, String... aliases) {
        Pattern p = regex == null ? null : Pattern.compile(regex);
        t.put(name, new Tool(name, executables, args, p, scheme));
        for (String alias : aliases) {
            t.put(alias, new Tool(alias, executables, args, p, scheme));
        }
    }
}
