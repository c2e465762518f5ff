package dev.modelops.cache;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A cached copy with shared empty collections reads and serializes as the object did. */
class EmptyCollectionsTest {

    @Test
    void emptyCollectionsOfTheObjectAndOfTheObjectsItHoldsAreSharedAndTheRestStays() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").addToLabels("team", "ml").endMetadata()
                .withNewSpec().withNodeName("node-a").endSpec()
                .withNewStatus().addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .endStatus().build();
        String json = Serialization.asJson(pod);

        Pod shared = EmptyCollections.shared(pod);

        assertEquals(json, Serialization.asJson(shared), "the same JSON");
        assertEquals(Map.of("team", "ml"), shared.getMetadata().getLabels());
        assertEquals("node-a", shared.getSpec().getNodeName());
        assertSame(Map.of(), shared.getMetadata().getAnnotations());
        assertSame(Map.of(), shared.getMetadata().getAdditionalProperties());
        assertSame(List.of(), shared.getSpec().getContainers());
        assertEquals("PodScheduled", shared.getStatus().getConditions().get(0).getType());
        assertSame(Map.of(), shared.getStatus().getConditions().get(0).getAdditionalProperties(),
                "in list elements too");
    }

    @Test
    void whatIsNotAKubernetesModelObjectIsLeftAsItIs() {
        Map<String, String> map = new HashMap<>();

        assertSame(map, EmptyCollections.shared(map));
        assertNull(EmptyCollections.shared(null));
    }
}
