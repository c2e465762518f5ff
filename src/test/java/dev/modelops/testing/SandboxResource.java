package dev.modelops.testing;

import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts the operator's tests against the sandbox: an embedded API server in CRUD mode with the CRDs installed, and
 * the simulated cluster runtime that runs Jobs and their pods.
 * Use with {@code @QuarkusTestResource(SandboxResource.class)} and get
 * the running sandbox through a field annotated {@link InjectSandbox}.
 */
public class SandboxResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedApiServer server;
    private SimulatedCluster cluster;

    @Override
    public Map<String, String> start() {
        server = EmbeddedApiServer.start(0);
        cluster = SimulatedCluster.start(server, SandboxClock.system());
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", server.url(),
                "quarkus.kubernetes-client.namespace", "default",
                "quarkus.kubernetes-client.trust-certs", "true");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectSandbox.class, EmbeddedApiServer.class));
        testInjector.injectIntoFields(cluster,
                new TestInjector.AnnotatedAndMatchesType(InjectSandbox.class, SimulatedCluster.class));
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
