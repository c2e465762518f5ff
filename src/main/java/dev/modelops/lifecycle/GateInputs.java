package dev.modelops.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the approval gates of a version see: its metrics, its statistics (free-form JSON, null when none were
 * computed), its identity ({@code name}, {@code model}, {@code version}, {@code artifactUri}, {@code artifactDigest};
 * absent keys omitted) and the model's deployed champion, if there is one.
 */
public record GateInputs(Map<String, Double> metrics, JsonNode statistics, Map<String, Object> version,
        Optional<Champion> champion) {

    public GateInputs {
        metrics = copy(metrics);
        version = version == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(version));
        champion = champion == null ? Optional.empty() : champion;
    }

    /** The version that is deployed for the model now, with the metrics of its own evaluation. */
    public record Champion(String name, String version, Map<String, Double> metrics) {

        public Champion {
            metrics = copy(metrics);
        }
    }

    private static Map<String, Double> copy(Map<String, Double> metrics) {
        if (metrics == null) {
            return Map.of();
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        metrics.forEach((name, value) -> {
            if (name != null && value != null) {
                copy.put(name, value);
            }
        });
        return Collections.unmodifiableMap(copy);
    }
}
