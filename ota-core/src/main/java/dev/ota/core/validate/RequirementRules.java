package dev.ota.core.validate;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.model.Context;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Enums;
import dev.ota.core.model.Requirement;
import dev.ota.core.model.Requirements;
import dev.ota.core.model.SharedBackend;
import dev.ota.core.model.Task;
import dev.ota.core.resolve.RequirementUnion;
import dev.ota.core.resolve.Topology;
import dev.ota.core.resolve.VersionConstraints;
import java.util.HashSet;
import java.util.Set;

/** Requirement declarations (digest §1.7) and requirement-union conflicts of shared backends. */
final class RequirementRules extends RuleSupport {

    RequirementRules(Contract contract, Topology topology, Diagnostics diags) {
        super(contract, topology, diags);
    }

    @Override
    void check() {
        Set<Requirement> seen = new HashSet<>();
        declarations(contract.rootRequirements(), seen);
        for (Context c : contract.execution().contexts().values()) {
            declarations(c.requirements(), seen);
        }
        for (Task t : contract.tasks().values()) {
            declarations(t.requirements(), seen);
        }
        for (SharedBackend backend : contract.execution().sharedBackends().values()) {
            for (RequirementUnion.Declared[] pair : RequirementUnion.of(topology, backend).conflicts()) {
                Requirement a = pair[0].requirement();
                Requirement b = pair[1].requirement();
                error("OTA_REQUIREMENT_CONFLICT", b.site().at("version"), "the requirement union of `execution.shared_backends."
                        + backend.name() + "` declares " + a.kind() + " `" + a.name() + "` as `" + a.version() + "` ("
                        + pair[0].origin() + ", line " + a.site().location().line() + ") and `" + b.version() + "` ("
                        + pair[1].origin() + ", line " + b.site().location().line() + "); no version satisfies both.",
                        "make the two constraints agree (e.g. both `" + a.version() + "`).");
            }
        }
    }

    private void declarations(Requirements reqs, Set<Requirement> seen) {
        if (reqs == null) {
            return;
        }
        for (Requirement r : reqs.runtimes().values()) {
            if (seen.add(r)) {
                requirement(r);
            }
        }
        for (Requirement r : reqs.tools().values()) {
            if (seen.add(r)) {
                requirement(r);
            }
        }
    }

    private void requirement(Requirement r) {
        String what = r.kind() + " `" + r.name() + "`";
        if (r.version() != null && !VersionConstraints.isValid(r.version())) {
            error("OTA_VERSION_CONSTRAINT", r.site().at("version"), "version constraint `" + r.version() + "` of " + what
                    + " cannot be parsed.", "write a constraint such as `\"21\"`, `\">=21\"`, `\"^8\"`, `\"~1.2\"` or `\"*\"`.");
        }
        if (r.onlyOn() != null) {
            if (r.onlyOn().isEmpty()) {
                error("OTA_ONLY_ON", r.site().at("only_on"), "`only_on` of " + what + " is empty.",
                        "list at least one of `linux`, `macos`, `windows`, or remove it.");
            }
            for (String os : r.onlyOn()) {
                if (!Enums.OPERATING_SYSTEMS.contains(os)) {
                    error("OTA_ONLY_ON", r.site().at("only_on"), "`" + os + "` in `only_on` of " + what
                            + " is not an operating system ota knows.", "use `linux`, `macos` or `windows`.");
                }
            }
        }
        if (blank(r.provider())) {
            error("OTA_EMPTY", r.site().at("provider"), "`provider` of " + what + " is empty.", "name the provider or remove it.");
        }
        if (blank(r.distribution())) {
            error("OTA_EMPTY", r.site().at("distribution"), "`distribution` of " + what + " is empty.",
                    "name the distribution (e.g. `temurin`) or remove it.");
        }
        for (String os : r.platformVersions().keySet()) {
            if (!Enums.OPERATING_SYSTEMS.contains(os)) {
                error("OTA_PLATFORM", r.site().at("platforms"), "`platforms." + os + "` of " + what
                        + " is not an operating system ota knows.", "use `linux`, `macos` or `windows`.");
            } else if (r.onlyOn() != null && !r.onlyOn().contains(os)) {
                error("OTA_PLATFORM", r.site().at("platforms"), "`platforms." + os + "` of " + what
                        + " is not listed in its `only_on`.", "add `" + os + "` to `only_on`, or remove the platform entry.");
            }
        }
        Requirement.ToolAcquisition acq = r.acquisition();
        if (acq != null && acq.provider() != null) {
            if (acq.provider().equals("corepack")) {
                if (acq.pkg() == null || acq.version() == null) {
                    error("OTA_ACQUISITION", acq.site().location(), "`acquisition.provider: corepack` of " + what
                            + " requires `package` and `version`.", "add `package: <name>` and `version: <x.y.z>`.");
                }
                if (acq.shell() != null || acq.run() != null) {
                    error("OTA_ACQUISITION", acq.site().location(), "`acquisition.provider: corepack` of " + what
                            + " must not declare `shell` or `run`.", "remove `shell`/`run` (they belong to `provider: command`).");
                }
                for (String token : new String[] {acq.pkg(), acq.version()}) {
                    if (token != null && !TOKEN.matcher(token).matches()) {
                        error("OTA_ACQUISITION", acq.site().location(), "`" + token + "` in the acquisition of " + what
                                + " is not a shell-safe token.", "use letters, digits, `.`, `-` and `_` only.");
                    }
                }
            } else {
                if (acq.shell() == null || acq.run() == null || acq.run().isBlank()) {
                    error("OTA_ACQUISITION", acq.site().location(), "`acquisition.provider: command` of " + what
                            + " requires `shell` and `run`.", "add `shell: bash` and `run: <command>`.");
                }
                if (acq.pkg() != null || acq.version() != null) {
                    error("OTA_ACQUISITION", acq.site().location(), "`acquisition.provider: command` of " + what
                            + " must not declare `package` or `version`.", "remove them (they belong to `provider: corepack`).");
                }
            }
        }
    }
}
