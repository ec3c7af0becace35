package dev.ota.maven.plugin;

import dev.ota.core.engine.RunService;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/** Lists the services ota-maven started for this repository, whether each still runs, and its URLs. */
@Mojo(name = "status", requiresProject = false, aggregator = true, threadSafe = true)
public class StatusMojo extends AbstractRunMojo {

    @Override
    protected String goalName() {
        return "status";
    }

    @Override
    protected void run(ContractLocation contract) throws MojoExecutionException, MojoFailureException {
        List<RunService.ServiceStatus> services;
        try {
            services = service.status(contract.file());
        } catch (RuntimeException e) {
            throw engineFailure("reading the state of", contract, e);
        }
        if (services.isEmpty()) {
            getLog().info("no ota-owned services recorded for " + contract.displayName());
            return;
        }
        getLog().info(String.format("%-20s %-8s %-8s %s", "SERVICE", "PID", "STATE", "URLS"));
        for (RunService.ServiceStatus s : services) {
            getLog().info(String.format("%-20s %-8d %-8s %s", s.record().task(), s.record().pid(),
                    s.alive() ? "running" : "gone", String.join(" ", s.record().urls())));
        }
        getLog().info("log files: " + contract.directory().resolve(".ota/state/logs"));
    }
}
