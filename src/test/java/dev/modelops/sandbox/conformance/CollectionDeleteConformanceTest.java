package dev.modelops.sandbox.conformance;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Row 4 of issue 19: a collection delete deletes what its selectors match and nothing else. */
class CollectionDeleteConformanceTest extends ConformanceBase {

    // staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go DeleteCollection (lists with the
    // request's ListOptions, label and field selectors, and deletes each listed object)
    @Test
    void aCollectionDeleteWithALabelSelectorDeletesOnlyTheMatchingObjects() {
        namespace("label-delete");
        for (String name : List.of("train-1", "train-2", "serve-1")) {
            client.configMaps().inNamespace("label-delete").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName(name).addToLabels("role", name.substring(0, 5)).endMetadata().build()).create();
        }

        Answer deleted = send("DELETE", "/api/v1/namespaces/label-delete/configmaps?labelSelector=role%3Dtrain",
                null, null);

        assertEquals(200, deleted.code(), deleted.body());
        assertEquals("ConfigMapList", deleted.json().path("kind").asText());
        assertEquals(2, deleted.json().path("items").size());
        assertEquals(List.of("serve-1"), names(client.configMaps().inNamespace("label-delete").list().getItems()));
    }

    // the same, with a field selector
    @Test
    void aCollectionDeleteWithAFieldSelectorDeletesOnlyTheMatchingObject() {
        namespace("field-delete");
        for (String name : List.of("a", "b")) {
            client.configMaps().inNamespace("field-delete").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName(name).endMetadata().withData(Map.of("k", name)).build()).create();
        }

        client.configMaps().inNamespace("field-delete").withField("metadata.name", "a").delete();

        assertEquals(List.of("b"), names(client.configMaps().inNamespace("field-delete").list().getItems()));
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).toList();
    }
}
