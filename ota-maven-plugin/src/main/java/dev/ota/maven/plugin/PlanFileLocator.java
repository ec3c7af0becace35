package dev.ota.maven.plugin;

import java.io.File;
import java.nio.file.Path;

/**
 * Chooses where {@code ota:plan} writes {@code plan.json}.
 *
 * <ol>
 *   <li>{@code ota.planFile} when given (relative values resolve against the base directory);
 *   <li>{@code ${project.build.directory}/ota/plan.json} when the contract lies in the base
 *       directory of a real Maven project;
 *   <li>otherwise {@code <contract dir>/target/ota/plan.json} (e.g. outside a project, or for a
 *       contract in another directory).
 * </ol>
 */
public final class PlanFileLocator {

    static final String OTA_DIR = "ota";
    static final String PLAN_FILE_NAME = "plan.json";

    private PlanFileLocator() {}

    /**
     * @param configured the {@code ota.planFile} parameter, or null
     * @param contract absolute path of the contract
     * @param basedir the project base directory (the current directory outside a project)
     * @param realProject true when a {@code pom.xml} backs the current project (false for Maven's
     *     stand-in project when a goal runs without one)
     * @param buildDirectory {@code ${project.build.directory}}, or null when unknown
     */
    public static Path choose(File configured, Path contract, Path basedir, boolean realProject, Path buildDirectory) {
        Path base = basedir.toAbsolutePath().normalize();
        if (configured != null && !configured.getPath().isBlank()) {
            Path file = configured.toPath();
            return (file.isAbsolute() ? file : base.resolve(file)).toAbsolutePath().normalize();
        }
        return otaDirectory(contract, basedir, realProject, buildDirectory).resolve(PLAN_FILE_NAME);
    }

    /**
     * Where ota-maven writes its files (plans, receipts, {@code targets.properties}):
     * {@code ${project.build.directory}/ota} for the project's own contract, otherwise
     * {@code <contract dir>/target/ota}.
     */
    public static Path otaDirectory(Path contract, Path basedir, boolean realProject, Path buildDirectory) {
        Path base = basedir.toAbsolutePath().normalize();
        Path contractDir = contract.toAbsolutePath().normalize().getParent();
        if (realProject && buildDirectory != null && base.equals(contractDir)) {
            return buildDirectory.toAbsolutePath().normalize().resolve(OTA_DIR);
        }
        return contractDir.resolve("target").resolve(OTA_DIR);
    }
}
