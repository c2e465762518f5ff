package dev.modelops.sandbox;

import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.nio.file.Path;

/**
 * The sandbox: with the {@code sandbox} profile, the operator runs against an embedded API server and a simulated
 * cluster runtime in its own process. The server starts before the operator connects and the kubeconfig is
 * written after the operator has started, so that the ready line means ready.
 */
@ApplicationScoped
public class Sandbox {

    private final SandboxConfig config;
    private EmbeddedApiServer server;
    private SimulatedCluster cluster;

    Sandbox(SandboxConfig config) {
        this.config = config;
    }

    void startBeforeTheOperator(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        server = EmbeddedApiServer.start(config.port());
        cluster = SimulatedCluster.start(server, SandboxClock.system());
    }

    void announceOnceTheOperatorRuns(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 1000) StartupEvent event) {
        if (server == null) {
            return;
        }
        Path kubeconfig = KubeconfigFile.write(Path.of(config.kubeconfig()), server.url());
        System.out.println("sandbox: a simulation, no container runs: pods do what their sandbox.modelops.dev/*"
                + " annotations say (README, Simulated containers); API server " + server.url());
        System.out.println("sandbox ready: export KUBECONFIG=" + kubeconfig);
        System.out.flush();
    }

    void stop(@Observes ShutdownEvent event) {
        if (cluster != null) {
            cluster.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
