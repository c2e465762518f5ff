package dev.modelops.testing;

import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One embedded API server for a test class, with or without the simulated runtime, and a client of it:
 * {@code @RegisterExtension static final EmbeddedCluster CLUSTER = EmbeddedCluster.apiServer();}.
 */
public final class EmbeddedCluster implements BeforeAllCallback, AfterAllCallback {

    private final boolean runtime;
    private EmbeddedApiServer server;
    private KubernetesClient client;
    private SimulatedCluster cluster;

    private EmbeddedCluster(boolean runtime) {
        this.runtime = runtime;
    }

    /** The API server alone: nothing runs the Jobs and pods stored in it. */
    public static EmbeddedCluster apiServer() {
        return new EmbeddedCluster(false);
    }

    /** The API server and the simulated runtime on the system clock. */
    public static EmbeddedCluster withRuntime() {
        return new EmbeddedCluster(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = EmbeddedApiServer.start(0);
        client = server.newClient();
        if (runtime) {
            cluster = SimulatedCluster.start(server, SandboxClock.system());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
        client.close();
        OperatorRequests.keep(server);
        OperatorWorkloads.keep(server);
        server.close();
    }

    public EmbeddedApiServer server() {
        return server;
    }

    public KubernetesClient client() {
        return client;
    }

    /** kubectl against the server, with its kubeconfig in {@code home}; the test is skipped without kubectl. */
    public Kubectl kubectl(Path home) {
        assumeTrue(Kubectl.onPath(), "kubectl is not on the PATH: the kubectl tests are skipped");
        return new Kubectl(home, server.url());
    }
}
