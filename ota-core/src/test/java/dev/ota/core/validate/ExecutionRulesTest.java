package dev.ota.core.validate;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Digest §2.1, rules 1–12: version, project, execution root and named contexts. */
class ExecutionRulesTest extends RuleTestSupport {

    static final String TASK = """
            tasks:
              build:
                run: echo build
            """;

    @Nested
    @DisplayName("rule 1: version and project name")
    class Rule1 {
        @Test
        @DisplayName("rule 1: version other than 1 is rejected")
        void version() {
            rejects(validateRaw("version: 2\nproject:\n  name: demo\n" + TASK), "OTA_VERSION", "version",
                    "unsupported contract version `2`", "version: 1");
            accepts(validateRaw("version: 1\nproject:\n  name: demo\n" + TASK), "OTA_VERSION");
        }

        @Test
        @DisplayName("rule 1: empty project.name is rejected")
        void projectName() {
            rejects(validateRaw("version: 1\nproject:\n  name: \"\"\n" + TASK), "OTA_PROJECT_NAME", "project.name",
                    "`project.name` must not be empty", "name: orders-api");
            accepts(validateRaw("version: 1\nproject:\n  name: orders\n" + TASK), "OTA_PROJECT_NAME");
        }
    }

    @Nested
    @DisplayName("rule 2: execution.preferred with named contexts")
    class Rule2 {
        @Test
        @DisplayName("rule 2: preferred plus contexts is rejected; root lifecycle stays allowed")
        void preferredWithContexts() {
            rejects(validate("""
                    execution:
                      preferred: native
                      default_context: host
                      contexts:
                        host:
                          backend: native
                    """ + TASK), "OTA_EXEC_PREFERRED_WITH_CONTEXTS", "execution.preferred",
                    "must not be declared when using named contexts", "execution.default_context");
            accepts(validate("""
                    execution:
                      lifecycle: persistent
                      default_context: host
                      contexts:
                        host:
                          backend: native
                    """ + TASK), "OTA_EXEC_PREFERRED_WITH_CONTEXTS");
        }
    }

    @Nested
    @DisplayName("rule 3: execution.default_context")
    class Rule3 {
        @Test
        @DisplayName("rule 3: default_context naming a missing context is rejected")
        void missing() {
            rejects(validate("""
                    execution:
                      default_context: hots
                      contexts:
                        host:
                          backend: native
                    """ + TASK), "OTA_DEFAULT_CONTEXT", "execution.default_context",
                    "`hots` is missing from `execution.contexts`", "`host`");
            accepts(validate("""
                    execution:
                      default_context: host
                      contexts:
                        host:
                          backend: native
                    """ + TASK), "OTA_DEFAULT_CONTEXT");
        }

        @Test
        @DisplayName("rule 3: empty default_context is rejected")
        void empty() {
            rejects(validate("""
                    execution:
                      default_context: ""
                      contexts:
                        host:
                          backend: native
                    """ + TASK), "OTA_DEFAULT_CONTEXT", "execution.default_context", "is empty", "`host`");
        }
    }

    @Nested
    @DisplayName("rule 4: legacy execution.preferred")
    class Rule4 {
        @Test
        @DisplayName("rule 4: preferred missing from a non-empty supported list is rejected")
        void notSupported() {
            rejects(validate("""
                    execution:
                      preferred: native
                      supported: [container]
                    """ + TASK), "OTA_EXEC_PREFERRED_UNSUPPORTED", "execution.preferred",
                    "is not listed in `execution.supported`", "add `native` to `execution.supported`");
            accepts(validate("""
                    execution:
                      preferred: native
                      supported: [native, container]
                    """ + TASK), "OTA_EXEC_PREFERRED_UNSUPPORTED");
        }

        @Test
        @DisplayName("rule 4: preferred container needs backends.container.image")
        void containerImage() {
            rejects(validate("""
                    execution:
                      preferred: container
                      lifecycle: persistent
                    """ + TASK), "OTA_EXEC_CONTAINER_IMAGE", "execution.preferred",
                    "requires `execution.backends.container.image`", "execution.backends.container.image");
            accepts(validate("""
                    execution:
                      preferred: container
                      lifecycle: persistent
                      backends:
                        container:
                          image: eclipse-temurin:21-jdk
                    """ + TASK), "OTA_EXEC_CONTAINER_IMAGE");
        }

        @Test
        @DisplayName("rule 4: preferred container needs an explicit execution.lifecycle")
        void containerLifecycle() {
            rejects(validate("""
                    execution:
                      preferred: container
                      backends:
                        container:
                          image: eclipse-temurin:21-jdk
                    """ + TASK), "OTA_EXEC_LIFECYCLE", "execution.preferred",
                    "requires an explicit `execution.lifecycle`", "execution.lifecycle: persistent");
        }

        @Test
        @DisplayName("rule 4: preferred remote needs provider and target; the fix carries a target example")
        void remote() {
            rejects(validate("""
                    execution:
                      preferred: remote
                      backends:
                        remote:
                          provider: kubectl
                    """ + TASK), "OTA_EXEC_REMOTE", "execution.preferred",
                    "requires `execution.backends.remote.provider` and `.target`", "pod/<name>");
            rejects(validate("""
                    execution:
                      preferred: remote
                    """ + TASK), "OTA_EXEC_REMOTE", "execution.preferred", "`execution.preferred: remote`", "user@host");
            accepts(validate("""
                    execution:
                      preferred: remote
                      backends:
                        remote:
                          provider: kubectl
                          target: pod/api-0
                    """ + TASK), "OTA_EXEC_REMOTE");
        }
    }

    @Nested
    @DisplayName("rule 5: empty root backend settings")
    class Rule5 {
        @Test
        @DisplayName("rule 5: empty backends.container.image is rejected")
        void image() {
            rejects(validate("""
                    execution:
                      backends:
                        container:
                          image: ""
                    """ + TASK), "OTA_EMPTY", "execution.backends.container.image",
                    "`execution.backends.container.image` is empty", "eclipse-temurin:21-jdk");
            accepts(validate("""
                    execution:
                      backends:
                        container:
                          image: eclipse-temurin:21-jdk
                    """ + TASK), "OTA_EMPTY");
        }

        @Test
        @DisplayName("rule 5: empty remote provider, target and cwd are each rejected")
        void remote() {
            var outcome = validate("""
                    execution:
                      backends:
                        remote:
                          provider: ""
                          target: ""
                          cwd: ""
                    """ + TASK);
            rejects(outcome, "OTA_EMPTY", "execution.backends.remote.provider", "`execution.backends.remote.provider` is empty", "ssh");
            rejects(outcome, "OTA_EMPTY", "execution.backends.remote.target", "`execution.backends.remote.target` is empty", "user@host");
            rejects(outcome, "OTA_EMPTY", "execution.backends.remote.cwd", "must not be empty if given", "remove `cwd`");
            accepts(validate("""
                    execution:
                      backends:
                        remote:
                          provider: ssh
                          target: dev@build.example
                          cwd: /workspace/app
                    """ + TASK), "OTA_EMPTY");
        }
    }

    @Nested
    @DisplayName("rule 6: non-built-in remote providers")
    class Rule6 {
        static final String REMOTE = """
                execution:
                  backends:
                    remote:
                      provider: acme
                      target: ws-1
                """;

        @Test
        @DisplayName("rule 6: a provider with no matching extension is rejected")
        void noExtension() {
            rejects(validate(REMOTE + TASK), "OTA_REMOTE_PROVIDER", "execution.backends.remote.provider",
                    "declare a matching `backend_provider` extension", "extensions.acme: { kind: backend_provider");
        }

        @Test
        @DisplayName("rule 6: a provider extension of another kind is rejected")
        void wrongKind() {
            rejects(validate(REMOTE + """
                    extensions:
                      acme:
                        kind: check_provider
                        command: acme-ota
                        api_version: 1
                    """ + TASK), "OTA_REMOTE_PROVIDER", "execution.backends.remote.provider",
                    "must refer to a `backend_provider` extension", "kind: backend_provider");
        }

        @Test
        @DisplayName("rule 6: a provider extension with api_version other than 1 is rejected")
        void apiVersion() {
            rejects(validate(REMOTE + """
                    extensions:
                      acme:
                        kind: backend_provider
                        command: acme-ota
                        api_version: 2
                    """ + TASK), "OTA_REMOTE_PROVIDER", "execution.backends.remote.provider",
                    "requires `extensions.acme.api_version: 1`", "api_version: 1");
        }

        @Test
        @DisplayName("rule 6: a declared backend_provider extension with api_version 1 is accepted (also on a context)")
        void accepted() {
            accepts(validate(REMOTE + """
                    extensions:
                      acme:
                        kind: backend_provider
                        command: acme-ota
                        api_version: 1
                    """ + TASK), "OTA_REMOTE_PROVIDER");
            rejects(validate("""
                    execution:
                      default_context: far
                      contexts:
                        far:
                          backend: remote
                          remote:
                            provider: acme
                            target: ws-1
                    """ + TASK), "OTA_REMOTE_PROVIDER", "execution.contexts.far.remote.provider",
                    "remote provider `acme` is not supported", "backend_provider");
        }
    }

    @Nested
    @DisplayName("rule 7: context names, only_on and only_arch")
    class Rule7 {
        @Test
        @DisplayName("rule 7: a context with an empty name is rejected")
        void emptyName() {
            rejects(validate("""
                    execution:
                      contexts:
                        "":
                          backend: native
                    """ + TASK), "OTA_CONTEXT_NAME", "execution.contexts.", "empty name", "name");
        }

        @Test
        @DisplayName("rule 7: only_on outside linux/macos/windows, duplicated or empty is rejected")
        void onlyOn() {
            rejects(validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                          only_on: [linux, solaris]
                    """ + TASK), "OTA_ONLY_ON", "execution.contexts.host.only_on",
                    "`solaris` is not an operating system", "`linux`, `macos` or `windows`");
            rejects(validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                          only_on: [linux, linux]
                    """ + TASK), "OTA_ONLY_ON", "execution.contexts.host.only_on", "`linux` is listed twice", "once");
            rejects(validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                          only_on: []
                    """ + TASK), "OTA_ONLY_ON", "execution.contexts.host.only_on", "is empty", "at least one");
            accepts(validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                          only_on: [linux, macos]
                    """ + TASK), "OTA_ONLY_ON");
        }

        @Test
        @DisplayName("rule 7: non-token or duplicate only_arch values are rejected")
        void onlyArch() {
            rejects(validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                          only_arch: ["x 64"]
                    """ + TASK), "OTA_ONLY_ARCH", "execution.contexts.host.only_arch",
                    "`x 64` is not a valid architecture token", "x64");
            rejects(validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                          only_arch: [arm64, arm64]
                    """ + TASK), "OTA_ONLY_ARCH", "execution.contexts.host.only_arch", "listed twice", "once");
            accepts(validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                          only_arch: [x64, arm64]
                    """ + TASK), "OTA_ONLY_ARCH");
        }
    }

    @Nested
    @DisplayName("rule 8: native context fields")
    class Rule8 {
        @Test
        @DisplayName("rule 8: native context must not declare lifecycle, fulfillment, container or remote")
        void forbidden() {
            var outcome = validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                          lifecycle: persistent
                          fulfillment: run
                          container:
                            image: alpine
                          remote:
                            provider: ssh
                            target: a@b
                    """ + TASK);
            rejects(outcome, "OTA_NATIVE_CONTEXT_FIELD", "execution.contexts.host.lifecycle",
                    "native context `host` must not declare `lifecycle`", "remove `lifecycle`");
            rejects(outcome, "OTA_NATIVE_CONTEXT_FIELD", "execution.contexts.host.fulfillment",
                    "must not declare `fulfillment`", "execution.shared_backends.<name>.fulfillment");
            rejects(outcome, "OTA_NATIVE_CONTEXT_FIELD", "execution.contexts.host.container",
                    "must not declare `container`", "native contexts run on the host");
            rejects(outcome, "OTA_NATIVE_CONTEXT_FIELD", "execution.contexts.host.remote",
                    "must not declare `remote`", "remove `remote`");
            accepts(validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                    """ + TASK), "OTA_NATIVE_CONTEXT_FIELD");
        }
    }

    @Nested
    @DisplayName("rule 9: container contexts")
    class Rule9 {
        @Test
        @DisplayName("rule 9: a container context needs an image from the context or the root")
        void image() {
            rejects(validate("""
                    execution:
                      contexts:
                        box:
                          backend: container
                          lifecycle: persistent
                    """ + TASK), "OTA_CONTAINER_IMAGE", "execution.contexts.box",
                    "requires `execution.contexts.box.container.image` or `execution.backends.container.image`",
                    "container: { image: <image> }");
            accepts(validate("""
                    execution:
                      backends:
                        container:
                          image: eclipse-temurin:21-jdk
                      contexts:
                        box:
                          backend: container
                          lifecycle: persistent
                    """ + TASK), "OTA_CONTAINER_IMAGE");
        }

        @Test
        @DisplayName("rule 9: a container context needs a lifecycle from the context or the root")
        void lifecycle() {
            rejects(validate("""
                    execution:
                      contexts:
                        box:
                          backend: container
                          container:
                            image: alpine
                    """ + TASK), "OTA_CONTAINER_LIFECYCLE", "execution.contexts.box",
                    "requires an explicit lifecycle", "lifecycle: persistent");
            accepts(validate("""
                    execution:
                      lifecycle: ephemeral
                      contexts:
                        box:
                          backend: container
                          container:
                            image: alpine
                    """ + TASK), "OTA_CONTAINER_LIFECYCLE");
        }

        @Test
        @DisplayName("rule 9: an empty own image is rejected even when the root has one")
        void emptyImage() {
            rejects(validate("""
                    execution:
                      backends:
                        container:
                          image: alpine
                      contexts:
                        box:
                          backend: container
                          lifecycle: persistent
                          container:
                            image: ""
                    """ + TASK), "OTA_EMPTY", "execution.contexts.box.container.image",
                    "`execution.contexts.box.container.image` is empty", "eclipse-temurin:21-jdk");
        }

        @Test
        @DisplayName("rule 9: remote settings on a container context are rejected")
        void remote() {
            rejects(validate("""
                    execution:
                      contexts:
                        box:
                          backend: container
                          lifecycle: persistent
                          container:
                            image: alpine
                          remote:
                            provider: ssh
                            target: a@b
                    """ + TASK), "OTA_CONTAINER_CONTEXT_FIELD", "execution.contexts.box.remote",
                    "must not declare `remote` settings", "backend: remote");
        }

        @Test
        @DisplayName("rule 9: memory sizes must parse")
        void memory() {
            rejects(validate("""
                    execution:
                      contexts:
                        box:
                          backend: container
                          lifecycle: persistent
                          container:
                            image: alpine
                            resources:
                              memory:
                                default: lots
                    """ + TASK), "OTA_MEMORY", "execution.contexts.box.container.resources.memory.default",
                    "memory size `lots` cannot be parsed", "2GiB");
            accepts(validate("""
                    execution:
                      contexts:
                        box:
                          backend: container
                          lifecycle: persistent
                          container:
                            image: alpine
                            resources:
                              memory:
                                minimum: 1GiB
                                default: 2GiB
                    """ + TASK), "OTA_MEMORY");
        }
    }

    @Nested
    @DisplayName("rule 10: remote contexts")
    class Rule10 {
        @Test
        @DisplayName("rule 10: a remote context needs a provider")
        void provider() {
            rejects(validate("""
                    execution:
                      contexts:
                        far:
                          backend: remote
                    """ + TASK), "OTA_REMOTE_CONTEXT", "execution.contexts.far",
                    "requires `execution.contexts.far.remote.provider` or `execution.backends.remote.provider`",
                    "provider: ssh");
        }

        @Test
        @DisplayName("rule 10: a remote context needs a target; the message carries an example for the provider")
        void target() {
            rejects(validate("""
                    execution:
                      contexts:
                        far:
                          backend: remote
                          remote:
                            provider: ssh
                    """ + TASK), "OTA_REMOTE_CONTEXT", "execution.contexts.far",
                    "with provider `ssh` requires `execution.contexts.far.remote.target` (example: `user@host`)",
                    "target: user@host");
            accepts(validate("""
                    execution:
                      backends:
                        remote:
                          provider: ssh
                      contexts:
                        far:
                          backend: remote
                          remote:
                            target: dev@build.example
                    """ + TASK), "OTA_REMOTE_CONTEXT");
        }

        @Test
        @DisplayName("rule 10/31: fulfillment and container settings on a remote context are rejected")
        void forbidden() {
            var outcome = validate("""
                    execution:
                      contexts:
                        far:
                          backend: remote
                          fulfillment: run
                          remote:
                            provider: ssh
                            target: dev@build.example
                          container:
                            image: alpine
                    """ + TASK);
            rejects(outcome, "OTA_REMOTE_CONTEXT_FIELD", "execution.contexts.far.fulfillment",
                    "remote context `far` must not declare `fulfillment`", "execution.shared_backends.<name>.fulfillment");
            rejects(outcome, "OTA_REMOTE_CONTEXT_FIELD", "execution.contexts.far.container",
                    "must not declare `container` settings", "backend: container");
        }

        @Test
        @DisplayName("rule 10: an empty remote cwd on a context is rejected")
        void cwd() {
            rejects(validate("""
                    execution:
                      contexts:
                        far:
                          backend: remote
                          remote:
                            provider: ssh
                            target: dev@build.example
                            cwd: ""
                    """ + TASK), "OTA_EMPTY", "execution.contexts.far.remote.cwd",
                    "`execution.contexts.far.remote.cwd` must not be empty", "/workspace/app");
        }
    }

    @Nested
    @DisplayName("rule 11: attachments")
    class Rule11 {
        @Test
        @DisplayName("rule 11: isolated_paths on a non-container context is rejected")
        void nonContainer() {
            rejects(validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                          attachments:
                            isolated_paths: [node_modules]
                    """ + TASK), "OTA_CONTEXT_ISOLATED_PATHS", "execution.contexts.host.attachments.isolated_paths",
                    "only valid on container contexts", "remove `attachments.isolated_paths`");
        }

        @Test
        @DisplayName("rule 11: empty, absolute, `..` and duplicate isolated paths are rejected")
        void badPaths() {
            String box = """
                    execution:
                      contexts:
                        box:
                          backend: container
                          lifecycle: persistent
                          container:
                            image: node:22
                          attachments:
                            isolated_paths: [%s]
                    """;
            rejects(validate(box.formatted("\"\"") + TASK), "OTA_ISOLATED_PATH", "execution.contexts.box.attachments.isolated_paths[0]",
                    "has an empty entry", "node_modules");
            rejects(validate(box.formatted("/abs/node_modules") + TASK), "OTA_ISOLATED_PATH",
                    "execution.contexts.box.attachments.isolated_paths[0]", "`/abs/node_modules` is absolute", "relative");
            rejects(validate(box.formatted("../up") + TASK), "OTA_ISOLATED_PATH", "execution.contexts.box.attachments.isolated_paths[0]",
                    "contains `..`", "without `..`");
            rejects(validate(box.formatted("web/node_modules, ./web/node_modules") + TASK), "OTA_ISOLATED_PATH",
                    "execution.contexts.box.attachments.isolated_paths[1]", "duplicates another entry after normalization", "once");
            accepts(validate(box.formatted("node_modules, web/node_modules") + TASK), "OTA_ISOLATED_PATH");
        }

        @Test
        @DisplayName("rule 11: empty attachments.compose entries are rejected")
        void compose() {
            String box = """
                    execution:
                      contexts:
                        box:
                          backend: container
                          lifecycle: persistent
                          container:
                            image: node:22
                          attachments:
                            compose: [%s]
                    """;
            rejects(validate(box.formatted("\"\"") + TASK), "OTA_EMPTY", "execution.contexts.box.attachments.compose[0]",
                    "`attachments.compose` has an empty entry", "Compose project");
            accepts(validate(box.formatted("shop") + TASK), "OTA_EMPTY");
        }
    }

    @Nested
    @DisplayName("rule 12: extends")
    class Rule12 {
        @Test
        @DisplayName("rule 12: switching backend family across extends is rejected")
        void family() {
            rejects(validate("""
                    execution:
                      contexts:
                        base:
                          backend: native
                        child:
                          extends: base
                          backend: container
                          lifecycle: persistent
                          container:
                            image: alpine
                    """ + TASK), "OTA_CONTEXT_EXTENDS_FAMILY", "execution.contexts.child.backend",
                    "`extends` stays within one backend family", "drop `backend` from `child`");
            accepts(validate("""
                    execution:
                      contexts:
                        base:
                          backend: container
                          lifecycle: persistent
                          container:
                            image: alpine
                        child:
                          extends: base
                          backend: container
                          env:
                            MODE: child
                    """ + TASK), "OTA_CONTEXT_EXTENDS_FAMILY");
        }

        @Test
        @DisplayName("rule 12: extending an unknown context is rejected")
        void unknownParent() {
            rejects(validate("""
                    execution:
                      contexts:
                        base:
                          backend: native
                        child:
                          extends: bsae
                          backend: native
                    """ + TASK), "OTA_CONTEXT_EXTENDS", "execution.contexts.child.extends",
                    "extends unknown context `bsae`", "`base`");
        }

        @Test
        @DisplayName("rule 12: an extends cycle is rejected")
        void cycle() {
            var outcome = validate("""
                    execution:
                      contexts:
                        a:
                          extends: b
                        b:
                          extends: a
                    """ + TASK);
            rejects(outcome, "OTA_CONTEXT_EXTENDS_CYCLE", "execution.contexts.a.extends", "part of an `extends` cycle",
                    "break the cycle");
            rejects(outcome, "OTA_CONTEXT_EXTENDS_CYCLE", "execution.contexts.b.extends", "part of an `extends` cycle",
                    "break the cycle");
        }
    }
}
