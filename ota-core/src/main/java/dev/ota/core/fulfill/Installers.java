package dev.ota.core.fulfill;

import java.util.ArrayList;
import java.util.List;

/** The installers run-path fulfillment uses. */
public final class Installers {

    private Installers() {}

    /**
     * Installs only through sources the org policy approves ({@code provisioning.<name>}).
     * WIP (issue 7): the apt/apk provisioner is being built; until it lands every item is reported
     * as not installable, naming the policy entry it would need.
     */
    public static UnitFulfillment.Installer policyApproved() {
        return (plane, os, blocking, policy, log) -> {
            List<String> problems = new ArrayList<>();
            for (Detection d : blocking) {
                problems.add(d.requirementLabel() + ": no installer for `provisioning." + d.name() + "` yet");
            }
            return new UnitFulfillment.InstallResult(List.of(), problems, List.of());
        };
    }
}
