package dev.modelops.modelversion;

import dev.modelops.common.Labels;
import dev.modelops.lifecycle.ChampionRecord;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's {@link ChampionRecord} as a ConfigMap, {@code modelops-champion-<model>}, labelled with the model. It
 * belongs to the model, not to one version, so it has no owner and outlives the versions it names. It is written only
 * at the resourceVersion it was read at: of two versions that write it at once, one is refused (409) and reads again.
 */
final class ChampionRecords {

    private ChampionRecords() {
    }

    /** Writes the record if it is still as it was read; false when another writer came first. */
    static boolean write(KubernetesClient client, String namespace, String model, ChampionRecord next) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(ChampionRecord.CHAMPION, next.champion() == null ? "" : next.champion());
        if (next.successor() != null) {
            data.put(ChampionRecord.SUCCESSOR, next.successor());
        }
        ConfigMap configMap = new ConfigMapBuilder().withNewMetadata().withName(ChampionRecord.configMapName(model))
                .withNamespace(namespace)
                .withResourceVersion(next.resourceVersion())
                .addToLabels(Labels.MANAGED_BY, Labels.OPERATOR).addToLabels(Labels.CHAMPION_OF, model)
                .addToLabels(Labels.MODEL, model).endMetadata().withData(data).build();
        try {
            if (next.resourceVersion() == null) {
                client.configMaps().inNamespace(namespace).resource(configMap).create();
            } else {
                client.configMaps().inNamespace(namespace).resource(configMap).update();
            }
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            throw e;
        }
    }
}
