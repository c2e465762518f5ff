package dev.modelops.testing;

import dev.modelops.sandbox.server.EmbeddedApiServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts the operator's tests against the sandbox: an embedded API server in CRUD mode with the CRDs installed.
 * Use with {@code @QuarkusTestResource(value = SandboxResource.class, restrictToAnnotatedClass = true)} and get
 * the running sandbox through a field annotated {@link InjectSandbox}.
 */
public class SandboxResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedApiServer server;

    @Override
    public Map<String, String> start() {
        server = EmbeddedApiServer.start(0);
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", server.url(),
                "quarkus.kubernetes-client.namespace", "default",
                "quarkus.kubernetes-client.trust-certs", "true");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectSandbox.class, EmbeddedApiServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
