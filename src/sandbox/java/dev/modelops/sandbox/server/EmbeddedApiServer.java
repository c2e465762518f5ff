package dev.modelops.sandbox.server;

import dev.modelops.api.Crds;
import dev.modelops.sandbox.admission.CustomResourceValidator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * An in-memory Kubernetes API server for the sandbox and the tests: the fabric8 mock server's CRUD store, indexed
 * ({@link IndexedCrudStore}), behind an HTTP server of its own on a loopback port, over plain HTTP, with the
 * operator's CRDs and a {@code default} namespace. It stores objects and serves watches; it runs nothing. The
 * {@code SimulatedCluster} plays the controllers and the kubelet.
 */
public final class EmbeddedApiServer implements AutoCloseable {

    private final SandboxHttpServer server;
    private final SandboxDispatcher dispatcher;
    private final KubernetesClient adminClient;

    private EmbeddedApiServer(SandboxHttpServer server, SandboxDispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.adminClient = newClient();
    }

    /** Starts a server on the given loopback port (0 for any free port) with the CRDs and namespace installed. */
    public static EmbeddedApiServer start(int port) {
        return start(port, WatchHistory.DEFAULT_CAPACITY);
    }

    /**
     * As {@link #start(int)}, keeping the given number of changes for watches that start from a resourceVersion (a
     * watch from an older one gets 410 Gone).
     */
    public static EmbeddedApiServer start(int port, int watchHistory) {
        SandboxDispatcher dispatcher = new SandboxDispatcher(new IndexedCrudStore(watchHistory),
                CustomResourceValidator.of(Crds.load()));
        SandboxHttpServer server = new SandboxHttpServer(dispatcher, dispatcher.podLogs(), dispatcher.requests(), port);
        EmbeddedApiServer api = new EmbeddedApiServer(server, dispatcher);
        api.installCrds();
        api.adminClient.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata()
                .build()).create();
        return api;
    }

    private void installCrds() {
        Crds.load().forEach(crd -> adminClient.apiextensions().v1().customResourceDefinitions().resource(crd).create());
    }

    /** Where the kubelet's logs come from; until set, every pod log is 404. */
    public void podLogs(PodLogSource source) {
        dispatcher.podLogs().kubelet(source);
    }

    /**
     * A runtime plays the garbage collector for these kinds (Orphan and Foreground deletes then wait for it, by their
     * finalizers) and a kubelet (deleted pods bound to a node then wait for it to stop them).
     */
    public void runtimeAttached(java.util.Set<String> collectedKinds) {
        dispatcher.deletions().collected(collectedKinds);
        dispatcher.deletions().kubelet(true);
    }

    /** The requests this server has served, by verb and resource, since it started (its own setup included). */
    public ApiRequests requests() {
        return dispatcher.requests();
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    /** Client settings for this server: plain HTTP, namespace {@code default}, no client-side throttling. */
    public Config clientConfig() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withNamespace("default")
                .withTrustCerts(true)
                .withRequestRetryBackoffLimit(3)
                .build();
    }

    /** A new client of this server; the caller closes it. */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(clientConfig()).build();
    }

    /** A new client that names itself in its {@code User-Agent}, so that {@link #requests()} counts it apart. */
    public KubernetesClient newClient(String userAgent) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(clientConfig()).withUserAgent(userAgent)
                .build()).build();
    }

    /** A client owned by the server, closed with it. */
    public KubernetesClient client() {
        return adminClient;
    }

    @Override
    public void close() {
        adminClient.close();
        server.close();
    }
}
