package dev.ota.maven.plugin;

import dev.ota.core.engine.RunService;
import dev.ota.core.receipt.FailureClass;
import dev.ota.core.receipt.Receipt;
import java.util.Date;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;

/** What the goals that act ({@code run}, {@code activate}, {@code deactivate}, {@code clean}) share. */
public abstract class AbstractRunMojo extends AbstractOtaMojo {

    @Parameter(defaultValue = "${plugin}", readonly = true)
    protected PluginDescriptor plugin;

    /** The one {@link RunService} of this goal execution. */
    protected final RunService service = new RunService();

    protected RunService.Options options(ContractLocation contract) {
        Receipt.Maven maven = plugin == null ? null
                : new Receipt.Maven(plugin.getGroupId(), plugin.getArtifactId(), plugin.getVersion(), buildId());
        return new RunService.Options(otaDirectory(contract), buildId(), maven, line -> getLog().info(line),
                line -> getLog().info("  | " + line));
    }

    /** Names this build in records and receipts: its start time and JVM pid. */
    protected String buildId() {
        Date start = session == null || session.getRequest() == null ? null : session.getRequest().getStartTime();
        return "maven build " + (start == null ? "?" : start.toInstant().toString()) + " pid " + ProcessHandle.current().pid();
    }

    /** Turns a failed result into the build failure: first line the class, then what to do. */
    protected MojoFailureException failure(RunService.Result result) {
        // an invalid contract or a policy refusal: its diagnostics are "the errors above"
        if (result.failureClass() == FailureClass.CONTRACT || result.failureClass() == FailureClass.POLICY) {
            if (result.receipt() != null) {
                result.receipt().findings().stream().filter(f -> f.severity() == Receipt.Level.ERROR)
                        .forEach(f -> getLog().error(f.message()));
            }
        }
        StringBuilder message = new StringBuilder(result.message() == null ? result.failureClass().word() : result.message());
        message.append(System.lineSeparator()).append("Next: ").append(result.failureClass().defaultNextStep());
        if (result.receiptFile() != null) {
            message.append(System.lineSeparator()).append("Receipt: ").append(result.receiptFile());
        }
        return new MojoFailureException(message.toString());
    }
}
