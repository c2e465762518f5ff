package dev.modelops.sandbox;

import dev.modelops.sandbox.runtime.ContainerRuntime;
import dev.modelops.sandbox.runtime.ProcessContainerRuntime;
import dev.modelops.sandbox.runtime.RunnerLaunch;
import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.runtime.SimulatedContainerRuntime;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.sandbox.server.FaultPlan;
import dev.modelops.workload.JobSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * The sandbox: with the {@code sandbox} profile, the operator runs against an embedded API server and a simulated
 * cluster runtime in its own process. Pods of the runner image run as local processes when the runner's
 * distribution is there ({@link ProcessContainerRuntime}); every other pod is simulated. The server starts before
 * the operator connects and the kubeconfig is written after the operator has started, so that the ready line means
 * ready.
 */
@ApplicationScoped
public class Sandbox {

    private final SandboxConfig config;
    private final JobSettings jobs;
    private EmbeddedApiServer server;
    private SimulatedCluster cluster;
    private ProcessContainerRuntime processes;
    private KubernetesClient processClient;
    private String runtimeLine;

    Sandbox(SandboxConfig config, JobSettings jobs) {
        this.config = config;
        this.jobs = jobs;
    }

    void startBeforeTheOperator(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        server = EmbeddedApiServer.start(config.port());
        if (config.faults().share() > 0) {
            FaultPlan plan = FaultPlan.seeded(config.faults().seed().orElseGet(() -> new SecureRandom().nextLong()),
                    config.faults().share());
            server.faults(plan);
            System.out.println("sandbox: " + plan.describe() + " (modelops.sandbox.faults.*)");
        }
        cluster = SimulatedCluster.start(server, SandboxClock.system(), runtime(), java.time.Duration.ofMillis(100));
    }

    /** The runner's processes where the runner can be found, else the simulation alone; says which. */
    private ContainerRuntime runtime() {
        ContainerRuntime simulated = new SimulatedContainerRuntime();
        String simulation = "sandbox: a simulation, no container runs: pods do what their sandbox.modelops.dev/*"
                + " annotations say (README, Simulated containers)";
        Optional<String> image = jobs.runnerImage();
        if (!config.runner().enabled() || image.isEmpty()) {
            runtimeLine = simulation;
            return simulated;
        }
        Path distribution = Path.of(config.runner().distribution()).toAbsolutePath().normalize();
        Optional<List<String>> command = config.runner().command()
                .or(() -> RunnerLaunch.distributionCommand(distribution));
        if (command.isEmpty()) {
            runtimeLine = simulation + "; pods of the runner image " + image.get() + " are simulated too: no runner"
                    + " distribution in " + distribution + " (modelops.sandbox.runner.distribution)";
            return simulated;
        }
        RunnerLaunch launch = new RunnerLaunch(image.get(), command.get(), Path.of(config.dataDir()));
        processClient = server.newClient(SimulatedCluster.USER_AGENT);
        processes = new ProcessContainerRuntime(launch, simulated, SandboxClock.system(), processClient);
        runtimeLine = "sandbox: pods of the runner image " + image.get() + " run the runner as local processes in "
                + launch.dataDir() + " (a server's port is its pod's annotation " + ProcessContainerRuntime.LOCAL_PORT
                + "); other pods are simulated: they do what their sandbox.modelops.dev/* annotations say";
        return processes;
    }

    void announceOnceTheOperatorRuns(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 1000) StartupEvent event) {
        if (server == null) {
            return;
        }
        Path kubeconfig = KubeconfigFile.write(Path.of(config.kubeconfig()), server.url());
        System.out.println(runtimeLine + "; API server " + server.url());
        System.out.println("sandbox ready: export KUBECONFIG=" + kubeconfig);
        System.out.flush();
    }

    void stop(@Observes ShutdownEvent event) {
        if (cluster != null) {
            cluster.close();
        }
        if (processes != null) {
            processes.close();
            processClient.close();
        }
        if (server != null) {
            if (server.faultPlan().share() > 0) {
                System.out.println("sandbox: faults injected: " + server.faultCounts());
            }
            server.close();
        }
    }
}
