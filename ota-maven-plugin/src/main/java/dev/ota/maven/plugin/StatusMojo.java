package dev.ota.maven.plugin;

import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.container.ContainerInventory;
import dev.ota.core.backend.container.ContainerWorkloads;
import dev.ota.core.backend.remote.RemoteEndpoint;
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
        List<ContainerInventory.Owned> containers;
        String containerProblem = null;
        try {
            containers = service.containers(contract.file());
        } catch (BackendException e) {
            containers = List.of();
            containerProblem = e.getMessage();
        }
        if (services.isEmpty()) {
            getLog().info("no ota-owned services recorded for " + contract.displayName());
        } else {
            getLog().info(String.format("%-20s %-22s %-8s %-8s %s", "SERVICE", "BACKEND", "PID", "STATE", "URLS"));
            for (RunService.ServiceStatus s : services) {
                String where = ContainerWorkloads.handles(s.record().handle())
                        ? nameOf(containers, ContainerWorkloads.containerId(s.record().handle()))
                        : RemoteEndpoint.handles(s.record().backend())
                                ? "remote " + RemoteEndpoint.fromHandle(s.record().backend()).display() : "native";
                getLog().info(String.format("%-20s %-22s %-8d %-8s %s", s.record().task(), where, s.record().pid(),
                        s.alive() ? "running" : "gone", String.join(" ", s.record().urls())));
            }
            getLog().info("log files: " + contract.directory().resolve(".ota/state/logs"));
        }
        if (containerProblem != null) {
            getLog().warn("containers: " + containerProblem);
        } else if (!containers.isEmpty()) {
            getLog().info(String.format("%-22s %-28s %-11s %-9s %s", "CONTAINER", "UNIT", "LIFECYCLE", "STATE", "IMAGE"));
            for (ContainerInventory.Owned c : containers) {
                getLog().info(String.format("%-22s %-28s %-11s %-9s %s", c.name(), c.unit(), c.lifecycle(), c.state(),
                        c.image()));
            }
        }
    }

    private static String nameOf(List<ContainerInventory.Owned> containers, String id) {
        return containers.stream().filter(c -> c.id().equals(id)).map(ContainerInventory.Owned::name).findFirst()
                .orElse(id.length() > 12 ? id.substring(0, 12) : id);
    }
}
