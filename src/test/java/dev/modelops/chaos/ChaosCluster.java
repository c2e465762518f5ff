package dev.modelops.chaos;

import dev.modelops.sandbox.runtime.SandboxClock;
import dev.modelops.sandbox.runtime.SimulatedCluster;
import dev.modelops.sandbox.server.EmbeddedApiServer;
import dev.modelops.sandbox.server.FaultCounts;
import dev.modelops.sandbox.server.FaultPlan;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The cluster the operator is tried against, in the harness's process: the embedded API server with the simulated
 * runtime (controllers, kubelet, garbage collector) and the harness's own client, as a user, in namespace
 * {@value #NAMESPACE}. What the API server does wrong on purpose, faults and restarts, goes through here.
 */
final class ChaosCluster implements AutoCloseable {

    static final String NAMESPACE = "chaos";
    static final String USER_AGENT = "modelops-chaos";

    private final EmbeddedApiServer server;
    private final SimulatedCluster runtime;
    private final KubernetesClient client;
    private int apiRestarts;

    private ChaosCluster(EmbeddedApiServer server, SimulatedCluster runtime, KubernetesClient client) {
        this.server = server;
        this.runtime = runtime;
        this.client = client;
    }

    static ChaosCluster start() {
        EmbeddedApiServer server = EmbeddedApiServer.start(0);
        server.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                .endMetadata().build()).create();
        SimulatedCluster runtime = SimulatedCluster.start(server, SandboxClock.system());
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(server.clientConfig())
                .withNamespace(NAMESPACE).withUserAgent(USER_AGENT).withRequestTimeout(60_000).build()).build();
        return new ChaosCluster(server, runtime, client);
    }

    String url() {
        return server.url();
    }

    KubernetesClient client() {
        return client;
    }

    EmbeddedApiServer server() {
        return server;
    }

    /** Creates a namespace for manifests that must not meet the run's own names (the admission corpus). */
    void namespace(String name) {
        server.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
                .build()).create();
    }

    /**
     * Starts answering the given share of the operator's requests with faults chosen from the seed (conflicts, 429,
     * 500, 503, slow answers, watches closed); returns the plan, described. The runtime's and the harness's requests
     * are not faulted: they play the cluster and the user.
     */
    String injectFaults(long seed, double share) {
        FaultPlan plan = FaultPlan.seeded(seed, share);
        server.faults(plan);
        return plan.describe();
    }

    /** Faults injected so far, by kind and in total. */
    FaultCounts faults() {
        return server.faultCounts();
    }

    /** Restarts the API server with its store kept: every connection and watch breaks; clients reconnect. */
    void restartApiServer() {
        server.restartKeepingData();
        apiRestarts++;
    }

    int apiRestarts() {
        return apiRestarts;
    }

    @Override
    public void close() {
        client.close();
        runtime.close();
        server.close();
    }
}
