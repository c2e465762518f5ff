package dev.modelops.sandbox.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Row 3 of issue 19: optimistic concurrency on replace, status replace and delete preconditions. */
class ConcurrencyConformanceTest extends ConformanceBase {

    private static final String MODIFIED = "the object has been modified; please apply your changes to the latest "
            + "version and try again";

    // staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go GuaranteedUpdate (a resourceVersion precondition) and
    // staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go Update (NewConflict)
    @Test
    void aReplaceWithAStaleResourceVersionIsAConflict() {
        send("POST", "/apis/batch/v1/namespaces/default/jobs", "application/json", job("stale"));
        ObjectNode read = (ObjectNode) get("/apis/batch/v1/namespaces/default/jobs/stale").json();
        ObjectNode labelled = read.deepCopy();
        labelled.with("metadata").putObject("labels").put("team", "ml");
        assertEquals(200, send("PUT", "/apis/batch/v1/namespaces/default/jobs/stale", "application/json",
                labelled.toString()).code());

        Answer stale = send("PUT", "/apis/batch/v1/namespaces/default/jobs/stale", "application/json", read.toString());

        assertEquals(409, stale.code(), stale.body());
        assertEquals("Conflict", stale.json().path("reason").asText());
        assertEquals("Operation cannot be fulfilled on jobs.batch \"stale\": " + MODIFIED,
                stale.json().path("message").asText());
    }

    // staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go Update, for the status subresource too
    @Test
    void aStatusReplaceWithAStaleResourceVersionIsAConflict() {
        send("POST", "/apis/batch/v1/namespaces/default/jobs", "application/json", job("stale-status"));
        ObjectNode read = (ObjectNode) get("/apis/batch/v1/namespaces/default/jobs/stale-status").json();
        ObjectNode active = read.deepCopy();
        active.putObject("status").put("active", 1);
        assertEquals(200, send("PUT", "/apis/batch/v1/namespaces/default/jobs/stale-status/status",
                "application/json", active.toString()).code());
        ObjectNode succeeded = read.deepCopy();
        succeeded.putObject("status").put("succeeded", 1);

        Answer stale = send("PUT", "/apis/batch/v1/namespaces/default/jobs/stale-status/status", "application/json",
                succeeded.toString());

        assertEquals(409, stale.code(), stale.body());
        assertEquals("Operation cannot be fulfilled on jobs.batch \"stale-status\": " + MODIFIED,
                stale.json().path("message").asText());
        assertEquals(1, get("/apis/batch/v1/namespaces/default/jobs/stale-status").json().path("status")
                .path("active").asInt());
    }

    // client-go's errors.IsConflict reads the reason: fabric8 sees the same 409 with reason Conflict
    @Test
    void aStaleUpdateThroughFabric8IsAConflictItCanRetry() {
        ConfigMap created = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("retried")
                .endMetadata().addToData("k", "1").build()).create();
        client.configMaps().withName("retried").edit(c -> new ConfigMapBuilder(c).addToData("k", "2").build());

        KubernetesClientException conflict = assertThrows(KubernetesClientException.class,
                () -> client.configMaps().resource(new ConfigMapBuilder(created).addToData("k", "3").build()).update());

        assertEquals(409, conflict.getCode());
        assertEquals("Conflict", conflict.getStatus().getReason());
    }

    // staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go Delete (preconditions.Check:
    // "Precondition failed: UID in precondition: ..., UID in object meta: ...")
    @Test
    void aDeleteWhoseUidPreconditionFailsIsAConflictAndDeletesNothing() {
        send("POST", "/api/v1/namespaces/default/configmaps", "application/json", configMap("guarded", ""));
        String uid = get("/api/v1/namespaces/default/configmaps/guarded").json().path("metadata").path("uid").asText();

        Answer refused = send("DELETE", "/api/v1/namespaces/default/configmaps/guarded", "application/json",
                json("{'kind':'DeleteOptions','apiVersion':'v1','preconditions':{'uid':'another'}}"));

        assertEquals(409, refused.code(), refused.body());
        assertEquals("Conflict", refused.json().path("reason").asText());
        assertEquals("Operation cannot be fulfilled on configmaps \"guarded\": Precondition failed: UID in precondition: "
                + "another, UID in object meta: " + uid, refused.json().path("message").asText());
        assertEquals(200, get("/api/v1/namespaces/default/configmaps/guarded").code());
        assertEquals(200, send("DELETE", "/api/v1/namespaces/default/configmaps/guarded", "application/json",
                json("{'preconditions':{'uid':'" + uid + "'}}")).code());
        assertEquals(404, get("/api/v1/namespaces/default/configmaps/guarded").code());
    }

    // staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go Delete (a resourceVersion precondition)
    @Test
    void aDeleteWhoseResourceVersionPreconditionFailsIsAConflict() {
        send("POST", "/api/v1/namespaces/default/configmaps", "application/json", configMap("versioned", ""));
        JsonNode stored = get("/api/v1/namespaces/default/configmaps/versioned").json();

        Answer refused = send("DELETE", "/api/v1/namespaces/default/configmaps/versioned", "application/json",
                json("{'preconditions':{'resourceVersion':'1'}}"));

        assertEquals(409, refused.code(), refused.body());
        assertEquals("Operation cannot be fulfilled on configmaps \"versioned\": Precondition failed: ResourceVersion in "
                + "precondition: 1, ResourceVersion in object meta: " + stored.path("metadata").path("resourceVersion")
                .asText(), refused.json().path("message").asText());
        assertNotNull(client.configMaps().withName("versioned").get());
    }
}
