package dev.ota.core.load;

import java.util.List;
import java.util.Set;

/**
 * The keys of the reference contract (its JSON schema), split into those ota-maven implements
 * and those it accepts with a "not supported yet" warning. Anything else is an unknown key.
 */
final class ContractKeys {

    static final Set<String> ROOT = Set.of("version", "project", "execution", "tasks", "runtimes", "tools",
            "extensions", "policies");
    static final Set<String> ROOT_NOT_IMPLEMENTED = Set.of("workspace", "toolchains", "orchestrators",
            "native_prerequisites", "env", "readiness", "surfaces", "services", "workflows", "checks", "exports",
            "metadata", "agent");
    /** Policy sections only an org policy pack may declare. */
    static final Set<String> ORG_ONLY_POLICIES = Set.of("env", "version_policy", "provisioning", "adapter_bootstrap");

    static final Set<String> EXECUTION = Set.of("preferred", "supported", "lifecycle", "backends", "default_context",
            "contexts", "shared_backends");
    static final Set<String> CONTEXT = Set.of("extends", "backend", "only_on", "only_arch", "lifecycle", "fulfillment",
            "env", "container", "remote", "requirements", "attachments");
    static final Set<String> SHARED_BACKEND = Set.of("scope", "backend", "lifecycle", "context", "fulfillment",
            "environment");

    /** Task body keys, in the order the plan reports them. */
    static final List<String> BODY_KEYS = List.of("run", "script", "command", "launch", "action", "prepare", "aggregate");
    static final Set<String> TASK = Set.of("description", "notes", "category", "context", "env", "inputs", "targets",
            "run", "script", "command", "launch", "depends_on", "requirements", "runtime", "safe_for_agent",
            "internal");
    static final Set<String> TASK_NOT_IMPLEMENTED = Set.of("env_files", "env_bindings", "adapter_inputs", "prepare",
            "action", "aggregate", "effects", "requires_services", "after_success", "after_failure", "after_always",
            "variants", "execution", "when");
    static final Set<String> TASK_REQUIREMENTS_NOT_IMPLEMENTED = Set.of("native", "env", "checks", "any_of");
    static final Set<String> READINESS = Set.of("probe", "kind", "listener", "method", "path", "headers", "success",
            "body", "interval", "timeout", "retries", "start_period");

    private ContractKeys() {}
}
