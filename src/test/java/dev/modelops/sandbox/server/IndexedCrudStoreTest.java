package dev.modelops.sandbox.server;

import dev.modelops.testing.EmbeddedCluster;
import dev.modelops.api.Crds;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

/** The indexed store answers as fabric8's store does, seen through a client and request by request. */
class IndexedCrudStoreTest {

    @RegisterExtension
    static final EmbeddedCluster CLUSTER = EmbeddedCluster.apiServer();

    @BeforeAll
    static void start() {
        // a create into a namespace that does not exist is refused, as by a cluster
        for (String namespace : List.of("get-a", "get-b", "list-a", "list-b", "write", "delete", "watched", "elsewhere")) {
            CLUSTER.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
        }
    }

    @Test
    void getsAnObjectByNameInItsOwnNamespace() {
        CLUSTER.client().configMaps().inNamespace("get-a").resource(configMap("settings", "a")).create();
        CLUSTER.client().configMaps().inNamespace("get-b").resource(configMap("settings", "b")).create();

        assertEquals("a", CLUSTER.client().configMaps().inNamespace("get-a").withName("settings").get().getData().get("v"));
        assertEquals("b", CLUSTER.client().configMaps().inNamespace("get-b").withName("settings").get().getData().get("v"));
        assertNull(CLUSTER.client().configMaps().inNamespace("get-c").withName("settings").get());
        assertNull(CLUSTER.client().configMaps().inNamespace("get-a").withName("other").get());
        assertNull(CLUSTER.client().pods().inNamespace("get-a").withName("settings").get());
    }

    @Test
    void listsANamespaceAllNamespacesAndByLabel() {
        CLUSTER.client().pods().inNamespace("list-a").resource(pod("p1", "train")).create();
        CLUSTER.client().pods().inNamespace("list-a").resource(pod("p2", "serve")).create();
        CLUSTER.client().pods().inNamespace("list-b").resource(pod("p3", "train")).create();
        CLUSTER.client().configMaps().inNamespace("list-a").resource(configMap("p1", "not a pod")).create();

        assertEquals(List.of("list-a/p1", "list-a/p2"), names(CLUSTER.client().pods().inNamespace("list-a").list().getItems()));
        assertTrue(names(CLUSTER.client().pods().inAnyNamespace().list().getItems())
                .containsAll(List.of("list-a/p1", "list-a/p2", "list-b/p3")));
        List<String> training = names(CLUSTER.client().pods().inAnyNamespace().withLabel("role", "train").list().getItems());
        assertTrue(training.containsAll(List.of("list-a/p1", "list-b/p3")) && !training.contains("list-a/p2"),
                training::toString);
        assertEquals(List.of("list-a/p1"),
                names(CLUSTER.client().pods().inNamespace("list-a").withLabel("role", "train").list().getItems()));
        assertEquals(List.of(), CLUSTER.client().pods().inNamespace("list-empty").list().getItems());
    }

    @Test
    void updatesPatchesAndStatusPatchesEachRaiseTheResourceVersion() {
        Pod created = CLUSTER.client().pods().inNamespace("write").resource(pod("worker", "train")).create();
        Pod updated = CLUSTER.client().pods().inNamespace("write").withName("worker")
                .edit(pod -> new PodBuilder(pod).editMetadata().addToLabels("step", "2").endMetadata().build());
        Pod patched = CLUSTER.client().pods().inNamespace("write").withName("worker")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"step\":\"3\"}}}");
        Pod statusPatched = CLUSTER.client().pods().inNamespace("write").withName("worker").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Running\"}}");

        assertTrue(version(created) < version(updated) && version(updated) < version(patched)
                && version(patched) < version(statusPatched));
        Pod stored = CLUSTER.client().pods().inNamespace("write").withName("worker").get();
        assertEquals("3", stored.getMetadata().getLabels().get("step"));
        assertEquals("Running", stored.getStatus().getPhase());
        assertEquals(version(statusPatched), version(stored));
        assertTrue(Long.parseLong(CLUSTER.client().pods().inNamespace("write").list().getMetadata().getResourceVersion())
                >= version(statusPatched));
    }

    @Test
    void deletesAnObjectAndHoldsOneWithFinalizersUntilTheyAreGone() {
        CLUSTER.client().configMaps().inNamespace("delete").resource(configMap("plain", "x")).create();
        ConfigMap held = configMap("held", "x");
        held.getMetadata().setFinalizers(List.of("modelops.dev/test"));
        CLUSTER.client().configMaps().inNamespace("delete").resource(held).create();

        CLUSTER.client().configMaps().inNamespace("delete").withName("plain").delete();
        CLUSTER.client().configMaps().inNamespace("delete").withName("held").delete();

        assertNull(CLUSTER.client().configMaps().inNamespace("delete").withName("plain").get());
        ConfigMap terminating = CLUSTER.client().configMaps().inNamespace("delete").withName("held").get();
        assertNotNull(terminating.getMetadata().getDeletionTimestamp());
        CLUSTER.client().configMaps().inNamespace("delete").withName("held")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
        assertNull(CLUSTER.client().configMaps().inNamespace("delete").withName("held").get());
        assertEquals(List.of(), CLUSTER.client().configMaps().inNamespace("delete").list().getItems());
    }

    @Test
    void aWatchSeesAnObjectAddedModifiedAndDeleted() {
        List<String> events = new CopyOnWriteArrayList<>();
        try (Watch watch = CLUSTER.client().configMaps().inNamespace("watched").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName() + " " + resource.getData().get("v"));
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            CLUSTER.client().configMaps().inNamespace("elsewhere").resource(configMap("seen", "0")).create();
            CLUSTER.client().configMaps().inNamespace("watched").resource(configMap("seen", "1")).create();
            CLUSTER.client().configMaps().inNamespace("watched").withName("seen")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"v\":\"2\"}}");
            CLUSTER.client().configMaps().inNamespace("watched").withName("seen").delete();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(
                    List.of("ADDED seen 1", "MODIFIED seen 2", "DELETED seen 2"), events));
        }
    }

    @Test
    void clusterScopedObjectsAreFoundByName() {
        CLUSTER.client().namespaces().resource(new NamespaceBuilder().withNewMetadata()
                .withName("cluster-scoped").endMetadata().build()).create();

        assertNotNull(CLUSTER.client().namespaces().withName("cluster-scoped").get());
        assertNull(CLUSTER.client().namespaces().withName("absent").get());
        assertTrue(names(CLUSTER.client().namespaces().list().getItems())
                .containsAll(List.of("null/default", "null/cluster-scoped")));
        assertNotNull(CLUSTER.client().apiextensions().v1().customResourceDefinitions().withName("modeljobs.modelops.dev").get());
    }

    /**
     * Every answer, status, headers and body, equals fabric8's own store's for the same requests, the odd ones
     * included: a path without a resource type (all objects), API metadata for an empty list, a field selector
     * overriding the path's namespace, a name in two API groups, a list after an update (last written last), a
     * delete collection, finalizers, and a key holding fabric8's wildcard. The metadata the store writes as the API
     * server does rather than as fabric8 does (a random uid, no generation on core kinds) is left out.
     */
    @Test
    void answersEveryRequestAsFabric8sStoreDoes() {
        KubernetesCrudDispatcher fabric8 = new KubernetesCrudDispatcher();
        IndexedCrudStore indexed = new IndexedCrudStore();
        String crd = Serialization.asJson(Crds.load().stream()
                .filter(c -> c.getMetadata().getName().equals("modeljobs.modelops.dev")).findFirst().orElseThrow());
        String running = json("[{'op':'add','path':'/status/phase','value':'Running'}]");
        List<Request> requests = List.of(
                post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd),
                post("/api/v1/namespaces", json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'a'}}")),
                post("/api/v1/namespaces/a/pods", pod("a", "p1", "x")),
                post("/api/v1/namespaces/a/pods", pod("a", "p2", "y")),
                post("/api/v1/namespaces/b/pods", pod("b", "p1", "x")),
                post("/api/v1/namespaces/a/pods", pod("a", "p1", "x")),
                post("/api/v1/namespaces/a/configmaps", json("{'apiVersion':'v1','kind':'ConfigMap',"
                        + "'metadata':{'name':'c1','finalizers':['f']},'data':{'k':'1'}}")),
                post("/api/v1/namespaces/a/events", json("{'apiVersion':'v1','kind':'Event','metadata':{'name':'e'}}")),
                post("/apis/events.k8s.io/v1/namespaces/a/events",
                        json("{'apiVersion':'events.k8s.io/v1','kind':'Event','metadata':{'name':'e'}}")),
                post("/apis/modelops.dev/v1alpha1/namespaces/a/modeljobs", json("{'apiVersion':'modelops.dev/v1alpha1',"
                        + "'kind':'ModelJob','metadata':{'name':'m'},'spec':{'type':'train'}}")),
                get("/api/v1/namespaces/a/pods/p1"), get("/api/v1/namespaces/b/pods/p1"), get("/api/v1/pods/p1"),
                get("/api/v1/namespaces/a/pods/missing"), get("/api/v1/namespaces/a/pods"), get("/api/v1/pods"),
                get("/api/v1/namespaces/a/pods?labelSelector=app%3Dx"),
                get("/api/v1/namespaces/a/pods?labelSelector=app!%3Dx"),
                get("/api/v1/namespaces/a/pods?fieldSelector=metadata.name%3Dp2"),
                get("/api/v1/namespaces/a/pods?fieldSelector=namespace%3Db"), get("/api/v1/namespaces/c/pods"),
                get("/api/v1/namespaces"), get("/api/v1/namespaces/a"), get("/api/v1/namespaces/a/status"),
                get("/api/v1"), get("/apis/batch/v1"), get("/apis/modelops.dev/v1alpha1"), get("/api"),
                get("/api/v1/namespaces/a/pods/p1/log"), get("/api/v1/namespaces/*/pods"),
                get("/api/v1/namespaces/a/events/e"), get("/apis/events.k8s.io/v1/namespaces/a/events/e"),
                get("/apis/modelops.dev/v1alpha1/namespaces/a/modeljobs/m"),
                get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/modeljobs.modelops.dev"),
                put("/api/v1/namespaces/a/pods/p1", pod("a", "p1", "z")), get("/api/v1/namespaces/a/pods"),
                put("/api/v1/namespaces/a/pods/p1",
                        pod("a", "p1", "z").replace("\"namespace\"", "\"resourceVersion\":\"1\",\"namespace\"")),
                put("/api/v1/namespaces/a/pods/missing", pod("a", "missing", "z")),
                jsonPatch("/api/v1/namespaces/a/pods/p2/status", running),
                jsonPatch("/apis/modelops.dev/v1alpha1/namespaces/a/modeljobs/m/status", running),
                jsonPatch("/api/v1/namespaces/a/pods/missing", "[]"), get("/api/v1/pods"),
                delete("/api/v1/namespaces/a/configmaps/c1"), get("/api/v1/namespaces/a/configmaps/c1"),
                delete("/api/v1/namespaces/a/configmaps/c1"),
                jsonPatch("/api/v1/namespaces/a/configmaps/c1",
                        json("[{'op':'remove','path':'/metadata/finalizers'}]")),
                get("/api/v1/namespaces/a/configmaps/c1"), delete("/api/v1/namespaces/a/pods/missing"),
                delete("/api/v1/namespaces/a/pods"), get("/api/v1/pods"), delete("/api/v1/namespaces/a/events/e"),
                get("/apis/events.k8s.io/v1/namespaces/a/events"),
                post("/api/v1/namespaces/w/pods", pod("w", "*", "x")), get("/api/v1/namespaces/b/pods/p1"),
                get("/api/v1/namespaces/w/pods/anything"), get("/api/v1/pods"));

        for (Request request : requests) {
            assertEquals(answer(fabric8, request), answer(indexed, request), request.method() + " " + request.path());
        }
    }

    private record Request(String method, String path, String body, String contentType) {
    }

    private static String answer(KubernetesCrudDispatcher store, Request request) {
        Headers.Builder headers = Headers.builder();
        if (request.contentType() != null) {
            headers.set("Content-Type", request.contentType());
        }
        MockResponse response = store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.valueOf(request.method()),
                request.path(), headers.build(), new Buffer().writeUtf8(request.body())));
        String body = response.getBody() == null ? "" : response.getBody().readUtf8();
        // resourceVersions differ once something was deleted: the indexed store gives a deletion a resourceVersion of
        // its own, as the API server does (its watches replay deletes from a resourceVersion), fabric8's does not.
        return response.getStatus() + " " + response.getHeaders().toMultimap() + " "
                + body.replaceAll("\"(uid|creationTimestamp|deletionTimestamp)\":\"[^\"]*\"", "\"$1\":\"-\"")
                .replaceAll(",?\"generation\":\\d+", "").replace("{,", "{")
                .replaceAll("\"resourceVersion\": ?\"\\d+\"", "\"resourceVersion\":\"-\"");
    }

    private static Request get(String path) {
        return new Request("GET", path, "", null);
    }

    private static Request delete(String path) {
        return new Request("DELETE", path, "", null);
    }

    private static Request post(String path, String body) {
        return new Request("POST", path, body, "application/json");
    }

    private static Request put(String path, String body) {
        return new Request("PUT", path, body, "application/json");
    }

    private static Request jsonPatch(String path, String patch) {
        return new Request("PATCH", path, patch, "application/json-patch+json");
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static String pod(String namespace, String name, String app) {
        return json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'" + name + "','namespace':'" + namespace
                + "','labels':{'app':'" + app + "'}},'spec':{'containers':[{'name':'c'}]}}");
    }

    private static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(Map.of("v", value))
                .build();
    }

    private static Pod pod(String name, String role) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("role", role).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec().build();
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()).toList();
    }

    private static long version(HasMetadata object) {
        return Long.parseLong(object.getMetadata().getResourceVersion());
    }
}
