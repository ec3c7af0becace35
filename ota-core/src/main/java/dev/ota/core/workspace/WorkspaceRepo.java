package dev.ota.core.workspace;

import dev.ota.core.model.Site;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code repos.<name>} of {@code ota.workspace.yaml}.
 *
 * @param path the {@code path} as declared (relative to the workspace file's directory), or null
 *     when it is missing (reported on load)
 * @param dir the repo directory, absolute and normalized; null when {@code path} is missing or
 *     unusable
 * @param contract the {@code contract} as declared, or null for the default {@code ota.yaml}
 * @param contractFile the repo's contract file, absolute and normalized; null when {@code dir} is
 * @param required false for an optional repo, whose problems never fail the workspace
 * @param dependsOn repo names this repo is ordered after, as declared
 * @param site where the entry and each declared key stand (also {@code depends_on[i]} items)
 */
public record WorkspaceRepo(
        String name,
        String path,
        Path dir,
        String contract,
        Path contractFile,
        boolean required,
        List<String> dependsOn,
        Site site) {

    /** The contract file name used when {@code contract} is not declared. */
    public static final String DEFAULT_CONTRACT = "ota.yaml";

    public WorkspaceRepo {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    /** The declared contract path, or the default. */
    public String effectiveContract() {
        return contract == null ? DEFAULT_CONTRACT : contract;
    }

    /** Where the {@code i}-th {@code depends_on} entry stands (the list itself when unknown). */
    public dev.ota.core.diagnostics.SourceLocation dependsOnAt(int i) {
        String key = "depends_on[" + i + "]";
        return site.declares(key) ? site.at(key) : site.at("depends_on");
    }
}
