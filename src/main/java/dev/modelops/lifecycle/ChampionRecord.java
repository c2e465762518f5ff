package dev.modelops.lifecycle;

import io.fabric8.kubernetes.api.model.ConfigMap;

import java.util.Map;
import java.util.Objects;

/**
 * The one record of a model's champion: the version that is deployed and, during a hand-over, the version that
 * takes over next. It is the model's single point of order: it is written only with the version it was read at, so
 * of two versions that claim it at once one writes and the other reads again.
 *
 * @param champion the deployed version, or null when the model has none
 * @param successor the version that takes over once the champion has stepped down, or null
 * @param resourceVersion what it was read at; null for a record that does not exist yet
 */
public record ChampionRecord(String champion, String successor, String resourceVersion) {

    /** The record is the ConfigMap {@code modelops-champion-<model>}; these are its keys. */
    public static final String CHAMPION = "champion";
    public static final String SUCCESSOR = "successor";
    private static final String PREFIX = "modelops-champion-";

    public static String configMapName(String model) {
        return PREFIX + model;
    }

    public static ChampionRecord of(ConfigMap configMap) {
        Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
        return new ChampionRecord(blankToNull(data.get(CHAMPION)), blankToNull(data.get(SUCCESSOR)),
                configMap.getMetadata().getResourceVersion());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    public boolean names(String version) {
        return Objects.equals(champion, version);
    }

    public boolean hasSuccessor() {
        return successor != null;
    }

    /** The record as it should be next; the write carries the version this one was read at. */
    public ChampionRecord then(String nextChampion, String nextSuccessor) {
        return new ChampionRecord(nextChampion, nextSuccessor, resourceVersion);
    }
}
