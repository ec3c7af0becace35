package dev.ota.core.fulfill;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the {@link Provisioner} did on one plane: per requirement the source, package, resolved
 * version and result, and every command it ran, verbatim and in order ({@link #actions()}: the
 * receipt's {@code backend_fulfillment.actions}).
 *
 * @param plane where it ran, for messages ({@code in container workbench})
 * @param actions every command line run on the plane, in order (empty when nothing ran)
 */
public record ProvisionOutcome(String plane, Result result, List<Item> items, List<String> actions) {

    public ProvisionOutcome {
        items = List.copyOf(items);
        actions = List.copyOf(actions);
    }

    /** The overall result. */
    public enum Result {
        /** Every item was installed (the caller verifies by detecting again). */
        INSTALLED("installed"),
        /** Policy (or what the source offers) allows no install of some item; nothing was installed. */
        NOT_INSTALLABLE("not_installable"),
        /** A command failed (probe, source update, install) or the plane could not run it. */
        FAILED("failed");

        private final String label;

        Result(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One item's result. */
    public enum ItemResult {
        INSTALLED("installed"),
        FAILED("failed"),
        NOT_INSTALLABLE("not_installable"),
        /** Not attempted: another item could not be installed, and a plan is installed whole or not at all. */
        SKIPPED("skipped");

        private final String label;

        ItemResult(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One runtime or tool.
     *
     * @param source the policy's source ({@code apt}, {@code apk}, {@code mise}…), or {@code null} without a policy entry
     * @param pkg the package it installs from, or {@code null} when not known
     * @param resolvedVersion the package version installed or pinned ({@code 1.6-2.1+deb12u3}), or {@code null}
     * @param pinned whether the install named the version ({@code jq=1.6-2.1+deb12u3})
     * @param actions the commands run for it (shared ones such as {@code apt-get update} included)
     * @param outputTail the last lines of the failing command's output (empty unless failed)
     */
    public record Item(
            String kind,
            String name,
            String constraint,
            String source,
            String pkg,
            String resolvedVersion,
            boolean pinned,
            List<String> actions,
            ItemResult result,
            String reason,
            List<String> outputTail) {

        public Item {
            actions = List.copyOf(actions);
            outputTail = List.copyOf(outputTail);
        }
    }

    public boolean installed() {
        return result == Result.INSTALLED;
    }

    public Item get(String name) {
        return items.stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no provisioning item " + name));
    }

    /** The items that were not installed and why (skipped ones are left out: their cause is listed). */
    public List<Item> problems() {
        return items.stream()
                .filter(i -> i.result() == ItemResult.FAILED || i.result() == ItemResult.NOT_INSTALLABLE).toList();
    }

    /** One line for logs and receipts: what was installed, or why nothing was. */
    public String message() {
        if (result == Result.INSTALLED) {
            if (items.isEmpty()) {
                return "nothing to install " + plane;
            }
            return "installed " + items.stream()
                    .map(i -> i.pkg() + (i.resolvedVersion() != null ? " " + i.resolvedVersion() : "") + " (" + i.source() + ")")
                    .collect(Collectors.joining(", ")) + " " + plane;
        }
        return problems().stream().map(Item::reason).collect(Collectors.joining("; "));
    }
}
