package dev.ota.core.load;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.model.ContainerSettings;
import dev.ota.core.model.Context;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Enums;
import dev.ota.core.model.Execution;
import dev.ota.core.model.Extension;
import dev.ota.core.model.Listener;
import dev.ota.core.model.Project;
import dev.ota.core.model.Readiness;
import dev.ota.core.model.RemoteSettings;
import dev.ota.core.model.Requirement;
import dev.ota.core.model.Requirements;
import dev.ota.core.model.ServiceRef;
import dev.ota.core.model.ServiceRuntime;
import dev.ota.core.model.SharedBackend;
import dev.ota.core.model.Site;
import dev.ota.core.model.Target;
import dev.ota.core.model.Task;
import dev.ota.core.model.TaskBody;
import dev.ota.core.model.TaskInput;
import dev.ota.core.yaml.MapView;
import dev.ota.core.yaml.ReadContext;
import dev.ota.core.yaml.YamlDocument;
import java.nio.file.Path;
import org.yaml.snakeyaml.nodes.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns {@code ota.yaml} into the immutable model. Checks what the reference JSON schema checks
 * (types, enums, required keys, unknown keys, ranges, durations); semantic rules belong to the
 * validator. Never throws for bad input: problems go to the diagnostics and the affected field
 * stays null.
 */
public final class ContractLoader {

    private final ReadContext ctx;
    private final Diagnostics diags;

    private ContractLoader(ReadContext ctx) {
        this.ctx = ctx;
        this.diags = ctx.diagnostics();
    }

    /** Loads a contract file; empty when the file could not be parsed at all. */
    public static Optional<Contract> load(Path file, String displayName, Diagnostics diags) {
        ReadContext ctx = new ReadContext(displayName, diags);
        Optional<MapView> root = YamlDocument.read(file, "contract", ctx);
        return root.map(r -> new ContractLoader(ctx).contract(file, r));
    }

    /** Loads a contract from bytes (tests, generated contracts). */
    public static Optional<Contract> parse(byte[] yaml, Path file, String displayName, Diagnostics diags) {
        ReadContext ctx = new ReadContext(displayName, diags);
        Optional<MapView> root = YamlDocument.parse(yaml, "contract", ctx);
        return root.map(r -> new ContractLoader(ctx).contract(file, r));
    }

    // ---- root ---------------------------------------------------------------------------------

    private Contract contract(Path file, MapView root) {
        Integer version = root.integer("version");
        if (!root.has("version")) {
            missing(root, "version", "add `version: 1` at the top of the file.");
        }
        Project project = null;
        MapView projectMap = root.map("project");
        if (projectMap != null) {
            String name = projectMap.string("name");
            if (!projectMap.has("name")) {
                missing(projectMap, "name", "add `project: { name: <repo name> }`.");
            }
            project = new Project(name, projectMap.string("description"), projectMap.string("type"), site(projectMap));
            projectMap.finish(Set.of("name", "description", "type"), Set.of());
        } else if (!root.has("project")) {
            missing(root, "project", "add `project: { name: <repo name> }`.");
        }
        Execution execution = execution(root.map("execution"), root);
        Requirements rootRequirements = requirements(root.map("runtimes"), root.map("tools"), null, root);
        Map<String, Extension> extensions = extensions(root);
        Map<String, Task> tasks = tasks(root);
        Set<String> probes = readinessProbeNames(root);
        Set<String> secretEnv = secretEnvNames(root);
        repoPolicies(root.map("policies"));
        root.finish(ContractKeys.ROOT, ContractKeys.ROOT_NOT_IMPLEMENTED);
        ctx.reportUnsupported();
        return new Contract(file, ctx.file(), version, project, execution, rootRequirements, extensions, tasks,
                probes, secretEnv, site(root));
    }

    /**
     * Names of {@code env.vars} declared {@code secret: true}. The env block itself is not
     * supported yet (one warning), but secrecy must hold from day one: receipts redact these.
     */
    private Set<String> secretEnvNames(MapView root) {
        if (!root.isMapping("env")) {
            return Set.of();
        }
        Node env = root.raw("env");
        Set<String> names = new java.util.LinkedHashSet<>();
        if (env instanceof org.yaml.snakeyaml.nodes.MappingNode mapping) {
            for (var tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode key && key.getValue().equals("vars")
                        && tuple.getValueNode() instanceof org.yaml.snakeyaml.nodes.MappingNode vars) {
                    for (var v : vars.getValue()) {
                        if (v.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode name
                                && v.getValueNode() instanceof org.yaml.snakeyaml.nodes.MappingNode decl
                                && decl.getValue().stream().anyMatch(d -> d.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k
                                        && k.getValue().equals("secret")
                                        && d.getValueNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode val
                                        && val.getValue().equalsIgnoreCase("true"))) {
                            names.add(name.getValue());
                        }
                    }
                }
            }
        }
        root.markUnsupported("env");
        return Collections.unmodifiableSet(names);
    }

    /**
     * Names of the reusable {@code readiness.probes}: kept so a runtime's named {@code probe} can
     * be checked; the probes themselves are not supported yet (one warning).
     */
    private Set<String> readinessProbeNames(MapView root) {
        if (!root.isMapping("readiness")) {
            return Set.of();
        }
        MapView readiness = root.map("readiness");
        Set<String> names = new java.util.LinkedHashSet<>();
        MapView probes = readiness.map("probes");
        if (probes != null) {
            for (String name : probes.keys()) {
                probes.accept(name);
                names.add(name);
            }
        }
        readiness.finish(Set.of("probes"), Set.of());
        root.markUnsupported("readiness");
        return Collections.unmodifiableSet(names);
    }

    private void repoPolicies(MapView policies) {
        if (policies == null) {
            return;
        }
        for (String key : policies.keys()) {
            policies.accept(key);
            if (ContractKeys.ORG_ONLY_POLICIES.contains(key)) {
                diags.error("OTA_POLICY_IN_CONTRACT", policies.keyAt(key),
                        "`policies." + key + "` must not be declared in a repo contract; that authority belongs to the org policy.",
                        "move it to `.ota/org-policy.yaml` (or the pack named by OTA_POLICY).");
            } else {
                policies.markUnsupported(key);
            }
        }
    }

    // ---- execution ----------------------------------------------------------------------------

    private Execution execution(MapView exec, MapView root) {
        if (exec == null) {
            SourceLocation at = root.at("execution");
            return new Execution(false, null, List.of(), null, ContainerSettings.NONE, RemoteSettings.NONE, null,
                    Map.of(), Map.of(), Site.synthetic(at));
        }
        String preferred = exec.oneOf("preferred", Enums.BACKENDS);
        List<String> supported = exec.stringList("supported");
        if (supported != null) {
            for (String s : supported) {
                if (!Enums.BACKENDS.contains(s)) {
                    diags.error("OTA_ENUM", exec.at("supported"),
                            "`" + s + "` is not a backend; allowed: `native`, `container`, `remote`.",
                            "list only `native`, `container` or `remote` under `execution.supported`.");
                }
            }
        }
        String lifecycle = exec.oneOf("lifecycle", Enums.LIFECYCLES);
        ContainerSettings rootContainer = ContainerSettings.NONE;
        RemoteSettings rootRemote = RemoteSettings.NONE;
        MapView backends = exec.map("backends");
        if (backends != null) {
            rootContainer = container(backends.map("container"));
            rootRemote = remote(backends.map("remote"));
            backends.finish(Set.of("container", "remote"), Set.of());
        }
        String defaultContext = exec.string("default_context");
        Map<String, Context> contexts = new LinkedHashMap<>();
        exec.entries("contexts", "<context>").forEach((name, view) -> contexts.put(name, context(name, view)));
        Map<String, SharedBackend> shared = new LinkedHashMap<>();
        exec.entries("shared_backends", "<backend>").forEach((name, view) -> shared.put(name, sharedBackend(name, view)));
        exec.finish(ContractKeys.EXECUTION, Set.of());
        return new Execution(true, preferred, supported == null ? List.of() : supported, lifecycle, rootContainer,
                rootRemote, defaultContext, Collections.unmodifiableMap(contexts), Collections.unmodifiableMap(shared),
                site(exec));
    }

    private Context context(String name, MapView view) {
        String extendsName = view.string("extends");
        String backend = view.oneOf("backend", Enums.BACKENDS);
        String lifecycle = view.oneOf("lifecycle", Enums.LIFECYCLES);
        String fulfillment = view.oneOf("fulfillment", Enums.FULFILLMENT);
        List<String> onlyOn = view.stringList("only_on");
        List<String> onlyArch = view.stringList("only_arch");
        Map<String, String> env = view.stringMap("env");
        ContainerSettings container = view.has("container") ? container(view.map("container")) : null;
        RemoteSettings remote = view.has("remote") ? remote(view.map("remote")) : null;
        Requirements requirements = Requirements.EMPTY;
        MapView req = view.map("requirements");
        if (req != null) {
            requirements = requirements(req.map("runtimes"), req.map("tools"), req, req);
            req.finish(Set.of("runtimes", "tools", "toolchains"), Set.of());
        }
        List<String> compose = null;
        List<String> isolated = null;
        Map<String, SourceLocation> nested = new LinkedHashMap<>();
        MapView attachments = view.map("attachments");
        if (attachments != null) {
            compose = attachments.stringList("compose");
            isolated = attachments.stringList("isolated_paths");
            for (String key : List.of("compose", "isolated_paths")) {
                if (attachments.has(key)) {
                    nested.put("attachments." + key, attachments.at(key));
                    List<SourceLocation> items = attachments.itemLocations(key);
                    for (int i = 0; i < items.size(); i++) {
                        nested.put("attachments." + key + "[" + i + "]", items.get(i));
                    }
                }
            }
            attachments.finish(Set.of("compose", "isolated_paths"), Set.of());
        }
        view.finish(ContractKeys.CONTEXT, Set.of());
        return new Context(name, extendsName, backend, lifecycle, fulfillment, onlyOn, onlyArch,
                env == null ? null : env, container, remote, requirements, compose, isolated, site(view, nested));
    }

    private ContainerSettings container(MapView view) {
        if (view == null) {
            return ContainerSettings.NONE;
        }
        String image = view.string("image");
        List<String> engines = view.stringList("engines");
        String min = null;
        String def = null;
        Map<String, SourceLocation> nested = new LinkedHashMap<>();
        MapView resources = view.map("resources");
        if (resources != null) {
            MapView memory = resources.map("memory");
            if (memory != null) {
                min = memory.string("minimum");
                def = memory.string("default");
                nested.put("resources.memory.minimum", memory.at("minimum"));
                nested.put("resources.memory.default", memory.at("default"));
                memory.finish(Set.of("minimum", "default"), Set.of());
            }
            resources.finish(Set.of("memory"), Set.of());
        }
        view.finish(Set.of("image", "engines", "resources"), Set.of());
        return new ContainerSettings(image, engines, min, def, site(view, nested));
    }

    private RemoteSettings remote(MapView view) {
        if (view == null) {
            return RemoteSettings.NONE;
        }
        String provider = view.string("provider");
        String target = view.string("target");
        String cwd = view.string("cwd");
        String config = null;
        String identity = null;
        MapView ssh = view.map("ssh");
        if (ssh != null) {
            config = ssh.string("config_file");
            identity = ssh.string("identity_file");
            ssh.finish(Set.of("config_file", "identity_file"), Set.of());
        }
        view.finish(Set.of("provider", "target", "cwd", "ssh"), Set.of());
        return new RemoteSettings(provider, target, cwd, config, identity, site(view));
    }

    private SharedBackend sharedBackend(String name, MapView view) {
        String scope = view.oneOf("scope", Enums.SCOPES);
        String backend = view.oneOf("backend", Enums.BACKENDS);
        String lifecycle = view.oneOf("lifecycle", Enums.LIFECYCLES);
        for (String required : List.of("scope", "backend", "lifecycle")) {
            if (!view.has(required)) {
                missing(view, required, switch (required) {
                    case "scope" -> "add `scope: local` (container/native) or `scope: remote` (remote).";
                    case "backend" -> "add `backend: container`, `native` or `remote`.";
                    default -> "add `lifecycle: persistent`.";
                });
            }
        }
        String context = view.string("context");
        String fulfillment = view.oneOf("fulfillment", Enums.FULFILLMENT);
        SharedBackend.BackendEnvironment environment = null;
        MapView env = view.map("environment");
        if (env != null) {
            environment = new SharedBackend.BackendEnvironment(env.string("profile"), env.string("image_alias"),
                    env.string("image"), env.string("source"), site(env));
            env.finish(Set.of("profile", "image_alias", "image", "source"), Set.of());
        }
        view.finish(ContractKeys.SHARED_BACKEND, Set.of());
        return new SharedBackend(name, scope, backend, lifecycle, context, fulfillment, environment, site(view));
    }

    // ---- requirements -------------------------------------------------------------------------

    /**
     * Requirements from a runtimes mapping, a tools mapping and (optionally) a mapping holding
     * {@code toolchains}.
     */
    private Requirements requirements(MapView runtimes, MapView tools, MapView toolchainsHolder, MapView owner) {
        Map<String, Requirement> r = new LinkedHashMap<>();
        if (runtimes != null) {
            for (String name : runtimes.keys()) {
                Requirement req = requirement("runtime", name, runtimes);
                if (req != null) {
                    r.put(name, req);
                }
            }
        }
        Map<String, Requirement> t = new LinkedHashMap<>();
        if (tools != null) {
            for (String name : tools.keys()) {
                Requirement req = requirement("tool", name, tools);
                if (req != null) {
                    t.put(name, req);
                }
            }
        }
        List<String> toolchains = List.of();
        if (toolchainsHolder != null) {
            List<String> declared = toolchainsHolder.stringList("toolchains");
            if (declared != null) {
                for (String chain : declared) {
                    if (!Enums.TOOLCHAINS.contains(chain)) {
                        diags.error("OTA_ENUM", toolchainsHolder.at("toolchains"),
                                "`" + chain + "` is not a managed toolchain; allowed: "
                                        + String.join(", ", Enums.TOOLCHAINS) + ".",
                                "list only known toolchains, or declare the tool under `tools`.");
                    }
                }
                toolchains = declared;
            }
        }
        if (r.isEmpty() && t.isEmpty() && toolchains.isEmpty()) {
            return Requirements.EMPTY;
        }
        return new Requirements(Collections.unmodifiableMap(r), Collections.unmodifiableMap(t), toolchains, site(owner));
    }

    private Requirement requirement(String kind, String name, MapView holder) {
        if (holder.isScalar(name)) {
            String version = holder.string(name);
            return new Requirement(kind, name, version, true, null, null, null, Map.of(), null,
                    new Site(holder.at(name), Map.of("version", holder.at(name))));
        }
        MapView detail = holder.mapEntry(name, "<" + kind + ">");
        if (detail == null) {
            return null;
        }
        String version = detail.string("version");
        if (!detail.has("version")) {
            missing(detail, "version", "add `version: \"*\"` (any) or a constraint such as `\">=21\"`.");
        }
        Boolean required = detail.bool("required");
        List<String> onlyOn = detail.stringList("only_on");
        String provider = kind.equals("runtime") ? detail.string("provider") : null;
        String distribution = kind.equals("runtime") ? detail.string("distribution") : null;
        Map<String, String> platformVersions = new LinkedHashMap<>();
        for (Map.Entry<String, MapView> platform : detail.entries("platforms", "<os>").entrySet()) {
            MapView p = platform.getValue();
            String v = p.string("version");
            if (v != null) {
                platformVersions.put(platform.getKey(), v);
            }
            if (kind.equals("runtime")) {
                p.string("provider");
                p.string("distribution");
                p.finish(Set.of("version", "provider", "distribution"), Set.of());
            } else {
                p.finish(Set.of("version"), Set.of());
            }
        }
        Requirement.ToolAcquisition acquisition = null;
        if (kind.equals("tool")) {
            MapView acq = detail.map("acquisition");
            if (acq != null) {
                String acqProvider = acq.oneOf("provider", Enums.ACQUISITION_PROVIDERS);
                if (!acq.has("provider")) {
                    missing(acq, "provider", "add `provider: corepack` or `provider: command`.");
                }
                acquisition = new Requirement.ToolAcquisition(acqProvider, acq.string("package"), acq.string("version"),
                        acq.oneOf("shell", Enums.SHELLS), acq.string("run"), site(acq));
                acq.finish(Set.of("provider", "package", "version", "shell", "run"), Set.of());
            }
            detail.finish(Set.of("version", "required", "only_on", "platforms", "acquisition"), Set.of());
        } else {
            detail.finish(Set.of("version", "required", "only_on", "provider", "distribution", "platforms"), Set.of());
        }
        return new Requirement(kind, name, version, required == null || required, onlyOn, provider, distribution,
                Collections.unmodifiableMap(platformVersions), acquisition, site(detail));
    }

    // ---- extensions ---------------------------------------------------------------------------

    private Map<String, Extension> extensions(MapView root) {
        Map<String, Extension> out = new LinkedHashMap<>();
        root.entries("extensions", "<extension>").forEach((name, view) -> {
            String kind = view.oneOf("kind", Enums.EXTENSION_KINDS);
            String command = view.string("command");
            Integer apiVersion = view.integer("api_version");
            for (String required : List.of("kind", "command", "api_version")) {
                if (!view.has(required)) {
                    missing(view, required, "declare `kind`, `command` and `api_version: 1` for every extension.");
                }
            }
            if (apiVersion != null && apiVersion < 1) {
                diags.error("OTA_RANGE", view.at("api_version"), "`api_version` must be at least 1.",
                        "set `api_version: 1`.");
            }
            boolean cleanup = false;
            MapView activation = view.map("activation");
            if (activation != null) {
                Boolean b = activation.bool("provider_managed_cleanup");
                cleanup = b != null && b;
                activation.finish(Set.of("provider_managed_cleanup"), Set.of());
            }
            view.accept("config");
            String description = view.string("description");
            view.finish(Set.of("kind", "command", "api_version", "description", "activation", "config"), Set.of());
            out.put(name, new Extension(name, kind, command, apiVersion, description, cleanup, site(view)));
        });
        return Collections.unmodifiableMap(out);
    }

    // ---- tasks --------------------------------------------------------------------------------

    private Map<String, Task> tasks(MapView root) {
        Map<String, Task> out = new LinkedHashMap<>();
        root.entries("tasks", "<task>").forEach((name, view) -> out.put(name, task(name, view)));
        return Collections.unmodifiableMap(out);
    }

    private Task task(String name, MapView view) {
        String description = view.string("description");
        view.string("notes");
        view.string("category");
        view.bool("safe_for_agent");
        view.bool("internal");
        String context = view.string("context");
        List<TaskBody> bodies = new ArrayList<>();
        for (String kind : ContractKeys.BODY_KEYS) {
            if (!view.has(kind)) {
                continue;
            }
            TaskBody body = body(kind, view);
            if (body != null) {
                bodies.add(body);
            }
        }
        Map<String, String> env = view.stringMap("env");
        Map<String, TaskInput> inputs = new LinkedHashMap<>();
        view.entries("inputs", "<input>").forEach((inputName, in) -> inputs.put(inputName, input(inputName, in)));
        Map<String, Target> targets = new LinkedHashMap<>();
        view.entries("targets", "<target>").forEach((targetName, t) -> targets.put(targetName, target(targetName, t)));
        List<String> dependsOn = view.stringList("depends_on");
        Requirements requirements = Requirements.EMPTY;
        MapView req = view.map("requirements");
        if (req != null) {
            requirements = requirements(req.map("runtimes"), req.map("tools"), req, req);
            req.finish(Set.of("runtimes", "tools", "toolchains"), ContractKeys.TASK_REQUIREMENTS_NOT_IMPLEMENTED);
        }
        ServiceRuntime runtime = view.has("runtime") ? runtime(view.map("runtime")) : null;
        List<String> unsupported = new ArrayList<>();
        for (String key : view.keys()) {
            if (ContractKeys.TASK_NOT_IMPLEMENTED.contains(key)) {
                unsupported.add(key);
            }
        }
        if (req != null) {
            for (String key : ContractKeys.TASK_REQUIREMENTS_NOT_IMPLEMENTED) {
                if (req.has(key)) {
                    unsupported.add("requirements." + key);
                }
            }
        }
        if (runtime != null && runtime.site() != null) {
            for (String key : List.of("surfaces")) {
                if (runtime.site().declares(key)) {
                    unsupported.add("runtime." + key);
                }
            }
            if (runtime.readiness() != null && runtime.readiness().site().declares("signal_probes")) {
                unsupported.add("runtime.readiness.signal_probes");
            }
            if (runtime.readiness() != null && runtime.readiness().probe() != null) {
                unsupported.add("runtime.readiness.probe");
            }
        }
        view.finish(ContractKeys.TASK, ContractKeys.TASK_NOT_IMPLEMENTED);
        return new Task(name, description, context, List.copyOf(bodies), env == null ? Map.of() : env,
                Collections.unmodifiableMap(inputs), Collections.unmodifiableMap(targets),
                dependsOn == null ? List.of() : dependsOn, requirements, runtime, List.copyOf(unsupported), site(view));
    }

    private TaskBody body(String kind, MapView view) {
        switch (kind) {
            case "run", "script" -> {
                String text = view.string(kind);
                return text == null ? null : new TaskBody(kind, text, null, List.of(), null, false, new Site(view.at(kind), Map.of()));
            }
            case "command" -> {
                MapView cmd = view.map("command");
                if (cmd == null) {
                    return null;
                }
                String exe = cmd.string("exe");
                if (!cmd.has("exe")) {
                    missing(cmd, "exe", "add `exe: <program>` (and optional `args: [...]`).");
                }
                List<String> args = cmd.stringList("args");
                cmd.finish(Set.of("exe", "args"), Set.of());
                return new TaskBody(kind, null, exe, args == null ? List.of() : args, null, false, site(cmd));
            }
            case "launch" -> {
                MapView launch = view.map("launch");
                if (launch == null) {
                    return null;
                }
                String launchKind = launch.oneOf("kind", List.of("command", "container"));
                if (!launch.has("kind")) {
                    missing(launch, "kind", "add `kind: command` with `exe` and `args`.");
                }
                if ("container".equals(launchKind)) {
                    Boolean remove = launch.bool("remove");
                    for (String key : List.of("image", "engine", "args", "name", "volumes")) {
                        launch.accept(key);
                    }
                    launch.finish(Set.of("kind", "image", "engine", "args", "name", "remove", "volumes"), Set.of());
                    return new TaskBody(kind, null, null, List.of(), "container", remove != null && remove, site(launch));
                }
                String exe = launch.string("exe");
                if (launch.has("kind") && !launch.has("exe")) {
                    missing(launch, "exe", "add `exe: <program>` to the command launch.");
                }
                List<String> args = launch.stringList("args");
                launch.finish(Set.of("kind", "exe", "args"), Set.of());
                return new TaskBody(kind, null, exe, args == null ? List.of() : args, "command", false, site(launch));
            }
            default -> {
                // prepare, action, aggregate: reference bodies ota-maven does not run (yet).
                return new TaskBody(kind, null, null, List.of(), null, false, new Site(view.at(kind), Map.of()));
            }
        }
    }

    private TaskInput input(String name, MapView view) {
        String description = view.string("description");
        view.string("notes");
        Boolean required = view.bool("required");
        String def = view.string("default");
        List<String> allowed = view.stringList("allowed");
        view.finish(Set.of("description", "notes", "required", "default", "allowed"), Set.of());
        return new TaskInput(name, description, required != null && required, def, allowed, site(view));
    }

    private Target target(String name, MapView view) {
        ServiceRef service = null;
        MapView svc = view.map("service");
        if (svc != null) {
            String task = svc.string("task");
            if (!svc.has("task")) {
                missing(svc, "task", "name the producer task: `service: { task: <task>, listener: <listener> }`.");
            }
            service = new ServiceRef(task, svc.string("listener"), svc.oneOf("address_view", Enums.ADDRESS_VIEWS),
                    svc.string("member"), svc.string("repo"), site(svc));
            svc.finish(Set.of("task", "listener", "address_view", "member", "repo"), Set.of());
        }
        String url = view.string("url");
        String overrideInput = view.string("override_input");
        String mode = null;
        MapView activation = view.map("activation");
        if (activation != null) {
            mode = activation.oneOf("mode", Enums.ACTIVATION_MODES);
            activation.finish(Set.of("mode"), Set.of());
        }
        view.finish(Set.of("service", "url", "override_input", "activation"), Set.of());
        Site site = site(view);
        if (activation != null && activation.has("mode")) {
            Map<String, SourceLocation> fields = new LinkedHashMap<>(site.fields());
            fields.put("activation.mode", activation.at("mode"));
            site = new Site(site.location(), fields);
        }
        return new Target(name, service, url, overrideInput, mode, site);
    }

    // ---- runtime ------------------------------------------------------------------------------

    private ServiceRuntime runtime(MapView view) {
        if (view == null) {
            return null;
        }
        String kind = view.oneOf("kind", Enums.RUNTIME_KINDS);
        if (!view.has("kind")) {
            missing(view, "kind", "add `kind: service` (the only runtime kind).");
        }
        String binding = view.string("backend_binding");
        Readiness readiness = view.has("readiness") ? readiness(view.map("readiness")) : null;
        Map<String, Listener> listeners = new LinkedHashMap<>();
        MapView listenersView = view.map("listeners");
        if (listenersView != null) {
            for (String name : listenersView.keys()) {
                MapView l = listenersView.mapEntry(name, "<listener>");
                if (l != null) {
                    Listener listener = listener(name, l);
                    if (listener != null) {
                        listeners.put(name, listener);
                    }
                }
            }
        }
        view.markUnsupported("surfaces");
        Site site = site(view);
        view.finish(Set.of("kind", "backend_binding", "readiness", "listeners"), Set.of("surfaces"));
        return new ServiceRuntime(kind, binding, readiness, Collections.unmodifiableMap(listeners), site);
    }

    private Listener listener(String name, MapView view) {
        for (String shorthand : List.of("http", "tcp")) {
            if (view.has(shorthand)) {
                Integer port = view.integer(shorthand);
                port(view, shorthand, port);
                view.finish(Set.of(shorthand), Set.of());
                if (port == null) {
                    return null;
                }
                if (view.keys().size() > 1) {
                    // finish() already reported the extra keys as unknown
                    return null;
                }
                SourceLocation at = view.at(shorthand);
                Site portSite = new Site(at, Map.of("address", at, "mode", at, "value", at, "port", at));
                Listener.Bind bind = new Listener.Bind("127.0.0.1", "fixed", port, portSite);
                Listener.HostProjection host = new Listener.HostProjection("127.0.0.1", "fixed", port, false,
                        shorthand.equals("http") ? "/" : null, portSite);
                return new Listener(name, shorthand, bind, host, true, new Site(view.location(), Map.of(
                        "protocol", at, "bind", at, "project", at)));
            }
        }
        String protocol = view.oneOf("protocol", Enums.PROTOCOLS);
        if (!view.has("protocol")) {
            missing(view, "protocol", "add `protocol: http` (or `https`, `tcp`), or use the shorthand `"
                    + name + ": { http: <port> }`.");
        }
        Listener.Bind bind = null;
        MapView bindView = view.map("bind");
        if (bindView != null) {
            String address = bindView.string("address");
            if (!bindView.has("address")) {
                missing(bindView, "address", "add `address: 127.0.0.1` (or `0.0.0.0` inside a container).");
            }
            String mode = null;
            Integer value = null;
            Map<String, SourceLocation> fields = new LinkedHashMap<>(site(bindView).fields());
            MapView portView = bindView.map("port");
            if (portView != null) {
                mode = portView.oneOf("mode", Enums.BIND_PORT_MODES);
                if (!portView.has("mode")) {
                    missing(portView, "mode", "add `mode: fixed` with `value: <port>`, or `mode: discover`.");
                }
                value = portView.integer("value");
                port(portView, "value", value);
                fields.put("port.mode", portView.at("mode"));
                fields.put("port.value", portView.at("value"));
                portView.finish(Set.of("mode", "value"), Set.of());
            } else if (!bindView.has("port")) {
                missing(bindView, "port", "add `port: { mode: fixed, value: <port> }`.");
            }
            bindView.finish(Set.of("address", "port"), Set.of());
            bind = new Listener.Bind(address, mode, value, new Site(bindView.location(), fields));
        } else if (!view.has("bind")) {
            missing(view, "bind", "add `bind: { address: 127.0.0.1, port: { mode: fixed, value: <port> } }`.");
        }
        Listener.HostProjection host = null;
        MapView project = view.map("project");
        if (project != null) {
            MapView hostView = project.map("host");
            if (hostView != null) {
                String address = hostView.string("address");
                if (!hostView.has("address")) {
                    missing(hostView, "address", "add `address: 127.0.0.1` (the host-visible address).");
                }
                Map<String, SourceLocation> fields = new LinkedHashMap<>(site(hostView).fields());
                String mode = null;
                Integer value = null;
                MapView portView = hostView.map("port");
                if (portView != null) {
                    mode = portView.oneOf("mode", Enums.HOST_PORT_MODES);
                    if (!portView.has("mode")) {
                        missing(portView, "mode", "add `mode: fixed` with `value: <port>`, or `mode: auto`.");
                    }
                    value = portView.integer("value");
                    port(portView, "value", value);
                    fields.put("port.mode", portView.at("mode"));
                    fields.put("port.value", portView.at("value"));
                    portView.finish(Set.of("mode", "value"), Set.of());
                } else if (!hostView.has("port")) {
                    missing(hostView, "port", "add `port: { mode: fixed, value: <port> }`.");
                }
                Boolean primary = hostView.bool("primary");
                String path = hostView.string("path");
                hostView.finish(Set.of("address", "port", "primary", "path"), Set.of());
                host = new Listener.HostProjection(address, mode, value, primary != null && primary, path,
                        new Site(hostView.location(), fields));
            }
            project.finish(Set.of("host"), Set.of());
        }
        view.finish(Set.of("protocol", "bind", "project"), Set.of());
        return new Listener(name, protocol, bind, host, false, site(view));
    }

    private void port(MapView view, String key, Integer port) {
        if (port != null && (port < 1 || port > 65535)) {
            diags.error("OTA_RANGE", view.at(key), "port " + port + " is outside 1–65535.",
                    "use a TCP port between 1 and 65535.");
        }
    }

    private Readiness readiness(MapView view) {
        if (view == null) {
            return null;
        }
        String probe = view.string("probe");
        view.markUnsupported("probe");
        view.markUnsupported("signal_probes");
        String kind = view.oneOf("kind", Enums.READINESS_KINDS);
        String listener = view.string("listener");
        String method = view.oneOf("method", Enums.HTTP_METHODS);
        String path = view.string("path");
        Map<String, String> headers = view.stringMap("headers");
        List<Integer> status = null;
        MapView success = view.map("success");
        if (success != null) {
            status = success.intList("status");
            if (!success.has("status")) {
                missing(success, "status", "add `status: [200]` (a list of accepted HTTP statuses).");
            }
            success.finish(Set.of("status"), Set.of());
        }
        String contains = null;
        MapView body = view.map("body");
        if (body != null) {
            contains = body.string("contains");
            if (!body.has("contains")) {
                missing(body, "contains", "add `contains: <text the body must include>`.");
            }
            body.finish(Set.of("contains"), Set.of());
        }
        Duration interval = duration(view, "interval");
        Duration timeout = duration(view, "timeout");
        Integer retries = view.integer("retries");
        Duration startPeriod = duration(view, "start_period");
        Site site = site(view);
        view.finish(ContractKeys.READINESS, Set.of("signal_probes"));
        return new Readiness(probe, kind, listener, method, path, headers, status, contains, interval, timeout, retries,
                startPeriod, site);
    }

    private Duration duration(MapView view, String key) {
        String text = view.string(key);
        if (text == null) {
            return null;
        }
        Duration d = Durations.parse(text);
        if (d == null) {
            diags.error("OTA_DURATION", view.at(key), "`" + text + "` is not a duration.",
                    "write a positive duration like `200ms`, `3s`, or `1m`.");
            return null;
        }
        if (d.isZero()) {
            diags.error("OTA_DURATION", view.at(key), "`" + key + "` must be greater than zero.",
                    "write a positive duration like `200ms`, `3s`, or `1m`.");
            return null;
        }
        return d;
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void missing(MapView view, String key, String fix) {
        diags.error("OTA_REQUIRED", view.location().withPath(view.location().child(key)),
                "required key `" + key + "` is missing.", fix);
    }

    private static Site site(MapView view) {
        return new Site(view.location(), view.fieldLocations());
    }

    /** A site with extra nested field locations ({@code resources.memory.default}, list items). */
    private static Site site(MapView view, Map<String, SourceLocation> nested) {
        Map<String, SourceLocation> fields = new LinkedHashMap<>(view.fieldLocations());
        fields.putAll(nested);
        return new Site(view.location(), fields);
    }
}
