package dev.ota.core.validate;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.model.ContainerSettings;
import dev.ota.core.model.Context;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Enums;
import dev.ota.core.model.Execution;
import dev.ota.core.model.Extension;
import dev.ota.core.model.RemoteSettings;
import dev.ota.core.model.Site;
import dev.ota.core.resolve.ResolvedContext;
import dev.ota.core.resolve.Topology;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Rules 1–12: version, project, the execution root and named contexts. */
final class ExecutionRules extends RuleSupport {

    private static final Pattern MEMORY = Pattern.compile("(?i)\\d+(?:\\.\\d+)?\\s*(?:b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");

    ExecutionRules(Contract contract, Topology topology, Diagnostics diags) {
        super(contract, topology, diags);
    }

    @Override
    void check() {
        projectAndVersion();
        Execution exec = contract.execution();
        if (!exec.declared()) {
            return;
        }
        if (exec.usesContexts()) {
            if (exec.preferred() != null) {
                error("OTA_EXEC_PREFERRED_WITH_CONTEXTS", exec.site().at("preferred"),
                        "`execution.preferred` must not be declared when using named contexts.",
                        "remove `execution.preferred` and choose the backend through `execution.default_context`.");
            }
            defaultContext(exec);
        } else {
            legacy(exec);
        }
        rootBackends(exec);
        for (Context context : exec.contexts().values()) {
            context(context, exec);
        }
    }

    private void projectAndVersion() {
        Integer version = contract.version();
        if (version != null && version != 1) {
            error("OTA_VERSION", contract.site().at("version"), "unsupported contract version `" + version + "`.",
                    "set `version: 1`; it is the only contract version.");
        }
        if (contract.project() != null && blank(contract.project().name())) {
            error("OTA_PROJECT_NAME", contract.project().site().at("name"), "`project.name` must not be empty.",
                    "name the project, e.g. `project: { name: orders-api }`.");
        }
    }

    private void defaultContext(Execution exec) {
        String name = exec.defaultContext();
        if (name == null) {
            return;
        }
        if (name.isBlank()) {
            error("OTA_DEFAULT_CONTEXT", exec.site().at("default_context"), "`execution.default_context` is empty.",
                    "name one of the declared contexts: " + list(exec.contexts().keySet()) + ".");
        } else if (!exec.contexts().containsKey(name)) {
            error("OTA_DEFAULT_CONTEXT", exec.site().at("default_context"),
                    "`execution.default_context` `" + name + "` is missing from `execution.contexts`.",
                    exec.contexts().isEmpty() ? "declare `execution.contexts." + name + "` with a `backend`."
                            : "name one of " + list(exec.contexts().keySet()) + ", or declare `execution.contexts."
                                    + name + "`.");
        }
    }

    private void legacy(Execution exec) {
        String preferred = exec.preferred();
        if (preferred == null) {
            return;
        }
        if (!exec.supported().isEmpty() && !exec.supported().contains(preferred)) {
            error("OTA_EXEC_PREFERRED_UNSUPPORTED", exec.site().at("preferred"),
                    "`execution.preferred` `" + preferred + "` is not listed in `execution.supported` "
                            + list(exec.supported()) + ".",
                    "add `" + preferred + "` to `execution.supported`, or prefer one of the supported backends.");
        }
        if (preferred.equals("container")) {
            if (exec.rootContainer().image() == null) {
                error("OTA_EXEC_CONTAINER_IMAGE", exec.site().at("preferred"),
                        "`execution.preferred: container` requires `execution.backends.container.image`.",
                        "add `execution.backends.container.image: <image>`.");
            }
            if (exec.lifecycle() == null) {
                error("OTA_EXEC_LIFECYCLE", exec.site().at("preferred"),
                        "`execution.preferred: container` requires an explicit `execution.lifecycle`.",
                        "add `execution.lifecycle: persistent` (reuse one container) or `ephemeral` (one per run).");
            }
        }
        if (preferred.equals("remote")) {
            RemoteSettings remote = exec.rootRemote();
            if (remote.provider() == null || remote.target() == null) {
                error("OTA_EXEC_REMOTE", exec.site().at("preferred"),
                        "`execution.preferred: remote` requires `execution.backends.remote.provider` and `.target`.",
                        "add `execution.backends.remote: { provider: ssh, target: " + targetExample(remote.provider())
                                + " }`.");
            }
        }
    }

    private void rootBackends(Execution exec) {
        ContainerSettings c = exec.rootContainer();
        if (c != ContainerSettings.NONE) {
            if (blank(c.image())) {
                error("OTA_EMPTY", c.site().at("image"), "`execution.backends.container.image` is empty.",
                        "name an image, e.g. `eclipse-temurin:21-jdk`, or remove the key.");
            }
            memory(c);
        }
        RemoteSettings r = exec.rootRemote();
        if (r != RemoteSettings.NONE) {
            remoteFields(r, "execution.backends.remote");
        }
    }

    private void remoteFields(RemoteSettings r, String where) {
        if (blank(r.provider())) {
            error("OTA_EMPTY", r.site().at("provider"), "`" + where + ".provider` is empty.",
                    "use `ssh`, `tsh`, `kubectl`, `daytona` or a `backend_provider` extension.");
        } else if (r.provider() != null) {
            provider(r);
        }
        if (blank(r.target())) {
            error("OTA_EMPTY", r.site().at("target"), "`" + where + ".target` is empty.",
                    "set the remote target, e.g. `" + targetExample(r.provider()) + "`.");
        }
        if (blank(r.cwd())) {
            error("OTA_EMPTY", r.site().at("cwd"), "`" + where + ".cwd` must not be empty if given.",
                    "set the remote working directory (e.g. `/workspace/app`) or remove `cwd`.");
        }
    }

    private void provider(RemoteSettings r) {
        String provider = r.provider();
        if (Enums.BUILTIN_REMOTE_PROVIDERS.contains(provider)) {
            return;
        }
        Extension extension = contract.extensions().get(provider);
        if (extension == null) {
            error("OTA_REMOTE_PROVIDER", r.site().at("provider"),
                    "remote provider `" + provider + "` is not supported; declare a matching `backend_provider` extension.",
                    "use a built-in provider (" + list(Enums.BUILTIN_REMOTE_PROVIDERS) + ") or declare `extensions."
                            + provider + ": { kind: backend_provider, command: <exe>, api_version: 1 }`.");
        } else if (!"backend_provider".equals(extension.kind())) {
            error("OTA_REMOTE_PROVIDER", r.site().at("provider"),
                    "remote provider `" + provider + "` must refer to a `backend_provider` extension, but `extensions."
                            + provider + ".kind` is `" + extension.kind() + "`.",
                    "set `extensions." + provider + ".kind: backend_provider`.");
        } else if (extension.apiVersion() != null && extension.apiVersion() != 1) {
            error("OTA_REMOTE_PROVIDER", r.site().at("provider"),
                    "remote provider `" + provider + "` requires `extensions." + provider + ".api_version: 1`.",
                    "set `api_version: 1` on the extension.");
        }
    }

    static String targetExample(String provider) {
        if (provider == null) {
            return "user@host";
        }
        return switch (provider) {
            case "kubectl" -> "pod/<name>";
            case "daytona" -> "<workspace-id>";
            default -> "user@host";
        };
    }

    private void context(Context context, Execution exec) {
        Site site = context.site();
        String name = context.name();
        String path = "execution.contexts." + name;
        if (name.isBlank()) {
            error("OTA_CONTEXT_NAME", site.location(), "a context has an empty name.", "give the context a name.");
        }
        osList(context.onlyOn(), site, "only_on", path);
        archList(context.onlyArch(), site, path);
        // extends (rule 12)
        if (context.extendsName() != null) {
            Context parent = exec.contexts().get(context.extendsName());
            if (context.extendsName().isBlank() || parent == null) {
                error("OTA_CONTEXT_EXTENDS", site.at("extends"),
                        "context `" + name + "` extends unknown context `" + context.extendsName() + "`.",
                        "name one of " + list(exec.contexts().keySet()) + ".");
            } else if (topology.cyclicContexts().contains(name)) {
                error("OTA_CONTEXT_EXTENDS_CYCLE", site.at("extends"),
                        "context `" + name + "` is part of an `extends` cycle.",
                        "break the cycle so that one context in the chain declares its own `backend`.");
            } else if (context.backend() != null) {
                ResolvedContext resolvedParent = topology.context(parent.name());
                if (resolvedParent != null && resolvedParent.backend() != null
                        && !resolvedParent.backend().equals(context.backend())) {
                    error("OTA_CONTEXT_EXTENDS_FAMILY", site.at("backend"),
                            "context `" + name + "` is `" + context.backend() + "` but extends `" + parent.name()
                                    + "`, which is `" + resolvedParent.backend() + "`; `extends` stays within one backend family.",
                            "drop `backend` from `" + name + "` or extend a `" + context.backend() + "` context.");
                }
            }
        }
        ResolvedContext resolved = topology.context(name);
        if (resolved == null) {
            return;
        }
        String backend = resolved.backend();
        if (backend == null) {
            // a `backend` with an invalid value was already reported by the loader (OTA_ENUM)
            boolean declared = context.site().declares("backend")
                    || resolved.chain().stream().anyMatch(a -> a.site().declares("backend"));
            if (!topology.cyclicContexts().contains(name) && !declared) {
                error("OTA_CONTEXT_BACKEND", site.location(), "context `" + name + "` declares no `backend`.",
                        "add `backend: native`, `container` or `remote` (or `extends` a context that has one).");
            }
            return;
        }
        switch (backend) {
            case "native" -> nativeContext(context, path);
            case "container" -> containerContext(context, resolved, exec, path);
            default -> remoteContext(context, resolved, exec, path);
        }
        // attachments (rule 11)
        if (context.isolatedPaths() != null) {
            if (!backend.equals("container")) {
                error("OTA_CONTEXT_ISOLATED_PATHS", site.at("attachments.isolated_paths"),
                        "`attachments.isolated_paths` is only valid on container contexts; `" + name + "` is `" + backend + "`.",
                        "remove `attachments.isolated_paths` from this context.");
            } else {
                isolatedPaths(context, site);
            }
        }
        if (context.composeAttachments() != null) {
            for (int i = 0; i < context.composeAttachments().size(); i++) {
                if (context.composeAttachments().get(i).isBlank()) {
                    error("OTA_EMPTY", site.at("attachments.compose[" + i + "]"), "`attachments.compose` has an empty entry.",
                            "name the Compose project to join, or remove the entry.");
                }
            }
        }
    }

    private void nativeContext(Context c, String path) {
        for (String key : List.of("lifecycle", "fulfillment", "container", "remote")) {
            if (c.site().declares(key)) {
                error("OTA_NATIVE_CONTEXT_FIELD", c.site().at(key),
                        "native context `" + c.name() + "` must not declare `" + key + "`.",
                        key.equals("fulfillment")
                                ? "remove it; declare `fulfillment` on a shared backend (`execution.shared_backends.<name>.fulfillment`) for native fulfillment."
                                : "remove `" + key + "` from `" + path + "`; native contexts run on the host.");
            }
        }
    }

    private void containerContext(Context c, ResolvedContext resolved, Execution exec, String path) {
        if (c.container() != null && blank(c.container().image())) {
            error("OTA_EMPTY", c.container().site().at("image"), "`" + path + ".container.image` is empty.",
                    "name an image, e.g. `eclipse-temurin:21-jdk`.");
        }
        if (resolved.container().image() == null) {
            error("OTA_CONTAINER_IMAGE", c.site().location(),
                    "container context `" + c.name() + "` requires `" + path
                            + ".container.image` or `execution.backends.container.image`.",
                    "add `container: { image: <image> }` to the context.");
        }
        if (resolved.lifecycle() == null) {
            error("OTA_CONTAINER_LIFECYCLE", c.site().location(),
                    "container context `" + c.name() + "` requires an explicit lifecycle.",
                    "add `lifecycle: persistent` (reused container) or `lifecycle: ephemeral` (one per run).");
        }
        if (c.site().declares("remote")) {
            error("OTA_CONTAINER_CONTEXT_FIELD", c.site().at("remote"),
                    "container context `" + c.name() + "` must not declare `remote` settings.",
                    "remove `remote` or make it a `backend: remote` context.");
        }
        if (c.container() != null) {
            memory(c.container());
        }
    }

    private void remoteContext(Context c, ResolvedContext resolved, Execution exec, String path) {
        RemoteSettings r = resolved.remote();
        if (r.provider() == null) {
            error("OTA_REMOTE_CONTEXT", c.site().location(),
                    "remote context `" + c.name() + "` requires `" + path + ".remote.provider` or `execution.backends.remote.provider`.",
                    "add `remote: { provider: ssh, target: user@host }`.");
        } else if (r.target() == null) {
            error("OTA_REMOTE_CONTEXT", c.site().location(),
                    "remote context `" + c.name() + "` with provider `" + r.provider() + "` requires `" + path
                            + ".remote.target` (example: `" + targetExample(r.provider()) + "`).",
                    "add `target: " + targetExample(r.provider()) + "` under `remote`.");
        }
        if (c.site().declares("fulfillment")) {
            error("OTA_REMOTE_CONTEXT_FIELD", c.site().at("fulfillment"),
                    "remote context `" + c.name() + "` must not declare `fulfillment`.",
                    "remove it; fulfil a remote boundary through `execution.shared_backends.<name>.fulfillment`.");
        }
        if (c.site().declares("container")) {
            error("OTA_REMOTE_CONTEXT_FIELD", c.site().at("container"),
                    "remote context `" + c.name() + "` must not declare `container` settings.",
                    "remove `container`, or make it a `backend: container` context.");
        }
        if (c.remote() != null && c.remote() != RemoteSettings.NONE) {
            remoteFields(c.remote(), path + ".remote");
        }
    }

    private void memory(ContainerSettings c) {
        String[][] sizes = {{"minimum", c.memoryMinimum()}, {"default", c.memoryDefault()}};
        for (String[] size : sizes) {
            if (size[1] != null && !MEMORY.matcher(size[1].trim()).matches()) {
                error("OTA_MEMORY", c.site().at("resources.memory." + size[0]), "memory size `" + size[1]
                        + "` cannot be parsed.", "write a size such as `512MiB`, `2GiB` or `3g`.");
            }
        }
    }

    private void osList(List<String> values, Site site, String key, String path) {
        if (values == null) {
            return;
        }
        if (values.isEmpty()) {
            error("OTA_ONLY_ON", site.at(key), "`" + path + "." + key + "` is empty.",
                    "list at least one of `linux`, `macos`, `windows`, or remove the key.");
        }
        Set<String> seen = new HashSet<>();
        for (String os : values) {
            if (!Enums.OPERATING_SYSTEMS.contains(os)) {
                error("OTA_ONLY_ON", site.at(key), "`" + os + "` is not an operating system ota knows.",
                        "use `linux`, `macos` or `windows`.");
            } else if (!seen.add(os)) {
                error("OTA_ONLY_ON", site.at(key), "`" + os + "` is listed twice in `" + key + "`.",
                        "list each operating system once.");
            }
        }
    }

    private void archList(List<String> values, Site site, String path) {
        if (values == null) {
            return;
        }
        if (values.isEmpty()) {
            error("OTA_ONLY_ARCH", site.at("only_arch"), "`" + path + ".only_arch` is empty.",
                    "list at least one architecture (e.g. `x64`, `arm64`), or remove the key.");
        }
        Set<String> seen = new HashSet<>();
        for (String arch : values) {
            if (arch.isBlank() || !TOKEN.matcher(arch).matches()) {
                error("OTA_ONLY_ARCH", site.at("only_arch"), "`" + arch + "` is not a valid architecture token.",
                        "use a plain token such as `x64` or `arm64`.");
            } else if (!seen.add(arch)) {
                error("OTA_ONLY_ARCH", site.at("only_arch"), "`" + arch + "` is listed twice in `only_arch`.",
                        "list each architecture once.");
            }
        }
    }

    private void isolatedPaths(Context c, Site site) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < c.isolatedPaths().size(); i++) {
            String p = c.isolatedPaths().get(i);
            var at = site.at("attachments.isolated_paths[" + i + "]");
            if (p.isBlank()) {
                error("OTA_ISOLATED_PATH", at, "`attachments.isolated_paths` has an empty entry.",
                        "name a workspace-relative path such as `node_modules`.");
                continue;
            }
            if (p.startsWith("/") || p.matches("^[A-Za-z]:[\\\\/].*")) {
                error("OTA_ISOLATED_PATH", at, "isolated path `" + p + "` is absolute.",
                        "use a path relative to the repo, e.g. `node_modules`.");
                continue;
            }
            if (p.contains("..")) {
                error("OTA_ISOLATED_PATH", at, "isolated path `" + p + "` contains `..`.",
                        "use a path inside the repo, without `..`.");
                continue;
            }
            if (!seen.add(Path.of(p).normalize().toString())) {
                error("OTA_ISOLATED_PATH", at, "isolated path `" + p + "` duplicates another entry after normalization.",
                        "list each path once.");
            }
        }
    }
}
