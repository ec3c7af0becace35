package dev.ota.core.validate;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.model.Contract;
import dev.ota.core.resolve.Topology;
import java.util.List;

/**
 * Semantic rules of the contract (digest §2 and product decisions §2). Every rule reports into
 * the diagnostics; nothing stops at the first error.
 */
public final class ContractValidator {

    private ContractValidator() {}

    public static void validate(Contract contract, Topology topology, Diagnostics diags) {
        List<RuleSupport> groups = List.of(
                new ExecutionRules(contract, topology, diags),
                new SharedBackendRules(contract, topology, diags),
                new TaskRules(contract, topology, diags),
                new RuntimeRules(contract, topology, diags),
                new TargetRules(contract, topology, diags),
                new RequirementRules(contract, topology, diags));
        for (RuleSupport group : groups) {
            group.check();
        }
    }
}
