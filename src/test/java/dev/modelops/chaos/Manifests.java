package dev.modelops.chaos;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Map;
import java.util.stream.Collectors;

/** The run's objects written as a user writes them, in YAML, and read as the API's classes. */
final class Manifests {

    private Manifests() {
    }

    static <T extends HasMetadata> T read(String yaml, Class<T> type) {
        T object = Serialization.unmarshal(yaml, type);
        object.getMetadata().setNamespace(ChaosCluster.NAMESPACE);
        return object;
    }

    /** The simulated container's annotations as a YAML flow map, quoted as JSON strings (JSON is YAML). */
    static String annotations(Map<String, String> annotations) {
        return annotations.entrySet().stream()
                .map(entry -> json(entry.getKey()) + ": " + json(entry.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    static String json(String text) {
        return Serialization.asJson(text);
    }

    /** A simulated container: pending, then running, writing this log and ending with this code and message. */
    static Map<String, String> simulated(String pending, String duration, int exitCode, String log, String result) {
        var annotations = new java.util.LinkedHashMap<String, String>();
        annotations.put("sandbox.modelops.dev/pending", pending);
        annotations.put("sandbox.modelops.dev/duration", duration);
        annotations.put("sandbox.modelops.dev/exit-code", Integer.toString(exitCode));
        annotations.put("sandbox.modelops.dev/log", log);
        if (result != null) {
            annotations.put("sandbox.modelops.dev/termination-message", result);
        }
        return annotations;
    }

    static String millis(long millis) {
        return millis + "ms";
    }
}
