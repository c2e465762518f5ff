package dev.modelops.sandbox.server;

import dev.modelops.testing.EmbeddedCluster;
import dev.modelops.api.v1alpha1.JobType;
import dev.modelops.api.v1alpha1.ModelJob;
import dev.modelops.api.v1alpha1.ModelJobSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server counts the calls a client makes by verb and resource, as audit logs name them. */
class ApiRequestCountingTest {

    @RegisterExtension
    static final EmbeddedCluster CLUSTER = EmbeddedCluster.apiServer();

    /** A patch by name costs the fabric8 CLUSTER.client() two calls: it gets the object before it patches it. */
    @Test
    void countsEachCallOfAClientByVerbAndResource() {
        ApiRequestCounts before = CLUSTER.server().requests().snapshot();

        CLUSTER.client().configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
                .addToData("epochs", "3").build()).create();
        CLUSTER.client().configMaps().withName("settings").get();
        CLUSTER.client().configMaps().list();
        ApiRequestCounts beforePatch = CLUSTER.server().requests().snapshot();
        CLUSTER.client().configMaps().withName("settings").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"data\":{\"epochs\":\"4\"}}");
        ApiRequestCounts patchOnly = CLUSTER.server().requests().snapshot().minus(beforePatch);
        assertEquals(Map.of("get configmaps", 1L, "patch configmaps", 1L), patchOnly.counts(), patchOnly::toString);
        CLUSTER.client().configMaps().withName("settings").delete();
        CLUSTER.client().resources(ModelJob.class).resource(modelJob("churn-v1-train")).create();
        CLUSTER.client().resources(ModelJob.class).withName("churn-v1-train").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Running\"}}");
        try (Watch watch = CLUSTER.client().configMaps().watch(new IgnoringWatcher())) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> CLUSTER.server().requests().count("watch", "configmaps") > before.count("watch", "configmaps"));
        }

        ApiRequestCounts delta = CLUSTER.server().requests().snapshot().minus(before);
        assertEquals(Map.of(
                "create configmaps", 1L,
                "get configmaps", 2L,
                "get modeljobs", 1L,
                "list configmaps", 1L,
                "patch configmaps", 1L,
                "delete configmaps", 1L,
                "create modeljobs", 1L,
                "patch modeljobs/status", 1L,
                "watch configmaps", 1L), delta.counts(), delta::toString);
        assertEquals(1, delta.count("patch", "modeljobs/status"));
        assertEquals(0, delta.count("update", "modeljobs"));
        assertEquals(5, delta.writes());
        assertEquals(3, delta.writesExcept("modeljobs", "modeljobs/status"));
        assertEquals(10, delta.total());
    }

    /** The benchmark tells the operator's calls from the simulated runtime's by their clients' user agents. */
    @Test
    void countsEachClientApartByItsUserAgent() {
        try (KubernetesClient tool = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(CLUSTER.server().clientConfig())
                        .withUserAgent("modelops-test-tool/1.0").build()).build()) {
            ApiRequestCounts before = CLUSTER.server().requests().snapshot("modelops-test-tool");

            tool.configMaps().withName("absent").get();
            CLUSTER.client().configMaps().withName("absent").get();

            assertEquals(Map.of("get configmaps", 1L),
                    CLUSTER.server().requests().snapshot("modelops-test-tool").minus(before).counts());
        }
        assertEquals("kubectl", ApiRequests.client("kubectl/v1.34.1 (linux/amd64) kubernetes/abc"));
        assertEquals("curl", ApiRequests.client("curl"));
        assertEquals("", ApiRequests.client(null));
    }

    @Test
    void aDeltaPrintsAsATableGroupedByResource() {
        ApiRequestCounts counts = new ApiRequestCounts(Map.of("list pods", 2L, "get pods/log", 1L,
                "patch modeljobs/status", 12L, "create events", 3L, "watch pods", 0L));

        assertEquals("""
                VERB              RESOURCE          COUNT
                create            events                3
                patch             modeljobs/status     12
                list              pods                  2
                get               pods/log              1
                TOTAL                                  18
                """, counts.toString());
    }

    @Test
    void readsVerbAndResourceFromTheRequestAsTheApiServerDoes() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("GET /api/v1/namespaces/default/pods", "list pods"),
                Map.entry("GET /api/v1/namespaces/default/pods?labelSelector=job-name%3Dx", "list pods"),
                Map.entry("GET /api/v1/pods?watch=true&resourceVersion=12", "watch pods"),
                Map.entry("GET /api/v1/namespaces/default/pods?allowWatchBookmarks=true&watch=1", "watch pods"),
                Map.entry("GET /api/v1/watch/namespaces/default/pods", "watch pods"),
                Map.entry("GET /api/v1/namespaces/default/pods/p-1", "get pods"),
                Map.entry("GET /api/v1/namespaces/default/pods/p-1/log?container=main&tailLines=10", "get pods/log"),
                Map.entry("POST /api/v1/namespaces/default/events", "create events"),
                Map.entry("POST /apis/events.k8s.io/v1/namespaces/default/events", "create events"),
                Map.entry("PUT /apis/batch/v1/namespaces/default/jobs/j/status", "update jobs/status"),
                Map.entry("PATCH /apis/modelops.dev/v1alpha1/namespaces/default/modeljobs/mj/status",
                        "patch modeljobs/status"),
                Map.entry("DELETE /apis/batch/v1/namespaces/default/jobs/j", "delete jobs"),
                Map.entry("DELETE /apis/batch/v1/namespaces/default/jobs?labelSelector=a%3Db", "deletecollection jobs"),
                Map.entry("GET /api/v1/namespaces/default", "get namespaces"),
                Map.entry("PUT /api/v1/namespaces/default/finalize", "update namespaces/finalize"),
                Map.entry("GET /api/v1/namespaces", "list namespaces"),
                Map.entry("GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions", "list customresourcedefinitions"),
                Map.entry("GET /apis/modelops.dev/v1alpha1", "get /apis/modelops.dev/v1alpha1"),
                Map.entry("GET /api/v1", "get /api/v1"),
                Map.entry("GET /version", "get /version"),
                Map.entry("GET /openapi/v3/apis/batch/v1?hash=abc", "get /openapi/v3/apis/batch/v1"));

        expected.forEach((request, key) -> {
            String[] methodAndUri = request.split(" ");
            assertEquals(key, ApiRequests.key(methodAndUri[0], methodAndUri[1]), request);
        });
    }

    @Test
    void countingIsSafeFromManyThreads() throws InterruptedException {
        ApiRequests requests = new ApiRequests();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    requests.record("fabric8-kubernetes-client/7.4.0", "GET", "/api/v1/namespaces/default/pods");
                    requests.record("kubectl/v1.34.1 (linux/amd64)", "PATCH",
                            "/apis/batch/v1/namespaces/default/jobs/j-" + (i % 7) + "/status");
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertEquals(80_000, requests.count("list", "pods"));
        assertEquals(80_000, requests.snapshot().count("patch", "jobs/status"));
        assertTrue(requests.snapshot().writesExcept("jobs/status") == 0);
    }

    private static ModelJob modelJob(String name) {
        ModelJob job = new ModelJob();
        job.setMetadata(new ObjectMetaBuilder().withName(name).build());
        ModelJobSpec spec = new ModelJobSpec();
        spec.setType(JobType.Train);
        spec.setModelVersion("v1");
        job.setSpec(spec);
        return job;
    }

    private static final class IgnoringWatcher implements Watcher<ConfigMap> {
        @Override
        public void eventReceived(Action action, ConfigMap resource) {
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }
}
