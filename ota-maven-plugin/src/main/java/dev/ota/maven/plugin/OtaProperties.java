package dev.ota.maven.plugin;

/**
 * The user property names every ota goal reads ({@code -D<name>=<value>}). Kept in one place so
 * goals, docs and tests agree on the spelling.
 */
public final class OtaProperties {

    /** The contract file; default {@code ota.yaml} in the project base directory. */
    public static final String FILE = "ota.file";

    /** The task to narrow the plan to (and, later, to run). */
    public static final String TASK = "ota.task";

    /** The workspace file ({@code ota.workspace.yaml}); by default found upward from the contract's directory. */
    public static final String WORKSPACE = "ota.workspace";

    /** Skips every ota goal. */
    public static final String SKIP = "ota.skip";

    /** {@code ota:fulfill}: the one shared backend to check and prepare. */
    public static final String BACKEND = "ota.backend";

    /** Where {@code ota:plan} writes {@code plan.json}. */
    public static final String PLAN_FILE = "ota.planFile";

    /** Prefix of task input values: {@code -Dota.input.base_url=http://...} sets input {@code base_url}. */
    public static final String INPUT_PREFIX = "ota.input.";

    /** Project and session property prefix of resolved targets: {@code ota.target.<target>}. */
    public static final String TARGET_PREFIX = "ota.target.";

    /** Failsafe's and Surefire's skip switches, honoured by {@code ota:activate}. */
    public static final String SKIP_ITS = "skipITs";
    public static final String SKIP_TESTS = "skipTests";
    public static final String MAVEN_TEST_SKIP = "maven.test.skip";

    /** Whether a failed stop in {@code ota:deactivate} fails the build (default: log it). */
    public static final String FAIL_ON_STOP_ERROR = "ota.failOnStopError";

    /** The file name looked up in the project base directory when {@link #FILE} is not given. */
    public static final String DEFAULT_CONTRACT_NAME = "ota.yaml";

    private OtaProperties() {}
}
