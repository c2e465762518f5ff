package dev.modelops.testing;

import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts the operator's tests against the sandbox: an embedded API server in CRUD mode with the CRDs installed, and
 * the simulated cluster runtime that runs Jobs and their pods.
 * Use with {@code @QuarkusTestResource(SandboxResource.class)} and get
 * the running sandbox through a field annotated {@link InjectSandbox}: the server, the runtime, or a
 * {@link KubernetesClient} of a person (not the operator's: what the operator's client asks is kept for the RBAC
 * check, {@link OperatorRequests}).
 */
public class SandboxResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedApiServer server;
    private SimulatedCluster cluster;
    private KubernetesClient user;

    @Override
    public Map<String, String> start() {
        server = EmbeddedApiServer.start(0);
        cluster = SimulatedCluster.start(server, SandboxClock.system());
        user = server.newClient("test-user/1");
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
        testInjector.injectIntoFields(user,
                new TestInjector.AnnotatedAndMatchesType(InjectSandbox.class, KubernetesClient.class));
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (user != null) {
            user.close();
        }
        if (server != null) {
            OperatorRequests.keep(server);
            OperatorWorkloads.keep(server);
            server.close();
        }
    }
}
