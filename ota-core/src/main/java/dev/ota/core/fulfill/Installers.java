package dev.ota.core.fulfill;

import java.util.ArrayList;
import java.util.List;

/** The installers run-path fulfillment uses. */
public final class Installers {

    private Installers() {}

    /**
     * Installs only through the sources the org policy approves ({@code provisioning.<name>}: apt,
     * apk); any other source is shown and never run, and without a policy entry nothing installs.
     */
    public static UnitFulfillment.Installer policyApproved() {
        return (plane, planeName, os, blocking, policy, log) -> {
            ProvisionOutcome outcome = new Provisioner(plane, planeName, os, policy).provision(blocking);
            log.accept(outcome.message());
            List<String> problems = new ArrayList<>();
            List<String> tail = new ArrayList<>();
            for (ProvisionOutcome.Item item : outcome.problems()) {
                problems.add(item.reason());
                if (tail.isEmpty()) {
                    tail.addAll(item.outputTail());
                }
            }
            return new UnitFulfillment.InstallResult(outcome.actions(), problems, tail);
        };
    }
}
