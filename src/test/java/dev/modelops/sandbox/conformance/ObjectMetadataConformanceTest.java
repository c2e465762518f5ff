package dev.modelops.sandbox.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Row 13 of issue 19 (the server's part): the metadata the API server writes. */
class ObjectMetadataConformanceTest extends ConformanceBase {

    private static final String WHOLE_SECONDS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    // staging/src/k8s.io/apiserver/pkg/storage/names/generate.go (prefix + utilrand.String(5))
    @Test
    void aGeneratedNameIsThePrefixAndFiveRandomCharacters() {
        Answer answer = send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'generateName':'settings-'}}"));

        assertEquals(201, answer.code(), answer.body());
        String name = answer.json().path("metadata").path("name").asText();
        assertTrue(name.matches("settings-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
        assertEquals(200, get("/api/v1/namespaces/default/configmaps/" + name).code());
    }

    // staging/src/k8s.io/apiserver/pkg/registry/rest/create.go FillObjectMetaSystemFields (uuid.NewUUID: random)
    @Test
    void uidsAreRandomUuids() {
        String first = uidOf(create("uid-1"));
        String second = uidOf(create("uid-2"));

        assertEquals(4, UUID.fromString(first).version());
        assertEquals(4, UUID.fromString(second).version());
        assertNotEquals(UUID.fromString(first).getLeastSignificantBits() + 1,
                UUID.fromString(second).getLeastSignificantBits());
    }

    // pkg/registry/core/pod/strategy.go, pkg/registry/core/configmap/strategy.go, pkg/registry/core/event/strategy.go
    // set no generation; pkg/registry/batch/job/strategy.go sets 1 (and the CRD strategy for custom resources)
    @Test
    void onlyKindsWithASpecAndStatusCarryAGeneration() {
        JsonNode configMap = create("no-generation");
        JsonNode pod = send("POST", "/api/v1/namespaces/default/pods", "application/json", json(
                "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'no-generation'},'spec':{'containers':[{'name':"
                        + "'main','image':'trainer:1'}]}}")).json();
        JsonNode event = send("POST", "/api/v1/namespaces/default/events", "application/json", json(
                "{'apiVersion':'v1','kind':'Event','metadata':{'name':'no-generation.1'},'reason':'Tested'}")).json();
        JsonNode job = send("POST", "/apis/batch/v1/namespaces/default/jobs", "application/json", job("generation"))
                .json();
        JsonNode modelJob = send("POST", "/apis/modelops.dev/v1alpha1/namespaces/default/modeljobs", "application/json",
                modelJob("generation")).json();
        client.configMaps().withName("no-generation").edit(c -> new ConfigMapBuilder(c).addToData("k", "w").build());

        assertFalse(configMap.path("metadata").has("generation"), configMap.toString());
        assertFalse(pod.path("metadata").has("generation"), pod.toString());
        assertFalse(event.path("metadata").has("generation"), event.toString());
        assertFalse(get("/api/v1/namespaces/default/configmaps/no-generation").json().path("metadata")
                .has("generation"));
        assertEquals(1, job.path("metadata").path("generation").asInt(), job.toString());
        assertEquals(1, modelJob.path("metadata").path("generation").asInt(), modelJob.toString());
    }

    // staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/time.go (Time marshals as RFC 3339 in whole seconds)
    @Test
    void metadataTimesAreInWholeSeconds() {
        send("POST", "/api/v1/namespaces/default/configmaps", "application/json", json(
                "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'timed','finalizers':['example.com/hold']}}"));
        send("DELETE", "/api/v1/namespaces/default/configmaps/timed", null, null);

        JsonNode metadata = get("/api/v1/namespaces/default/configmaps/timed").json().path("metadata");

        assertTrue(metadata.path("creationTimestamp").asText().matches(WHOLE_SECONDS), metadata.toString());
        assertTrue(metadata.path("deletionTimestamp").asText().matches(WHOLE_SECONDS), metadata.toString());
    }

    private static JsonNode create(String name) {
        return send("POST", "/api/v1/namespaces/default/configmaps", "application/json", configMap(name, "")).json();
    }

    private static String uidOf(JsonNode object) {
        return object.path("metadata").path("uid").asText();
    }
}
