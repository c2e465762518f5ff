package dev.modelops.sandbox.server;

import dev.modelops.testing.EmbeddedCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lists come in chunks when asked (limit and continue), as informers and kubectl ask for them. */
class ListPagesTest {

    @RegisterExtension
    static final EmbeddedCluster CLUSTER = EmbeddedCluster.apiServer();

    @BeforeAll
    static void start() {
        for (String name : List.of("e", "c", "a", "d", "b")) {
            CLUSTER.client().resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default")
                    .addToLabels("vowel", Boolean.toString(name.equals("a") || name.equals("e"))).endMetadata()
                    .build()).create();
        }
    }

    @Test
    void pagesFollowTheirContinueTokensInNameOrderToTheEnd() {
        ConfigMapList first = page(2L, null);
        assertEquals(List.of("a", "b"), names(first));
        assertEquals(3L, first.getMetadata().getRemainingItemCount());
        ConfigMapList second = page(2L, first.getMetadata().getContinue());
        assertEquals(List.of("c", "d"), names(second));
        ConfigMapList last = page(2L, second.getMetadata().getContinue());
        assertEquals(List.of("e"), names(last));
        assertNull(last.getMetadata().getContinue());
        assertEquals(first.getMetadata().getResourceVersion(), last.getMetadata().getResourceVersion());
    }

    @Test
    void anInformerListingInChunksCachesEveryObject() {
        var informer = CLUSTER.client().configMaps().inNamespace("default").withLimit(2L).inform();
        try {
            assertEquals(List.of("a", "b", "c", "d", "e"), informer.getStore().list().stream()
                    .map(c -> c.getMetadata().getName()).sorted().toList());
        } finally {
            informer.stop();
        }
    }

    @Test
    void anInformerListingInChunksWithALabelSelectorCachesEveryMatchThroughPagesLeftEmptyByTheSelector() {
        var informer = CLUSTER.client().configMaps().inNamespace("default").withLabel("vowel", "true").withLimit(1L).inform();
        try {
            assertEquals(List.of("a", "e"), informer.getStore().list().stream()
                    .map(c -> c.getMetadata().getName()).sorted().toList());
        } finally {
            informer.stop();
        }
    }

    @Test
    void aContinueTokenTheServerDidNotGiveIsABadRequest() {
        KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> page(2L, "forged!"));
        assertEquals(400, refused.getCode());
        assertTrue(refused.getMessage().contains("continue token"), refused.getMessage());
    }

    private static ConfigMapList page(long limit, String continueToken) {
        return CLUSTER.client().configMaps().inNamespace("default")
                .list(new ListOptionsBuilder().withLimit(limit).withContinue(continueToken).build());
    }

    private static List<String> names(ConfigMapList list) {
        return list.getItems().stream().map(ConfigMap::getMetadata).map(m -> m.getName()).toList();
    }
}
